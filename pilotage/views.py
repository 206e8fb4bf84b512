from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_GET

from ipt.roles import Role, role_requis
from pilotage.entonnoir import ETAPES, Filtre, entonnoir, references_libelle
from pilotage.forms import FiltreForm
from pilotage.series import MOIS, series_annee
from quartiers import selectors as quartiers_selectors


@require_GET
@role_requis(Role.VILLE)
def tableau_de_bord(request):
    """City staff's landing page: the funnel per quartier and for the city, the year month by month.

    Staff's working view: real numbers (statistical secrecy applies to what is published)."""
    form = FiltreForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "pilotage/tableau_de_bord.html", {"form": form}, status=400)
    donnees = form.cleaned_data if request.GET else {}
    annee = donnees.get("annee") or timezone.localdate().year
    quartier, bailleur = donnees.get("quartier"), donnees.get("bailleur")
    filtre = Filtre.annee(
        annee,
        cumule=bool(donnees.get("cumule")),
        quartiers=(quartier.pk,) if quartier else (),
        bailleur=bailleur.pk if bailleur else None,
    )
    lignes, ville = entonnoir(filtre)
    series = series_annee(Filtre.annee(annee, quartiers=filtre.quartiers, bailleur=filtre.bailleur))
    libelles_mois = [date_format(m, "F").capitalize() for m in MOIS]
    for s in series:
        s["lignes"] = list(zip(MOIS, s["valeurs"], strict=True))
        s["id_donnees"] = f"serie-{s['code']}"
        s["donnees"] = {"libelle": s["libelle"], "mois": libelles_mois, "valeurs": s["valeurs"]}
    return render(
        request,
        "pilotage/tableau_de_bord.html",
        {
            "form": form,
            "annee": annee,
            "cumule": filtre.debut is None,
            "etapes": ETAPES,
            "lignes": lignes,
            "ville": ville,
            "references": references_libelle(),
            "series": series,
            "par_statut": quartiers_selectors.quartiers_par_statut(),
        },
    )
