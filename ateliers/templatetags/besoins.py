"""``{% besoins_du_foyer foyer %}``: the needs of a household's occupants and the quick form, on its page."""

from django import template

from ateliers.forms_besoins import BesoinForm
from ateliers.modeles_besoins import Besoin
from ateliers.selectors_besoins import besoins_du_foyer as lire_besoins

register = template.Library()


@register.inclusion_tag("ateliers/_foyer_besoins.html", takes_context=True)
def besoins_du_foyer(context, foyer):
    occupants = list(foyer.occupants.all())  # prefetched by the household page
    form = BesoinForm(personnes=foyer.occupants.all(), lieux=[c for c, _ in Besoin.Lieu.choices])
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "foyer": foyer,
        "occupants": occupants,
        "besoins": lire_besoins(foyer),
        "form": form,
    }
