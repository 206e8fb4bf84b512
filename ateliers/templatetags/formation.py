"""``{% formation_du_foyer foyer %}``: each occupant's training history on the household page of the desk
(sessions attended, cycles joined, help sessions), in a fixed number of queries."""

from django import template

from ateliers.presences import histoire_formation

register = template.Library()


@register.inclusion_tag("ateliers/_foyer_formation.html")
def formation_du_foyer(foyer):
    return {"foyer": foyer, "histoires": histoire_formation(list(foyer.occupants.all()))}
