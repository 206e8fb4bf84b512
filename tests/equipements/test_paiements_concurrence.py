"""Races on PostgreSQL with real parallel connections (one per thread).

- twenty payments on twenty sales at once, one rolled back in the middle: receipts PAI-…-00001 to 00019,
  no gap, no duplicate;
- two desks take the last instalment of the same sale at once: one payment, one French refusal.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from equipements import paiements
from equipements.modeles_paiements import Paiement
from tests.equipements.conftest import foyer_adherent
from tests.equipements.outils_paiements import vente_creer
from tests.votes.test_concurrence import en_parallele

pytestmark = pytest.mark.django_db(transaction=True)
AUJ = timezone.localdate()


@pytest.fixture
def ventes(roles, adopte, immeuble, accueil_user):
    debut = AUJ - datetime.timedelta(days=35)
    return [
        vente_creer(
            foyer_adherent(immeuble, f"Famille {i}"), prix="40.00", nb=2, date=debut, par=accueil_user
        )
        for i in range(20)
    ]


def test_payment_receipt_numbers_are_gap_free_under_concurrency(ventes, accueil_user):
    def payer(i, depart):
        depart.wait()
        if i == 7:  # the sale's form fails after the payment took its number: the number is given back
            try:
                with transaction.atomic():
                    paiements.encaisser(
                        vente=ventes[i],
                        montant=Decimal("20.00"),
                        mode="especes",
                        par=accueil_user,
                        rendre_pdf=False,
                    )
                    raise RuntimeError("printer jam")
            except RuntimeError:
                return "annule"
        return paiements.encaisser(
            vente=ventes[i], montant=Decimal("20.00"), mode="carte", par=accueil_user, rendre_pdf=False
        ).recu.numero

    resultats = en_parallele(20, payer)
    numeros = sorted(r for r in resultats if r != "annule")
    assert numeros == [f"PAI-{AUJ.year}-{n:05d}" for n in range(1, 20)]
    assert Paiement.objects.count() == 19


def test_two_desks_taking_the_last_instalment_at_once_record_one_payment(ventes, accueil_user):
    vente = ventes[0]
    paiements.encaisser(
        vente=vente, montant=Decimal("20.00"), mode="especes", par=accueil_user, rendre_pdf=False
    )

    def payer(i, depart):
        depart.wait()
        try:
            paiements.encaisser(
                vente=vente, montant=Decimal("20.00"), mode="especes", par=accueil_user, rendre_pdf=False
            )
        except ValidationError as erreur:
            return erreur.code
        return "paye"

    assert sorted(en_parallele(2, payer)) == ["paye", "solde"]
    assert paiements.reste_du(vente) == 0
    assert Paiement.objects.filter(vente=vente).count() == 2
