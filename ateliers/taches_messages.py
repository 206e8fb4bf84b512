"""Celery tasks of the messages (imported by ``ateliers/tasks.py``): send one message, the reminders run
(beat), and the batch of letters to print (a background PDF job)."""

from celery import shared_task
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from ipt.models import Travail
from ipt.travaux import Fichier, Suivi, producteur

from . import lettres, messagerie


@shared_task(name="ateliers.message_envoyer", ignore_result=True)
def tache_message_envoyer(message_pk: int) -> None:
    """Send one message recorded by ``prevenir``. Idempotent: a message sent or being sent is left alone."""
    messagerie.message_envoyer(message_pk)


@shared_task(name="ateliers.rappels", ignore_result=True)
def tache_rappels() -> None:
    """Beat: the reminders of the sessions starting within IPT_RAPPEL_HEURES hours (each sent once)."""
    messagerie.rappels_envoyer()


@producteur(lettres.NATURE_LETTRES, libelle=gettext_lazy("Letters to print"))
def lettres_a_imprimer(travail: Travail, suivi: Suivi) -> Fichier:
    contenu = lettres.lettres_pdf(travail, suivi=suivi)
    return Fichier(f"{slugify('lettres')}-{travail.pk}.pdf", contenu)
