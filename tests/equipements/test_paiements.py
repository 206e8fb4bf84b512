"""Payments towards a PC sale: receipts numbered without gaps, what remains, reversals, refunds, waivers,
and immutability (model guard and PostgreSQL trigger)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from equipements import paiements
from ipt.models import Evenement
from tests.equipements.outils_paiements import vente_creer

D = Decimal


def jours(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def vente(foyer, accueil_user):
    return vente_creer(foyer, prix="40.00", nb=3, date=jours(70), par=accueil_user)


def test_encaisser_gives_a_numbered_receipt_and_lowers_what_remains(vente, accueil_user):
    p = paiements.encaisser(vente=vente, montant=D("13.33"), mode="especes", par=accueil_user, le=jours(0))
    annee = timezone.localdate().year
    assert p.recu.numero == f"PAI-{annee}-00001"
    assert p.centre_id == vente.centre_id
    assert p.par_nom == accueil_user.get_full_name()
    assert paiements.reste_du(vente) == D("26.67")
    p2 = paiements.encaisser(vente=vente, montant="13,33", mode="carte", par=accueil_user)
    assert p2.recu.numero == f"PAI-{annee}-00002"
    assert p2.date == timezone.localdate()
    assert paiements.reste_du(vente) == D("13.34")
    assert Evenement.objects.filter(action="equipements.paiement").count() == 2
