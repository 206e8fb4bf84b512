"""Workshops' small worlds: a catalogue, a session and a cycle in the quartier of the test centre, opted-in
occupants (sign-ups); a workshop cycle of two sessions run by a facilitator, people signed up, and the users
of each role in and out of scope (attendance and help sessions)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ateliers.models import Atelier, Cycle, Inscription, Permanence, Seance, Structure
from logements.models import Adhesion
from tests.factories import (
    AdhesionFactory,
    CentreSocialFactory,
    FoyerFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
    UserFactory,
)


@pytest.fixture
def atelier_monde(db, quartier, immeuble, accueil_user, ville_user):
    structure = Structure.objects.create(nom="Association Clic (fictive)")
    atelier = Atelier.objects.create(titre="Premiers pas sur un ordinateur", structure=structure)
    cycle = Cycle.objects.create(atelier=atelier, intitule="Premiers pas — automne", capacite=12)
    maintenant = timezone.now()
    seance = Seance.objects.create(
        atelier=atelier,
        cycle=cycle,
        quartier=quartier,
        debut=maintenant - datetime.timedelta(minutes=30),
        duree=datetime.timedelta(hours=2),
        lieu="Centre social, salle informatique",
        capacite=12,
    )
    suivante = Seance.objects.create(
        atelier=atelier,
        cycle=cycle,
        quartier=quartier,
        debut=maintenant + datetime.timedelta(days=7),
        duree=datetime.timedelta(hours=2),
        lieu="Centre social, salle informatique",
        capacite=12,
    )
    animateur = UserFactory(
        username="animatrice", role="animateur", first_name="Claire", last_name="Animatrice"
    )
    structure.membres.add(animateur)
    for s in (seance, suivante):
        s.animateurs.add(animateur)
    # Signed up to the whole cycle: Le Goff, Morvan; to this session only: Abgrall; waiting: Tanguy;
    # cancelled: Quéré. From another household: Kerleroux, to the cycle.
    from tests.factories import FoyerFactory, LogementFactory

    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom="Le Goff")
    gens = {
        "legoff": PersonneFactory(foyer=foyer, prenom="Annaïg", nom="Le Goff"),
        "morvan": PersonneFactory(foyer=foyer, prenom="Yann", nom="Morvan"),
        "abgrall": PersonneFactory(
            foyer=FoyerFactory(logement=LogementFactory(immeuble=immeuble)), prenom="Soizic", nom="Abgrall"
        ),
        "tanguy": PersonneFactory(prenom="Loïc", nom="Tanguy"),
        "quere": PersonneFactory(prenom="Maëlle", nom="Quéré"),
    }
    Inscription.objects.create(personne=gens["legoff"], cycle=cycle)
    Inscription.objects.create(personne=gens["morvan"], cycle=cycle)
    Inscription.objects.create(personne=gens["abgrall"], seance=seance)
    Inscription.objects.create(personne=gens["tanguy"], seance=seance, statut="attente", rang_attente=1)
    Inscription.objects.create(personne=gens["quere"], cycle=cycle, statut="annulee")

    # Out of scope: another centre and quartier, its volunteer, a facilitator of another session.
    autre_centre = CentreSocialFactory(nom="Centre social de Bellevue")
    autre_quartier = QuartierFactory(nom="Bellevue", centre_social=autre_centre)
    accueil_hors = UserFactory(username="benevole-bellevue", role="accueil")
    autre_centre.membres.add(accueil_hors)
    animateur_hors = UserFactory(username="animateur-bellevue", role="animateur")
    structure.membres.add(animateur_hors)
    autre = Seance.objects.create(
        atelier=atelier,
        quartier=autre_quartier,
        debut=maintenant - datetime.timedelta(hours=1),
        duree=datetime.timedelta(hours=2),
        lieu="Maison de quartier de Bellevue",
        capacite=8,
    )
    autre.animateurs.add(animateur_hors)
    return SimpleNamespace(
        structure=structure,
        atelier=atelier,
        cycle=cycle,
        seance=seance,
        suivante=suivante,
        autre_seance=autre,
        autre_quartier=autre_quartier,
        foyer=foyer,
        gens=gens,
        animateur=animateur,
        animateur_hors=animateur_hors,
        accueil=accueil_user,
        accueil_hors=accueil_hors,
        ville=ville_user,
        quartier=quartier,
    )


@pytest.fixture
def creneau(atelier_monde):
    """A free help slot tomorrow at 14:00 in the quartier."""
    demain = timezone.localdate() + datetime.timedelta(days=1)
    return Permanence.objects.create(
        quartier=atelier_monde.quartier,
        lieu="Centre social, bureau 2",
        debut=timezone.make_aware(datetime.datetime.combine(demain, datetime.time(14))),
        duree=datetime.timedelta(minutes=30),
    )


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
