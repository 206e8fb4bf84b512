from django.shortcuts import render

from ipt.roles import Role, role_requis
from logements.models import Bailleur
from quartiers import selectors


@role_requis(Role.VILLE)
def tableau_de_bord(request):
    return render(
        request,
        "quartiers/tableau_de_bord.html",
        {
            "par_statut": selectors.quartiers_par_statut(),
            "quartiers": selectors.quartiers_tableau(),
            "nb_bailleurs": Bailleur.objects.count(),
        },
    )
