from django.urls import path
from django.views.generic import RedirectView

from logements import views

app_name = "logements"

urlpatterns = [
    path("accueil/", views.accueil, name="accueil"),
    path("accueil/recherche/", views.accueil_recherche, name="accueil_recherche"),
    path("accueil/foyers/<int:pk>/", views.foyer, name="foyer"),
    path("accueil/foyers/<int:pk>/adhesion/", views.foyer_adhesion, name="foyer_adhesion"),
    path("accueil/foyers/<int:pk>/demenagement/", views.foyer_demenagement, name="foyer_demenagement"),
    path("accueil/foyers/<int:pk>/modifier/", views.foyer_modifier, name="foyer_modifier"),
    path("accueil/foyers/<int:pk>/profil/", views.foyer_profil, name="foyer_profil"),
    path("accueil/foyers/<int:pk>/profil/effacer/", views.foyer_profil_effacer, name="foyer_profil_effacer"),
    path("accueil/foyers/<int:pk>/occupants/ajouter/", views.personne_ajouter, name="personne_ajouter"),
    path("accueil/personnes/<int:pk>/modifier/", views.personne_modifier, name="personne_modifier"),
    path("accueil/personnes/<int:pk>/retirer/", views.personne_retirer, name="personne_retirer"),
    path("accueil/logements/<int:pk>/", views.logement, name="logement"),
    path(
        "accueil/logements/<int:pk>/emmenagement/", views.logement_emmenagement, name="logement_emmenagement"
    ),
    # The first homes of the caretakers and landlords: old bookmarks land on their pages.
    path("gardien/", RedirectView.as_view(pattern_name="votes:gardien"), name="gardien"),
    path("bailleur/", RedirectView.as_view(pattern_name="charges:bailleur"), name="bailleur"),
]
