import pytest
from django.db import IntegrityError

from logements.models import Bailleur
from quartiers.models import Quartier
from tests.factories import BailleurFactory, ImmeubleFactory, QuartierFactory


def test_a_quartier_name_is_unique_whatever_its_case(db):
    QuartierFactory(nom="Kerourien")
    with pytest.raises(IntegrityError):
        QuartierFactory(nom="KEROURIEN")


def test_a_quartier_year_joined_must_be_plausible(db):
    with pytest.raises(IntegrityError):
        Quartier.objects.create(nom="Hors d'âge", annee_adhesion=1890)


def test_a_landlord_code_is_short_and_upper_case(db):
    with pytest.raises(IntegrityError):
        Bailleur.objects.create(nom="Mauvais code", code="bmh-2")


def test_a_landlord_code_is_unique(db):
    BailleurFactory(code="BMH")
    with pytest.raises(IntegrityError):
        BailleurFactory(code="BMH")


def test_a_building_address_is_unique_per_landlord(db):
    first = ImmeubleFactory(adresse="1 rue Unique")
    ImmeubleFactory(adresse="1 rue Unique")  # another landlord: allowed
    with pytest.raises(IntegrityError):
        ImmeubleFactory(adresse="1 rue Unique", bailleur=first.bailleur)
