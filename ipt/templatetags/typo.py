"""French typography for documents and pages: "1er octobre 2026", "19 h 30", "le 1er octobre 2026 à
19 h 30". Dates and times are shown in the project's time zone (Europe/Paris)."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

register = template.Library()


def _local(valeur):
    if isinstance(valeur, datetime.datetime) and timezone.is_aware(valeur):
        return timezone.localtime(valeur)
    return valeur


@register.filter
def date_longue(valeur) -> str:
    """``1er octobre 2026``, ``2 octobre 2026`` (the 1st of a month is "1er" in French)."""
    if not valeur:
        return ""
    valeur = _local(valeur)
    jour = _("1st") if valeur.day == 1 else str(valeur.day)
    return f"{jour}\u00a0{formats.date_format(valeur, 'F Y')}"


@register.filter
def heure(valeur) -> str:
    """``19 h 30``, ``9 h`` (on the hour), ``0 h 05``."""
    if not valeur:
        return ""
    valeur = _local(valeur)
    if valeur.minute:
        return f"{valeur.hour}\u00a0h\u00a0{valeur.minute:02d}"
    return f"{valeur.hour}\u00a0h"


@register.filter
def date_heure(valeur) -> str:
    """``1er octobre 2026 à 19 h 30``."""
    if not valeur:
        return ""
    return _("%(date)s at %(heure)s") % {"date": date_longue(valeur), "heure": heure(valeur)}
