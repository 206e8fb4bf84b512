"""Telling a person something about their workshops: the one entry point the other modules call.

``prevenir(personne, objet=..., texte=..., cle=...)`` is called when a waiting person gets a seat, when a
session is cancelled or moved, for reminders and invitations. It sends by the person's chosen channel
(SMS, email, or a letter for those with neither) only with their recorded consent, records each message
(channel, when, delivered or failed) and never sends twice the same ``cle``.

Until the messages are built (issue 13 point 7) it only records the notice in the audit log.
"""

from ipt.journal import journaliser


def prevenir(personne, *, objet: str, texte: str, cle: str, par=None) -> None:
    """Tell ``personne`` (a ``logements.Personne``); ``cle`` identifies the notice (never sent twice)."""
    journaliser(
        par=par,
        action="ateliers.avis",
        message=objet,
        objet=personne,
        details={"cle": cle, "texte": texte},
    )
