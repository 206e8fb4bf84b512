from django.urls import path

from . import views, views_catalogue, views_inscriptions

app_name = "ateliers"

urlpatterns = [
    path("animateur/", views.animateur, name="animateur"),
    # Catalogue and planning (city staff)
    path("catalogue/", views_catalogue.catalogue, name="catalogue"),
    path("catalogue/nouveau/", views_catalogue.atelier_creer, name="atelier_creer"),
    path("catalogue/<int:pk>/modifier/", views_catalogue.atelier_modifier, name="atelier_modifier"),
    path("seances/nouvelle/", views_catalogue.seance_creer, name="seance_creer"),
    path("seances/<int:pk>/modifier/", views_catalogue.seance_modifier, name="seance_modifier"),
    path("seances/<int:pk>/annuler/", views_catalogue.seance_annuler, name="seance_annuler"),
    # Sessions and sign-ups (desk, city staff, facilitators)
    path("seances/", views_inscriptions.seances, name="seances"),
    path("seances/<int:pk>/", views_inscriptions.seance, name="seance"),
    path("seances/<int:pk>/inscrire/", views_inscriptions.seance_inscrire, name="seance_inscrire"),
    path(
        "inscriptions/<int:pk>/annuler/", views_inscriptions.inscription_annuler, name="inscription_annuler"
    ),
    path("foyers/<int:pk>/inscrire/", views_inscriptions.foyer_inscrire, name="foyer_inscrire"),
]
