"""A run whose worker was killed during its documents phase is not "already under way": staff resume it
at once. A run whose documents a worker is rendering (its lock held, or a recent sign of life) is."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.utils import timezone

from charges import services
from charges.models import Execution, Releve
from tests.charges.conftest import OCTOBRE, PARIS

EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


@pytest.fixture
def documents_interrompus(tarifs, deux_bailleurs):
    """October charged and numbered; the run was in its documents phase, started a minute ago."""
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    for bailleur in deux_bailleurs:
        services.releve_etablir(bailleur=bailleur, mois=OCTOBRE, tarif=Decimal("1.18"), maintenant=EMISSION)
    il_y_a_une_minute = timezone.now() - datetime.timedelta(minutes=1)
    return Execution.objects.create(
        mois=OCTOBRE,
        statut=Execution.Statut.EN_COURS,
        etape=Execution.Etape.DOCUMENTS,
        commence_le=il_y_a_une_minute,
        battement=il_y_a_une_minute,
        total=5,
    )


def test_a_run_whose_worker_died_during_its_documents_is_resumed_at_once(
    documents_interrompus, transactional_db
):
    assert services.execution_en_cours(OCTOBRE) is None
    reprise = services.execution_demander(mois=OCTOBRE, maintenant=EMISSION)
    reprise.refresh_from_db()
    documents_interrompus.refresh_from_db()
    assert reprise.statut == Execution.Statut.TERMINE
    assert set(Releve.objects.values_list("statut", flat=True)) == {Releve.Statut.EMIS}
    assert documents_interrompus.statut == Execution.Statut.ECHEC
    assert f"n° {reprise.pk}" in documents_interrompus.message


def test_a_run_whose_documents_a_worker_is_rendering_stays_under_way(documents_interrompus, transactional_db):
    dedans, sortir = threading.Event(), threading.Event()

    def worker():
        with services.documents_travail(documents_interrompus.pk):
            Execution.objects.filter(pk=documents_interrompus.pk).update(
                battement=timezone.now() - datetime.timedelta(minutes=5)  # a long part: no recent sign
            )
            dedans.set()
            sortir.wait(20)
        connections.close_all()

    fil = threading.Thread(target=worker)
    fil.start()
    try:
        assert dedans.wait(10)
        assert services.execution_en_cours(OCTOBRE) == documents_interrompus
        with pytest.raises(services.ExecutionImpossible, match="déjà en cours"):
            services.execution_demander(mois=OCTOBRE, maintenant=EMISSION)
    finally:
        sortir.set()
        fil.join(20)
    # The worker left: its sign of life on leaving keeps the run under way a little longer…
    assert services.execution_en_cours(OCTOBRE) == documents_interrompus
    # …then, silent past the limit, it may be resumed.
    Execution.objects.filter(pk=documents_interrompus.pk).update(
        battement=timezone.now() - datetime.timedelta(seconds=services.BATTEMENT_MAX + 1)
    )
    assert services.execution_en_cours(OCTOBRE) is None
    for alias in connections:
        connections[alias].close()
