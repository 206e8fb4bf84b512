"""Sending background work: to Celery through Redis, or — without Redis — to a small queue in the
server process.

Every service that starts a task calls :func:`envoyer` (after its transaction commits). With Redis the
task goes to the broker (on the named queue, if any). Without Redis (``make run``, ``TACHES_LOCALES``)
it runs in a background thread of the web process, one at a time, so the request answers at once and
the progress page refreshes as it would in production. When ``CELERY_TASK_ALWAYS_EAGER`` is on and
``TACHES_LOCALES`` off (the tests), the task runs here and now, in the caller.
"""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)

_verrou = threading.Lock()
_executeur: ThreadPoolExecutor | None = None


def _file_locale() -> ThreadPoolExecutor:
    global _executeur
    with _verrou:
        if _executeur is None:
            # One thread: jobs run in the order they were asked for, and SQLite sees one writer at a time.
            _executeur = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipt-taches")
        return _executeur


def _executer_localement(tache, args: tuple) -> None:
    close_old_connections()
    try:
        tache.apply(args=args, throw=False)
    except Exception:  # a task's own failure is recorded by the task; never kill the queue's thread
        logger.exception("Background task %s%r failed", tache.name, args)
    finally:
        connections.close_all()


def envoyer(tache, *args, file: str | None = None) -> Future | None:
    """Queue ``tache(*args)``: on ``file`` through the broker, or in the server's own background queue
    without Redis. Returns the local future (tests wait on it), or ``None`` when sent to the broker."""
    if settings.TACHES_LOCALES:
        return _file_locale().submit(_executer_localement, tache, args)
    options = {"queue": file} if file else {}
    tache.apply_async(args=args, **options)
    return None
