from django.db.models import Count
from django.shortcuts import render

from ipt.perimetre import bailleurs_couverts, immeubles_couverts, quartiers_couverts
from ipt.roles import Role, role_requis


@role_requis(Role.ACCUEIL)
def accueil(request):
    """The reception desk's home: the quartiers of the volunteer's centre(s)."""
    quartiers = (
        quartiers_couverts(request.user)
        .select_related("centre_social")
        .annotate(nb_immeubles=Count("immeubles"))
        .order_by("nom")
    )
    return render(request, "logements/accueil.html", {"quartiers": quartiers})


@role_requis(Role.GARDIEN)
def gardien(request):
    """The caretaker's home: the buildings they look after."""
    immeubles = immeubles_couverts(request.user).select_related("quartier", "bailleur").order_by("adresse")
    return render(request, "logements/gardien.html", {"immeubles": immeubles})


@role_requis(Role.BAILLEUR)
def bailleur(request):
    """The landlord's home: its statements (issued ones arrive with the charge run)."""
    bailleurs = bailleurs_couverts(request.user).annotate(nb_immeubles=Count("immeubles")).order_by("nom")
    return render(request, "logements/bailleur.html", {"bailleurs": bailleurs})
