"""The monthly run and its statements go on a queue of their own ("releves"), away from users' jobs."""

import pytest

from charges import services, tasks
from charges.models import Execution
from tests.charges.conftest import OCTOBRE


@pytest.mark.django_db(transaction=True)
def test_the_run_staff_start_and_the_beats_run_go_on_the_statements_queue(tarifs, file_releves):
    execution = services.execution_demander(mois=OCTOBRE)  # queued on commit (autocommit here)
    assert file_releves.llen("releves") == 1 and file_releves.llen("celery") == 0
    tasks.mensuel.delay()
    tasks.releve_partie.delay(1, 0, execution.pk)
    assert file_releves.llen("releves") == 3 and file_releves.llen("celery") == 0
    assert Execution.objects.get().statut == Execution.Statut.EN_ATTENTE  # nothing ran here


@pytest.mark.django_db(transaction=True)
def test_without_redis_the_run_goes_to_the_servers_background_queue(
    tarifs, deux_bailleurs, settings, monkeypatch
):
    import time

    settings.TACHES_LOCALES = True
    monkeypatch.setenv("CHARGES_PAUSE_LOT", "0.3")  # test hook: a pause after each chunk
    monkeypatch.setenv("CHARGES_TAILLE_LOT", "2")
    debut = time.monotonic()
    execution = services.execution_demander(mois=OCTOBRE)
    assert time.monotonic() - debut < 1  # the request answers at once…
    execution.refresh_from_db()
    assert not execution.fini  # …while the run goes on in the background, its page polled
    echeance = time.monotonic() + 60
    while not execution.fini and time.monotonic() < echeance:
        time.sleep(0.2)
        execution.refresh_from_db()
    assert execution.statut == Execution.Statut.TERMINE, execution.message
    assert execution.releves_emis == 2
