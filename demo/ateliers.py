"""Demo workshops: the structures that run them (each centre social, and a partner association)."""

from ateliers.models import Structure
from quartiers.models import CentreSocial

ASSOCIATION_DEMO = "Association Clic Solidaire (fictive)"


def charger_structures() -> int:
    for centre in CentreSocial.objects.order_by("pk"):
        Structure.objects.get_or_create(
            nom=centre.nom, defaults={"type": Structure.Type.CENTRE_SOCIAL, "centre_social": centre}
        )
    Structure.objects.get_or_create(nom=ASSOCIATION_DEMO, defaults={"type": Structure.Type.ASSOCIATION})
    return Structure.objects.count()
