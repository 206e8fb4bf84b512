from django.urls import path

from . import views, views_besoins

app_name = "ateliers"

urlpatterns = [
    path("animateur/", views.animateur, name="animateur"),
    # The needs census and the outreach list (views_besoins).
    path("besoins/", views_besoins.besoins, name="besoins"),
    path(
        "besoins/brouillon/<int:theme>/<int:quartier>/",
        views_besoins.besoins_brouillon,
        name="besoins_brouillon",
    ),
    path("besoins/ateliers/<int:pk>/", views_besoins.besoins_atelier, name="besoins_atelier"),
    path("besoins/ateliers/<int:pk>/inviter/", views_besoins.besoins_inviter, name="besoins_inviter"),
    path("besoins/foyers/<int:pk>/", views_besoins.besoin_foyer, name="besoin_foyer"),
    path("besoins/personnes/<int:pk>/", views_besoins.besoin_personne, name="besoin_personne"),
    path("reticents/", views_besoins.reticents, name="reticents"),
    path("reticents/appels/", views_besoins.reticents_appels, name="reticents_appels"),
    path("reticents/courriers/", views_besoins.reticents_courriers, name="reticents_courriers"),
    path("reticents/foyers/<int:pk>/", views_besoins.reticent_foyer, name="reticent_foyer"),
]
