from django import template
from django.utils.translation import gettext as _

from ipt import argent

register = template.Library()


@register.filter
def euros(montant) -> str:
    """``1.18`` → ``1,18 €`` (Django's localisation, grouped thousands, two places)."""
    return argent.euros(montant)


@register.filter
def etage(valeur) -> str:
    """A floor as people say it: "GF" (RDC) for 0, nothing when unknown."""
    if valeur is None or valeur == "":
        return ""
    return _("GF") if valeur == 0 else str(valeur)
