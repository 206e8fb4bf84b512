"""The yearly report's cells in the PDF: a published count, a number, euros, or a dash for no figure."""

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ipt.argent import euros
from ipt.secret_statistique import Case

register = template.Library()


@register.filter
def cellule(valeur) -> str:
    if isinstance(valeur, Case):
        if valeur.secret:
            return _("secret")
        if isinstance(valeur.valeur, Decimal):
            return euros(valeur.valeur)
        return number_format(valeur.valeur, force_grouping=True)
    if valeur is None or valeur == "":
        return "—" if valeur is None else ""
    if isinstance(valeur, Decimal):
        return euros(valeur)
    if isinstance(valeur, bool):
        return str(valeur)
    if isinstance(valeur, int):
        return number_format(valeur, force_grouping=True)
    if isinstance(valeur, float):
        return number_format(valeur, 1)
    if isinstance(valeur, datetime.date):
        return date_format(valeur, "SHORT_DATE_FORMAT")
    return str(valeur)


@register.filter
def est_secret(valeur) -> bool:
    return isinstance(valeur, Case) and valeur.secret
