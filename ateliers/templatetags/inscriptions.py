"""``{% inscriptions_du_foyer foyer %}``: the coming sign-ups of a household's occupants on its page."""

from django import template

from ateliers.selectors_inscriptions import inscriptions_du_foyer as a_venir

register = template.Library()


@register.inclusion_tag("ateliers/_foyer_inscriptions.html", takes_context=True)
def inscriptions_du_foyer(context, foyer):
    return {
        "foyer": foyer,
        "inscriptions": a_venir(foyer),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
