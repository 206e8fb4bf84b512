from django.urls import path

from . import (
    views,
    views_besoins,
    views_catalogue,
    views_inscriptions,
    views_permanences,
    views_presences,
    views_visa,
)

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

from . import views_messages  # noqa: E402

urlpatterns += [
    path("messages/", views_messages.liste, name="messages"),
    path("messages/<int:pk>/relancer/", views_messages.relancer, name="message_relancer"),
    path("messages/lettres/", views_messages.lettres_imprimer, name="lettres_imprimer"),
    path("personnes/<int:pk>/contact/", views_messages.contact, name="contact"),
]
