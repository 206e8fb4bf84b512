import datetime
import zoneinfo

import pytest

from quartiers.models import Jalon
from tests.factories import (
    CampagneFactory,
    FoyerFactory,
    ImmeubleFactory,
    JalonFactory,
    LogementFactory,
    UserFactory,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Generated files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def campagne(quartier):
    centre = quartier.centre_social
    centre.nom = "Centre social Les Amarres"
    centre.adresse = "12 rue de Kerourien, 29200 Brest"
    centre.horaires = "du lundi au vendredi, 9 h – 12 h et 14 h – 18 h"
    centre.telephone = "02 98 00 00 00"
    centre.save()
    campagne = CampagneFactory(
        quartier=quartier,
        intitule="Campagne Kerourien",
        reunion_debut=datetime.datetime(2026, 11, 24, 18, 30, tzinfo=PARIS),
        reunion_lieu="Salle Jean-Moulin, place de Kerourien",
    )
    JalonFactory(campagne=campagne, type=Jalon.Type.REUNION, date_prevue=datetime.date(2026, 11, 24))
    JalonFactory(
        campagne=campagne,
        type=Jalon.Type.VOTE,
        date_prevue=datetime.date(2026, 12, 14),
        date_fin_prevue=datetime.date(2026, 12, 18),
    )
    return campagne


@pytest.fixture
def immeubles(campagne, bailleur):
    """Three buildings of four dwellings each (two stairwells), each with a caretaker and households."""
    resultat = []
    for numero in range(1, 4):
        immeuble = ImmeubleFactory(
            quartier=campagne.quartier,
            bailleur=bailleur,
            nom=f"Bâtiment {numero}",
            adresse=f"{numero} rue Anatole-France, 29200 Brest",
            depot_bulletins=f"Loge du gardien, bâtiment {numero}",
        )
        gardien = UserFactory(first_name="Yann", last_name=f"Le Gall{numero}", role="gardien")
        immeuble.gardiens.add(gardien)
        for cage, etage, porte in [("A", 0, "1"), ("A", 1, "2"), ("B", 0, "1"), ("B", 2, "10")]:
            logement = LogementFactory(immeuble=immeuble, cage=cage, etage=etage, porte=porte)
            FoyerFactory(logement=logement, nom=f"Famille {numero}{cage}{etage}{porte}")
        resultat.append(immeuble)
    return resultat
