from django.urls import path

from . import views

app_name = "ateliers"

urlpatterns = [
    path("animateur/", views.animateur, name="animateur"),
]

from . import views_messages  # noqa: E402

urlpatterns += [
    path("messages/", views_messages.liste, name="messages"),
    path("messages/<int:pk>/relancer/", views_messages.relancer, name="message_relancer"),
    path("messages/lettres/", views_messages.lettres_imprimer, name="lettres_imprimer"),
    path("personnes/<int:pk>/contact/", views_messages.contact, name="contact"),
]
