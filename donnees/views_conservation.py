"""The staff page of the retention purge: what goes in the next 30 days, and the last runs."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ipt.roles import Role, role_requis

from . import conservation


@require_GET
@role_requis(Role.VILLE)
def conservation_apercu(request):
    jour = timezone.localdate()
    return render(
        request,
        "donnees/conservation_apercu.html",
        {
            "jour": jour,
            "horizon": conservation.HORIZON_JOURS,
            "previsions": conservation.apercu(jour=jour),
            "retenus": conservation.retenus(jour),
            "regles": conservation.REGLES,
            "passages": [
                {
                    "evenement": e,
                    "nombres": [
                        (e.details.get("regles") or {}).get(r.code, "—") for r in conservation.REGLES
                    ],
                    "lots": sum((e.details.get("lots") or {}).values()),
                }
                for e in conservation.derniers_passages()
            ],
        },
    )
