from django.urls import path

from equipements import views_signalements

app_name = "equipements"

urlpatterns = [
    path("signalements/", views_signalements.signalements, name="signalements"),
    path("signalements/nouveau/", views_signalements.signalement_nouveau, name="signalement_nouveau"),
    path("signalements/statistiques/", views_signalements.statistiques, name="signalements_statistiques"),
    path("signalements/relance.pdf", views_signalements.relance, name="signalements_relance"),
    path("signalements/<int:pk>/", views_signalements.signalement, name="signalement"),
    path(
        "signalements/<int:pk>/annuler/",
        views_signalements.signalement_annulation,
        name="signalement_annuler",
    ),
]
