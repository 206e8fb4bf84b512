"""The needs census (city staff; needs recorded at the desk or by facilitators) and the outreach list
(city staff and volunteers, their centre's quartiers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ateliers import selectors_besoins as lectures
from ateliers import services_besoins as services
from ateliers.forms_besoins import BesoinForm, BrouillonForm, ReticentsFiltre, TentativeForm
from ateliers.modeles_besoins import Besoin
from ateliers.models import Seance, Structure, Theme
from ipt import travaux
from ipt.perimetre import quartiers_couverts, restreindre
from ipt.roles import Role, a_le_role, role_requis
from logements import selectors as logements_selectors
from logements.models import Personne
from quartiers.models import Quartier

PAR_PAGE = 50
PAR_PAGE_APPELS = 100

# --- Recording a need -------------------------------------------------------------------------------


@require_POST
@role_requis(Role.ACCUEIL)
def besoin_foyer(request, pk: int):
    """The quick form of the household page: a need for one of its occupants."""
    foyer = logements_selectors.foyer_de(request.user, pk)
    form = BesoinForm(
        request.POST,
        personnes=Personne.objects.filter(foyer=foyer),
        lieux=[Besoin.Lieu.ACCUEIL, Besoin.Lieu.PERMANENCE, Besoin.Lieu.ATELIER],
    )
    if form.is_valid():
        donnees = form.cleaned_data
        services.besoin_enregistrer(
            personne=donnees["personne"],
            themes=list(donnees["themes"]),
            lieu=donnees["lieu"],
            note=donnees["note"],
            par=request.user,
        )
        messages.success(request, _("Need recorded for %(personne)s.") % {"personne": donnees["personne"]})
    else:
        erreurs = [str(e) for champ in form.errors.values() for e in champ]
        messages.error(request, _("The need was not recorded: %(erreurs)s") % {"erreurs": " ".join(erreurs)})
    return redirect(reverse("logements:foyer", args=[foyer.pk]) + "#besoins")


def _personnes_visibles(user):
    """People the user may record a need for: the occupants of the households they cover (desk), the
    people signed up to the sessions they run, alone or as part of a cycle (facilitators); everyone
    (city staff)."""
    directes = restreindre(
        Personne.objects.all(),
        user,
        quartier="foyer__logement__immeuble__quartier",
        seance="inscriptions__seance",
    )
    par_cycle = restreindre(Personne.objects.all(), user, seance="inscriptions__cycle__seances")
    return Personne.objects.filter(Q(pk__in=directes.values("pk")) | Q(pk__in=par_cycle.values("pk")))


@role_requis(Role.ANIMATEUR, Role.ACCUEIL, Role.VILLE)
def besoin_personne(request, pk: int):
    """A need for one person: a facilitator for a participant of their sessions, the desk for an occupant."""
    personne = get_object_or_404(_personnes_visibles(request.user).select_related("foyer"), pk=pk)
    animateur = a_le_role(request.user, Role.ANIMATEUR) and not a_le_role(request.user, Role.ACCUEIL)
    lieux = [Besoin.Lieu.ATELIER] if animateur else [c for c, _ in Besoin.Lieu.choices]
    form = BesoinForm(
        request.POST or None,
        personnes=Personne.objects.filter(pk=personne.pk),
        lieux=lieux,
        initial={"personne": personne.pk},
    )
    if request.method == "POST" and form.is_valid():
        # Someone from outside the programme: the need belongs to the quartier of their latest session
        # that the user sees.
        seance = None
        if personne.foyer_id is None:
            seance = (
                restreindre(Seance.objects.all(), request.user, quartier="quartier", seance="pk")
                .filter(Q(inscriptions__personne=personne) | Q(cycle__inscriptions__personne=personne))
                .order_by("-debut", "-pk")
                .first()
            )
        services.besoin_enregistrer(
            personne=personne,
            themes=list(form.cleaned_data["themes"]),
            lieu=form.cleaned_data["lieu"],
            note=form.cleaned_data["note"],
            seance=seance,
            par=request.user,
        )
        messages.success(request, _("Need recorded for %(personne)s.") % {"personne": personne})
        if personne.foyer_id and a_le_role(request.user, Role.ACCUEIL):
            return redirect(reverse("logements:foyer", args=[personne.foyer_id]) + "#besoins")
        return redirect("ateliers:besoin_personne", pk=personne.pk)
    return render(
        request,
        "ateliers/besoin_form.html",
        {
            "personne": personne,
            "form": form,
            "besoins": list(
                Besoin.objects.filter(personne=personne).prefetch_related("themes").order_by("-cree_le")[:10]
            ),
        },
    )


# --- The census, drafts and invitations (city staff) ------------------------------------------------


@require_GET
@role_requis(Role.VILLE)
def besoins(request):
    """The needs by theme and quartier, how many people have no upcoming workshop in reach, and the
    workshops drafted from it."""
    lignes = lectures.recensement(request.user)
    return render(
        request,
        "ateliers/besoins.html",
        {
            "lignes": lignes,
            "total_personnes": sum(ligne.personnes for ligne in lignes),
            "total_sans_offre": sum(ligne.sans_offre for ligne in lignes),
            "brouillons": list(lectures.brouillons(request.user)[:20]),
        },
    )


@role_requis(Role.VILLE)
def besoins_brouillon(request, theme: int, quartier: int):
    """Draft a workshop for the people of a quartier (0: outside the quartiers) who need a theme and have
    none in reach."""
    theme = get_object_or_404(Theme, pk=theme)
    quartier = get_object_or_404(Quartier, pk=quartier) if quartier else None
    personnes = list(lectures.personnes_sans_offre(request.user, theme=theme, quartier=quartier)[:200])
    structure = None
    if quartier is not None and quartier.centre_social_id:
        structure = Structure.objects.filter(centre_social_id=quartier.centre_social_id).first()
    titre = f"{theme.libelle} — {quartier.nom}" if quartier else theme.libelle
    form = BrouillonForm(
        request.POST or None, initial={"titre": titre, "structure": structure.pk if structure else None}
    )
    if request.method == "POST" and form.is_valid():
        try:
            atelier = services.atelier_brouillon_creer(
                theme=theme, quartier=quartier, **form.cleaned_data, par=request.user
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(
                request,
                _(
                    "Workshop drafted, not yet in the catalogue. Add its sessions and put it in the "
                    "catalogue, then invite the people who asked."
                ),
            )
            return redirect("ateliers:besoins_atelier", pk=atelier.pk)
    return render(
        request,
        "ateliers/besoins_brouillon.html",
        {"theme": theme, "quartier": quartier, "personnes": personnes, "form": form},
    )


@require_GET
@role_requis(Role.VILLE)
def besoins_atelier(request, pk: int):
    atelier = lectures.brouillon_de(pk)
    fiche = lectures.brouillon_fiche(atelier)
    publie = atelier.actif and bool(fiche["seances"])
    return render(
        request,
        "ateliers/besoins_atelier.html",
        {
            "atelier": atelier,
            **fiche,
            "publie": publie,
            "a_inviter": sum(1 for i in fiche["invitations"] if i.invitee_le is None),
        },
    )


@require_POST
@role_requis(Role.VILLE)
def besoins_inviter(request, pk: int):
    """Invite the people who asked, once the workshop is out with upcoming sessions; never twice."""
    atelier = lectures.brouillon_de(pk)
    try:
        n = services.invitations_envoyer(atelier=atelier, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        if n:
            messages.success(request, _("%(n)d people invited.") % {"n": n})
        else:
            messages.info(request, _("Everybody was already invited."))
    return redirect("ateliers:besoins_atelier", pk=atelier.pk)


# --- The outreach list ------------------------------------------------------------------------------


def _filtre(request):
    quartiers = quartiers_couverts(request.user).order_by("nom")
    filtre = ReticentsFiltre(request.GET or None, quartiers=quartiers)
    mois, quartier = lectures.MOIS_DEFAUT, None
    if filtre.is_valid():
        mois = filtre.cleaned_data["mois"] or lectures.MOIS_DEFAUT
        quartier = filtre.cleaned_data["quartier"]
    parametres = urlencode({"mois": mois, **({"quartier": quartier.pk} if quartier else {})})
    return filtre, mois, quartier, parametres


@require_GET
@role_requis(Role.ACCUEIL, Role.VILLE)
def reticents(request):
    """Opted-in households where nobody has signed up or attended for N months."""
    filtre, mois, quartier, parametres = _filtre(request)
    qs = lectures.reticents(request.user, mois=mois, quartier=quartier)
    page = Paginator(qs.values_list("pk", flat=True), PAR_PAGE).get_page(request.GET.get("page"))
    contexte = {"filtre": filtre, "page": page, "mois": mois, "quartier": quartier, "parametres": parametres}
    return render(
        request, "ateliers/reticents.html", {**contexte, "foyers": lectures.completer(list(page.object_list))}
    )


@require_GET
@role_requis(Role.ACCUEIL, Role.VILLE)
def reticents_appels(request):
    """The call list: the same households that have a phone, for a volunteer's phone or for print."""
    filtre, mois, quartier, parametres = _filtre(request)
    qs = lectures.avec_telephone(lectures.reticents(request.user, mois=mois, quartier=quartier))
    page = Paginator(qs.values_list("pk", flat=True), PAR_PAGE_APPELS).get_page(request.GET.get("page"))
    contexte = {"filtre": filtre, "page": page, "mois": mois, "quartier": quartier, "parametres": parametres}
    return render(
        request,
        "ateliers/reticents_appels.html",
        {**contexte, "foyers": lectures.completer(list(page.object_list))},
    )


@require_POST
@role_requis(Role.ACCUEIL, Role.VILLE)
def reticents_courriers(request):
    """Start the job making the invitation letters of the list as filtered."""
    quartiers = quartiers_couverts(request.user).order_by("nom")
    filtre = ReticentsFiltre(request.POST, quartiers=quartiers)
    if not filtre.is_valid():
        messages.error(
            request, _("Choose a number of months between 1 and 36 and one of your neighbourhoods.")
        )
        return redirect("ateliers:reticents")
    mois = filtre.cleaned_data["mois"] or lectures.MOIS_DEFAUT
    quartier = filtre.cleaned_data["quartier"]
    filtres = {"mois": mois, **({"quartier": quartier.pk} if quartier else {})}
    liste = f"{reverse('ateliers:reticents')}?{urlencode(filtres)}"
    try:
        travail = services.courriers_demander(demandeur=request.user, mois=mois, quartier=quartier)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
        return redirect(liste)
    travaux.annoncer(request, travail)
    return redirect(f"{reverse('travail', args=[travail.pk])}?{urlencode({'retour': liste})}")


@role_requis(Role.ACCUEIL, Role.VILLE)
def reticent_foyer(request, pk: int):
    """A household of the list: its contact attempts, and recording one (from a phone)."""
    foyer = lectures.foyer_reticent_de(request.user, pk)
    form = TentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tentative_enregistrer(foyer=foyer, **form.cleaned_data, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, _("Attempt recorded for “%(foyer)s”.") % {"foyer": foyer.nom})
            retour = request.POST.get("retour", "")
            if retour == "appels":
                return redirect("ateliers:reticents_appels")
            return redirect("ateliers:reticent_foyer", pk=foyer.pk)
    return render(
        request,
        "ateliers/reticent_foyer.html",
        {
            "foyer": foyer,
            "form": form,
            "tentatives": list(foyer.tentatives_contact.all()),
            "occupants": list(foyer.occupants.all()),
            "retour": request.GET.get("retour", "") or request.POST.get("retour", ""),
        },
    )
