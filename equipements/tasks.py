"""Celery task of equipment: a receipt's PDF, rendered after the handover or return has answered."""

from celery import shared_task

from equipements import services
from equipements.models import Recu


@shared_task(name="equipements.recu_rendre", ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def recu_rendre(recu_pk: int) -> None:
    """Idempotent: a receipt whose PDF is already attached is left as it is (then it is final)."""
    recu = Recu.objects.filter(pk=recu_pk).first()
    if recu is not None:
        services.recu_pdf(recu=recu)


from equipements.lettres import lettres_retardataires  # noqa: E402,F401 — the late-comers’ letters job


@shared_task(name="equipements.reservations_pc_expirer", ignore_result=True)
def reservations_pc_expirer() -> int:
    """The beat's job: PC reservations past their date are expired, their PCs back in stock."""
    from equipements.services_ordinateurs import reservations_expirer

    return reservations_expirer()


from equipements.taches_paiements import paiement_recu_rendre, rappels  # noqa: E402,F401 — registered here
