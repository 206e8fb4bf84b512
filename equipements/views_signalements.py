"""Views of the provider incidents. Reporting: city staff, the desk, caretakers (their buildings only);
everything else (the open list, follow-up, statistics, the escalation letter): city staff."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from charges.mois import mois_courant, mois_precedent
from equipements import selectors_signalements as selectors
from equipements.forms_signalements import FiltreStatistiquesForm, SignalementForm, SuiviForm
from equipements.signalements import signalement_annuler, signalement_creer, signalement_suivre
from ipt.pdf import render_pdf
from ipt.perimetre import restreindre
from ipt.roles import Role, a_le_role, role_requis
from logements.models import Logement


@require_http_methods(["GET", "POST"])
@role_requis(Role.VILLE, Role.ACCUEIL, Role.GARDIEN)
def signalement_nouveau(request):
    """The short report form; ``?logement=`` (from a household's page) fills in the dwelling."""
    initial = {}
    if request.method == "GET" and request.GET.get("logement"):
        try:
            pk = int(request.GET["logement"])
        except ValueError:
            pk = 0
        logement = get_object_or_404(
            restreindre(
                Logement.objects.all(), request.user, quartier="immeuble__quartier", immeuble="immeuble"
            ),
            pk=pk,
        )
        initial = {
            "immeuble": logement.immeuble_id,
            "cage": logement.cage,
            "etage": logement.etage,
            "porte": logement.porte,
        }
    form = SignalementForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            signalement = signalement_creer(
                par=request.user,
                immeuble=d["immeuble"],
                logement=form.logement,
                categorie=d["categorie"],
                description=d["description"],
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                _("Incident reported: %(incident)s. The city passes it on to the provider.")
                % {"incident": signalement},
            )
            if a_le_role(request.user, Role.VILLE):
                return redirect("equipements:signalement", pk=signalement.pk)
            return redirect("equipements:signalement_nouveau")
    return render(request, "equipements/signalement_form.html", {"form": form})


@require_GET
@role_requis(Role.VILLE)
def signalements(request):
    ouverts = selectors.signalements_ouverts(request.user)
    page = Paginator(ouverts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "equipements/signalement_liste.html",
        {"page": page, "nb_retard": sum(1 for s in ouverts if s.retard)},
    )


@require_http_methods(["GET", "POST"])
@role_requis(Role.VILLE)
def signalement(request, pk):
    s = get_object_or_404(
        selectors.signalements_visibles(request.user).select_related(
            "immeuble__quartier", "logement", "signale_par"
        ),
        pk=pk,
    )
    form = SuiviForm(
        request.POST or None,
        initial={
            "reference_fournisseur": s.reference_fournisseur,
            "pris_en_compte_le": s.pris_en_compte_le,
            "resolu_le": s.resolu_le,
            "attente_locataire_jours": s.attente_locataire_jours,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            signalement_suivre(par=request.user, signalement=s, **form.cleaned_data)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Incident updated."))
            return redirect("equipements:signalement", pk=s.pk)
    s.retard = selectors.retard(s, selectors.delais_cibles(), timezone.localdate())
    echanges = s.restitutions.select_related("recu", "foyer").order_by("date", "pk")
    return render(
        request, "equipements/signalement_detail.html", {"s": s, "form": form, "echanges": echanges}
    )


@require_POST
@role_requis(Role.VILLE)
def signalement_annulation(request, pk):
    s = get_object_or_404(selectors.signalements_visibles(request.user), pk=pk)
    try:
        signalement_annuler(par=request.user, signalement=s)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, _("Incident cancelled."))
    return redirect("equipements:signalement", pk=s.pk)


@require_GET
@role_requis(Role.VILLE)
def statistiques(request):
    """The figures for the filtered period (the last 12 months by default): one line per category, then
    per month, quartier and category. A bad filter shows its error and no figures."""
    courant = mois_courant()
    filtre = FiltreStatistiquesForm(
        request.GET or None, initial={"du": _mois_avant(courant, 11), "au": courant}
    )
    cibles = selectors.delais_cibles()
    lignes = synthese = None
    if not filtre.is_bound or filtre.is_valid():
        criteres = filtre.cleaned_data if filtre.is_bound else {}
        # The month range left empty in the form is the default one.
        parametres = {
            "depuis": criteres.get("du") or (None if criteres.get("au") else filtre.initial["du"]),
            "jusqu_au": criteres.get("au") or (None if criteres.get("du") else filtre.initial["au"]),
            "quartier": criteres.get("quartier"),
            "categorie": criteres.get("categorie") or "",
            "cibles": cibles,
        }
        synthese = selectors.statistiques(request.user, synthese=True, **parametres)
        lignes = selectors.statistiques(request.user, **parametres)
    return render(
        request,
        "equipements/signalement_statistiques.html",
        {
            "filtre": filtre,
            "synthese": synthese,
            "lignes": lignes,
            "cibles": cibles.values(),
        },
    )


def _mois_avant(mois, n):
    for _i in range(n):
        mois = mois_precedent(mois)
    return mois


@require_GET
@role_requis(Role.VILLE)
def relance(request):
    """The escalation letter to the provider: the overdue incidents, as a PDF."""
    jour = timezone.localdate()
    contenu = render_pdf(
        "pdf/equipements_relance_fournisseur.html",
        {
            "signalements": selectors.signalements_en_retard(request.user, jour),
            "cibles": selectors.delais_cibles(),
            "destinataire": [
                settings.FOURNISSEUR["nom"],
                settings.FOURNISSEUR["service"],
                *settings.FOURNISSEUR["adresse"],
            ],
            "jour": jour,
        },
    )
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="relance-fournisseur-{jour:%Y-%m-%d}.pdf"'
    return reponse
