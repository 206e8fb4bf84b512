from django.urls import path

from . import views, views_permanences, views_presences

app_name = "ateliers"

urlpatterns = [
    path("animateur/", views.animateur, name="animateur"),
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
