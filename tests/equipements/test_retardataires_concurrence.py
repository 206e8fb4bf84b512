"""Late-comers' races on PostgreSQL with real parallel connections (one per thread).

- eight desks book eight households on the last seat of a slot at once: one appointment, seven refusals;
- two desks book the same household on two slots at once: one booked appointment left;
- two mailings of invitations started at once: every household invited once.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from equipements import services_retardataires as services
from equipements.models import Creneau, JourneeRemise, Lettre, RendezVous
from tests.equipements.conftest import foyer_adherent
from tests.votes.test_concurrence import en_parallele

pytestmark = pytest.mark.django_db(transaction=True)


def _creneau(quartier, capacite, jours=7):
    return Creneau.objects.create(
        quartier=quartier,
        lieu="Centre social",
        date=timezone.localdate() + datetime.timedelta(days=jours),
        heure_debut=datetime.time(14),
        heure_fin=datetime.time(16),
        capacite=capacite,
    )


@pytest.fixture
def foyers(roles, adopte, immeuble):
    JourneeRemise.objects.create(
        quartier=adopte,
        date=timezone.localdate() - datetime.timedelta(days=20),
        lieu="Centre social",
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(17),
    )
    return [foyer_adherent(immeuble, f"Famille {i}") for i in range(8)]


def test_eight_desks_booking_the_last_seat_at_once_give_one_appointment(foyers, adopte, accueil_user):
    creneau = _creneau(adopte, capacite=3)
    for foyer in foyers[6:]:  # two seats already taken: one left
        services.rendez_vous_prendre(foyer=foyer, creneau=creneau, par=accueil_user)

    def reserver(i, depart):
        depart.wait()
        try:
            services.rendez_vous_prendre(foyer=foyers[i], creneau=creneau, par=accueil_user)
        except ValidationError as erreur:
            return erreur.code
        return "reserve"

    resultats = en_parallele(6, reserver)
    assert sorted(resultats) == ["complet"] * 5 + ["reserve"], resultats
    assert RendezVous.objects.filter(creneau=creneau, statut="reserve").count() == 3


def test_one_household_booked_on_two_slots_at_once_keeps_one_appointment(foyers, adopte, accueil_user):
    creneaux = [_creneau(adopte, capacite=5), _creneau(adopte, capacite=5, jours=9)]

    def reserver(i, depart):
        depart.wait()
        try:
            services.rendez_vous_prendre(foyer=foyers[0], creneau=creneaux[i], par=accueil_user)
        except ValidationError as erreur:
            return erreur.code
        return "reserve"

    resultats = en_parallele(2, reserver)
    assert resultats == ["reserve", "reserve"]  # the second one moved the first
    assert RendezVous.objects.filter(foyer=foyers[0], statut="reserve").count() == 1
    assert RendezVous.objects.filter(foyer=foyers[0], statut="annule").count() == 1


def test_two_mailings_started_at_once_invite_each_household_once(foyers, adopte, ville_user):
    creneau = _creneau(adopte, capacite=20)

    def envoyer(i, depart):
        depart.wait()
        try:
            services.envoi_lettres(quartier=adopte, etape="invitation", creneaux=[creneau], par=ville_user)
        except ValidationError as erreur:
            return erreur.code
        return "envoye"

    resultats = en_parallele(2, envoyer)
    assert sorted(resultats) == ["envoye", "personne"], resultats
    assert Lettre.objects.count() == len(foyers)
    assert Lettre.objects.values("foyer").distinct().count() == len(foyers)
