"""Entering paper ballots: caretakers (their buildings), the desk (its centre's quartiers), city staff.

One page per channel, in two steps, for a phone: type (or scan) the code printed on the ballot — Enter,
or the seventh valid character, shows the dwelling's door (building, stairwell, floor, door; never a
name) — then tap the choice ticked on it. htmx swaps each step in place; without JavaScript the same
forms work as plain GET and POST. After a ballot is recorded, whoever entered it may undo it for
``VOTES_DELAI_ANNULATION_SAISIE`` seconds (a cancellation, kept in the history); after that, only city
staff cancel it. The page lists the doors of the building still to collect.

Refusals answer 422 (malformed code), 404 (not a dwelling the user covers), 409 (already voted, vote
not open) with a French message, never 500.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ipt.perimetre import immeubles_couverts
from ipt.roles import Role, role_requis
from votes import codes, regles, selectors, services
from votes.forms import CodeForm, SaisieForm
from votes.models import Bulletin, Scrutin

STATUT_DU_REFUS = {"code": 422, "choix": 422, "inconnu": 404, "doublon": 409, "ferme": 409}


def _verifier_canal(user, canal: str) -> None:
    if canal not in selectors.ROLE_DU_CANAL:
        raise Http404
    if not selectors.peut_saisir(user, canal):
        raise PermissionDenied


def _contexte_etape(scrutin: Scrutin, canal: str, immeuble_id: int | None, **extra) -> dict:
    """The step area: the code to type, or the door of the code typed with the choice to tap."""
    return {
        "scrutin": scrutin,
        "scrutin_pk": scrutin.pk,
        "canal": canal,
        "immeuble_id": immeuble_id,
        "accepte": scrutin.accepte_bulletins(),
        "maintenant": timezone.now(),
        "form": extra.pop("form", None) or CodeForm(),
        **extra,
    }


def _contexte_zone(
    request, scrutin: Scrutin, canal: str, immeuble_id: int | None, *, portes=None, **extra
) -> dict:
    """The whole entry zone: the step, the vote's figures and the doors of the building still to collect."""
    if portes is None:
        portes = (
            selectors.portes_immeuble(request.user, scrutin.pk, canal, immeuble_id)
            if immeuble_id is not None
            else []
        )
    if portes:
        nb_reponses = portes[0].nb_reponses
    elif hasattr(scrutin, "nb_reponses"):
        nb_reponses = scrutin.nb_reponses
    else:
        nb_reponses = Bulletin.objects.valides().filter(scrutin=scrutin).count()
    regle = scrutin.regle_appliquee
    a_collecter = [porte for porte in portes if porte.existant is None]
    return {
        **_contexte_etape(scrutin, canal, immeuble_id, **extra),
        "a_collecter": a_collecter,
        "nb_portes": len(portes),
        "nb_votants": len(portes) - len(a_collecter),
        "immeuble": portes[0].immeuble if portes else None,
        "nb_reponses": nb_reponses,
        "manquantes": regles.reponses_manquantes(regle, inscrits=scrutin.nb_inscrits, reponses=nb_reponses),
        "requises": regles.reponses_requises(regle, scrutin.nb_inscrits),
        "delai_annulation": int(services.delai_annulation_saisie().total_seconds()),
        "delai_minutes": max(1, round(services.delai_annulation_saisie().total_seconds() / 60)),
    }


@role_requis(Role.GARDIEN, Role.ACCUEIL, Role.VILLE)
def saisie(request, pk: int, canal: str):
    """Enter paper ballots: type or scan the code, see the door, tap yes / no / blank; then the next."""
    _verifier_canal(request.user, canal)
    if request.method == "POST":
        return _saisie_post(request, pk, canal)
    code = request.GET.get("code", "")
    if request.htmx and "code" in request.GET:
        return _apercu_etape(request, pk, canal, code)
    scrutin = selectors.scrutin_de_saisie(pk)
    immeubles = selectors.immeubles_de_saisie(request.user, scrutin, canal)
    if not immeubles:
        raise Http404
    ids = [i["immeuble"] for i in immeubles]
    demande = request.GET.get("immeuble", "")
    immeuble_id = int(demande) if demande.isdecimal() and int(demande) in ids else ids[0]
    extra, statut = {}, 200
    if code:
        # Typed without JavaScript, or opened from a ballot's QR code: show whose door it is.
        extra, statut = _apercu(request, scrutin.pk, canal, code)
        if extra.get("inscrit") is not None:
            immeuble_id = extra["inscrit"].immeuble_id
    contexte = _contexte_zone(request, scrutin, canal, immeuble_id, **extra)
    contexte["immeubles"] = immeubles
    return render(request, "votes/saisie.html", contexte, status=statut)


def _apercu(request, scrutin_pk: int, canal: str, saisie_code: str) -> tuple[dict, int]:
    """The door of a typed code (one query), or why it cannot be entered: (context, HTTP status)."""
    try:
        code = services.normaliser_code(saisie_code)
    except services.BulletinRefuse as refus:
        return {"form": CodeForm(initial={"code": saisie_code}), "erreur": refus.message}, 422
    inscrit = selectors.apercu_code(request.user, scrutin_pk, canal, code)
    if inscrit is None:
        message = services.BulletinRefuse.message_inconnu(code)
        return {"form": CodeForm(initial={"code": codes.afficher(code)}), "erreur": message}, 404
    if not inscrit.scrutin.accepte_bulletins():
        return {"inscrit": inscrit}, 409
    if inscrit.existant is not None:
        existant = Bulletin.objects.select_related("saisi_par").get(pk=inscrit.existant)
        return {"erreur": services.message_doublon(existant, inscrit), "inscrit": inscrit}, 409
    return {"inscrit": inscrit, "apercu": True, "code": codes.afficher(code)}, 200


def _apercu_etape(request, pk: int, canal: str, saisie_code: str):
    """htmx: only the step area, for the code typed (a handful of queries, no figures)."""
    extra, statut = _apercu(request, pk, canal, saisie_code)
    if extra.get("inscrit") is not None:
        scrutin = extra["inscrit"].scrutin
    else:
        _verifier_portee(request, pk, canal)
        scrutin = get_object_or_404(Scrutin, pk=pk)
    immeuble_id = extra["inscrit"].immeuble_id if extra.get("inscrit") else None
    contexte = _contexte_etape(scrutin, canal, immeuble_id, **extra)
    return render(request, "votes/saisie_etape.html", contexte, status=statut)


def _verifier_portee(request, pk: int, canal: str) -> None:
    """A refusal page shows the vote's figures: only to whom may enter ballots on it, else 404.
    (A ballot that is accepted was already checked against the user's buildings by the service.)"""
    if not selectors.inscrits_du_canal(request.user, pk, canal).exists():
        raise Http404


def _immeuble_demande(request) -> int | None:
    immeuble_id = request.POST.get("immeuble", "")
    return int(immeuble_id) if immeuble_id.isdecimal() else None


def _saisie_post(request, pk: int, canal: str):
    form = SaisieForm(request.POST)
    immeuble_id = _immeuble_demande(request)
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
            form=CodeForm(initial={"code": form.cleaned_data["code"]}) if garder else None,
            erreur=refus.message,
            inscrit=refus.inscrit,
        )
        return _repondre(request, contexte, STATUT_DU_REFUS[refus.motif])
    contexte = _contexte_zone(
        request,
        bulletin.scrutin,
        canal,
        bulletin.inscrit.immeuble_id,
        portes=bulletin.portes,
        enregistre=bulletin,
        inscrit=bulletin.inscrit,
        defaire=services.peut_defaire(bulletin, request.user),
    )
    return _repondre(request, contexte, 200)


@require_POST
@role_requis(Role.GARDIEN, Role.ACCUEIL, Role.VILLE)
def saisie_defaire(request, pk: int, canal: str, bulletin_pk: int):
    """Undo a ballot one has just entered (a mis-tap): cancelled with its reason, kept in the history.
    Then the same door is shown again, ready for the right choice."""
    _verifier_canal(request.user, canal)
    bulletin = get_object_or_404(
        Bulletin.objects.select_related("inscrit"), pk=bulletin_pk, scrutin_id=pk, saisi_par=request.user
    )
    try:
        bulletin = services.bulletin_defaire(bulletin=bulletin, par=request.user)
    except ValidationError as erreur:
        scrutin = selectors.scrutin_de_saisie(pk)
        contexte = _contexte_zone(
            request, scrutin, canal, bulletin.inscrit.immeuble_id, erreur=" ".join(erreur.messages)
        )
        return _repondre(request, contexte, 409)
    scrutin = selectors.scrutin_de_saisie(pk)
    contexte = _contexte_zone(
        request,
        scrutin,
        canal,
        bulletin.inscrit.immeuble_id,
        defait=bulletin,
        inscrit=bulletin.inscrit,
        apercu=True,
        code=codes.afficher(bulletin.inscrit.code),
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
