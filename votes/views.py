"""Views of the votes that city staff run: drafts, opening, closing, publishing, documents, the
ballots' history and corrections. Entering ballots (caretakers, the desk, staff) is in ``views_saisie``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipt import travaux
from ipt.perimetre import immeubles_couverts
from ipt.roles import Role, role_requis
from quartiers.models import Quartier
from votes import regles, selectors, services
from votes.forms import (
    AnnulationForm,
    BulletinsPapierForm,
    DebutServiceForm,
    ProlongerForm,
    ScrutinForm,
)
from votes.models import Bulletin, Scrutin


def _erreurs(erreur: ValidationError) -> str:
    return " ".join(erreur.messages)


# --- City staff: the votes --------------------------------------------------------------------------


@role_requis(Role.VILLE)
def scrutins(request):
    return render(request, "votes/scrutin_liste.html", {"scrutins": selectors.scrutins_liste()})


@role_requis(Role.VILLE)
def scrutin_nouveau(request):
    """Step 1: choose the quartier; step 2: the draft, with that quartier's buildings."""
    quartier_id = request.POST.get("quartier") or request.GET.get("quartier")
    if not quartier_id or not str(quartier_id).isdecimal():
        quartiers = Quartier.objects.order_by("nom")
        return render(request, "votes/scrutin_form.html", {"quartiers": quartiers, "etape_quartier": True})
    quartier = get_object_or_404(Quartier, pk=quartier_id)
    form = ScrutinForm(request.POST or None, quartier=quartier)
    if request.method == "POST" and form.is_valid():
        champs = {k: v for k, v in form.cleaned_data.items() if k != "immeubles"}
        try:
            scrutin = services.scrutin_creer(
                quartier=quartier, immeubles=form.cleaned_data["immeubles"], par=request.user, **champs
            )
        except ValidationError as erreur:
            _reporter(form, erreur)
        else:
            messages.success(request, _("The draft vote is saved. Check it, then open it."))
            return redirect(scrutin)
    return render(request, "votes/scrutin_form.html", {"form": form, "quartier": quartier})


def _reporter(form, erreur: ValidationError) -> None:
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur)


@role_requis(Role.VILLE)
def scrutin_modifier(request, pk: int):
    scrutin = selectors.scrutin_pour_staff(pk)
    if scrutin.statut != Scrutin.Statut.BROUILLON:
        messages.error(request, _("Only a draft can be changed: this vote is already open."))
        return redirect(scrutin)
    form = ScrutinForm(request.POST or None, instance=scrutin, quartier=scrutin.quartier)
    if request.method == "POST" and form.is_valid():
        champs = {k: v for k, v in form.cleaned_data.items() if k != "immeubles"}
        try:
            services.scrutin_modifier(
                scrutin=scrutin, immeubles=form.cleaned_data["immeubles"], par=request.user, **champs
            )
        except ValidationError as erreur:
            _reporter(form, erreur)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect(scrutin)
    return render(
        request, "votes/scrutin_form.html", {"form": form, "quartier": scrutin.quartier, "scrutin": scrutin}
    )


@require_GET
@role_requis(Role.VILLE)
def scrutin(request, pk: int):
    """The vote's page: its rule in plain French, its dates, its figures, what can be done next."""
    scrutin = selectors.scrutin_pour_staff(pk)
    regle = scrutin.regle_appliquee
    contexte = {
        "scrutin": scrutin,
        "regle": regle,
        "explication": regles.expliquer(regle),
        "travaux": selectors.travaux_du_scrutin(scrutin),
        "voir_choix": request.user.has_perm("votes.voir_choix"),
    }
    if scrutin.statut == Scrutin.Statut.BROUILLON:
        contexte["immeubles"] = list(scrutin.immeubles.order_by("adresse"))
    elif scrutin.statut == Scrutin.Statut.OUVERT:
        d = selectors.decompte(scrutin)
        decompte = selectors.decompte_regle(d)
        contexte.update(
            d=d,
            abstentions=d["inscrits"] - d["reponses"],
            apercu=regles.evaluer(regle, decompte, ferme_le=timezone.localtime(scrutin.ferme_le).date()),
            manquantes=regles.reponses_manquantes(regle, inscrits=d["inscrits"], reponses=d["reponses"]),
            accepte=scrutin.accepte_bulletins(),
            form_prolonger=ProlongerForm(),
            form_papier=BulletinsPapierForm(
                immeubles=[
                    (i["id"], f"{i['reference']} — {i['nom'] or i['adresse']}") for i in d["immeubles"]
                ]
            ),
        )
    else:
        contexte.update(selectors.contexte_resultat(scrutin))
        contexte["form_service"] = DebutServiceForm()
    return render(request, "votes/scrutin_detail.html", contexte)


def _action(request, pk: int, fonction, succes: str, **kwargs):
    scrutin = get_object_or_404(Scrutin, pk=pk)
    try:
        fonction(scrutin=scrutin, par=request.user, **kwargs)
    except ValidationError as erreur:
        messages.error(request, _erreurs(erreur))
    else:
        messages.success(request, succes)
    return redirect("votes:scrutin", pk=pk)


@require_POST
@role_requis(Role.VILLE)
def scrutin_ouvrir(request, pk: int):
    return _action(request, pk, services.scrutin_ouvrir, _("The vote is open: its roll is frozen."))


@require_POST
@role_requis(Role.VILLE)
def scrutin_clore(request, pk: int):
    return _action(request, pk, services.scrutin_clore, _("The vote is closed: the minutes are being made."))


@require_POST
@role_requis(Role.VILLE)
def scrutin_publier(request, pk: int):
    return _action(request, pk, services.scrutin_publier, _("The result is published."))


@require_POST
@role_requis(Role.VILLE)
def scrutin_prolonger(request, pk: int):
    form = ProlongerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new closing date and time."))
        return redirect("votes:scrutin", pk=pk)
    return _action(
        request,
        pk,
        services.scrutin_prolonger,
        _("The vote is extended."),
        ferme_le=form.cleaned_data["ferme_le"],
    )


@require_POST
@role_requis(Role.VILLE)
def scrutin_debut_service(request, pk: int):
    form = DebutServiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the service starts."))
        return redirect("votes:scrutin", pk=pk)
    scrutin = get_object_or_404(Scrutin, pk=pk)
    try:
        nb = services.scrutin_fixer_debut_service(
            scrutin=scrutin, debut=form.cleaned_data["debut"], par=request.user
        )
    except ValidationError as erreur:
        messages.error(request, _erreurs(erreur))
    else:
        messages.success(
            request, _("Service start set: %(n)s dwellings are connected from then.") % {"n": nb}
        )
    return redirect("votes:scrutin", pk=pk)


@require_POST
@role_requis(Role.VILLE)
def bulletins_papier(request, pk: int):
    scrutin = get_object_or_404(Scrutin, pk=pk)
    immeuble = None
    if request.POST.get("immeuble", "").isdecimal():
        immeuble = get_object_or_404(immeubles_couverts(request.user), pk=int(request.POST["immeuble"]))
    try:
        travail = services.bulletins_papier_demander(
            scrutin=scrutin,
            demandeur=request.user,
            base_url=request.build_absolute_uri("/"),
            immeuble=immeuble,
        )
    except ValidationError as erreur:
        messages.error(request, _erreurs(erreur))
        return redirect(scrutin)
    travaux.annoncer(request, travail)
    return redirect(f"{reverse('travail', args=[travail.pk])}?retour={scrutin.get_absolute_url()}")


@require_POST
@role_requis(Role.VILLE)
def proces_verbal(request, pk: int):
    scrutin = get_object_or_404(Scrutin, pk=pk)
    try:
        travail = services.proces_verbal_demander(scrutin=scrutin, demandeur=request.user)
    except ValidationError as erreur:
        messages.error(request, _erreurs(erreur))
        return redirect(scrutin)
    travaux.annoncer(request, travail)
    return redirect(f"{reverse('travail', args=[travail.pk])}?retour={scrutin.get_absolute_url()}")


def _voir_choix(user) -> None:
    if not user.has_perm("votes.voir_choix"):
        raise PermissionDenied


@require_GET
@role_requis(Role.VILLE)
def historique(request, pk: int):
    """Every ballot with who, when, which channel and how it voted; cancelled ones too (city staff)."""
    _voir_choix(request.user)
    scrutin = selectors.scrutin_pour_staff(pk)
    code = request.GET.get("code", "").strip()
    bulletins = selectors.historique(scrutin, code=code)
    page = Paginator(bulletins, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "votes/scrutin_historique.html",
        {
            "scrutin": scrutin,
            "page": page,
            "bulletins": page.object_list,
            "code": code,
            "form": AnnulationForm(),
        },
    )


@require_POST
@role_requis(Role.VILLE)
def bulletin_annuler(request, pk: int, bulletin_pk: int):
    _voir_choix(request.user)
    bulletin = get_object_or_404(Bulletin, pk=bulletin_pk, scrutin_id=pk)
    form = AnnulationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the ballot is cancelled."))
        return redirect("votes:historique", pk=pk)
    try:
        __, nouveau = services.bulletin_annuler(
            bulletin=bulletin,
            motif=form.cleaned_data["motif"],
            par=request.user,
            nouveau_choix=form.cleaned_data["nouveau_choix"] or None,
        )
    except (ValidationError, services.BulletinRefuse) as erreur:
        messages.error(request, erreur.message if hasattr(erreur, "motif") else _erreurs(erreur))
    else:
        messages.success(
            request,
            _("The ballot is cancelled and the new one recorded.")
            if nouveau
            else _("The ballot is cancelled."),
        )
    return redirect("votes:historique", pk=pk)


@require_GET
@role_requis(Role.VILLE)
def empreinte(request, pk: int):
    """The counted ballots in their canonical form: ``sha256sum`` of this file gives the fingerprint."""
    _voir_choix(request.user)
    scrutin = get_object_or_404(Scrutin, pk=pk)
    reponse = HttpResponse(
        selectors.texte_canonique(selectors.lignes_canoniques(scrutin)),
        content_type="text/plain; charset=utf-8",
    )
    reponse["Content-Disposition"] = f'attachment; filename="bulletins-scrutin-{scrutin.pk}.txt"'
    return reponse
