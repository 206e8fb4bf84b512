"""Once through a real Celery worker on Redis: the beat's reminders task queued twice, and a notice from
``prevenir``; each person is told once, through the console backend writing to a file."""

import datetime
import time

import pytest
from django.utils import timezone

from ateliers.avis import prevenir
from ateliers.models import Message
from ateliers.taches_messages import tache_rappels
from tests.ateliers.messagerie.conftest import inscrire, joignable
from tests.worker import arreter_worker, demarrer_worker

DELAI = 90


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reminders_and_a_notice_through_a_real_worker_are_each_sent_once(creer_seance, file_redis, tmp_path):
    fichier = tmp_path / "messages.txt"
    seance = creer_seance(timezone.now() + datetime.timedelta(hours=20))
    personnes = [joignable("sms"), joignable("courriel"), joignable("sms")]
    for personne in personnes:
        inscrire(personne, seance)
    attente = joignable("sms")
    inscrire(attente, seance, statut="attente", rang=1)

    worker = demarrer_worker(
        "messagerie",
        journal=tmp_path / "worker.log",
        IPT_SMS_BACKEND="ateliers.canaux.Console",
        IPT_EMAIL_BACKEND="ateliers.canaux.Console",
        IPT_MESSAGES_FICHIER=str(fichier),
    )
    try:
        tache_rappels.delay()
        tache_rappels.delay()
        prevenir(
            attente, objet="Place obtenue", texte="Une place s’est libérée.", cle="promotion:1"
        )  # autocommit

        echeance = time.monotonic() + DELAI
        while time.monotonic() < echeance and Message.objects.filter(statut="envoye").count() < 4:
            assert worker.poll() is None, worker.journal.read_text(errors="replace")[-3000:]
            time.sleep(0.2)
        time.sleep(1)  # the second run, if it were to send anything, would have done so by now
    finally:
        arreter_worker(worker)

    journal = worker.journal.read_text(errors="replace")
    assert Message.objects.filter(statut="envoye").count() == 4, journal[-3000:]
    assert Message.objects.filter(rappel=True).count() == 3
    texte = fichier.read_text(encoding="utf-8")
    assert texte.count("Objet : Rappel : Premiers pas") == 3
    assert texte.count("Objet : Place obtenue") == 1
    for personne in personnes:
        assert (
            texte.count(personne.telephone if personne.consentements.get().canal == "sms" else personne.email)
            == 1
        )
