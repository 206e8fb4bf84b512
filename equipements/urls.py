from django.urls import path

from equipements import views, views_retardataires, views_signalements

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
    path("foyers/<int:pk>/remise/", views.remise_nouvelle, name="remise"),
    path("foyers/<int:pk>/restitution/", views.restitution_nouvelle, name="restitution"),
    path("recus/<int:pk>/", views.recu_pdf, name="recu"),
    path("a-recuperer/", views.a_recuperer, name="a_recuperer"),
    # Late-comers (equipements/views_retardataires.py)
    path("retardataires/", views_retardataires.retardataires, name="retardataires"),
    path(
        "retardataires/<int:pk>/", views_retardataires.retardataires_quartier, name="retardataires_quartier"
    ),
    path("retardataires/<int:pk>/creneau/", views_retardataires.creneau_nouveau, name="creneau_nouveau"),
    path("retardataires/<int:pk>/lettres/", views_retardataires.lettres_envoyer, name="lettres_envoyer"),
    path("foyers/<int:pk>/rendez-vous/", views_retardataires.rendez_vous_nouveau, name="rendez_vous"),
    path(
        "rendez-vous/<int:pk>/annuler/", views_retardataires.rendez_vous_annuler, name="rendez_vous_annuler"
    ),
    path("foyers/<int:pk>/declin/", views_retardataires.declin_nouveau, name="declin"),
    path("decodeurs/importer/", views_retardataires.decodeurs_importer, name="decodeurs_importer"),
]
