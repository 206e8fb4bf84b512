"""Celery tasks shared by every app."""

from celery import shared_task

from ipt import travaux


@shared_task(name="ipt.travail_executer", ignore_result=True)
def travail_executer(travail_pk: int) -> None:
    """Run a background job (``ipt.travaux``). Idempotent: a job already started or finished is left alone."""
    travaux.travail_executer(travail_pk)


@shared_task(name="ipt.travaux_surveiller", ignore_result=True)
def travaux_surveiller() -> None:
    """Beat: queue again the jobs whose message was lost, fail those that wait or run for ever."""
    travaux.travaux_surveiller()
