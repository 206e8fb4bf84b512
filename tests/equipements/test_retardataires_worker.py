"""The late-comers' letters, once, through a real Celery worker on a real Redis: a mailing of 52
invitations made in two lots (two jobs any worker takes), each with its progress and its PDF."""

import datetime
import time

import pytest
from django.utils import timezone

from equipements import services_retardataires as services
from equipements.models import Creneau, JourneeRemise
from ipt.models import Travail
from tests.equipements.conftest import foyer_adherent
from tests.factories import UserFactory
from tests.pdf import pdf_pages
from tests.worker import arreter_worker, demarrer_worker

DELAI = 120  # seconds: the worker starts Django and WeasyPrint, then renders 52 pages


@pytest.fixture
def worker(roles, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    processus = demarrer_worker("test-worker-lettres", journal=tmp_path / "worker.log")
    try:
        yield processus
    finally:
        arreter_worker(processus)


@pytest.mark.worker
def test_the_letters_of_a_mailing_run_in_two_lots_through_a_real_worker(worker, file_redis, adopte, immeuble):
    JourneeRemise.objects.create(
        quartier=adopte,
        date=timezone.localdate() - datetime.timedelta(days=20),
        lieu="Centre social",
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(17),
    )
    for i in range(52):
        foyer_adherent(immeuble, f"Famille Retard {i:02d}")
    creneau = Creneau.objects.create(
        quartier=adopte,
        lieu="Maison du quartier, salle Iroise",
        date=timezone.localdate() + datetime.timedelta(days=10),
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(12),
        capacite=60,
    )
    envoi, travaux = services.envoi_lettres(
        quartier=adopte, etape="invitation", creneaux=[creneau], par=UserFactory(role="ville")
    )  # queued on commit (autocommit)
    assert len(travaux) == 2

    echeance = time.monotonic() + DELAI
    while time.monotonic() < echeance:
        for travail in travaux:
            travail.refresh_from_db()
        if all(t.fini for t in travaux) or worker.poll() is not None:
            break
        time.sleep(0.25)
    journal = worker.journal.read_text(errors="replace")
    for travail in travaux:
        assert travail.statut == Travail.Statut.TERMINE, (
            f"{travail.statut} {travail.message}\n{journal[-3000:]}"
        )
        assert (travail.fait, travail.total) == (26, 26)
    assert journal.count("ipt.travail_executer") >= 2  # they ran in the worker, not in this process

    lettres = list(envoi.lettres.select_related("foyer").order_by("rang"))
    premier, second = (
        pdf_pages(t.fichier.read()) for t in sorted(travaux, key=lambda t: t.parametres["lot"])
    )
    assert len(premier) == len(second) == 26
    assert lettres[0].foyer.nom in premier[0] and lettres[26].foyer.nom in second[0]
    assert lettres[51].foyer.nom in second[25]
    assert "Maison du quartier, salle Iroise" in second[25] and "entre 9 h et 12 h" in second[25]
