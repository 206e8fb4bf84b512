import datetime
import zoneinfo
from decimal import Decimal

import pytest

from charges.models import Tarif
from quartiers.models import Campagne, Jalon
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
    """A campaign with its public meeting (24 November 2026, 18:30) and vote milestone (14–18 December
    2026), under the 1.18 EUR tariff."""
    Tarif.objects.create(montant=Decimal("1.18"), applicable_du=datetime.date(2019, 1, 1))
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
    # begun in September: a vote of this autumn is this campaign's (an earlier campaign's is not)
    Campagne.objects.filter(pk=campagne.pk).update(cree_le=datetime.datetime(2026, 9, 1, tzinfo=PARIS))
    campagne.refresh_from_db()
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
