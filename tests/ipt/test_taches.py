"""Background work without Redis runs in the server's own queue: the request that asks returns at once."""

import threading

import pytest
from celery import shared_task

from ipt import taches

DEMARRE = threading.Event()
LIBERE = threading.Event()
VUS: list[int] = []


@shared_task(name="tests.tache_lente")
def tache_lente(n: int) -> None:
    DEMARRE.set()
    LIBERE.wait(5)
    VUS.append(n)


@pytest.mark.django_db(transaction=True)
def test_without_redis_a_task_runs_in_the_background_and_the_caller_does_not_wait(settings):
    settings.TACHES_LOCALES = True
    DEMARRE.clear(), LIBERE.clear(), VUS.clear()
    futur = taches.envoyer(tache_lente, 7)
    assert DEMARRE.wait(5)  # it started in another thread…
    assert VUS == []  # …while the caller went on
    LIBERE.set()
    futur.result(timeout=5)
    assert VUS == [7]


def test_with_the_broker_path_an_eager_task_runs_in_the_caller(settings):
    settings.TACHES_LOCALES = False
    DEMARRE.clear(), VUS.clear()
    LIBERE.set()
    assert taches.envoyer(tache_lente, 3) is None
    assert VUS == [3]
