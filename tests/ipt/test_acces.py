"""Who may open what: every URL of the resolver, asked by every role in and out of its scope.

The table ``ACCES`` gives, for each URL name, the sample objects of its kwargs (names from
tests/scenario.py, or literal values), the method it is asked with (GET, or POST with an empty form
for the URLs that accept only POST; each request is rolled back) and the status expected for each
user, in the order of ``COLONNES``. A URL the resolver knows and the table does not fails the test
``test_every_url_has_an_entry``: add its line when you add the URL.

The Django admin is checked model by model (``ADMIN``): city staff get what their group's
permissions open, everyone else is sent to the admin's login.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.scenario import JETON_PARTAGE, UTILISATEURS, noms_des_urls, objet_admin, scenario_creer, urls_admin

COLONNES = UTILISATEURS  # anonyme sans_role ville accueil accueil_hors gardien gardien_hors bailleur bailleur_hors animateur animateur_hors

# fmt: off
ACCES = {
    # name: (kwargs, method, "anonyme sans_role ville accueil accueil_hors gardien gardien_hors bailleur bailleur_hors animateur animateur_hors")
    "accueil_role": ({}, "GET", "302 403 302 302 302 302 302 302 302 302 302"),
    "ateliers:animateur": ({}, "GET", "302 403 200 403 403 403 403 403 403 200 200"),
    "ateliers:contact": ({"pk": "personne"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "ateliers:lettres_imprimer": ({}, "POST", "302 403 302 302 302 403 403 403 403 403 403"),
    "ateliers:message_relancer": ({"pk": "message"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "ateliers:messages": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "ateliers:visa": ({}, "GET", "302 403 200 403 403 403 403 403 403 200 200"),
    "ateliers:visa_personne": ({"pk": "personne"}, "GET", "302 403 200 403 403 403 403 403 403 200 404"),
    "ateliers:visa_emettre": ({"pk": "personne"}, "POST", "302 403 400 403 403 403 403 403 403 400 404"),
    "ateliers:visa_certificats": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:visa_certificat_pdf": ({"pk": "certificat"}, "GET", "302 403 200 200 404 403 403 403 403 200 404"),
    "ateliers:visa_revoquer": ({"pk": "certificat"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    # Public, without login: the verification of a certificate's code (the scenario's, then a forged one).
    "visa_verification": ({}, "GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "visa_verifier": ({"code": "SCEN-AR23-4567"}, "GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "ateliers:seance_presences": ({"pk": "seance"}, "GET", "302 403 200 200 404 403 403 403 403 200 404"),
    "ateliers:seance_emargement": ({"pk": "seance"}, "GET", "302 403 200 200 404 403 403 403 403 200 404"),
    "ateliers:permanences": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "ateliers:permanences_ouvrir": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:permanence_reserver": ({"personne_pk": "personne"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "ateliers:permanence_liberer": ({"pk": "permanence"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "ateliers:permanence_annuler": ({"pk": "permanence_libre"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "ateliers:permanence_compte_rendu": ({"pk": "permanence"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "ateliers:besoin_foyer": ({"pk": "foyer"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "ateliers:besoin_personne": ({"pk": "participant"}, "GET", "302 403 200 200 404 403 403 403 403 200 404"),
    "ateliers:besoins": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:besoins_atelier": ({"pk": "brouillon"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:besoins_brouillon": ({"theme": "theme", "quartier": "quartier"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:besoins_inviter": ({"pk": "brouillon"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "ateliers:reticent_foyer": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "ateliers:reticents": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "ateliers:reticents_appels": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "ateliers:reticents_courriers": ({}, "POST", "302 403 302 302 302 403 403 403 403 403 403"),
    "ateliers:atelier_creer": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:atelier_modifier": ({"pk": "atelier"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:catalogue": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:foyer_inscrire": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "ateliers:inscription_annuler": ({"pk": "inscription"}, "POST", "302 403 302 302 404 403 403 403 403 302 404"),
    "ateliers:seance": ({"pk": "seance"}, "GET", "302 403 200 200 404 403 403 403 403 200 404"),
    "ateliers:seance_annuler": ({"pk": "seance"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "ateliers:seance_creer": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:seance_inscrire": ({"pk": "seance"}, "POST", "302 403 400 400 404 403 403 403 403 400 404"),
    "ateliers:seance_modifier": ({"pk": "seance"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "ateliers:seances": ({}, "GET", "302 403 200 200 200 403 403 403 403 200 200"),
    "charges:avis_lancer": ({"bailleur_pk": "bailleur", "annee": 2026}, "POST", "302 403 302 403 403 403 403 302 404 403 403"),
    "charges:bailleur": ({}, "GET", "302 403 403 403 403 403 403 200 200 403 403"),
    "charges:execution": ({"pk": "execution"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "charges:execution_lancer": ({}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "charges:regularisation": ({"pk": "releve"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "charges:releve": ({"pk": "releve"}, "GET", "302 403 200 403 403 403 403 200 404 403 403"),
    "charges:releve_csv": ({"pk": "releve"}, "GET", "302 403 200 403 403 403 403 200 404 403 403"),
    "charges:releve_pdf": ({"pk": "releve"}, "GET", "302 403 200 403 403 403 403 200 404 403 403"),
    "charges:releves": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "charges:resume_csv": ({"bailleur_pk": "bailleur", "annee": 2026}, "GET", "302 403 200 403 403 403 403 200 404 403 403"),
    # The read log (issue 15, point 5): city staff only; volunteers never see others' reads.
    "donnees:lectures": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "donnees:lectures_foyer": ({"pk": "foyer"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "donnees:lectures_personne": ({"pk": "personne"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "equipements:signalement": ({"pk": "signalement"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "equipements:signalement_annuler": ({"pk": "signalement"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "equipements:signalement_nouveau": ({}, "GET", "302 403 200 200 200 200 200 403 403 403 403"),
    "equipements:signalements": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "equipements:signalements_relance": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "equipements:signalements_statistiques": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "equipements:a_recuperer": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "equipements:recu": ({"pk": "recu"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:remise": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:restitution": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:retardataires": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "equipements:retardataires_quartier": ({"pk": "quartier"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:creneau_nouveau": ({"pk": "quartier"}, "GET", "302 403 302 403 403 403 403 403 403 403 403"),
    "equipements:lettres_envoyer": ({"pk": "quartier"}, "POST", "302 403 400 403 403 403 403 403 403 403 403"),
    "equipements:rendez_vous": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:rendez_vous_annuler": ({"pk": "rendezvous"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "equipements:declin": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:decodeurs_importer": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "equipements:ordinateur_derogation": ({"pk": "foyer"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "equipements:ordinateur_foyer": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:ordinateur_reservation_annuler": ({"pk": "reservation_pc"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "equipements:ordinateurs": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "equipements:ordinateurs_importer": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "equipements:vente_paiements": ({"pk": "vente"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:vente_abandon": ({"pk": "vente"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "equipements:vente_annulation": ({"pk": "vente"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:vente_rappel": ({"pk": "vente"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "equipements:paiement_recu": ({"pk": "paiement"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "equipements:paiement_contrepasser": ({"pk": "paiement"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "equipements:suivi_paiements": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "equipements:rappels_paiements": ({}, "POST", "302 403 302 302 302 403 403 403 403 403 403"),
    "equipements:caisse": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "equipements:caisse_csv": ({}, "GET", "302 403 400 400 400 403 403 403 403 403 403"),
    "equipements:caisse_bilan": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    # "What we hold about you" (issue 15, point 2): asked with a button (POST), logged.
    "donnees:export_foyer": ({"pk": "foyer", "format": "pdf"}, "POST", "302 403 200 200 404 403 403 403 403 403 403"),
    "donnees:export_personne": ({"pk": "personne", "format": "zip"}, "POST", "302 403 200 200 404 403 403 403 403 403 403"),
    "healthz": ({}, "GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "logements:accueil": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "logements:accueil_recherche": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "logements:bailleur": ({}, "GET", "302 302 302 302 302 302 302 302 302 302 302"),
    "logements:foyer": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:foyer_adhesion": ({"pk": "foyer"}, "POST", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:foyer_demenagement": ({"pk": "foyer"}, "POST", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:foyer_modifier": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:foyer_profil": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:foyer_profil_effacer": ({"pk": "foyer"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "logements:gardien": ({}, "GET", "302 302 302 302 302 302 302 302 302 302 302"),
    "logements:logement": ({"pk": "logement"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:logement_emmenagement": ({"pk": "logement"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:personne_ajouter": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:personne_modifier": ({"pk": "personne"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "logements:personne_retirer": ({"pk": "personne"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "login": ({}, "GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "logout": ({}, "POST", "302 302 302 302 302 302 302 302 302 302 302"),
    "password_change": ({}, "GET", "302 200 200 200 200 200 200 200 200 200 200"),
    "password_change_done": ({}, "GET", "302 200 200 200 200 200 200 200 200 200 200"),
    # Password reset is hidden while no email backend is configured (comptes/).
    "password_reset": ({}, "GET", "404 404 404 404 404 404 404 404 404 404 404"),
    "password_reset_complete": ({}, "GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "abc-def"}, "GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "password_reset_done": ({}, "GET", "404 404 404 404 404 404 404 404 404 404 404"),
    "quartiers:campagne": ({"pk": "campagne"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "quartiers:campagne_creer": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "quartiers:campagne_reunion": ({"pk": "campagne"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "quartiers:campagnes": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "quartiers:couverture": ({"pk": "campagne"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "quartiers:feuilles": ({"pk": "campagne"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "quartiers:jalon_ajouter": ({"pk": "campagne"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "quartiers:jalon_modifier": ({"pk": "jalon"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "quartiers:jalon_supprimer": ({"pk": "jalon"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "quartiers:plaquettes": ({"pk": "campagne"}, "POST", "302 403 302 302 404 403 403 403 403 403 403"),
    "pilotage:bilan": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "pilotage:bilan_csv": ({}, "GET", "302 403 400 403 403 403 403 403 403 403 403"),
    "pilotage:liste": ({"etape": "adherents"}, "GET", "302 403 400 403 403 403 403 403 403 403 403"),
    "pilotage:partage": ({"jeton": JETON_PARTAGE}, "GET", "200 200 200 200 200 200 200 200 200 200 200"),
    "pilotage:partage_revoquer": ({"pk": "lienpartage"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "pilotage:partages": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "pilotage:tableau_de_bord": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "quartiers:tableau_de_bord": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "quartiers:visites_saisie": ({"pk": "campagne", "immeuble_pk": "immeuble"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "travail": ({"pk": "travail"}, "GET", "302 404 200 404 404 404 404 200 404 404 404"),
    "travail_statut": ({"pk": "travail"}, "GET", "302 404 200 404 404 404 404 200 404 404 404"),
    "travail_telecharger": ({"pk": "travail"}, "GET", "302 404 200 404 404 404 404 200 404 404 404"),
    "votes:accueil": ({}, "GET", "302 403 200 200 200 403 403 403 403 403 403"),
    "votes:bulletin_annuler": ({"pk": "scrutin", "bulletin_pk": "bulletin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:bulletin_lien": ({"pk": "scrutin"}, "GET", "302 403 302 302 302 302 302 403 403 403 403"),
    "votes:bulletins_papier": ({"pk": "scrutin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:empreinte": ({"pk": "scrutin"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "votes:gardien": ({}, "GET", "302 403 403 403 403 302 200 403 403 403 403"),
    "votes:historique": ({"pk": "scrutin"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "votes:proces_verbal": ({"pk": "scrutin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:saisie": ({"pk": "scrutin", "canal": "gardien"}, "GET", "302 403 403 403 403 200 404 403 403 403 403"),
    "votes:scrutin": ({"pk": "scrutin"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "votes:scrutin_clore": ({"pk": "scrutin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:scrutin_debut_service": ({"pk": "scrutin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:scrutin_modifier": ({"pk": "scrutin"}, "GET", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:scrutin_nouveau": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "votes:scrutin_ouvrir": ({"pk": "scrutin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:scrutin_prolonger": ({"pk": "scrutin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:scrutin_publier": ({"pk": "scrutin"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "votes:saisie_defaire": ({"pk": "scrutin", "canal": "gardien", "bulletin_pk": "bulletin"}, "POST", "302 403 403 403 403 200 404 403 403 403 403"),
    "votes:scrutins": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "donnees:effacement_foyer": ({"pk": "foyer"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "donnees:effacement_personne": ({"pk": "personne"}, "GET", "302 403 200 200 404 403 403 403 403 403 403"),
    "donnees:effacement_fait": ({"pk": "effacement"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "donnees:conservation": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "comptes:liste": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "comptes:creer": ({}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "comptes:detail": ({"pk": "compte"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "comptes:modifier": ({"pk": "compte"}, "GET", "302 403 200 403 403 403 403 403 403 403 403"),
    "comptes:desactiver": ({"pk": "compte"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "comptes:reactiver": ({"pk": "compte"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "comptes:lien_emettre": ({"pk": "compte"}, "POST", "302 403 302 403 403 403 403 403 403 403 403"),
    "comptes:lien": ({"pk": "compte"}, "GET", "302 403 302 403 403 403 403 403 403 403 403"),
}
# fmt: on

# The admin's pages of each registered model: what city staff may do there (view, add, change,
# delete — from the permissions of their group). Everyone else is redirected to the admin's login.
# The admin's own pages (index, login…) are in ADMIN_PAGES.
ADMIN = {
    "ateliers.atelier": "changelist add change delete history",
    "ateliers.referentiel": "changelist add change history",  # the published version: never deleted
    "ateliers.cycle": "changelist add change delete history",
    "ateliers.seance": "changelist add change delete history",
    "ateliers.structure": "changelist add change delete history",
    "ateliers.theme": "changelist add change delete history",
    "auth.group": "",
    "auth.user": "",
    "axes.accessattempt": "",
    "axes.accessfailurelog": "",
    "axes.accesslog": "",
    "charges.charge": "changelist change history",
    "charges.execution": "changelist change history",
    "charges.regularisation": "changelist change history",
    "charges.releve": "changelist change history",
    "charges.tarif": "changelist add change history",  # the scenario's tariff was used: no delete
    "equipements.delaicible": "changelist change history",  # one per category: never added nor deleted
    "equipements.decodeur": "changelist add change history",  # the sample decoder was handed out
    "equipements.journeeremise": "changelist add change delete history",
    "equipements.derogation": "changelist add change history",  # kept on record: never deleted
    "equipements.echeance": "changelist change history",
    "equipements.offre": "changelist add change history",  # used by the sample sale: final
    "equipements.ordinateur": "changelist add change history",  # the sample PC was sold
    "equipements.reservation": "changelist change history",
    "equipements.vente": "changelist change history",
    "equipements.recu": "changelist change history",
    "equipements.remise": "changelist change history",
    "equipements.paiement": "changelist change history",
    "equipements.abandon": "changelist change history",
    "equipements.relance": "changelist change history",
    "equipements.restitution": "changelist change history",
    "ipt.evenement": "changelist change history",
    "ipt.travail": "changelist change delete history",
    "logements.adhesion": "changelist add change delete history",
    "logements.bailleur": "changelist add change delete history",
    "logements.foyer": "changelist add change delete history",
    "logements.immeuble": "changelist add change delete history",
    "logements.logement": "changelist add change delete history",
    "logements.personne": "changelist add change delete history",
    "quartiers.campagne": "changelist add change delete history",
    "quartiers.centresocial": "changelist add change delete history",
    "quartiers.quartier": "changelist add change delete history",
    "quartiers.visite": "changelist add change delete history",
    "votes.bulletin": "changelist change history",
    "votes.scrutin": "changelist change history",
}

# fmt: off
ADMIN_PAGES = {
    # name: (kwargs, method, "anonyme sans_role ville accueil accueil_hors gardien gardien_hors bailleur bailleur_hors animateur animateur_hors")
    "admin:index": ({}, "GET", "302 302 200 302 302 302 302 302 302 302 302"),
    "admin:login": ({}, "GET", "200 200 302 200 200 200 200 200 200 200 200"),
    "admin:logout": ({}, "POST", "302 302 302 302 302 302 302 302 302 302 302"),
    "admin:password_change": ({}, "GET", "302 302 200 302 302 302 302 302 302 302 302"),
    "admin:password_change_done": ({}, "GET", "302 302 200 302 302 302 302 302 302 302 302"),
    "admin:jsi18n": ({}, "GET", "302 302 200 302 302 302 302 302 302 302 302"),
    "admin:app_list": ({"app_label": "votes"}, "GET", "302 302 200 302 302 302 302 302 302 302 302"),
    "admin:autocomplete": ({}, "GET", "302 302 403 302 302 302 302 302 302 302 302"),
    "admin:view_on_site": ({"content_type_id": 1, "object_id": 1}, "GET", "302 302 404 302 302 302 302 302 302 302 302"),
    "admin:logements_logement_importer": ({}, "GET", "302 302 200 302 302 302 302 302 302 302 302"),
    "admin:auth_user_password_change": ({"id": "ville"}, "GET", "302 302 403 302 302 302 302 302 302 302 302"),
}
# fmt: on

PAGES_DE_CONNEXION = ("/accounts/login/", "/admin/login/")


def _attendus_admin() -> dict:
    """The admin's model pages, from ADMIN: city staff 200 where their group may, else 403."""
    attendus = {}
    for nom, (modele, suffixe) in urls_admin().items():
        permis = ADMIN.get(modele._meta.label_lower)
        if permis is None:
            continue
        ville = "200" if suffixe in permis.split() else "403"
        kwargs = {"object_id": modele._meta.label_lower} if suffixe in ("change", "delete", "history") else {}
        attendus[nom] = (kwargs, "GET", f"302 302 {ville} 302 302 302 302 302 302 302 302")
    return attendus


def test_every_url_has_an_entry():
    connus = set(ACCES) | set(ADMIN_PAGES) | set(_attendus_admin())
    sans_entree = sorted(set(noms_des_urls()) - connus)
    assert sans_entree == [], f"add these URLs to tests/ipt/test_acces.py: {sans_entree}"
    en_trop = sorted(connus - set(noms_des_urls()))
    assert en_trop == [], f"these URLs no longer exist: {en_trop}"


def _demander(client, user, methode: str, url: str):
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():  # an action (POST) asked by an allowed user changes nothing for the next
        reponse = client.generic(methode, url)
        transaction.set_rollback(True)
    return reponse


def _ecarts(client, scenario, table: dict, colonnes) -> list[str]:
    ecarts = []
    for nom, (kwargs, methode, statuts) in sorted(table.items()):
        if "object_id" in kwargs and isinstance(kwargs["object_id"], str):  # an admin page: its sample row
            modele = urls_admin()[nom][0]
            kwargs = {"object_id": objet_admin(modele).pk}
        url = reverse(nom, kwargs=scenario.kwargs(kwargs))
        attendus = dict(zip(COLONNES, statuts.split(), strict=True))
        for qui in colonnes:
            reponse = _demander(client, scenario.utilisateurs[qui], methode, url)
            if str(reponse.status_code) != attendus[qui]:
                ecarts.append(
                    f"{nom} {methode} {url} as {qui}: {reponse.status_code}, expected {attendus[qui]}"
                )
            elif qui == "anonyme" and reponse.status_code == 302 and len(set(attendus.values())) > 1:
                # A page some may open and others not: the anonymous are sent to log in.
                if not reponse["Location"].startswith(PAGES_DE_CONNEXION):
                    ecarts.append(f"{nom} as anonyme: sent to {reponse['Location']}, not to a login page")
    return ecarts


@pytest.fixture
def scenario(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The walk asks every URL as every user, which takes minutes on a loaded machine: the caretaker's
    # "undo" of the scenario's ballot must not run out of its two minutes meanwhile (access, not timing).
    settings.VOTES_DELAI_ANNULATION_SAISIE = 24 * 60 * 60
    return scenario_creer(tmp_path)


def test_every_page_answers_each_role_in_and_out_of_scope_as_the_matrix_says(client, scenario):
    ecarts = _ecarts(client, scenario, ACCES, COLONNES)
    assert not ecarts, "\n".join(ecarts)


def test_the_admin_answers_city_staff_by_their_permissions_and_sends_everyone_else_to_its_login(
    client, scenario
):
    # Every non-staff user is refused alike by the admin (staff_member_required): one of each kind is asked.
    qui = ("anonyme", "ville", "accueil", "bailleur_hors")
    ecarts = _ecarts(client, scenario, {**_attendus_admin(), **ADMIN_PAGES}, qui)
    assert not ecarts, "\n".join(ecarts)
