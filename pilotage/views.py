from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipt import travaux
from ipt.journal import journaliser
from ipt.models import Travail
from ipt.roles import Role, role_requis
from ipt.secret_statistique import seuil_par_defaut
from pilotage.bilan import bilan_csv, donnees_bilan
from pilotage.entonnoir import ETAPES, Filtre, entonnoir, references_libelle
from pilotage.forms import BilanForm, FiltreForm, LienPartageForm
from pilotage.models import LienPartage
from pilotage.publication import entonnoir_publie
from pilotage.series import MOIS, series_annee
from pilotage.tasks import NATURE_BILAN_PDF, NATURE_BILAN_XLSX
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
            "quartier": quartier,
            "bailleur": bailleur,
            "etapes": ETAPES,
            "lignes": lignes,
            "ville": ville,
            "references": references_libelle(),
            "series": series,
            "par_statut": quartiers_selectors.quartiers_par_statut(),
        },
    )


# --- Share links for partners -----------------------------------------------------------------------


@role_requis(Role.VILLE)
def partages(request):
    """City staff create and revoke the partners' links, and see how often each was opened."""
    form = LienPartageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        lien = form.save(commit=False)
        lien.cree_par = request.user
        lien.save()
        journaliser(par=request.user, action="pilotage.partage_creer", message=str(lien), objet=lien)
        messages.success(request, _("The link is ready: copy it and send it to the partner."))
        return redirect("pilotage:partages")
    liens = LienPartage.objects.select_related("quartier", "cree_par").order_by("-cree_le", "-pk")
    return render(
        request,
        "pilotage/partages.html",
        {"form": form, "liens": liens, "aujourd_hui": timezone.localdate()},
        status=400 if form.errors else 200,
    )


@require_POST
@role_requis(Role.VILLE)
def partage_revoquer(request, pk: int):
    lien = get_object_or_404(LienPartage, pk=pk)
    if lien.revoque_le is None:
        LienPartage.objects.filter(pk=pk, revoque_le__isnull=True).update(
            revoque_le=timezone.now(), revoque_par=request.user
        )
        journaliser(par=request.user, action="pilotage.partage_revoquer", message=str(lien), objet=lien)
        messages.success(request, _("The link is revoked: it no longer opens."))
    return redirect("pilotage:partages")


@require_GET
def partage(request, jeton: str):
    """The partner's read-only page: the published figures (statistical secrecy applied), nothing else."""
    lien = LienPartage.objects.select_related("quartier").filter(jeton=jeton).first()
    if lien is None or not lien.valide():
        raise Http404
    LienPartage.objects.filter(pk=lien.pk).update(
        nb_visites=F("nb_visites") + 1, derniere_visite_le=timezone.now()
    )
    annee = timezone.localdate().year
    quartiers = (lien.quartier_id,) if lien.quartier_id else ()
    tableaux = []
    for cumule in (False, True):
        lignes, ville = entonnoir_publie(Filtre.annee(annee, cumule=cumule))
        if quartiers:
            lignes, ville = [ligne for ligne in lignes if ligne.quartier.pk in quartiers], None
        tableaux.append({"cumule": cumule, "lignes": lignes, "ville": ville})
    reponse = render(
        request,
        "pilotage/partage.html",
        {
            "lien": lien,
            "annee": annee,
            "etapes": ETAPES,
            "tableaux": tableaux,
            "references": references_libelle(),
        },
    )
    reponse["X-Robots-Tag"] = "noindex, nofollow"
    reponse["Referrer-Policy"] = "no-referrer"
    return reponse


# --- The yearly report ------------------------------------------------------------------------------


@role_requis(Role.VILLE)
def bilan(request):
    """Ask for the yearly report of a quartier or of the city: a background job (PDF or spreadsheet)."""
    form = BilanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quartier = form.cleaned_data["quartier"]
        nature = NATURE_BILAN_PDF if form.cleaned_data["format"] == "pdf" else NATURE_BILAN_XLSX
        try:
            travail = travaux.travail_creer(
                nature=nature,
                parametres={
                    "annee": form.cleaned_data["annee"],
                    "quartier": quartier.pk if quartier else None,
                },
                demandeur=request.user,
            )
        except travaux.TropDeTravaux as refus:
            messages.error(request, " ".join(refus.messages))
            return redirect("pilotage:bilan")
        travaux.annoncer(request, travail)
        return redirect(f"{reverse('travail', args=[travail.pk])}?retour={reverse('pilotage:bilan')}")
    demandes = Travail.objects.filter(
        nature__in=[NATURE_BILAN_PDF, NATURE_BILAN_XLSX], demandeur=request.user
    ).order_by("-cree_le")[:10]
    return render(
        request,
        "pilotage/bilan.html",
        {"form": form, "demandes": demandes, "seuil": seuil_par_defaut()},
        status=400 if form.errors else 200,
    )


@require_GET
@role_requis(Role.VILLE)
def bilan_csv_vue(request):
    """Every table of the report as one CSV, at once (the same published figures as the PDF)."""
    form = BilanForm(request.GET)
    if not form.is_valid():
        contexte = {"form": form, "demandes": [], "seuil": seuil_par_defaut()}
        return render(request, "pilotage/bilan.html", contexte, status=400)
    quartier = form.cleaned_data["quartier"]
    donnees = donnees_bilan(form.cleaned_data["annee"], quartier=quartier, user=request.user)
    reponse = HttpResponse(bilan_csv(donnees), content_type="text/csv; charset=utf-8")
    sujet = slugify(quartier.nom) if quartier else "ville"
    reponse["Content-Disposition"] = f'attachment; filename="bilan-{form.cleaned_data["annee"]}-{sujet}.csv"'
    return reponse


@require_GET
@role_requis(Role.VILLE)
def liste(request, etape: str):
    """The dwellings, households or people behind a figure of the funnel (staff's working list)."""
    par_code = {e.code: e for e in ETAPES}
    if etape not in par_code:
        raise Http404
    form = FiltreForm(request.GET)
    if not form.is_valid():
        return render(request, "pilotage/tableau_de_bord.html", {"form": form}, status=400)
    donnees = form.cleaned_data
    quartier, bailleur = donnees.get("quartier"), donnees.get("bailleur")
    filtre = Filtre.annee(
        donnees["annee"],
        cumule=bool(donnees.get("cumule")),
        quartiers=(quartier.pk,) if quartier else (),
        bailleur=bailleur.pk if bailleur else None,
    )
    choisie = par_code[etape]
    qs = choisie.lister(filtre)
    if choisie.unite == "logements":
        qs = qs.select_related("immeuble__quartier").order_by("immeuble__quartier__nom", "reference")
    elif choisie.unite == "foyers":
        qs = qs.select_related("logement__immeuble__quartier").order_by(
            "logement__immeuble__quartier__nom", "nom"
        )
    else:
        qs = qs.select_related("foyer__logement__immeuble__quartier").order_by("nom", "prenom")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "pilotage/liste.html",
        {
            "etape": choisie,
            "page": page,
            "parametres": parametres.urlencode(),
            "annee": donnees["annee"],
            "cumule": filtre.debut is None,
            "quartier": quartier,
            "bailleur": bailleur,
        },
    )
