"""``{% signalements_du_logement logement %}``: a dwelling's provider incidents on the household page."""

from django import template

from equipements.selectors_signalements import signalements_du_logement
from ipt.roles import Role, a_le_role

register = template.Library()


@register.inclusion_tag("equipements/signalement_foyer.html", takes_context=True)
def signalements_du_foyer(context, logement):
    user = context["request"].user
    return {
        "logement": logement,
        "signalements": signalements_du_logement(logement),
        "voit_suivi": a_le_role(user, Role.VILLE),
    }
