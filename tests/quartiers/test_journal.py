"""Every quartiers service that writes leaves its audit entry, in its transaction, with its actor."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ipt.models import Evenement
from quartiers import services
from quartiers.models import Jalon, Visite

JOUR = datetime.date(2026, 11, 20)


def _seule_entree(action):
    entree = Evenement.objects.get(action=action)
    return entree


def test_creating_a_campaign_is_recorded_with_its_author(ville_user, quartier):
    campagne = services.campagne_creer(quartier=quartier, intitule="Campagne 2027", par=ville_user)
    entree = _seule_entree("quartiers.campagne_creation")
    assert (entree.par, entree.objet_id) == (ville_user, str(campagne.pk))
    assert quartier.nom in entree.message


def test_milestones_added_changed_and_deleted_are_recorded(ville_user, campagne):
    jalon = services.jalon_ajouter(
        campagne=campagne, type=Jalon.Type.FORMATION, date_prevue=datetime.date(2027, 3, 1), par=ville_user
    )
    services.jalon_modifier(jalon=jalon, date_prevue=datetime.date(2027, 3, 8), par=ville_user)
    services.jalon_supprimer(jalon=jalon, par=None)  # the system
    ajout = _seule_entree("quartiers.jalon_ajout")
    modification = _seule_entree("quartiers.jalon_modification")
    suppression = _seule_entree("quartiers.jalon_suppression")
    assert ajout.par == ville_user and ajout.details["date_prevue"] == "2027-03-01"
    assert modification.details["avant"]["date_prevue"] == "2027-03-01"
    assert modification.details["apres"]["date_prevue"] == "2027-03-08"
    assert suppression.par is None and suppression.objet_id == str(campagne.pk)
    assert suppression.message == "Jalon « début des formations » supprimé."


def test_the_meeting_record_is_recorded_with_what_changed(ville_user, campagne):
    services.campagne_reunion_enregistrer(
        campagne=campagne,
        reunion_debut=campagne.reunion_debut,
        reunion_lieu=campagne.reunion_lieu,
        reunion_participants=58,
        reunion_compte_rendu="Questions sur les charges.",
        par=ville_user,
    )
    entree = _seule_entree("quartiers.reunion_enregistrement")
    assert sorted(entree.details["champs"]) == ["reunion_compte_rendu", "reunion_participants"]
    assert entree.details["participants"] == 58


def test_a_refused_change_writes_no_entry(ville_user, campagne):
    with pytest.raises(ValidationError):
        services.jalon_ajouter(
            campagne=campagne, type=Jalon.Type.VOTE, date_prevue=datetime.date(2026, 11, 1), par=ville_user
        )
    assert not Evenement.objects.exists()


def test_visits_entered_are_recorded_with_their_counts(ville_user, campagne, immeubles):
    portes = list(immeubles[0].logements.order_by("pk"))
    services.visites_enregistrer(
        campagne=campagne,
        immeuble=immeubles[0],
        jour=JOUR,
        saisies=[services.Saisie(logement_id=lg.pk, resultat=Visite.Resultat.DEPOSE) for lg in portes],
        par=ville_user,
    )
    entree = _seule_entree("quartiers.visites_saisie")
    assert entree.par == ville_user
    assert entree.details == {
        "immeuble": immeubles[0].pk,
        "date": "2026-11-20",
        "creees": 4,
        "modifiees": 0,
        "supprimees": 0,
    }
    assert (
        entree.message == "Visites du porte-à-porte de Bâtiment 1 le 20 novembre 2026 : "
        "4 nouvelles, 0 corrigées, 0 retirées."
    )


@pytest.mark.parametrize(
    "appel",
    [
        "campagne_creer",
        "jalon_ajouter",
        "jalon_modifier",
        "jalon_supprimer",
        "campagne_reunion_enregistrer",
        "visites_enregistrer",
    ],
)
def test_the_actor_is_a_required_keyword(appel):
    import inspect

    parametre = inspect.signature(getattr(services, appel)).parameters["par"]
    assert parametre.kind is inspect.Parameter.KEYWORD_ONLY
    assert parametre.default is inspect.Parameter.empty
