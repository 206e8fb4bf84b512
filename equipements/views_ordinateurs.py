"""Refurbished PCs at the desk: the stock, a PC reserved or sold to a household, a second PC allowed by
city staff, the recyclerie's list imported by city staff. Volunteers of the household's centre and city
staff; households scoped by ipt.perimetre (out of scope: 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from equipements import selectors_ordinateurs as selectors
from equipements import services_ordinateurs as services
from equipements.forms_ordinateurs import (
    DerogationForm,
    ImportOrdinateursForm,
    OrdinateurFoyerForm,
    StockFiltreForm,
    libelle_echeances,
)
from equipements.importation_ordinateurs import importer_ordinateurs
from equipements.models import plan_echeances
from ipt.argent import euros
from ipt.roles import Role, role_requis
from logements.selectors import foyer_de


def _plans(offre) -> list[dict]:
    """The price tiers of the offer and their instalments, shown next to the sale form."""
    if offre is None:
        return []
    jour = timezone.localdate()
    tiers: dict = {}
    for palier in offre.paliers.all():
        tiers.setdefault(palier.prix, []).append(palier.get_type_display())
    return [
        {
            "prix": prix,
            "types": types,
            "plans": [
                (libelle_echeances(n), [m for _r, _d, m in plan_echeances(prix, n, jour)])
                for n in range(1, offre.echeances_max + 1)
            ],
        }
        for prix, types in sorted(tiers.items())
    ]


@role_requis(Role.ACCUEIL)
def ordinateur_foyer(request, pk):
    """Reserve a PC of the stock for a household, or sell it one (the price of the offer of the day)."""
    foyer = foyer_de(request.user, pk)
    jour = timezone.localdate()
    offre = selectors.offre_en_vigueur(jour)
    disponibles = selectors.disponibles(jour, foyer=foyer)
    erreur_foyer = None
    try:
        services.verifier_foyer(foyer)
    except ValidationError as erreur:
        erreur_foyer = erreur
    form = OrdinateurFoyerForm(
        request.POST or None, disponibles=disponibles, offre=offre, vendre="reserver" not in request.POST
    )
    status = 200
    if request.method == "POST":
        if erreur_foyer is None and form.is_valid():
            donnees = form.cleaned_data
            try:
                if "reserver" in request.POST:
                    reservation = services.reservation_creer(
                        foyer=foyer, ordinateur=donnees["ordinateur"], par=request.user
                    )
                    messages.success(
                        request,
                        _("PC %(ref)s reserved for this household until %(date)s.")
                        % {
                            "ref": reservation.ordinateur.reference,
                            "date": f"{reservation.jusqu_au:%d/%m/%Y}",
                        },
                    )
                    return redirect("logements:foyer", pk=foyer.pk)
                vente = services.vente_enregistrer(
                    foyer=foyer,
                    ordinateur=donnees["ordinateur"],
                    nb_echeances=donnees["nb_echeances"],
                    mode=donnees["mode"],
                    tiers=donnees["tiers"],
                    par=request.user,
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                paiement = vente.premier_paiement
                messages.success(
                    request,
                    _(
                        "PC %(ref)s sold; %(montant)s paid today (receipt %(recu)s). Hand it over now: the "
                        "household signs the equipment receipt."
                    )
                    % {
                        "ref": vente.ordinateur.reference,
                        "montant": euros(paiement.montant),
                        "recu": paiement.recu.numero,
                    },
                )
                return redirect("equipements:remise", pk=foyer.pk)
        status = 400
    return render(
        request,
        "equipements/ordinateur_foyer.html",
        {
            "foyer": foyer,
            "logement": foyer.logement,
            "offre": offre,
            "plans": _plans(offre),
            "form": form,
            "erreur_foyer": erreur_foyer,
            "aucun": not disponibles.exists(),
        },
        status=status,
    )


@require_POST
@role_requis(Role.ACCUEIL)
def reservation_annuler(request, pk):
    reservation = selectors.reservation_de(request.user, pk)
    try:
        services.reservation_annuler(reservation=reservation, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request, _("Reservation of PC %(ref)s cancelled.") % {"ref": reservation.ordinateur.reference}
        )
    return redirect("logements:foyer", pk=reservation.foyer_id)


@require_POST
@role_requis(Role.VILLE)
def derogation(request, pk):
    """City staff allow a household a second PC, with a reason."""
    foyer = foyer_de(request.user, pk)
    form = DerogationForm(request.POST)
    if form.is_valid():
        try:
            services.derogation_accorder(foyer=foyer, motif=form.cleaned_data["motif"], par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            messages.success(request, _("A second PC is allowed to “%(foyer)s”.") % {"foyer": foyer.nom})
    else:
        messages.error(request, _("Give the reason for allowing a second PC."))
    return redirect("logements:foyer", pk=foyer.pk)


@require_GET
@role_requis(Role.ACCUEIL)
def stock(request):
    """The recyclerie's stock as every desk sees it: what is available today and at what price."""
    jour = timezone.localdate()
    filtre = StockFiltreForm(request.GET or None)
    criteres = filtre.cleaned_data if filtre.is_valid() else {}
    qs = selectors.stock(jour, statut=criteres.get("statut", ""), type=criteres.get("type", ""))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    offre = selectors.offre_en_vigueur(jour)
    parametres = "&".join(f"{c}={v}" for c, v in criteres.items() if v)
    return render(
        request,
        "equipements/ordinateur_stock.html",
        {"page": page, "filtre": filtre, "offre": offre, "plans": _plans(offre), "parametres": parametres},
    )


@role_requis(Role.VILLE)
def importer(request):
    """City staff import the recyclerie's list: every error with its line, nothing written unless all is
    right; the same file again changes nothing."""
    resultat = None
    form = ImportOrdinateursForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            essai = form.cleaned_data["essai"]
            resultat = importer_ordinateurs(
                form.cleaned_data["fichier"], par=request.user, appliquer=not essai
            )
            if resultat.ok and not essai:
                messages.success(
                    request,
                    _("%(n)s new PC(s), %(m)s already in stock.")
                    % {"n": resultat.crees, "m": resultat.inchanges},
                )
                return redirect("equipements:ordinateurs")
            if not resultat.ok:
                status = 400
        else:
            status = 400
    return render(
        request, "equipements/ordinateur_import.html", {"form": form, "resultat": resultat}, status=status
    )
