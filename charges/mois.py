"""Months: a month is the ``date`` of its first day. Today is the city's today (Europe/Paris)."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _


class MoisInvalide(ValueError):
    """A month that cannot be read; the message is French, for the person who typed it."""


def premier_du_mois(jour: datetime.date) -> datetime.date:
    return jour.replace(day=1)


def mois_suivant(mois: datetime.date) -> datetime.date:
    return (mois.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def mois_precedent(mois: datetime.date) -> datetime.date:
    return (mois.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def mois_courant(maintenant: datetime.datetime | None = None) -> datetime.date:
    """The month of ``maintenant`` (default: now) in the city's time zone, not UTC's."""
    return premier_du_mois(timezone.localdate(maintenant or timezone.now()))


def mois_a_facturer(maintenant: datetime.datetime | None = None) -> datetime.date:
    """The month the monthly run bills at ``maintenant``: the month before, in the city's time zone.

    On 1 November at 00:30 in Paris (still 31 October in UTC) it is October, not September.
    """
    return mois_precedent(mois_courant(maintenant))


def lire_mois(texte: str) -> datetime.date:
    """``"2026-10"`` (or ``"10/2026"``) → ``date(2026, 10, 1)``; else :class:`MoisInvalide`."""
    texte = (texte or "").strip()
    # ASCII digits only: int() would read Arabic-Indic or full-width digits too.
    trouve = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})", texte) or re.fullmatch(
        r"([0-9]{1,2})/([0-9]{4})", texte
    )
    if trouve:
        a, b = trouve.groups()
        annee, numero = (int(a), int(b)) if len(a) == 4 else (int(b), int(a))
        if 1 <= numero <= 12 and 2000 <= annee <= 2100:
            return datetime.date(annee, numero, 1)
    raise MoisInvalide(
        _("“%(texte)s” is not a month: write it as YYYY-MM, for example 2026-10.") % {"texte": texte[:20]}
    )
