"""Pages of charges and statements.

City staff: every statement (filtered by landlord, month, status), the monthly run started for a
chosen month and followed while it runs, adjustments. Landlord staff: their own issued statements
(PDF, CSV) and yearly summaries. Anything else: 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from charges import selectors, services
from charges.exports import resume_annuel_csv
from charges.forms import ExecutionForm, FiltreRelevesForm, RegularisationForm
from charges.models import REGLE, Execution, Releve
from charges.mois import mois_a_facturer
from charges.tasks import NATURE_AVIS
from ipt import travaux
from ipt.perimetre import bailleurs_couverts, couvre_tout
from ipt.roles import Role, role_requis

PAR_PAGE = 50
# The run's form and the filter share the page: the run's fields are prefixed (ids and names apart).
PREFIXE_EXECUTION = "execution"


@require_GET
@role_requis(Role.VILLE)
def releves(request):
    """City staff: the statements, filtered, the run form and the latest runs."""
    filtre = FiltreRelevesForm(request.GET or None)
    criteres = filtre.cleaned_data if filtre.is_valid() else {}
    qs = selectors.releves_liste(
        request.user,
        bailleur=criteres.get("bailleur"),
        mois=criteres.get("mois"),
        statut=criteres.get("statut") or "",
    )
    page = Paginator(qs, PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "charges/releve_list.html",
        {
            "filtre": filtre,
            "page": page,
            "parametres": parametres.urlencode(),
            "form": ExecutionForm(initial={"mois": mois_a_facturer()}, prefix=PREFIXE_EXECUTION),
            "executions": selectors.executions_recentes(),
        },
    )


@require_POST
@role_requis(Role.VILLE)
def execution_lancer(request):
    """City staff bill a month in two steps: the month is checked and a preview shown (month, landlords,
    dwellings, total); nothing is written until they confirm. The message then says what happened."""
    form = ExecutionForm(request.POST, prefix=PREFIXE_EXECUTION)
    if not form.is_valid():
        for erreur in form.errors.get("mois", []):
            messages.error(request, erreur)
        return redirect("charges:releves")
    mois = form.cleaned_data["mois"]
    try:
        services.execution_verifier_mois(mois=mois)
    except services.ExecutionImpossible as refus:
        messages.error(request, refus.message)
        return redirect("charges:releves")
    if not form.cleaned_data.get("confirmer"):
        return render(
            request,
            "charges/execution_confirmer.html",
            {"form": form, "apercu": selectors.apercu_facturation(mois)},
        )
    try:
        execution = services.execution_demander(mois=mois, demandeur=request.user)
    except services.ExecutionImpossible as refus:
        messages.error(request, refus.message)
        return redirect("charges:releves")
    execution.refresh_from_db()
    if execution.statut == Execution.Statut.ECHEC:
        messages.error(request, execution.message)
    elif execution.statut == Execution.Statut.TERMINE:  # run here and now (tests, the shell)
        messages.success(
            request,
            _("%(mois)s billed: %(releves)s, %(charges)s.")
            % {
                "mois": capfirst(_mois(execution)),
                "releves": ngettext(
                    "%(n)s statement issued", "%(n)s statements issued", execution.releves_emis
                )
                % {"n": execution.releves_emis},
                "charges": ngettext("%(n)s charge created", "%(n)s charges created", execution.charges_creees)
                % {"n": execution.charges_creees},
            },
        )
    else:
        messages.success(
            request,
            _("The billing of %(mois)s is under way: follow it below, the statements are issued at the end.")
            % {"mois": _mois(execution)},
        )
    return redirect("charges:releves")


def _mois(execution: Execution) -> str:
    return date_format(execution.mois, "F Y")


@require_GET
@role_requis(Role.VILLE)
@never_cache
def execution(request, pk: int):
    """A run's progress, polled by htmx every second (the fragment; HTTP 286 stops the polling once it
    is over); opened directly, a full page."""
    objet = get_object_or_404(Execution.objects.select_related("demandeur"), pk=pk)
    gabarit = "charges/execution_statut.html" if request.htmx else "charges/execution_detail.html"
    reponse = render(request, gabarit, {"execution": objet})
    if objet.fini and request.htmx:
        reponse.status_code = 286
    return reponse


@require_GET
@role_requis(Role.VILLE, Role.BAILLEUR)
def releve(request, pk: int):
    """A statement: its figures, subtotals per building, adjustments; for staff, the adjustment form."""
    objet = selectors.releve_pour(request.user, pk)
    staff = couvre_tout(request.user)
    return render(
        request,
        "charges/releve_detail.html",
        {
            "releve": objet,
            "sous_totaux": selectors.sous_totaux(objet),
            "regularisations": selectors.regularisations_du_releve(objet),
            "recues": selectors.regularisations_recues(objet) if staff else [],
            "form": RegularisationForm() if staff and objet.fige else None,
            "staff": staff,
            "regle": REGLE,
        },
    )


def _document(request, pk: int, champ: str, type_mime: str):
    objet = selectors.releve_pour(request.user, pk)
    fichier = getattr(objet, champ)
    if objet.statut != Releve.Statut.EMIS or not fichier:
        raise Http404
    try:
        flux = fichier.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    reponse = FileResponse(
        flux, as_attachment=True, filename=f"{objet.numero}.{champ}", content_type=type_mime
    )
    reponse["X-Content-SHA256"] = getattr(objet, f"sha256_{champ}")
    return reponse


@require_GET
@role_requis(Role.VILLE, Role.BAILLEUR)
def releve_pdf(request, pk: int):
    return _document(request, pk, "pdf", "application/pdf")


@require_GET
@role_requis(Role.VILLE, Role.BAILLEUR)
def releve_csv(request, pk: int):
    return _document(request, pk, "csv", "text/csv; charset=utf-8")


@require_POST
@role_requis(Role.VILLE)
def regularisation(request, pk: int):
    """City staff record an adjustment of an issued statement, for the landlord's next statement."""
    objet = selectors.releve_pour(request.user, pk)
    form = RegularisationForm(request.POST)
    if form.is_valid():
        try:
            services.regularisation_creer(releve=objet, user=request.user, **form.cleaned_data)
        except services.RegularisationImpossible as refus:
            messages.error(request, refus.message)
        else:
            messages.success(
                request,
                _("Adjustment recorded: it will be on the next statement of %(bailleur)s.")
                % {"bailleur": objet.bailleur.nom},
            )
            return redirect(objet)
    else:
        for champ, erreurs in form.errors.items():
            for erreur in erreurs:
                messages.error(
                    request, f"{form.fields[champ].label} : {erreur}" if champ in form.fields else erreur
                )
    return redirect(objet)


@require_GET
@role_requis(Role.BAILLEUR)
def bailleur(request):
    """The landlord's home: its issued statements, and its yearly summaries."""
    liste = selectors.releves_du_bailleur(request.user)
    bailleurs = list(bailleurs_couverts(request.user).order_by("nom"))
    return render(
        request,
        "charges/bailleur.html",
        {
            "releves": liste,
            "annees": selectors.annees_des_releves(liste),
            "synthese": selectors.synthese_bailleur(liste),
            "bailleurs": bailleurs,
            "travaux": selectors.avis_demandes(request.user, bailleurs),
        },
    )


def _bailleur_couvert(request, bailleur_pk: int):
    return get_object_or_404(bailleurs_couverts(request.user), pk=bailleur_pk)


@require_GET
@role_requis(Role.VILLE, Role.BAILLEUR)
def resume_csv(request, bailleur_pk: int, annee: int):
    """The yearly summary of a landlord: per dwelling, the months charged and the total (CSV)."""
    objet = _bailleur_couvert(request, bailleur_pk)
    if not 2000 <= annee <= timezone.localdate().year:
        raise Http404
    contenu = resume_annuel_csv(annee, selectors.resume_annuel(objet, annee))
    reponse = HttpResponse(contenu, content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="recapitulatif-{objet.code}-{annee}.csv"'
    return reponse


@require_POST
@role_requis(Role.VILLE, Role.BAILLEUR)
def avis_lancer(request, bailleur_pk: int, annee: int):
    """Start the job making the yearly notices (a page per dwelling, a PDF per building)."""
    objet = _bailleur_couvert(request, bailleur_pk)
    if not 2000 <= annee <= timezone.localdate().year:
        raise Http404
    retour = "charges:bailleur" if not couvre_tout(request.user) else "charges:releves"
    try:
        travail = travaux.travail_creer(
            nature=NATURE_AVIS, parametres={"bailleur": objet.pk, "annee": annee}, demandeur=request.user
        )
    except travaux.TropDeTravaux as refus:
        messages.error(request, " ".join(refus.messages))
        return redirect(retour)
    travaux.annoncer(request, travail)
    return redirect(f"{reverse('travail', args=[travail.pk])}?retour={reverse(retour)}")
