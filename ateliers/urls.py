from django.urls import path

from . import views, views_permanences, views_presences, views_visa

app_name = "ateliers"

urlpatterns = [
    path("animateur/", views.animateur, name="animateur"),
    path("visa/", views_visa.visa, name="visa"),
    path("visa/personne/<int:pk>/", views_visa.visa_personne, name="visa_personne"),
    path("visa/personne/<int:pk>/emettre/", views_visa.visa_emettre, name="visa_emettre"),
    path("visa/certificats/", views_visa.visa_certificats, name="visa_certificats"),
    path("visa/certificats/<int:pk>/pdf/", views_visa.visa_certificat_pdf, name="visa_certificat_pdf"),
    path("visa/certificats/<int:pk>/revoquer/", views_visa.visa_revoquer, name="visa_revoquer"),
    # Attendance (issue 13, point 5)
    path("seances/<int:pk>/presences/", views_presences.presences, name="seance_presences"),
    path("seances/<int:pk>/emargement.pdf", views_presences.emargement, name="seance_emargement"),
    # Individual help (issue 13, point 6)
    path("permanences/", views_permanences.permanences, name="permanences"),
    path("permanences/ouvrir/", views_permanences.permanences_ouvrir, name="permanences_ouvrir"),
    path(
        "permanences/reserver/<int:personne_pk>/",
        views_permanences.permanence_reserver,
        name="permanence_reserver",
    ),
    path("permanences/<int:pk>/liberer/", views_permanences.permanence_liberer, name="permanence_liberer"),
    path("permanences/<int:pk>/annuler/", views_permanences.permanence_annuler, name="permanence_annuler"),
    path(
        "permanences/<int:pk>/compte-rendu/",
        views_permanences.permanence_compte_rendu,
        name="permanence_compte_rendu",
    ),
]
