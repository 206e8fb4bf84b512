import datetime

import pytest
from django.utils import timezone

from logements.models import Logement
from tests.factories import BulletinFactory, ImmeubleFactory, LogementFactory
from votes import services
from votes.models import Regle, Scrutin


def logements(immeuble, n: int) -> list[Logement]:
    return [
        LogementFactory(immeuble=immeuble, cage="A", etage=k // 4, porte=str(k % 4 + 1), connecte_depuis=None)
        for k in range(n)
    ]


def creer_scrutin(quartier, *, par=None, ouvrir=True, immeubles=(), **champs) -> Scrutin:
    """A vote on ``quartier`` (direct agreement by default), open since an hour, closing in a week."""
    maintenant = timezone.now()
    valeurs = {
        "intitule": f"Vote {quartier.nom}",
        "question": "Approuvez-vous l’adhésion de votre logement à Internet Pour Tous ?",
        "regle": Regle.ACCORD_DIRECT,
        "seuil_participation": 25,
        "seuil_majorite": 50,
        "notifie_le": timezone.localdate(),
        "delai_mois": 2,
        "ouvre_le": maintenant - datetime.timedelta(hours=1),
        "ferme_le": maintenant + datetime.timedelta(days=7),
        **champs,
    }
    scrutin = services.scrutin_creer(quartier=quartier, immeubles=list(immeubles), par=par, **valeurs)
    if ouvrir:
        scrutin = services.scrutin_ouvrir(scrutin=scrutin, par=par)
    return scrutin


@pytest.fixture
def logements_immeuble(immeuble):
    """Eight dwellings in the caretaker's building."""
    return logements(immeuble, 8)


@pytest.fixture
def autre_immeuble(quartier, bailleur):
    """Another building of the same quartier, with four dwellings, not the caretaker's."""
    immeuble = ImmeubleFactory(quartier=quartier, bailleur=bailleur, nom="Résidence Voisine")
    logements(immeuble, 4)
    return immeuble


@pytest.fixture
def scrutin(quartier, immeuble, logements_immeuble, autre_immeuble, ville_user):
    """An open vote on the whole quartier: 12 dwellings (8 in the caretaker's building, 4 next door)."""
    return creer_scrutin(quartier, par=ville_user)


def code_de(scrutin, logement) -> str:
    return scrutin.inscrits.get(logement=logement).code


@pytest.fixture(params=["ouvert", "clos", "publie"])
def scrutin_sans_acteurs(request, quartier, immeuble, logements_immeuble, autre_immeuble):
    """A vote whose every actor is unknown — opened, ballots entered, one cancelled, closed and
    published by nobody (the system, the demo, an import of past results) — in each of its states."""
    scrutin = creer_scrutin(quartier, par=None)
    inscrits = list(scrutin.inscrits.select_related("logement", "scrutin").order_by("pk"))
    BulletinFactory(inscrit=inscrits[0], sans_acteur=True, choix="oui")
    BulletinFactory(inscrit=inscrits[1], sans_acteur=True, annule_sans_acteur=True, choix="non")
    BulletinFactory(inscrit=inscrits[2], sans_acteur=True, choix="blanc", canal="accueil")
    if request.param in ("clos", "publie"):
        scrutin = services.scrutin_clore(scrutin=scrutin, par=None, proces_verbal=False)
    if request.param == "publie":
        scrutin = services.scrutin_publier(scrutin=scrutin, par=None)
    return scrutin
