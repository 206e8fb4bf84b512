from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipt.roles import Role, a_le_role, role_requis, voit_donnees_sensibles
from logements import selectors, services
from logements.forms import (
    AdhesionForm,
    DemenagementForm,
    EmmenagementForm,
    FoyerForm,
    OccupantFormSet,
    PersonneForm,
    ProfilForm,
    occupants_saisis,
)
from logements.models import Adhesion

# --- The desk and its search --------------------------------------------------------------------


@require_GET
@role_requis(Role.ACCUEIL)
def accueil(request):
    """The reception desk: one search box. Without JavaScript, the form is a plain GET to this page."""
    q = request.GET.get("q", "").strip()
    return render(
        request,
        "logements/accueil.html",
        {
            "q": q,
            "resultats": selectors.foyers_rechercher(request.user, q),
            "quartiers": selectors.quartiers_du_guichet(request.user),
            "recherche_autofocus": True,
        },
    )


@require_GET
@role_requis(Role.ACCUEIL)
def accueil_recherche(request):
    """The results as you type (htmx); a plain request gets the whole desk page."""
    if not request.htmx or request.htmx.history_restore_request:
        return accueil(request)
    q = request.GET.get("q", "").strip()
    response = render(
        request,
        "logements/foyer_resultats.html",
        {"q": q, "resultats": selectors.foyers_rechercher(request.user, q)},
    )
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- A household --------------------------------------------------------------------------------


def _fiche(request, pk, status=200, **formulaires):
    from ateliers.selectors_messages import messages_du_foyer
    from equipements.selectors import histoire
    from equipements.selectors_ordinateurs import fiche_foyer

    foyer = selectors.foyer_fiche(request.user, pk)
    adhesions = list(foyer.adhesions.all())
    courante = adhesions[0] if adhesions else None
    adherent = courante is not None and courante.type == Adhesion.Type.ADHESION
    prochain = Adhesion.Type.DESISTEMENT if adherent else Adhesion.Type.ADHESION
    contexte = {
        "foyer": foyer,
        "logement": foyer.logement,
        "adhesions": adhesions,
        "adhesion_courante": courante,
        "adherent": adherent,
        "adhesion_form": formulaires.get("adhesion_form") or AdhesionForm(initial={"type": prochain}),
        "demenagement_form": formulaires.get("demenagement_form") or DemenagementForm(),
        "personne_form": formulaires.get("personne_form") or PersonneForm(prefix="occupant"),
        "voit_profil": voit_donnees_sensibles(request.user),
        "est_ville": a_le_role(request.user, Role.VILLE),
        "equipements": histoire(foyer),
        "ordinateurs": fiche_foyer(foyer, timezone.localdate()),
        "messages_foyer": messages_du_foyer(foyer),
    }
    return render(request, "logements/foyer_detail.html", contexte, status=status)


@require_GET
@role_requis(Role.ACCUEIL)
def foyer(request, pk):
    return _fiche(request, pk)


@require_POST
@role_requis(Role.ACCUEIL)
def foyer_adhesion(request, pk):
    foyer = selectors.foyer_de(request.user, pk)
    form = AdhesionForm(request.POST)
    if form.is_valid():
        try:
            adhesion = services.adhesion_enregistrer(foyer=foyer, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            if adhesion.type == Adhesion.Type.ADHESION:
                messages.success(request, _("Opt-in recorded for “%(foyer)s”.") % {"foyer": foyer.nom})
            else:
                messages.success(request, _("Opt-out recorded for “%(foyer)s”.") % {"foyer": foyer.nom})
            return redirect("logements:foyer", pk=foyer.pk)
    return _fiche(request, pk, adhesion_form=form)


@require_POST
@role_requis(Role.ACCUEIL)
def foyer_demenagement(request, pk):
    foyer = selectors.foyer_de(request.user, pk)
    form = DemenagementForm(request.POST)
    if form.is_valid():
        try:
            services.foyer_demenager(foyer=foyer, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Move-out recorded for “%(foyer)s”.") % {"foyer": foyer.nom})
            return redirect("logements:foyer", pk=foyer.pk)
    return _fiche(request, pk, demenagement_form=form)


@role_requis(Role.ACCUEIL)
def foyer_modifier(request, pk):
    foyer = selectors.foyer_de(request.user, pk)
    form = FoyerForm(request.POST or None, instance=foyer)
    if request.method == "POST" and form.is_valid():
        services.foyer_modifier(foyer=foyer, **form.cleaned_data, par=request.user)
        messages.success(request, _("Household details saved."))
        return redirect("logements:foyer", pk=foyer.pk)
    return render(
        request,
        "logements/foyer_form.html",
        {"foyer": foyer, "form": form, "titre": _("Household details")},
    )


@role_requis(Role.ACCUEIL)
def foyer_profil(request, pk):
    """Record the profile with consent. The desk writes it but never reads it back; only whoever holds
    the right to sensitive data does (README "Least privilege")."""
    foyer = selectors.foyer_de(request.user, pk)
    voit_profil = voit_donnees_sensibles(request.user)
    if request.method == "POST":
        form = ProfilForm(request.POST)
        if form.is_valid():
            donnees = {k: v for k, v in form.cleaned_data.items() if k != "consentement"}
            services.foyer_profil_enregistrer(foyer=foyer, **donnees, par=request.user)
            messages.success(request, _("Profile recorded with the household’s consent."))
            return redirect("logements:foyer", pk=foyer.pk)
    else:
        form = ProfilForm(initial=ProfilForm.initial_de(foyer) if voit_profil else {})
    return render(
        request, "logements/foyer_profil.html", {"foyer": foyer, "form": form, "voit_profil": voit_profil}
    )


@require_POST
@role_requis(Role.ACCUEIL)
def foyer_profil_effacer(request, pk):
    foyer = selectors.foyer_de(request.user, pk)
    services.foyer_profil_effacer(foyer=foyer, par=request.user)
    messages.success(request, _("Consent withdrawn: the profile is erased."))
    return redirect("logements:foyer", pk=foyer.pk)


# --- Occupants ----------------------------------------------------------------------------------


@role_requis(Role.ACCUEIL)
def personne_ajouter(request, pk):
    foyer = selectors.foyer_de(request.user, pk)
    form = PersonneForm(request.POST or None, prefix="occupant")
    if request.method == "POST":
        if form.is_valid():
            personne = services.personne_ajouter(foyer=foyer, **form.cleaned_data, par=request.user)
            messages.success(request, _("%(personne)s added to the household.") % {"personne": personne})
            return redirect("logements:foyer", pk=foyer.pk)
        return _fiche(request, pk, personne_form=form)
    return render(
        request, "logements/personne_form.html", {"foyer": foyer, "form": form, "titre": _("Add an occupant")}
    )


@role_requis(Role.ACCUEIL)
def personne_modifier(request, pk):
    personne = selectors.personne_de(request.user, pk)
    form = PersonneForm(request.POST or None, instance=personne)
    if request.method == "POST" and form.is_valid():
        services.personne_modifier(personne=personne, **form.cleaned_data, par=request.user)
        messages.success(request, _("Details of %(personne)s saved.") % {"personne": personne})
        return redirect("logements:foyer", pk=personne.foyer_id)
    return render(
        request,
        "logements/personne_form.html",
        {"foyer": personne.foyer, "personne": personne, "form": form, "titre": _("Occupant’s details")},
    )


@require_POST
@role_requis(Role.ACCUEIL)
def personne_retirer(request, pk):
    personne = selectors.personne_de(request.user, pk)
    foyer_id = personne.foyer_id
    services.personne_retirer(personne=personne, par=request.user)
    messages.success(request, _("%(personne)s no longer lives in this household.") % {"personne": personne})
    return redirect("logements:foyer", pk=foyer_id)


# --- A dwelling: its households, and a move-in ----------------------------------------------------


@require_GET
@role_requis(Role.ACCUEIL)
def logement(request, pk):
    logement = selectors.logement_fiche(request.user, pk)
    foyers = list(logement.foyers.all())
    actuel = next((f for f in foyers if f.demenage_le is None), None)
    return render(
        request,
        "logements/logement_detail.html",
        {"logement": logement, "foyers": foyers, "foyer_actuel": actuel},
    )


@role_requis(Role.ACCUEIL)
def logement_emmenagement(request, pk):
    logement = selectors.logement_de(request.user, pk)
    form = EmmenagementForm(request.POST or None)
    occupants = OccupantFormSet(request.POST or None, prefix="occupants")
    if request.method == "POST" and form.is_valid() and occupants.is_valid():
        try:
            foyer = services.foyer_emmenager(
                logement=logement,
                **form.cleaned_data,
                occupants=occupants_saisis(occupants),
                par=request.user,
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Move-in of “%(foyer)s” recorded.") % {"foyer": foyer.nom})
            return redirect("logements:foyer", pk=foyer.pk)
    return render(
        request,
        "logements/logement_emmenagement.html",
        {"logement": logement, "form": form, "occupants": occupants},
    )
