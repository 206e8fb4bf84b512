"""Races on PostgreSQL with real parallel connections (one per thread).

- ten desks hand the same serial to ten households at once: one handover, nine French refusals;
- twenty handovers of different decoders at once: receipts REM-…-00001 to 00020, no gap, no duplicate;
  and one of them rolled back in the middle gives its number back.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from equipements import services
from equipements.models import LigneRemise, Recu, Remise
from tests.equipements.conftest import decodeurs, foyer_adherent
from tests.votes.test_concurrence import en_parallele

pytestmark = pytest.mark.django_db(transaction=True)
JOUR = datetime.date(2026, 2, 26)


@pytest.fixture
def foyers(roles, adopte, immeuble):
    return [foyer_adherent(immeuble, f"Famille {i}") for i in range(20)]


def test_ten_desks_handing_the_same_serial_at_once_give_one_handover(foyers, accueil_user):
    decodeurs(1)

    def remettre(i, depart):
        depart.wait()
        try:
            services.remise_enregistrer(
                foyer=foyers[i],
                numeros=["SN00000"],
                date=JOUR,
                signe_sur_papier=True,
                par=accueil_user,
                rendre_pdf=False,
            )
        except ValidationError as erreur:
            return erreur.code
        return "remis"

    resultats = en_parallele(10, remettre)
    assert sorted(resultats) == ["deja_remis"] * 9 + ["remis"]
    assert Remise.objects.count() == 1 and LigneRemise.objects.count() == 1
    assert list(Recu.objects.values_list("numero", flat=True)) == ["REM-2026-00001"]


def test_receipt_numbers_are_gap_free_under_concurrency(foyers, accueil_user):
    stock = decodeurs(20)

    def remettre(i, depart):
        depart.wait()
        if i == 7:  # a handover that fails after taking its number: the number is given back
            try:
                with transaction.atomic():
                    services.remise_enregistrer(
                        foyer=foyers[i],
                        numeros=[stock[i].numero_serie],
                        date=JOUR,
                        signe_sur_papier=True,
                        par=accueil_user,
                        rendre_pdf=False,
                    )
                    raise RuntimeError("printer jam")
            except RuntimeError:
                return "annulee"
        return services.remise_enregistrer(
            foyer=foyers[i],
            numeros=[stock[i].numero_serie],
            date=JOUR,
            signe_sur_papier=True,
            par=accueil_user,
            rendre_pdf=False,
        ).recu.numero

    resultats = en_parallele(20, remettre)
    assert "annulee" in resultats and not any(isinstance(r, Exception) for r in resultats)
    numeros = sorted(Recu.objects.values_list("numero", flat=True))
    assert numeros == [f"REM-2026-{i:05d}" for i in range(1, 20)]
