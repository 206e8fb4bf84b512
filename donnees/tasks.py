"""Celery tasks of personal data."""

from celery import shared_task


@shared_task(name="donnees.purger", ignore_result=True)
def purger() -> dict:
    """Beat, every night: the retention purge (``donnees.conservation.purger``), its counts per rule in
    the audit trail. Idempotent: a second run the same day finds nothing left to do."""
    from donnees.conservation import purger as purge

    return purge().nombres
