"""Telling a person something about their workshops: the one entry point the other modules call.

``prevenir(personne, objet=..., texte=..., cle=...)`` is called when a waiting person gets a seat, when a
session is cancelled or moved, for reminders and invitations. It records the message (its key ``cle`` makes
it unique: never recorded nor sent twice) and, once the caller's transaction commits, sends it in the
background by the person's chosen channel (SMS, email, or a letter for those with neither) — only with
their recorded consent to be contacted that way (:mod:`ateliers.messagerie` holds the rules). A letter
waits to be printed in the next batch. Each message is on the staff's messages page and on the person's
household page: channel, when, delivered or failed (with the error).
"""

from django.db import transaction

from ipt.journal import journaliser
from ipt.taches import envoyer


def prevenir(
    personne,
    *,
    objet: str,
    texte: str,
    cle: str,
    par=None,
    seance=None,
    canal: str = "",
    rappel: bool = False,
):
    """Tell ``personne`` (a ``logements.Personne``); ``cle`` identifies the notice (never sent twice).

    ``seance``: the session it is about, if any; ``canal``: force a channel (``"courrier"`` for a batch of
    invitation letters…) instead of the person's chosen one — still only with their consent. Returns the
    :class:`~ateliers.modeles_messages.Message` (pending until sent, after the transaction commits)."""
    from .messagerie import message_creer
    from .modeles_messages import Message
    from .taches_messages import tache_message_envoyer

    message, cree = message_creer(
        personne, objet=objet, texte=texte, cle=cle, par=par, seance=seance, canal=canal, rappel=rappel
    )
    if cree:
        journaliser(
            par=par,
            action="ateliers.avis",
            message=objet,
            objet=personne,
            details={"cle": cle, "texte": texte, "message": message.pk},
        )
    if cree or message.statut == Message.Statut.ECHEC:
        pk = message.pk
        transaction.on_commit(lambda: envoyer(tache_message_envoyer, pk))
    return message
