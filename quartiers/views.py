from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ipt import travaux
from ipt.roles import Role, a_le_role, role_requis
from logements.models import Bailleur, Immeuble
from quartiers import selectors, services
from quartiers.forms import CampagneForm, FeuillesForm, JalonForm, ReunionForm, VisitesForm
from quartiers.models import Jalon


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


# --- Campaigns ----------------------------------------------------------------------------------


@role_requis(Role.VILLE, Role.ACCUEIL)
def campagnes(request):
    """The campaigns of the quartiers the user covers, with their next and late milestones."""
    return render(
        request,
        "quartiers/campagne_liste.html",
        {
            "campagnes": selectors.campagnes_liste(request.user, timezone.localdate()),
            "peut_modifier": a_le_role(request.user, Role.VILLE),
        },
    )


@role_requis(Role.VILLE)
def campagne_creer(request):
    form = CampagneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        campagne = services.campagne_creer(**form.cleaned_data, par=request.user)
        messages.success(request, _("The campaign is created: add its milestones."))
        return redirect(campagne)
    return render(request, "quartiers/campagne_form.html", {"form": form})


@role_requis(Role.VILLE, Role.ACCUEIL)
def campagne(request, pk: int):
    """A campaign: its milestones as a timeline, its public meeting, its door-to-door documents."""
    campagne = selectors.campagne_pour(request.user, pk)
    aujourd_hui = timezone.localdate()
    preuves = selectors.preuves_campagne(campagne, aujourd_hui)
    jalons = selectors.jalons_frise(campagne, aujourd_hui, preuves)
    reunion = selectors.reunion_publique(campagne, jalons)
    vote = selectors.vote_dates(jalons, preuves.scrutin)
    from equipements.selectors import journees_du_quartier

    return render(
        request,
        "quartiers/campagne_detail.html",
        {
            "campagne": campagne,
            "journees_remise": journees_du_quartier(campagne.quartier_id),
            "jalons": jalons,
            "preuves": preuves,
            "reunion": reunion,
            "vote": vote,
            "reunion_apres_vote": selectors.reunion_apres_vote(reunion, vote),
            "manques": services.plaquettes_manques(
                campagne, jalons, scrutin=preuves.scrutin, avec_scrutin=True
            ),
            "travaux": selectors.travaux_campagne(campagne, services.NATURES_CAMPAGNE),
            "feuilles_form": FeuillesForm(campagne=campagne),
            "peut_modifier": a_le_role(request.user, Role.VILLE),
            "aujourd_hui": aujourd_hui,
        },
    )


@role_requis(Role.VILLE)
def campagne_reunion(request, pk: int):
    """The public meeting's record: date, place, attendance, minutes."""
    campagne = selectors.campagne_pour(request.user, pk)
    form = ReunionForm(request.POST or None, instance=campagne)
    if request.method == "POST" and form.is_valid():
        try:
            services.campagne_reunion_enregistrer(campagne=campagne, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("The public meeting’s record is saved."))
            return redirect(campagne)
    return render(request, "quartiers/campagne_reunion_form.html", {"form": form, "campagne": campagne})


@role_requis(Role.VILLE)
def jalon_ajouter(request, pk: int):
    campagne = selectors.campagne_pour(request.user, pk)
    form = JalonForm(request.POST or None, instance=Jalon(campagne=campagne))
    if request.method == "POST" and form.is_valid():
        try:
            services.jalon_ajouter(campagne=campagne, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("The milestone is added."))
            return redirect(campagne)
    return render(request, "quartiers/jalon_form.html", {"form": form, "campagne": campagne})


def _jalon_pour(user, pk: int) -> Jalon:
    return get_object_or_404(
        Jalon.objects.select_related("campagne").filter(campagne__in=selectors.campagnes_pour(user)), pk=pk
    )


@role_requis(Role.VILLE)
def jalon_modifier(request, pk: int):
    jalon = _jalon_pour(request.user, pk)
    form = JalonForm(request.POST or None, instance=Jalon.objects.get(pk=jalon.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.jalon_modifier(jalon=jalon, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("The milestone is saved."))
            return redirect(jalon.campagne)
    return render(
        request, "quartiers/jalon_form.html", {"form": form, "campagne": jalon.campagne, "jalon": jalon}
    )


@require_POST
@role_requis(Role.VILLE)
def jalon_supprimer(request, pk: int):
    jalon = _jalon_pour(request.user, pk)
    services.jalon_supprimer(jalon=jalon, par=request.user)
    messages.success(request, _("The milestone is deleted."))
    return redirect(jalon.campagne)


# --- Door-to-door: documents, visits, coverage ---------------------------------------------------


def _vers_documents(campagne):
    return redirect(reverse("quartiers:campagne", args=[campagne.pk]) + "#documents")


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def plaquettes(request, pk: int):
    """Start the leaflets job; the campaign page then shows its progress."""
    campagne = selectors.campagne_pour(request.user, pk)
    try:
        travail = services.plaquettes_demander(campagne=campagne, demandeur=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        travaux.annoncer(request, travail)
    return _vers_documents(campagne)


@require_POST
@role_requis(Role.VILLE, Role.ACCUEIL)
def feuilles(request, pk: int):
    """Start the walk sheets job (the quartier, or one building; maybe only the doors to retry)."""
    campagne = selectors.campagne_pour(request.user, pk)
    form = FeuillesForm(request.POST, campagne=campagne)
    if not form.is_valid():
        messages.error(request, _("Choose a building of the neighbourhood, or every building."))
        return _vers_documents(campagne)
    try:
        travail = services.feuilles_tournee_demander(
            campagne=campagne,
            demandeur=request.user,
            immeuble=form.cleaned_data["immeuble"],
            a_revoir=form.cleaned_data["a_revoir"],
        )
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        travaux.annoncer(request, travail)
    return _vers_documents(campagne)


@role_requis(Role.VILLE, Role.ACCUEIL)
def couverture(request, pk: int):
    """Per building, the dwellings told or not, and the doors to retry."""
    campagne = selectors.campagne_pour(request.user, pk)
    lignes = selectors.couverture(campagne)
    totaux = {
        cle: sum(ligne[cle] for ligne in lignes)
        for cle in ("logements", "informes", "non_informes", "refus", "vacants", "jamais")
    }
    totaux["a_revoir"] = sum(len(ligne["a_revoir"]) for ligne in lignes)
    totaux["pourcentage"] = selectors.pourcentage(totaux["informes"], totaux["logements"])
    # When the vote covers some buildings only, the door-to-door milestone counts those: mark them.
    scrutin = selectors.scrutin_campagne(campagne)
    du_vote = set(scrutin.immeubles.values_list("pk", flat=True)) if scrutin is not None else set()
    for ligne in lignes:
        ligne["du_vote"] = not du_vote or ligne["immeuble"].pk in du_vote
    return render(
        request,
        "quartiers/campagne_couverture.html",
        {"campagne": campagne, "lignes": lignes, "totaux": totaux, "vote_partiel": bool(du_vote)},
    )


def _jour_demande(valeur: str | None) -> date:
    try:
        jour = date.fromisoformat(valeur) if valeur else None
    except ValueError:
        jour = None
    aujourd_hui = timezone.localdate()
    return jour if jour and jour <= aujourd_hui else aujourd_hui


@role_requis(Role.VILLE, Role.ACCUEIL)
def visites_saisie(request, pk: int, immeuble_pk: int):
    """After the round: one form for the doors of a building (or a stairwell), saved in one go."""
    campagne = selectors.campagne_pour(request.user, pk)
    immeuble = get_object_or_404(Immeuble, pk=immeuble_pk, quartier_id=campagne.quartier_id)
    tous = selectors.logements_campagne(campagne, immeuble=immeuble)
    cages = selectors.cages_de(tous)
    cage = request.GET.get("cage")
    if cage not in cages:
        cage = None
    logements = [lg for lg in tous if cage is None or lg.cage == cage]

    if request.method == "POST":
        form = VisitesForm(request.POST, logements=logements)
        if form.is_valid():
            jour = form.cleaned_data["date"]
            try:
                bilan = services.visites_enregistrer(
                    campagne=campagne,
                    immeuble=immeuble,
                    jour=jour,
                    saisies=form.saisies(),
                    par=request.user,
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                messages.success(
                    request,
                    _("Visits saved: %(creees)s new, %(modifiees)s corrected, %(supprimees)s removed.")
                    % {"creees": bilan.creees, "modifiees": bilan.modifiees, "supprimees": bilan.supprimees},
                )
                suite = {"date": jour.isoformat(), **({"cage": cage} if cage is not None else {})}
                return redirect(f"{request.path}?{urlencode(suite)}")
        jour = _jour_demande(request.POST.get("date"))
    else:
        jour = _jour_demande(request.GET.get("date"))
        du_jour = selectors.visites_du_jour(campagne, logements, jour)
        initial = {"date": jour}
        for pk_logement, visite in du_jour.items():
            initial[f"resultat_{pk_logement}"] = visite.resultat
            initial[f"note_{pk_logement}"] = visite.note
        form = VisitesForm(initial=initial, logements=logements)
    return render(
        request,
        "quartiers/visite_saisie.html",
        {
            "campagne": campagne,
            "immeuble": immeuble,
            "form": form,
            "cages": cages,
            "cage": cage,
            "jour": jour,
            "nb_tous": len(tous),
        },
    )
