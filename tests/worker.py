"""Helpers for the tests that run a real Celery worker on Redis against the pytest database."""

import os
import subprocess
import sys
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def url_base_de_test() -> str:
    """The pytest test database, as a DATABASE_URL a worker subprocess can read."""
    reglages = connection.settings_dict
    identite = quote(reglages["USER"] or "")
    if reglages["PASSWORD"]:
        identite += ":" + quote(reglages["PASSWORD"])
    hote, port = reglages["HOST"] or "127.0.0.1", reglages["PORT"] or "5432"
    return f"postgres://{identite}@{hote}:{port}/{reglages['NAME']}"


def redis_url() -> str:
    return settings.REDIS_URL or "redis://127.0.0.1:6379/15"


# What kombu keeps in Redis for our queues: the queues themselves, and the messages a worker took but did not
# acknowledge (``acks_late``). A worker killed by a test leaves its message there; an hour later (the
# visibility timeout) the next worker on this Redis database would run it again, in another test run.
CLES_KOMBU = ("celery", "releves", "unacked", "unacked_index", "unacked_mutex")


def vider_files(connexion) -> None:
    """Empty the queues and kombu's unacknowledged messages on the tests' Redis database."""
    connexion.delete(*CLES_KOMBU)


def env_worker(**extra: str) -> dict[str, str]:
    """The environment of a worker subprocess: the test database, Redis, this test's MEDIA_ROOT."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ipt.settings_test",
        "DATABASE_URL": url_base_de_test(),
        "REDIS_URL": redis_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def demarrer_worker(nom: str, *, journal, files: str | None = None, **extra: str) -> subprocess.Popen:
    """Start one Celery worker (solo pool: a SIGKILL takes its task down with it) in a subprocess, on the
    test database, Redis and this test's MEDIA_ROOT; its output goes to ``journal``. ``files`` names the
    queues it serves (``-Q``), ``extra`` adds to its environment."""
    commande = [sys.executable, "-m", "celery", "-A", "ipt", "worker"]
    if files:
        commande += ["-Q", files]
    commande += [
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--hostname={nom}@%h",
    ]
    with open(journal, "wb") as sortie:
        processus = subprocess.Popen(  # noqa: S603 — our own interpreter and arguments
            commande, cwd=settings.BASE_DIR, env=env_worker(**extra), stdout=sortie, stderr=subprocess.STDOUT
        )
    processus.journal = journal
    return processus


def arreter_worker(processus: subprocess.Popen) -> None:
    """A warm shutdown, then a kill if it does not stop."""
    if processus.poll() is not None:
        return
    processus.terminate()
    try:
        processus.wait(timeout=20)
    except subprocess.TimeoutExpired:
        processus.kill()
        processus.wait(timeout=10)
