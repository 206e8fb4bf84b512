"""Views of the votes: city staff run them, caretakers and the desk enter ballots.

Entry (``saisie``) is one page per channel: the caretaker's (their buildings), the desk's (its centre's
quartiers) and city staff's (everything). A ballot is saved by one POST; htmx swaps in a fresh form at
once. Refusals answer 422 (malformed code), 404 (not a dwelling the user covers), 409 (already voted,
vote not open) with a French message, never 500.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ipt import travaux
from ipt.perimetre import immeubles_couverts
from ipt.roles import Role, role_requis
from quartiers.models import Quartier
from votes import codes, regles, selectors, services
from votes.forms import (
    AnnulationForm,
    BulletinsPapierForm,
    DebutServiceForm,
    ProlongerForm,
    SaisieForm,
    ScrutinForm,
)
from votes.models import Bulletin, Scrutin
from votes.pdf import contexte_resultat

STATUT_DU_REFUS = {"code": 422, "choix": 422, "inconnu": 404, "doublon": 409, "ferme": 409}


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
        contexte.update(contexte_resultat(scrutin))
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


# --- Entry: caretakers, the desk, city staff --------------------------------------------------------


def _verifier_canal(user, canal: str) -> None:
    if canal not in selectors.ROLE_DU_CANAL:
        raise Http404
    if not selectors.peut_saisir(user, canal):
        raise PermissionDenied


def _contexte_zone(request, scrutin: Scrutin, canal: str, immeuble_id: int | None, **extra) -> dict:
    votants = (
        selectors.votants_immeuble(request.user, scrutin.pk, canal, immeuble_id)
        if immeuble_id is not None
        else []
    )
    if votants:
        nb_reponses = votants[0].nb_reponses
    elif hasattr(scrutin, "nb_reponses"):
        nb_reponses = scrutin.nb_reponses
    else:
        nb_reponses = Bulletin.objects.valides().filter(scrutin=scrutin).count()
    regle = scrutin.regle_appliquee
    return {
        "scrutin": scrutin,
        "canal": canal,
        "votants": votants,
        "immeuble_id": immeuble_id,
        "nb_reponses": nb_reponses,
        "manquantes": regles.reponses_manquantes(regle, inscrits=scrutin.nb_inscrits, reponses=nb_reponses),
        "requises": regles.reponses_requises(regle, scrutin.nb_inscrits),
        "accepte": scrutin.accepte_bulletins(),
        "maintenant": timezone.now(),
        "form": extra.pop("form", None) or SaisieForm(),
        **extra,
    }


@role_requis(Role.GARDIEN, Role.ACCUEIL, Role.VILLE)
def saisie(request, pk: int, canal: str):
    """Enter paper ballots: type or scan the code, tap yes / no / blank; the next one is ready at once."""
    _verifier_canal(request.user, canal)
    if request.method == "POST":
        return _saisie_post(request, pk, canal)
    scrutin = selectors.scrutin_de_saisie(pk)
    immeubles = selectors.immeubles_de_saisie(request.user, scrutin, canal)
    if not immeubles:
        raise Http404
    ids = [i["immeuble"] for i in immeubles]
    demande = request.GET.get("immeuble", "")
    immeuble_id = int(demande) if demande.isdecimal() and int(demande) in ids else ids[0]
    extra, statut = {}, 200
    if request.GET.get("code"):
        # Opened from a ballot's QR code: show whose ballot it is, with the code filled in.
        extra = _apercu(request, scrutin, canal, request.GET["code"])
        statut = extra.pop("statut", 200)
        if "inscrit" in extra:
            immeuble_id = extra["inscrit"].immeuble_id
    contexte = _contexte_zone(request, scrutin, canal, immeuble_id, **extra)
    contexte["immeubles"] = immeubles
    return render(request, "votes/saisie.html", contexte, status=statut)


def _apercu(request, scrutin, canal, saisie_code: str) -> dict:
    form = SaisieForm(initial={"code": saisie_code})
    try:
        code = services.normaliser_code(saisie_code)
    except services.BulletinRefuse as refus:
        return {"form": form, "erreur": refus.message, "statut": 422}
    inscrit = (
        selectors.inscrits_du_canal(request.user, scrutin.pk, canal)
        .select_related("logement", "immeuble")
        .filter(code=code)
        .first()
    )
    if inscrit is None:
        raise Http404
    form = SaisieForm(initial={"code": codes.afficher(code)})
    return {"form": form, "inscrit": inscrit, "apercu": True}


def _verifier_portee(request, pk: int, canal: str) -> None:
    """A refusal page shows the vote's figures: only to whom may enter ballots on it, else 404.
    (A ballot that is accepted was already checked against the user's buildings by the service.)"""
    if not selectors.inscrits_du_canal(request.user, pk, canal).exists():
        raise Http404


def _saisie_post(request, pk: int, canal: str):
    form = SaisieForm(request.POST)
    immeuble_id = request.POST.get("immeuble", "")
    immeuble_id = int(immeuble_id) if immeuble_id.isdecimal() else None
    if not form.is_valid():
        _verifier_portee(request, pk, canal)
        scrutin = selectors.scrutin_de_saisie(pk)
        return _repondre(request, _contexte_zone(request, scrutin, canal, immeuble_id, form=form), 422)
    try:
        bulletin = services.bulletin_enregistrer(
            scrutin_id=pk,
            code=form.cleaned_data["code"],
            choix=form.cleaned_data["choix"],
            canal=canal,
            par=request.user,
        )
    except Scrutin.DoesNotExist:
        raise Http404 from None
    except services.BulletinRefuse as refus:
        _verifier_portee(request, pk, canal)
        scrutin = refus.scrutin or selectors.scrutin_de_saisie(pk)
        garder = refus.motif in ("code", "inconnu", "choix")
        contexte = _contexte_zone(
            request,
            scrutin,
            canal,
            refus.inscrit.immeuble_id if refus.inscrit else immeuble_id,
            form=SaisieForm(initial={"code": form.cleaned_data["code"]}) if garder else None,
            erreur=refus.message,
            inscrit=refus.inscrit,
        )
        return _repondre(request, contexte, STATUT_DU_REFUS[refus.motif])
    contexte = _contexte_zone(
        request,
        bulletin.scrutin,
        canal,
        bulletin.inscrit.immeuble_id,
        enregistre=bulletin,
        inscrit=bulletin.inscrit,
    )
    return _repondre(request, contexte, 200)


def _repondre(request, contexte: dict, statut: int):
    if request.htmx:
        return render(request, "votes/saisie_zone.html", contexte, status=statut)
    contexte["immeubles"] = selectors.immeubles_de_saisie(
        request.user, contexte["scrutin"], contexte["canal"]
    )
    return render(request, "votes/saisie.html", contexte, status=statut)


@require_GET
@role_requis(Role.GARDIEN, Role.ACCUEIL, Role.VILLE)
def bulletin_lien(request, pk: int):
    """Where a ballot's QR code leads: the entry page of the user's channel, with the code filled in."""
    # City staff enter as city staff (they also hold the desk's permission), then caretakers, then the desk.
    for canal in (Bulletin.Canal.VILLE, Bulletin.Canal.GARDIEN, Bulletin.Canal.ACCUEIL):
        if selectors.peut_saisir(request.user, canal):
            url = reverse("votes:saisie", args=[pk, canal])
            return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    raise PermissionDenied


@require_GET
@role_requis(Role.GARDIEN)
def gardien(request):
    """The caretaker's home: the open votes on their buildings (straight to entry when there is one)."""
    ouverts = selectors.scrutins_ouverts_pour(request.user, Bulletin.Canal.GARDIEN)
    if len(ouverts) == 1 and ouverts[0].accepte_bulletins():
        return redirect("votes:saisie", pk=ouverts[0].pk, canal=Bulletin.Canal.GARDIEN)
    immeubles = immeubles_couverts(request.user).select_related("quartier").order_by("adresse")
    return render(request, "votes/gardien.html", {"scrutins": ouverts, "immeubles": immeubles})


@require_GET
@role_requis(Role.ACCUEIL)
def accueil(request):
    """The desk's list of open votes in its quartiers."""
    ouverts = selectors.scrutins_ouverts_pour(request.user, Bulletin.Canal.ACCUEIL)
    return render(request, "votes/accueil.html", {"scrutins": ouverts})
