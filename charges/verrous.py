"""The locks of the monthly run.

- The **runs' lock**: a PostgreSQL session advisory lock that serialises the runs (two never write at
  once); the database releases it when the worker's connection closes, so a killed run is seen dead.
- The **documents lock** of a run: a *shared* advisory lock each worker holds while it renders one of
  the run's parts, plus a sign of life written before and after each part. A run in its documents
  phase with neither has lost its workers: staff may resume it at once.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from charges.models import (
    Execution,
)

# The key of the PostgreSQL advisory lock that serialises the runs ("IPTC").
CLE_VERROU = 0x49505443
# The documents lock of a run (with the run's id as second key: "IPTD"), held by each worker while it
# renders one of the run's parts; and how long a run in its documents phase may go without a sign of
# life (the gap between two parts; seconds, setting ``CHARGES_BATTEMENT_MAX``).
CLE_DOCUMENTS = 0x49505444
BATTEMENT_MAX = 30


# --- The lock -----------------------------------------------------------------------------------


@contextmanager
def verrou_des_executions(*, en_attente=None) -> Iterator[None]:
    """Hold the runs' lock (PostgreSQL session advisory lock; nothing to lock on SQLite's single process).

    ``en_attente`` is called once if another run holds it, before waiting for it.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [CLE_VERROU])
        if not cursor.fetchone()[0]:
            if en_attente is not None:
                en_attente()
            cursor.execute("SELECT pg_advisory_lock(%s)", [CLE_VERROU])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CLE_VERROU])


def verrou_tenu_ailleurs() -> bool:
    """Whether a run is writing right now (another connection holds the lock)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [CLE_VERROU])
        libre = cursor.fetchone()[0]
        if libre:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CLE_VERROU])
    return not libre


def battement_max() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "CHARGES_BATTEMENT_MAX", BATTEMENT_MAX))


def _cle_documents(execution_pk: int) -> tuple[int, int]:
    return CLE_DOCUMENTS, execution_pk


@contextmanager
def documents_travail(execution_pk: int | None) -> Iterator[None]:
    """A worker renders a part of run ``execution_pk``: it holds the run's documents lock (shared: every
    worker at once) and writes a sign of life before and after. A worker that dies leaves neither: the
    database drops its lock with its connection, and the run can be resumed at once."""
    if execution_pk is None:
        yield
        return
    Execution.objects.filter(pk=execution_pk).update(battement=timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", _cle_documents(execution_pk))
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_shared(%s, %s)", _cle_documents(execution_pk))
        Execution.objects.filter(pk=execution_pk).update(battement=timezone.now())


def documents_rendus_ailleurs(execution_pk: int) -> bool:
    """Whether a worker is rendering a part of run ``execution_pk`` right now (holds its lock)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _cle_documents(execution_pk))
        libre = cursor.fetchone()[0]
        if libre:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _cle_documents(execution_pk))
    return not libre
