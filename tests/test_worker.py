"""The leaflet job, once, through a real Celery worker on a real Redis (not in-process)."""

import datetime
import time
import zoneinfo
from decimal import Decimal

import pytest

from charges.models import Tarif
from ipt.models import Travail
from logements.models import Immeuble, Logement
from quartiers.models import Campagne, Jalon
from quartiers.services import plaquettes_demander
from tests.factories import (
    BailleurFactory,
    CentreSocialFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    QuartierFactory,
    UserFactory,
)
from tests.pdf import pdf_pages
from tests.worker import arreter_worker, demarrer_worker

DELAI = 90  # seconds: the worker starts Django and WeasyPrint, then renders two pages


@pytest.fixture
def worker(roles, settings, tmp_path):
    """A Celery worker in a subprocess, on the test database, Redis, and this test's MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    processus = demarrer_worker("test-worker", journal=tmp_path / "worker.log")
    try:
        yield processus
    finally:
        arreter_worker(processus)


def _campagne() -> Campagne:
    centre = CentreSocialFactory(
        adresse="12 rue de Kerourien, 29200 Brest", horaires="lundi–vendredi 9 h–18 h"
    )
    quartier = QuartierFactory(centre_social=centre)
    campagne = Campagne.objects.create(
        quartier=quartier,
        intitule="Campagne",
        reunion_debut=datetime.datetime(2026, 11, 24, 18, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Paris")),
        reunion_lieu="Salle Jean-Moulin",
    )
    Jalon.objects.create(campagne=campagne, type=Jalon.Type.REUNION, date_prevue=datetime.date(2026, 11, 24))
    Jalon.objects.create(
        campagne=campagne,
        type=Jalon.Type.VOTE,
        date_prevue=datetime.date(2026, 12, 14),
        date_fin_prevue=datetime.date(2026, 12, 18),
    )
    Tarif.objects.create(montant=Decimal("1.18"), applicable_du=datetime.date(2019, 1, 1))
    bailleur = BailleurFactory()
    for numero in (1, 2):
        immeuble: Immeuble = ImmeubleFactory(
            quartier=quartier, bailleur=bailleur, depot_bulletins=f"Loge, bâtiment {numero}"
        )
        immeuble.gardiens.add(UserFactory(first_name="Yann", last_name=f"Le Gall{numero}", role="gardien"))
        for porte in range(1, 4):
            logement: Logement = LogementFactory(immeuble=immeuble, porte=str(porte))
            FoyerFactory(logement=logement)
    return campagne


@pytest.mark.worker
def test_the_leaflet_job_runs_through_a_real_worker_on_redis(worker, file_redis):
    campagne = _campagne()
    demandeur = UserFactory(role="ville")
    travail = plaquettes_demander(campagne=campagne, demandeur=demandeur)  # queued on commit (autocommit)

    echeance = time.monotonic() + DELAI
    while time.monotonic() < echeance:
        travail.refresh_from_db()
        if travail.fini or worker.poll() is not None:
            break
        time.sleep(0.25)
    journal = worker.journal.read_text(errors="replace")
    assert travail.statut == Travail.Statut.TERMINE, f"{travail.statut} {travail.message}\n{journal[-3000:]}"
    assert "ipt.travail_executer" in journal  # it ran in the worker, not in this process
    assert (travail.fait, travail.total) == (2, 2)

    contenu = travail.fichier.read()
    pages = pdf_pages(contenu, layout=False)  # reading order: the leaflet has two columns
    assert len(pages) == 2
    assert "Yann Le Gall1" in pages[0] and "Loge, bâtiment 1" in pages[0]
    assert "Yann Le Gall2" in pages[1]
    assert "1,18 € par mois et par logement" in pages[0]
    assert "mardi 24 novembre 2026" in pages[0] and "vendredi 18 décembre 2026" in pages[0]
