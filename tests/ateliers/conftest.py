"""Workshops: a catalogue, a session and a cycle in the quartier of the test centre, opted-in occupants."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ateliers.models import Atelier, Cycle, Seance, Structure
from logements.models import Adhesion
from tests.factories import AdhesionFactory, FoyerFactory, LogementFactory, PersonneFactory, UserFactory


def occupant(immeuble, nom: str, *, adherent: bool = True, annee_naissance: int | None = 1970):
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom=nom)
    if adherent:
        AdhesionFactory(foyer=foyer, type=Adhesion.Type.ADHESION, date=datetime.date(2020, 1, 1))
    return PersonneFactory(foyer=foyer, nom=nom, prenom="Anne", annee_naissance=annee_naissance)


def nouvelle_seance(atelier, quartier, *, capacite=12, jours=3, cycle=None, lieu="Salle informatique"):
    return Seance.objects.create(
        atelier=atelier,
        cycle=cycle,
        quartier=quartier,
        debut=timezone.now() + datetime.timedelta(days=jours),
        duree=datetime.timedelta(hours=2),
        lieu=lieu,
        capacite=capacite,
    )


@pytest.fixture
def structure(db):
    return Structure.objects.create(nom="Association Clic (fictive)")


@pytest.fixture
def atelier(structure):
    return Atelier.objects.create(titre="Premiers pas", structure=structure)


@pytest.fixture
def module_payant(structure):
    return Atelier.objects.create(
        titre="Visa Internet (module)",
        structure=structure,
        payant=True,
        prix=Decimal("30.00"),
        age_minimum=17,
    )


@pytest.fixture
def seance(atelier, quartier):
    return nouvelle_seance(atelier, quartier, capacite=2)


@pytest.fixture
def cycle(atelier, quartier):
    cycle = Cycle.objects.create(atelier=atelier, intitule="Premiers pas — automne", capacite=2)
    for semaine in range(3):
        nouvelle_seance(atelier, quartier, capacite=2, jours=3 + 7 * semaine, cycle=cycle)
    return cycle


@pytest.fixture
def animateur_user(seance):
    user = UserFactory(username="animatrice", role="animateur")
    seance.animateurs.add(user)
    return user
