"""Votes close on time: the beat task ``votes.clore_echus`` closes the open votes whose closing time has
passed, as the system (no actor), under the vote's lock, with its audit entry and minutes (issue 9, 9)."""

import datetime
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ipt.celery import app
from ipt.models import Evenement, Travail
from tests.factories import ImmeubleFactory, QuartierFactory, UserFactory
from tests.votes.conftest import code_de, creer_scrutin, logements
from votes import services, tasks
from votes.models import Scrutin
from votes.selectors import NATURE_PROCES_VERBAL


def test_a_vote_past_its_closing_time_is_closed_by_the_system(scrutin):
    maintenant = scrutin.ferme_le + datetime.timedelta(minutes=3)
    assert services.scrutins_clore_echus(maintenant=maintenant) == [scrutin.pk]
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.CLOS and scrutin.resultat == Scrutin.Resultat.REJETE
    assert scrutin.clos_par is None and scrutin.clos_le == maintenant
    assert len(scrutin.empreinte) == 64
    cloture = Evenement.objects.get(action="scrutin.cloture", objet_id=str(scrutin.pk))
    assert cloture.par is None and cloture.par_nom == ""
    minutes = Travail.objects.get(nature=NATURE_PROCES_VERBAL, parametres__scrutin=scrutin.pk)
    assert minutes.demandeur is None


def test_a_vote_still_open_is_left_alone(scrutin):
    assert services.scrutins_clore_echus(maintenant=scrutin.ferme_le - datetime.timedelta(seconds=1)) == []
    scrutin.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.OUVERT


def test_closing_on_time_twice_changes_nothing(scrutin, ville_user):
    maintenant = scrutin.ferme_le + datetime.timedelta(minutes=1)
    services.scrutins_clore_echus(maintenant=maintenant)
    scrutin.refresh_from_db()
    empreinte, clos_le = scrutin.empreinte, scrutin.clos_le
    assert services.scrutins_clore_echus(maintenant=maintenant + datetime.timedelta(minutes=5)) == []
    scrutin.refresh_from_db()
    assert (scrutin.empreinte, scrutin.clos_le) == (empreinte, clos_le)
    assert Evenement.objects.filter(action="scrutin.cloture").count() == 1


def test_the_task_closes_a_vote_whose_time_is_up(quartier, immeuble, logements_immeuble, ville_user):
    maintenant = timezone.now()
    scrutin = creer_scrutin(
        quartier,
        ouvrir=False,
        ouvre_le=maintenant - datetime.timedelta(days=2),
        ferme_le=maintenant - datetime.timedelta(minutes=1),
    )
    scrutin = services.scrutin_ouvrir(
        scrutin=scrutin, par=ville_user, maintenant=maintenant - datetime.timedelta(days=2)
    )
    ailleurs = QuartierFactory()
    logements(ImmeubleFactory(quartier=ailleurs), 2)
    encore_ouvert = creer_scrutin(ailleurs)  # another quartier's vote, closing in a week
    tasks.clore_echus()
    scrutin.refresh_from_db()
    encore_ouvert.refresh_from_db()
    assert scrutin.statut == Scrutin.Statut.CLOS and scrutin.clos_par is None
    assert encore_ouvert.statut == Scrutin.Statut.OUVERT


def test_the_beat_schedule_runs_the_closing_task():
    entrees = [e for e in app.conf.beat_schedule.values() if e["task"] == "votes.clore_echus"]
    assert len(entrees) == 1
    assert tasks.clore_echus.name == "votes.clore_echus"
    assert "votes.clore_echus" in app.tasks  # registered with the worker (autodiscovered)


@pytest.mark.django_db(transaction=True)
def test_the_task_waits_for_an_entry_under_way_and_counts_it(roles):
    """An entry holding the vote's lock when the time is up is counted: the task takes the lock too."""
    quartier = QuartierFactory()
    lgts = logements(ImmeubleFactory(quartier=quartier), 3)
    ville = UserFactory(username="ville-cloture", role="ville")
    scrutin = creer_scrutin(quartier, par=ville)
    code = code_de(scrutin, lgts[0])
    en_cours, fin = threading.Event(), threading.Event()

    def saisir():
        try:
            with transaction.atomic():
                services.bulletin_enregistrer(
                    scrutin_id=scrutin.pk, code=code, choix="oui", canal="ville", par=ville
                )
                en_cours.set()
                fin.wait(timeout=2)  # the entry is still under way (not committed) while the task starts
        finally:
            connection.close()

    fil = threading.Thread(target=saisir)
    fil.start()
    assert en_cours.wait(timeout=10)
    threading.Timer(0.5, fin.set).start()
    clos = services.scrutins_clore_echus(maintenant=scrutin.ferme_le + datetime.timedelta(seconds=1))
    fil.join(timeout=10)
    scrutin.refresh_from_db()
    assert clos == [scrutin.pk]
    assert scrutin.decompte["reponses"] == 1  # counted: the closing waited for the entry to commit
