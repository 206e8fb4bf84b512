"""``{% visa_du_foyer foyer %}``: the Visa Internet progress of a household's occupants (its page)."""

from django import template

from ateliers import selectors_visa
from ateliers.models import Certificat

register = template.Library()


@register.inclusion_tag("ateliers/_foyer_visa.html", takes_context=True)
def visa_du_foyer(context, foyer):
    """Each occupant's required skills acquired and certificates, in four queries whatever their number."""
    occupants = list(foyer.occupants.order_by("nom", "prenom", "pk"))
    suivis = selectors_visa.progressions(occupants) if occupants else {}
    certificats: dict[int, list[Certificat]] = {}
    for certificat in Certificat.objects.filter(personne__in=[p.pk for p in occupants]).order_by("-emis_le"):
        certificats.setdefault(certificat.personne_id, []).append(certificat)
    return {
        "lignes": [(p, suivis[p.pk], certificats.get(p.pk, [])) for p in occupants],
        "perms": context.get("perms"),
    }
