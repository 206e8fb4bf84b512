"""The desk's pages for the money of the PC sales: a sale's account (record a later payment, reverse a
mistake, waive what remains, cancel or take back under warranty), the payment receipts, the follow-up of
instalments due and overdue with the reminder letters, and the cash book with its CSV and the year's
balance.

City staff and the volunteers of the household's centre (scoped by ipt.perimetre: out of scope → 404);
caretakers and landlords: 403. Waiving is for city staff only.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from equipements import paiements
from equipements import selectors_paiements as selectors
from equipements.exports_paiements import journal_csv
from equipements.forms_paiements import (
    AnnulationForm,
    BilanForm,
    CentreForm,
    CentreJourForm,
    MotifForm,
    PaiementForm,
    PeriodeForm,
)
from equipements.modeles_ordinateurs import Vente
from ipt import travaux
from ipt.argent import euros
from ipt.perimetre import couvre_tout
from ipt.roles import Role, role_requis


def _erreurs(erreur: ValidationError) -> str:
    return " ".join(erreur.messages)


def _page_vente(request, vente: Vente, *, form=None, status: int = 200):
    situation = paiements.situation(vente)
    if form is None:
        suggere = situation.a_payer_maintenant
        form = PaiementForm(initial={"montant": f"{suggere:.2f}".replace(".", ",") if suggere > 0 else ""})
    return render(
        request,
        "equipements/vente_paiements.html",
        {
            "vente": vente,
            "foyer": vente.foyer,
            "situation": situation,
            "paiements": selectors.paiements_de_la_vente(vente),
            "form": form,
            "peut_abandonner": couvre_tout(request.user),
            "fin_de_garantie": paiements.fin_de_garantie(vente),
        },
        status=status,
    )


@role_requis(Role.VILLE, Role.ACCUEIL)
def vente_paiements(request, pk: int):
    """A sale's account: its instalments, the payments with their receipts, what remains; the form records
    a payment (the second instalment next month, a third party's share…) and opens its receipt."""
    vente = selectors.vente_de(request.user, pk)
    if request.method != "POST":
        return _page_vente(request, vente)
    form = PaiementForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            paiement = paiements.encaisser(
                vente=vente,
                montant=d["montant"],
                mode=d["mode"],
                tiers=d["tiers"],
                le=d["date"],
                par=request.user,
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                _("Payment of %(montant)s recorded: receipt %(numero)s.")
                % {"montant": euros(paiement.montant), "numero": paiement.recu.numero},
            )
            return redirect(
                reverse("equipements:vente_paiements", args=[vente.pk]) + f"#paiement-{paiement.pk}"
            )
    return _page_vente(request, vente, form=form, status=400)


@require_GET
@role_requis(Role.VILLE, Role.ACCUEIL)
def paiement_recu(request, pk: int):
    """A payment receipt's PDF: always the same file (rendered once, then stored)."""
    paiement = selectors.paiement_de(request.user, pk)
    contenu = paiements.paiement_recu_pdf(recu=paiement.recu)
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="{paiement.recu.numero}.pdf"'
    return reponse


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def paiement_contrepasser(request, pk: int):
    """Reverse a payment recorded by mistake (a negative entry with the reason and its own receipt)."""
    paiement = selectors.paiement_de(request.user, pk)
    form = MotifForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason of the reversal."))
    else:
        try:
            contre = paiements.contrepasser(
                paiement=paiement, motif=form.cleaned_data["motif"], par=request.user
            )
        except ValidationError as erreur:
            messages.error(request, _erreurs(erreur))
        else:
            messages.success(
                request,
                _("Payment %(origine)s reversed: receipt %(numero)s.")
                % {"origine": paiement.recu.numero, "numero": contre.recu.numero},
            )
    return redirect("equipements:vente_paiements", pk=paiement.vente_id)


@require_POST
@role_requis(Role.VILLE)
def vente_abandon(request, pk: int):
    """City staff waive what remains of a sale, with a reason."""
    vente = selectors.vente_de(request.user, pk)
    form = MotifForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for waiving what remains."))
    else:
        try:
            abandon = paiements.abandonner(vente=vente, motif=form.cleaned_data["motif"], par=request.user)
        except ValidationError as erreur:
            messages.error(request, _erreurs(erreur))
        except PermissionDenied:
            raise
        else:
            messages.success(request, _("%(montant)s waived.") % {"montant": euros(abandon.montant)})
    return redirect("equipements:vente_paiements", pk=vente.pk)


@role_requis(Role.VILLE, Role.ACCUEIL)
def vente_annulation(request, pk: int):
    """Cancel a sale, or take the PC back under warranty; every payment is refunded with its receipt."""
    vente = selectors.vente_de(request.user, pk)
    form = AnnulationForm(request.POST or None, initial={"cas": "annulation"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                remboursements = paiements.vente_annuler(
                    vente=vente,
                    motif=d["motif"],
                    retour=d["cas"] == "retour",
                    mode=d["mode"] or None,
                    le=d["date"],
                    par=request.user,
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                if remboursements:
                    messages.success(
                        request,
                        _("Done. Refunds recorded: %(recus)s.")
                        % {"recus": ", ".join(r.recu.numero for r in remboursements)},
                    )
                else:
                    messages.success(request, _("Done. Nothing had been paid: nothing to refund."))
                return redirect("equipements:vente_paiements", pk=vente.pk)
        status = 400
    return render(
        request,
        "equipements/vente_annulation.html",
        {
            "vente": vente,
            "foyer": vente.foyer,
            "form": form,
            "situation": paiements.situation(vente),
            "fin_de_garantie": paiements.fin_de_garantie(vente),
        },
        status=status,
    )


# --- Follow-up: instalments due and overdue --------------------------------------------------------


def _centre_choisi(request, form_classe, **kwargs):
    centres = selectors.centres_couverts(request.user)
    form = form_classe(request.GET or None, centres=centres, **kwargs)
    if request.GET and not form.is_valid():
        return form, None, False
    return form, (form.cleaned_data if form.is_bound else {}), True


@require_GET
@role_requis(Role.VILLE, Role.ACCUEIL)
def suivi(request):
    """The instalments overdue and due within two weeks, per centre (every centre covered by default)."""
    form, donnees, valide = _centre_choisi(request, CentreForm)
    centre = (donnees or {}).get("centre")
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    resultat = selectors.suivi(request.user, centre=centre, page=page) if valide else None
    return render(
        request,
        "equipements/paiements_suivi.html",
        {
            "form": form,
            "centre": centre,
            "suivi": resultat,
            "parametres": urlencode({"centre": centre.pk}) if centre else "",
            "jour": timezone.localdate(),
        },
        status=200 if valide else 400,
    )


def _vers_travail(request, travail):
    travaux.annoncer(request, travail)
    retour = request.POST.get("retour") or reverse("equipements:suivi_paiements")
    if not retour.startswith("/") or retour.startswith("//"):
        retour = reverse("equipements:suivi_paiements")
    return redirect(reverse("travail", args=[travail.pk]) + "?" + urlencode({"retour": retour}))


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def vente_rappel(request, pk: int):
    """The reminder letter of one sale (a background PDF job)."""
    vente = selectors.vente_de(request.user, pk)
    en_retard = selectors.ventes_en_retard(Vente.objects.filter(pk=vente.pk), timezone.localdate())
    try:
        travail = paiements.rappels_demander(ventes=en_retard, demandeur=request.user)
    except ValidationError as erreur:
        messages.error(request, _erreurs(erreur))
        return redirect("equipements:vente_paiements", pk=vente.pk)
    return _vers_travail(request, travail)


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def rappels(request):
    """The reminder letters of every overdue sale of a centre (one PDF, one page per household)."""
    centres = selectors.centres_couverts(request.user)
    form = CentreForm(request.POST, centres=centres)
    if not form.is_valid() or form.cleaned_data["centre"] is None:
        messages.error(request, _("Choose the social centre whose letters to make."))
        return redirect("equipements:suivi_paiements")
    centre = form.cleaned_data["centre"]
    qs = selectors._centre_de_la_vente(selectors.ventes_couvertes(request.user), centre)
    en_retard = selectors.ventes_en_retard(qs, timezone.localdate())
    try:
        travail = paiements.rappels_demander(ventes=en_retard, demandeur=request.user)
    except ValidationError as erreur:
        messages.error(request, _erreurs(erreur))
        return redirect(reverse("equipements:suivi_paiements") + "?" + urlencode({"centre": centre.pk}))
    return _vers_travail(request, travail)


# --- The cash book ----------------------------------------------------------------------------------


@require_GET
@role_requis(Role.VILLE, Role.ACCUEIL)
def caisse(request):
    """The cash book of a centre for a day: each entry with its receipt, totals per method and volunteer."""
    centres = selectors.centres_couverts(request.user)
    donnees = request.GET.copy()
    if not donnees.get("centre"):
        premier = centres.first()
        if premier is not None:
            donnees["centre"] = str(premier.pk)
    form = CentreJourForm(donnees, centres=centres)
    journal = None
    status = 200
    if form.is_valid():
        jour = form.cleaned_data["jour"]
        journal = selectors.journal_caisse(form.cleaned_data["centre"], jour)
    elif request.GET:
        status = 400
    contexte = {"form": form, "journal": journal}
    if journal is not None:
        contexte["veille"] = journal.du - datetime.timedelta(days=1)
        contexte["lendemain"] = journal.du + datetime.timedelta(days=1)
        contexte["aujourdhui"] = timezone.localdate()
    return render(request, "equipements/caisse.html", contexte, status=status)


@require_GET
@role_requis(Role.VILLE, Role.ACCUEIL)
def caisse_csv(request):
    """The cash book as CSV for the treasurer: a centre, one day or a period (at most a year)."""
    form = PeriodeForm(request.GET, centres=selectors.centres_couverts(request.user))
    if not form.is_valid():
        return HttpResponse(
            " ".join(str(e) for erreurs in form.errors.values() for e in erreurs),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    d = form.cleaned_data
    journal = selectors.journal_caisse(d["centre"], d["du"], d["au"])
    reponse = HttpResponse(journal_csv(journal), content_type="text/csv; charset=utf-8")
    periode = d["du"].isoformat() if d["du"] == d["au"] else f"{d['du'].isoformat()}_{d['au'].isoformat()}"
    reponse["Content-Disposition"] = (
        f'attachment; filename="journal-de-caisse-{d["centre"].pk}-{periode}.csv"'
    )
    return reponse


@require_GET
@role_requis(Role.VILLE, Role.ACCUEIL)
def caisse_bilan(request):
    """The year's balance per centre: sold = paid + waived + outstanding."""
    form, donnees, valide = _centre_choisi(request, BilanForm)
    donnees = donnees or {}
    annee = donnees.get("annee") or timezone.localdate().year
    lignes = selectors.bilan_annuel(request.user, annee, donnees.get("centre")) if valide else []
    return render(
        request,
        "equipements/caisse_bilan.html",
        {"form": form, "annee": annee, "lignes": lignes[:-1], "total": lignes[-1] if lignes else None},
        status=200 if valide else 400,
    )
