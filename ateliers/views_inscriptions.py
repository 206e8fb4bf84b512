"""Sessions and sign-ups: at the desk (volunteers, city staff) or by the facilitator of the session."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipt.argent import euros
from ipt.roles import Role, a_le_role, role_requis
from logements import selectors as logements_selectors

from . import selectors_inscriptions as selectors
from . import services_inscriptions as services
from .forms_inscriptions import AnnulationForm, FoyerInscriptionForm, NouvellePersonneForm
from .models import Inscription

ROLES_INSCRIPTION = (Role.VILLE, Role.ACCUEIL, Role.ANIMATEUR)


def _suite(request, defaut: str) -> str:
    suite = request.POST.get("suite") or request.GET.get("suite") or ""
    if (
        suite.startswith("/")
        and "\x00" not in suite
        and url_has_allowed_host_and_scheme(suite, allowed_hosts={request.get_host()})
    ):
        return suite
    return defaut


def _annoncer(request, inscription: Inscription) -> None:
    if inscription.statut == Inscription.Statut.INSCRITE:
        texte = _("%(personne)s is signed up.") % {"personne": inscription.personne}
        if inscription.prix:
            texte += " " + _("Price: %(prix)s.") % {"prix": euros(inscription.prix)}
        messages.success(request, texte)
    else:
        messages.warning(
            request,
            _("The session is full: %(personne)s is on the waiting list (number %(rang)d).")
            % {"personne": inscription.personne, "rang": inscription.rang_attente},
        )


@require_GET
@role_requis(*ROLES_INSCRIPTION)
def seances(request):
    passees = request.GET.get("passees") == "1"
    try:
        atelier = int(request.GET.get("atelier", "") or 0) or None
    except ValueError:
        atelier = None
    if atelier is not None and not 0 < atelier < 2**31:
        atelier = None
    liste = list(selectors.seances_a_venir(request.user, atelier=atelier, passees=passees)[:100])
    return render(
        request,
        "ateliers/seance_liste.html",
        {"seances": liste, "passees": passees, "planifie": a_le_role(request.user, Role.VILLE)},
    )


def _fiche(request, pk, *, nouvelle_form=None, status=200):
    fiche = selectors.seance_fiche(request.user, pk)
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    return render(
        request,
        "ateliers/seance_detail.html",
        {
            "fiche": fiche,
            "seance": fiche.seance,
            "q": q,
            "trouvees": selectors.personnes_a_inscrire(request.user, q) if q else [],
            "nouvelle_form": nouvelle_form or NouvellePersonneForm(),
            "planifie": a_le_role(request.user, Role.VILLE),
            "guichet": a_le_role(request.user, Role.ACCUEIL),
            "annulation_form": AnnulationForm(),
        },
        status=status,
    )


@require_GET
@role_requis(*ROLES_INSCRIPTION)
def seance(request, pk):
    return _fiche(request, pk)


@require_POST
@role_requis(*ROLES_INSCRIPTION)
def seance_inscrire(request, pk):
    """Sign up a person found by name (``personne``) or an inhabitant recorded on the fly (``nouvelle-*``)."""
    seance = selectors.seance_de(request.user, pk)
    suite = _suite(request, reverse("ateliers:seance", args=[seance.pk]))
    if request.POST.get("personne"):
        try:
            personne = get_object_or_404(
                selectors.personnes_inscriptibles(request.user).select_related("foyer"),
                pk=int(request.POST["personne"]),
            )
        except ValueError:
            return _fiche(request, pk, status=400)
        try:
            inscription = services.inscription_creer(personne=personne, seance=seance, par=request.user)
        except ValidationError as erreur:
            messages.error(request, " ".join(erreur.messages))
        else:
            _annoncer(request, inscription)
        return redirect(suite)
    form = NouvellePersonneForm(request.POST)
    if not form.is_valid():
        return _fiche(request, pk, nouvelle_form=form, status=400)
    try:
        with transaction.atomic():
            personne = services.personne_exterieure_creer(**form.cleaned_data, par=request.user)
            inscription = services.inscription_creer(personne=personne, seance=seance, par=request.user)
    except ValidationError as erreur:
        form.add_error(None, erreur)
        return _fiche(request, pk, nouvelle_form=form, status=400)
    _annoncer(request, inscription)
    return redirect(suite)


@require_POST
@role_requis(*ROLES_INSCRIPTION)
def inscription_annuler(request, pk):
    inscription = selectors.inscription_de(request.user, pk)
    seance_pk = (
        inscription.seance_id
        or inscription.cycle.seances.order_by("debut", "pk").values_list("pk", flat=True).first()
    )
    suite = _suite(request, reverse("ateliers:seance", args=[seance_pk]))
    try:
        promue = services.inscription_annuler(inscription=inscription, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(
            request, _("Sign-up of %(personne)s cancelled.") % {"personne": inscription.personne}
        )
        if promue is not None:
            messages.info(
                request,
                _("%(personne)s, first on the waiting list, gets the seat and is told.")
                % {"personne": promue.personne},
            )
    return redirect(suite)


def _libelle(seance, *, adherent: bool = False) -> str:
    quand = formats.date_format(timezone.localtime(seance.debut), "DATETIME_FORMAT")
    restantes = seance.restantes
    texte = f"{seance.atelier.titre} — {quand} — {seance.lieu} — "
    if seance.cycle_id:
        texte = f"{seance.cycle} — " + _("from %(quand)s") % {"quand": quand} + f" — {seance.lieu} — "
    if restantes:
        texte += _("%(restantes)d / %(places)d seats left") % {
            "restantes": restantes,
            "places": seance.places,
        }
    else:
        texte += _("full: waiting list (%(n)d waiting)") % {"n": seance.nb_attente}
    if seance.atelier.payant and adherent:
        texte += " — " + _("paid module, free for this household")
    elif seance.atelier.payant:
        texte += " — " + _("paid module: %(prix)s") % {"prix": euros(seance.atelier.prix)}
    return texte


@role_requis(Role.ACCUEIL)
def foyer_inscrire(request, pk):
    """From a household's page: sign one of its occupants up to a coming session or cycle."""
    foyer = logements_selectors.foyer_de(request.user, pk)
    occupants = list(foyer.occupants.order_by("nom", "prenom", "pk"))
    cibles = selectors.cibles_pour_le_guichet(request.user)
    adherent = services.foyer_adherent(foyer)
    form = FoyerInscriptionForm(
        request.POST or None, occupants=occupants, cibles=cibles, libelle=partial(_libelle, adherent=adherent)
    )
    if request.method == "POST" and form.is_valid():
        personne = next(p for p in occupants if p.pk == form.cleaned_data["personne"])
        seance = next(s for s in cibles if s.pk == form.cleaned_data["seance"])
        try:
            inscription = services.inscription_creer(personne=personne, seance=seance, par=request.user)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            _annoncer(request, inscription)
            return redirect("logements:foyer", pk=foyer.pk)
    return render(
        request,
        "ateliers/foyer_inscription.html",
        {"foyer": foyer, "form": form, "occupants": occupants, "adherent": adherent, "cibles": cibles},
    )
