"""Reminders ahead of each session (beat task ``ateliers.rappels``): the send window on a frozen clock,
daylight saving time, sessions started or cancelled, the waiting list, and idempotence."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from ateliers.messagerie import rappels_envoyer
from ateliers.models import Cycle, Message, Seance
from ateliers.taches_messages import tache_rappels
from ipt.models import Evenement
from tests.ateliers.messagerie.conftest import inscrire, joignable

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = datetime.UTC
DEBUT = datetime.datetime(2026, 12, 10, 14, 0, tzinfo=PARIS)  # a Thursday, 14:00 in Brest
H = datetime.timedelta(hours=1)
S = datetime.timedelta(seconds=1)


@pytest.fixture
def horloge(monkeypatch):
    """Freeze Django's clock (``timezone.now``, hence auto_now fields too) at a given instant."""

    def figer(instant: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return figer


def test_nothing_before_the_window_then_one_reminder_48_hours_ahead_by_sms(console, creer_seance):
    seance = creer_seance(DEBUT)
    helene = joignable("sms")
    inscrire(helene, seance)

    assert rappels_envoyer(maintenant=DEBUT - 48 * H - S).envoyes == 0
    assert Message.objects.count() == 0

    bilan = rappels_envoyer(maintenant=DEBUT - 48 * H)
    assert (bilan.envoyes, bilan.echecs) == (1, 0)
    (message,) = Message.objects.all()
    assert message.statut == Message.Statut.ENVOYE
    assert message.canal == "sms"
    assert message.destination == helene.telephone
    assert message.seance == seance and message.rappel
    assert message.envoye_le is not None
    sortie = console.texte()
    assert f"À : {helene.telephone}" in sortie
    assert "Rappel : Premiers pas, 10\u00a0décembre 2026 à 14\u00a0h" in sortie
    assert "Bonjour Hélène" in sortie and "salle informatique" in sortie


def test_the_beat_task_run_twice_sends_once(console, creer_seance, horloge):
    seance = creer_seance(DEBUT)
    for personne in (joignable("sms"), joignable("courriel")):
        inscrire(personne, seance)
    horloge(DEBUT - 30 * H)

    tache_rappels()
    tache_rappels()

    assert console.nombre() == 2
    assert Message.objects.count() == 2
    assert set(Message.objects.values_list("statut", flat=True)) == {"envoye"}
    assert Evenement.objects.filter(action="ateliers.rappels").count() == 1  # the second run did nothing


def test_a_session_already_started_gets_no_reminder(console, creer_seance):
    seance = creer_seance(DEBUT)
    inscrire(joignable("sms"), seance)
    assert rappels_envoyer(maintenant=DEBUT).envoyes == 0
    assert rappels_envoyer(maintenant=DEBUT + 5 * 60 * S).envoyes == 0
    assert Message.objects.count() == 0 and console.nombre() == 0


def test_a_reminder_that_failed_is_not_tried_again_once_the_session_has_started(console, creer_seance):
    seance = creer_seance(DEBUT)
    sans_consentement = joignable()
    inscrire(sans_consentement, seance)
    rappels_envoyer(maintenant=DEBUT - 2 * H)
    (message,) = Message.objects.all()
    assert message.statut == "echec"

    joignable_apres = Message.objects.get().personne
    from ateliers.models import Consentement, PreferenceContact

    Consentement.objects.create(personne=joignable_apres, canal="sms", donne_le=DEBUT - H)
    PreferenceContact.objects.create(personne=joignable_apres, canal="sms")
    assert rappels_envoyer(maintenant=DEBUT + S).envoyes == 0
    assert console.nombre() == 0
    # Before the start, the next run sends it, now that the consent is recorded.
    assert rappels_envoyer(maintenant=DEBUT - 30 * 60 * S).envoyes == 1
    message.refresh_from_db()
    assert message.statut == "envoye" and message.tentatives == 2


def test_cancelled_sessions_waiting_list_and_cancelled_sign_ups_get_no_reminder(console, creer_seance):
    annulee = creer_seance(DEBUT, statut=Seance.Statut.ANNULEE, motif_annulation="Animatrice malade")
    inscrire(joignable("sms"), annulee)
    pleine = creer_seance(DEBUT + H)
    inscrire(joignable("sms"), pleine, statut="attente", rang=1)
    inscrire(joignable("sms"), pleine, statut="annulee")

    assert rappels_envoyer(maintenant=DEBUT - 24 * H).envoyes == 0
    assert Message.objects.count() == 0 and console.nombre() == 0


def test_a_cycle_sign_up_is_reminded_of_each_session_of_the_cycle_in_the_window(console, creer_seance):
    premiere = creer_seance(DEBUT)
    cycle = Cycle.objects.create(atelier=premiere.atelier, intitule="Visa Internet — hiver", capacite=10)
    Seance.objects.filter(pk=premiere.pk).update(cycle=cycle)
    creer_seance(DEBUT + 24 * H, cycle=cycle)
    creer_seance(DEBUT + 7 * 24 * H, cycle=cycle)  # next week: not yet
    inscrire(joignable("courriel"), cycle=cycle)

    assert rappels_envoyer(maintenant=DEBUT - 12 * H).envoyes == 2
    assert rappels_envoyer(maintenant=DEBUT - 11 * H).envoyes == 0


@pytest.mark.parametrize(
    ("debut", "ouverture_utc"),
    [
        # Summer time starts on 28 March 2027 at 02:00: 48 hours before Monday 10:00 (08:00 UTC) is
        # Saturday 08:00 UTC, that is 09:00 in Brest, not 10:00.
        (
            datetime.datetime(2027, 3, 29, 10, 0, tzinfo=PARIS),
            datetime.datetime(2027, 3, 27, 8, 0, tzinfo=UTC),
        ),
        # Summer time ends on 25 October 2026 at 03:00: 48 hours before Monday 10:00 (09:00 UTC) is
        # Saturday 09:00 UTC, that is 11:00 in Brest.
        (
            datetime.datetime(2026, 10, 26, 10, 0, tzinfo=PARIS),
            datetime.datetime(2026, 10, 24, 9, 0, tzinfo=UTC),
        ),
    ],
    ids=["summer-time-starts", "summer-time-ends"],
)
def test_across_a_daylight_saving_change_the_window_is_48_real_hours(
    console, creer_seance, debut, ouverture_utc
):
    seance = creer_seance(debut)
    inscrire(joignable("sms"), seance)

    assert rappels_envoyer(maintenant=ouverture_utc - S).envoyes == 0
    assert rappels_envoyer(maintenant=ouverture_utc).envoyes == 1
    assert "à 10\u00a0h" in console.texte()  # the session's time in Brest, whatever the offset


def test_a_session_moved_gets_a_reminder_for_its_new_time(console, creer_seance):
    seance = creer_seance(DEBUT)
    inscrire(joignable("sms"), seance)
    assert rappels_envoyer(maintenant=DEBUT - 40 * H).envoyes == 1
    Seance.objects.filter(pk=seance.pk).update(debut=DEBUT + 24 * H)

    assert rappels_envoyer(maintenant=DEBUT - 20 * H).envoyes == 1
    assert Message.objects.count() == 2
    assert "11\u00a0décembre 2026 à 14\u00a0h" in console.texte()


def test_without_consent_nothing_is_sent_and_the_failure_says_why(console, creer_seance):
    seance = creer_seance(DEBUT)
    inscrire(joignable(), seance)  # a phone and an email, but no consent recorded

    bilan = rappels_envoyer(maintenant=DEBUT - 24 * H)
    assert (bilan.envoyes, bilan.echecs) == (0, 1)
    (message,) = Message.objects.all()
    assert message.statut == "echec" and message.canal == ""
    assert "consentement" in message.erreur
    assert console.nombre() == 0


def test_a_person_reachable_only_by_letter_gets_a_letter_to_print_once(console, creer_seance):
    seance = creer_seance(DEBUT)
    inscrire(joignable("courrier", telephone="", email=""), seance)

    assert rappels_envoyer(maintenant=DEBUT - 47 * H).lettres == 1
    assert rappels_envoyer(maintenant=DEBUT - 46 * H).lettres == 0
    (message,) = Message.objects.all()
    assert (message.canal, message.statut) == ("courrier", "en_attente")
    assert "rue des Tests" in message.destination
    assert console.nombre() == 0
