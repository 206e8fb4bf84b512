from django.urls import path

from equipements import views, views_ordinateurs, views_paiements, views_retardataires, views_signalements

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
    path("ordinateurs/", views_ordinateurs.stock, name="ordinateurs"),
    path("ordinateurs/importer/", views_ordinateurs.importer, name="ordinateurs_importer"),
    path("foyers/<int:pk>/ordinateur/", views_ordinateurs.ordinateur_foyer, name="ordinateur_foyer"),
    path("foyers/<int:pk>/second-ordinateur/", views_ordinateurs.derogation, name="ordinateur_derogation"),
    path(
        "reservations-ordinateurs/<int:pk>/annuler/",
        views_ordinateurs.reservation_annuler,
        name="ordinateur_reservation_annuler",
    ),
    # The money of the PC sales (views_paiements).
    path("ventes/<int:pk>/paiements/", views_paiements.vente_paiements, name="vente_paiements"),
    path("ventes/<int:pk>/abandon/", views_paiements.vente_abandon, name="vente_abandon"),
    path("ventes/<int:pk>/annulation/", views_paiements.vente_annulation, name="vente_annulation"),
    path("ventes/<int:pk>/rappel/", views_paiements.vente_rappel, name="vente_rappel"),
    path("paiements/<int:pk>/recu/", views_paiements.paiement_recu, name="paiement_recu"),
    path(
        "paiements/<int:pk>/contrepasser/",
        views_paiements.paiement_contrepasser,
        name="paiement_contrepasser",
    ),
    path("paiements/suivi/", views_paiements.suivi, name="suivi_paiements"),
    path("paiements/suivi/rappels/", views_paiements.rappels, name="rappels_paiements"),
    path("caisse/", views_paiements.caisse, name="caisse"),
    path("caisse/journal.csv", views_paiements.caisse_csv, name="caisse_csv"),
    path("caisse/bilan/", views_paiements.caisse_bilan, name="caisse_bilan"),
]
