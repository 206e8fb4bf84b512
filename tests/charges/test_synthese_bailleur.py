"""The landlords' view: each statement's total beside the dwellings charged and connected, per year."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from charges import selectors
from tests.charges.conftest import OCTOBRE, PARIS, logements
from tests.charges.test_vues import executer
from tests.factories import BailleurFactory

SEPTEMBRE = datetime.date(2026, 9, 1)


@pytest.fixture
def deux_mois(tarifs, bailleur, bailleur_user):
    """3 dwellings connected since 2014; one more connected in October; one that left on 15 October; and
    another landlord's 2 dwellings."""
    logements(bailleur, 3)
    logements(bailleur, 1, connecte_depuis=datetime.date(2026, 10, 1))
    logements(bailleur, 1, sorti_le=datetime.date(2026, 10, 15))
    logements(BailleurFactory(code="AUT", nom="Autre bailleur (fictif)"), 2)
    executer(mois=SEPTEMBRE, maintenant=datetime.datetime(2026, 10, 1, 3, 30, tzinfo=PARIS))
    executer(mois=OCTOBRE)


def test_each_month_shows_its_total_the_dwellings_charged_and_those_connected_on_the_1st(
    client, bailleur_user, deux_mois, django_assert_num_queries
):
    releves = selectors.releves_du_bailleur(bailleur_user)
    with django_assert_num_queries(2):
        synthese = selectors.synthese_bailleur(releves)
    [annee] = synthese
    assert annee.annee == 2026
    lignes = [
        (m.releve.mois, m.logements_factures, m.logements_connectes, m.releve.total) for m in annee.mois
    ]
    assert lignes == [
        (SEPTEMBRE, 4, 4, Decimal("4.72")),
        (OCTOBRE, 5, 5, Decimal("5.90")),  # the one that left on the 15th was still connected on the 1st
    ]
    assert annee.total == Decimal("10.62") == sum(m.releve.total for m in annee.mois)

    client.force_login(bailleur_user)
    page = client.get(reverse("charges:bailleur")).content.decode()
    assert "Totaux et logements raccordés" in page
    assert "Total 2026" in page and "10,62" in page
    assert "AUT-" not in page  # another landlord's statements never show
