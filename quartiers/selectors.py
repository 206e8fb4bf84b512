from django.db.models import Count

from quartiers.models import Quartier


def quartiers_par_statut() -> list[dict]:
    """Each status with its number of quartiers, in lifecycle order (one query)."""
    comptes = dict(Quartier.objects.values_list("statut").annotate(n=Count("pk")).order_by())
    return [{"statut": s, "libelle": s.label, "nombre": comptes.get(s.value, 0)} for s in Quartier.Statut]


def quartiers_tableau() -> list[Quartier]:
    """Quartiers with their centre social and number of buildings (two queries at most)."""
    return list(
        Quartier.objects.select_related("centre_social")
        .annotate(nb_immeubles=Count("immeubles"))
        .order_by("nom")
    )
