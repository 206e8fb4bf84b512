from django.urls import path

from . import views, views_visa

app_name = "ateliers"

urlpatterns = [
    path("animateur/", views.animateur, name="animateur"),
    path("visa/", views_visa.visa, name="visa"),
    path("visa/personne/<int:pk>/", views_visa.visa_personne, name="visa_personne"),
    path("visa/personne/<int:pk>/emettre/", views_visa.visa_emettre, name="visa_emettre"),
    path("visa/certificats/", views_visa.visa_certificats, name="visa_certificats"),
    path("visa/certificats/<int:pk>/pdf/", views_visa.visa_certificat_pdf, name="visa_certificat_pdf"),
    path("visa/certificats/<int:pk>/revoquer/", views_visa.visa_revoquer, name="visa_revoquer"),
]

from . import views_messages  # noqa: E402

urlpatterns += [
    path("messages/", views_messages.liste, name="messages"),
    path("messages/<int:pk>/relancer/", views_messages.relancer, name="message_relancer"),
    path("messages/lettres/", views_messages.lettres_imprimer, name="lettres_imprimer"),
    path("personnes/<int:pk>/contact/", views_messages.contact, name="contact"),
]
