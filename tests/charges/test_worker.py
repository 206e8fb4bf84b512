"""A real Celery worker on Redis, killed (SIGKILL) in the middle of the monthly run, then the run started
again: exactly the right charges, one statement per landlord, numbers without gaps."""

import os
import signal
import subprocess
import time
from decimal import Decimal

import pytest

from charges import services
from charges.models import Charge, Execution, Releve
from tests.charges.conftest import OCTOBRE, logements
from tests.factories import BailleurFactory, QuartierFactory
from tests.worker import arreter_worker, demarrer_worker

DELAI = 120  # seconds: the worker starts Django, then charges chunk by chunk and renders the PDFs
NB_LOGEMENTS = 60


@pytest.fixture
def lancer_worker(roles_charges, settings, tmp_path):
    """Start Celery workers in subprocesses, on the test database and Redis; stop them all at the end."""
    processus = []

    def lancer(nom: str, *, pause: float) -> subprocess.Popen:
        # The test hooks of the run: chunks of 5 dwellings, a pause after each one; the statements' own
        # queue, as docker-compose's worker-releves.
        worker = demarrer_worker(
            nom,
            journal=tmp_path / f"{nom}.log",
            files="releves",
            CHARGES_TAILLE_LOT="5",
            CHARGES_PAUSE_LOT=str(pause),
        )
        processus.append(worker)
        return worker

    yield lancer
    for worker in processus:
        arreter_worker(worker)


def _attendre(condition, worker, message: str) -> None:
    echeance = time.monotonic() + DELAI
    while time.monotonic() < echeance:
        if condition():
            return
        if worker.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"{message}\n{worker.journal.read_text(errors='replace')[-3000:]}")


@pytest.mark.worker
def test_a_worker_killed_mid_run_then_rerun_ends_with_exactly_the_right_charges(
    tarifs, lancer_worker, file_releves
):
    quartier = QuartierFactory()
    bailleurs = [BailleurFactory(code="HOC"), BailleurFactory(code="BLS")]
    for bailleur in bailleurs:
        logements(bailleur, NB_LOGEMENTS // 2, quartier=quartier)

    premier = lancer_worker("premier", pause=0.5)
    interrompue = services.execution_demander(mois=OCTOBRE)  # queued on commit (autocommit here)
    # Kill it once some chunks are committed, long before the last one.
    _attendre(lambda: Charge.objects.count() >= 15, premier, "the run did not start")
    os.kill(premier.pid, signal.SIGKILL)
    premier.wait(timeout=10)

    deja = Charge.objects.count()
    assert 15 <= deja < NB_LOGEMENTS
    assert not Releve.objects.exists()
    interrompue.refresh_from_db()
    assert interrompue.statut == Execution.Statut.EN_COURS  # as the dead worker left it
    # The database releases the dead worker's lock as soon as it sees its connection closed.
    echeance = time.monotonic() + 10
    while services.execution_en_cours(OCTOBRE) is not None and time.monotonic() < echeance:
        time.sleep(0.2)
    assert services.execution_en_cours(OCTOBRE) is None

    second = lancer_worker("second", pause=0)
    relance = services.execution_demander(mois=OCTOBRE)

    def finie():
        relance.refresh_from_db()
        return relance.fini

    _attendre(finie, second, "the second run did not finish")
    journal = second.journal.read_text(errors="replace")
    assert relance.statut == Execution.Statut.TERMINE, f"{relance.message}\n{journal[-3000:]}"
    assert "charges.executer" in journal and "charges.releve_partie" in journal  # in the worker

    assert Charge.objects.filter(mois=OCTOBRE).count() == NB_LOGEMENTS
    assert relance.charges_creees == NB_LOGEMENTS - deja
    assert sorted(Releve.objects.values_list("numero", "statut", "total")) == [
        ("BLS-2026-0001", Releve.Statut.EMIS, Decimal("1.18") * 30),
        ("HOC-2026-0001", Releve.Statut.EMIS, Decimal("1.18") * 30),
    ]
    interrompue.refresh_from_db()
    assert interrompue.statut == Execution.Statut.ECHEC and "Interrompu" in interrompue.message
