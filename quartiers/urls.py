from django.urls import path

from quartiers import views

app_name = "quartiers"

urlpatterns = [
    path("pilotage/", views.tableau_de_bord, name="tableau_de_bord"),
    path("campagnes/", views.campagnes, name="campagnes"),
    path("campagnes/nouvelle/", views.campagne_creer, name="campagne_creer"),
    path("campagnes/<int:pk>/", views.campagne, name="campagne"),
    path("campagnes/<int:pk>/reunion/", views.campagne_reunion, name="campagne_reunion"),
    path("campagnes/<int:pk>/jalons/ajouter/", views.jalon_ajouter, name="jalon_ajouter"),
    path("jalons/<int:pk>/modifier/", views.jalon_modifier, name="jalon_modifier"),
    path("jalons/<int:pk>/supprimer/", views.jalon_supprimer, name="jalon_supprimer"),
    path("campagnes/<int:pk>/plaquettes/", views.plaquettes, name="plaquettes"),
    path("campagnes/<int:pk>/feuilles/", views.feuilles, name="feuilles"),
    path("campagnes/<int:pk>/couverture/", views.couverture, name="couverture"),
    path(
        "campagnes/<int:pk>/immeubles/<int:immeuble_pk>/visites/",
        views.visites_saisie,
        name="visites_saisie",
    ),
]
