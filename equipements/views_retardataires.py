"""The late-comers' pages: the quartiers, one quartier's late-comers with their state and its slots; city
staff open slots and send the letters (background jobs, progress polled), the desk (volunteers of the
quartier's centre) and city staff book appointments and record declines. And the upload of the provider's
list of decoders (city staff), through the same rules as ``manage.py importer_decodeurs``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from equipements import selectors_retardataires as sel
from equipements import services_retardataires as services
from equipements.forms_retardataires import (
    CreneauForm,
    DeclinForm,
    EnvoiForm,
    ImportDecodeursForm,
    RendezVousForm,
)
from equipements.importation import importer_stock
from equipements.selectors import detient_equipement
from ipt.models import Travail
from ipt.roles import Role, a_le_role, role_requis
from ipt.travaux import TropDeTravaux, libelle_de
from logements.selectors import foyer_de


def _travaux_des_envois(envois) -> dict[int, list[Travail]]:
    par_envoi: dict[int, list[Travail]] = {e.pk: [] for e in envois}
    if not envois:
        return par_envoi
    travaux = Travail.objects.filter(
        nature=services.NATURE_LETTRES, parametres__envoi__in=list(par_envoi)
    ).order_by("pk")
    libelle = libelle_de(services.NATURE_LETTRES)
    for travail in travaux:
        lots = travail.parametres.get("lots", 1)
        travail.libelle = (
            _("%(libelle)s, lot %(lot)s of %(lots)s")
            % {"libelle": libelle, "lot": travail.parametres.get("lot"), "lots": lots}
            if lots > 1
            else libelle
        )
        par_envoi.setdefault(travail.parametres.get("envoi"), []).append(travail)
    return par_envoi


@require_GET
@role_requis(Role.VILLE, Role.ACCUEIL)
def retardataires(request):
    """The quartiers covered that have handout days, each with the date of its last one."""
    return render(
        request,
        "equipements/retardataires_liste.html",
        {"quartiers": sel.quartiers_retardataires(request.user)},
    )


def _page_quartier(request, quartier, *, creneau_form=None, envoi_form=None, status=200):
    lignes = sel.lignes(quartier.pk)
    creneaux = sel.creneaux(quartier.pk)
    est_ville = a_le_role(request.user, Role.VILLE)
    envois = sel.envois(quartier.pk) if est_ville else []
    travaux = _travaux_des_envois(envois)
    for envoi in envois:
        envoi.travaux = travaux.get(envoi.pk, [])
    comptes = {}
    for ligne in lignes:
        comptes[ligne.etat] = comptes.get(ligne.etat, 0) + 1
    return render(
        request,
        "equipements/retardataires_quartier.html",
        {
            "quartier": quartier,
            "derniere_journee": sel.derniere_journee(quartier.pk),
            "lignes": lignes,
            "comptes": [(str(sel.LIBELLES[code]), comptes.get(code, 0)) for code in sel.LIBELLES],
            "creneaux": creneaux,
            "est_ville": est_ville,
            "envois": envois,
            "creneau_form": creneau_form or CreneauForm(initial={"lieu": _lieu_par_defaut(quartier)}),
            "envoi_form": envoi_form
            or EnvoiForm(creneaux=[c for c in creneaux if c.libres], initial={"etape": "invitation"}),
        },
        status=status,
    )


def _lieu_par_defaut(quartier) -> str:
    return quartier.centre_social.nom if quartier.centre_social_id else ""


@require_GET
@role_requis(Role.VILLE, Role.ACCUEIL)
def retardataires_quartier(request, pk: int):
    return _page_quartier(request, sel.quartier_de(request.user, pk))


@role_requis(Role.VILLE)
def creneau_nouveau(request, pk: int):
    quartier = sel.quartier_de(request.user, pk)
    if request.method != "POST":
        return redirect(reverse("equipements:retardataires_quartier", args=[pk]) + "#creneaux")
    form = CreneauForm(request.POST)
    if form.is_valid():
        try:
            creneau = services.creneau_ouvrir(quartier=quartier, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Slot opened: %(creneau)s.") % {"creneau": creneau})
            return redirect(reverse("equipements:retardataires_quartier", args=[pk]) + "#creneaux")
    return _page_quartier(request, quartier, creneau_form=form, status=400)


@require_POST
@role_requis(Role.VILLE)
def lettres_envoyer(request, pk: int):
    """Record a mailing (invitation or reminder) and start the jobs making its letters."""
    quartier = sel.quartier_de(request.user, pk)
    form = EnvoiForm(request.POST, creneaux=sel.creneaux_libres(quartier.pk))
    if form.is_valid():
        donnees = form.cleaned_data
        try:
            envoi, travaux = services.envoi_lettres(
                quartier=quartier,
                etape=donnees["etape"],
                creneaux=list(donnees["creneaux"]),
                invites_jusqu_au=donnees["invites_jusqu_au"],
                par=request.user,
            )
        except (ValidationError, TropDeTravaux) as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                _("%(n)s letter(s) recorded; they are being prepared below.") % {"n": envoi.lettres.count()},
            )
            return redirect(reverse("equipements:retardataires_quartier", args=[pk]) + "#lettres")
    return _page_quartier(request, quartier, envoi_form=form, status=400)


# --- One household: book, cancel, decline --------------------------------------------------------


@role_requis(Role.VILLE, Role.ACCUEIL)
def rendez_vous_nouveau(request, pk: int):
    """Book the household on a slot of its quartier (the slot its letter proposed, first)."""
    foyer = foyer_de(request.user, pk)
    creneaux = sel.creneaux_libres(foyer.logement.immeuble.quartier_id)
    propose = (
        foyer.lettres.filter(creneau__in=[c.pk for c in creneaux]).order_by("-envoi__date").first()
        if creneaux
        else None
    )
    form = RendezVousForm(
        request.POST or None,
        creneaux=creneaux,
        initial={"creneau": propose.creneau_id if propose else (creneaux[0].pk if creneaux else None)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                rdv = services.rendez_vous_prendre(
                    foyer=foyer, creneau=form.cleaned_data["creneau"], par=request.user
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, _("Appointment booked: %(creneau)s.") % {"creneau": rdv.creneau})
                return redirect("logements:foyer", pk=foyer.pk)
        status = 400
    return render(
        request,
        "equipements/rendez_vous_form.html",
        {"foyer": foyer, "form": form, "creneaux": creneaux, "equipe": detient_equipement(foyer)},
        status=status,
    )


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def rendez_vous_annuler(request, pk: int):
    rdv = sel.rendez_vous_de(request.user, pk)
    try:
        services.rendez_vous_annuler(rendez_vous=rdv, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, _("Appointment cancelled."))
    return redirect("logements:foyer", pk=rdv.foyer_id)


@role_requis(Role.VILLE, Role.ACCUEIL)
def declin_nouveau(request, pk: int):
    foyer = foyer_de(request.user, pk)
    form = DeclinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.declin_enregistrer(foyer=foyer, **form.cleaned_data, par=request.user)
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(request, _("Decline recorded: no more letters to this household."))
                return redirect("logements:foyer", pk=foyer.pk)
        status = 400
    return render(request, "equipements/declin_form.html", {"foyer": foyer, "form": form}, status=status)


# --- The provider's list of decoders ---------------------------------------------------------------


@role_requis(Role.VILLE)
def decodeurs_importer(request):
    """Upload the provider's list: every error with its line number, nothing written unless the whole
    file is right; the same file again changes nothing."""
    form = ImportDecodeursForm(request.POST or None, request.FILES or None)
    resultat = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            resultat = importer_stock(
                form.cleaned_data["fichier"], par=request.user, appliquer=not form.cleaned_data["essai"]
            )
            if resultat.ok and not form.cleaned_data["essai"]:
                messages.success(
                    request,
                    _("%(n)s new decoder(s), %(m)s already in stock.")
                    % {"n": resultat.crees, "m": resultat.inchanges},
                )
                return redirect("equipements:decodeurs_importer")
            if not resultat.ok:
                status = 400
        else:
            status = 400
    return render(
        request, "equipements/decodeurs_import.html", {"form": form, "resultat": resultat}, status=status
    )
