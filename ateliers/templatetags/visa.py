"""``{% visa_du_foyer foyer %}``: the Visa Internet progress of a household's occupants (its page)."""

from django import template

from ateliers import selectors_visa
from ateliers.models import Certificat

register = template.Library()


@register.inclusion_tag("ateliers/_foyer_visa.html")
def visa_du_foyer(foyer):
    """Each occupant's required skills acquired and certificates: the occupants as the household page
    prefetched them, then four queries whatever their number (none for a household without occupants)."""
    occupants = list(foyer.occupants.all())
    if not occupants:
        return {"lignes": []}
    suivis = selectors_visa.progressions(occupants)
    certificats: dict[int, list[Certificat]] = {}
    for certificat in Certificat.objects.filter(personne__in=[p.pk for p in occupants]).order_by("-emis_le"):
        certificats.setdefault(certificat.personne_id, []).append(certificat)
    return {
        "lignes": [(p, suivis[p.pk], certificats.get(p.pk, [])) for p in occupants],
    }
