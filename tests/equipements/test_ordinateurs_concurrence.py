"""Races on refurbished PCs, on PostgreSQL with real parallel connections (one per thread).

- ten desks sell the same PC to ten households at once: one sale, nine French refusals;
- the constraint alone (the lock bypassed): still one sale;
- one household bought at two desks at once (two PCs): one sale, the other refused (one PC per household);
- ten desks reserve the same PC at once: one reservation.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from equipements import services_ordinateurs as services
from equipements.models import Echeance, Offre, Ordinateur, Reservation, Vente
from tests.equipements.conftest import foyer_adherent
from tests.equipements.ordinateurs import offre, ordinateurs
from tests.votes.test_concurrence import en_parallele

pytestmark = pytest.mark.django_db(transaction=True)
JOUR = datetime.date(2026, 3, 12)


@pytest.fixture
def foyers(roles, adopte, immeuble):
    Offre.objects.all().delete()
    offre()
    return [foyer_adherent(immeuble, f"Famille {i}") for i in range(10)]


def _vendre(foyer, pc, user):
    try:
        services.vente_enregistrer(foyer=foyer, ordinateur=pc, nb_echeances=3, par=user, jour=JOUR)
    except ValidationError as erreur:
        return erreur.code
    return "vendu"


def test_ten_desks_selling_the_same_pc_at_once_give_one_sale(foyers, accueil_user):
    pc = ordinateurs(1)[0]

    def vendre(i, depart):
        depart.wait()
        return _vendre(foyers[i], pc, accueil_user)

    resultats = en_parallele(10, vendre)
    assert sorted(resultats) == ["deja_vendu"] * 9 + ["vendu"]
    assert Vente.objects.count() == 1 and Echeance.objects.count() == 3
    assert Ordinateur.objects.get().statut == "vendu"


def test_without_the_lock_the_constraint_still_gives_one_sale(foyers, accueil_user, monkeypatch):
    """The unique constraint is the last word: even if the service did not lock the PC's row."""
    pc = ordinateurs(1)[0]
    monkeypatch.setattr(services, "_verifier_disponible", lambda *a, **k: None)
    sans_verrou = Ordinateur.objects.all()
    monkeypatch.setattr(Ordinateur.objects, "select_for_update", lambda *a, **k: sans_verrou)

    def vendre(i, depart):
        depart.wait()
        return _vendre(foyers[i], pc, accueil_user)

    resultats = en_parallele(10, vendre)
    assert resultats.count("vendu") == 1
    assert sorted(set(resultats)) == ["deja_vendu", "vendu"]
    assert Vente.objects.count() == 1


def test_one_household_at_two_desks_at_once_gets_one_pc(foyers, accueil_user):
    pcs = ordinateurs(2)

    def vendre(i, depart):
        depart.wait()
        return _vendre(foyers[0], pcs[i], accueil_user)

    assert sorted(en_parallele(2, vendre)) == ["deja_equipe", "vendu"]
    assert Vente.objects.count() == 1


def test_ten_desks_reserving_the_same_pc_at_once_give_one_reservation(foyers, accueil_user):
    pc = ordinateurs(1)[0]

    def reserver(i, depart):
        depart.wait()
        try:
            services.reservation_creer(foyer=foyers[i], ordinateur=pc, par=accueil_user, jour=JOUR)
        except ValidationError as erreur:
            return erreur.code
        return "reserve_ok"

    resultats = en_parallele(10, reserver)
    assert sorted(resultats) == ["reserve"] * 9 + ["reserve_ok"]
    assert Reservation.objects.count() == 1
