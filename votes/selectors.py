"""Reads of the votes. Every function runs a fixed number of queries, whatever the number of dwellings."""

import hashlib
import re
from datetime import UTC

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipt.models import Travail
from ipt.perimetre import restreindre
from ipt.roles import Role, a_le_role
from ipt.travaux import libelle_de
from votes import regles
from votes.models import Bulletin, Inscrit, Scrutin

NATURE_BULLETINS = "votes.bulletins"
NATURE_PROCES_VERBAL = "votes.proces_verbal"

CANAUX = [c.value for c in Bulletin.Canal]
CHOIX = {Bulletin.Choix.OUI: "oui", Bulletin.Choix.NON: "non", Bulletin.Choix.BLANC: "blancs"}

# Which lookup path scopes the roll for each entry channel (see ipt.perimetre.restreindre): a caretaker
# covers their buildings, the desk the quartiers of its centre, city staff everything.
PORTEE_DU_CANAL = {
    Bulletin.Canal.GARDIEN: {"immeuble": "immeuble"},
    Bulletin.Canal.ACCUEIL: {"quartier": "immeuble__quartier"},
    Bulletin.Canal.VILLE: {},
}
ROLE_DU_CANAL = {
    Bulletin.Canal.GARDIEN: Role.GARDIEN,
    Bulletin.Canal.ACCUEIL: Role.ACCUEIL,
    Bulletin.Canal.VILLE: Role.VILLE,
}


def peut_saisir(user, canal: str) -> bool:
    """Whether ``user`` may enter ballots on ``canal``: the channel's role, and the right to enter ballots."""
    return a_le_role(user, ROLE_DU_CANAL[canal]) and user.has_perm("votes.add_bulletin")


# --- Votes ------------------------------------------------------------------------------------------


def scrutins_liste() -> list[Scrutin]:
    """Every vote with its quartier, newest first (one query)."""
    return list(Scrutin.objects.select_related("quartier").order_by("-ouvre_le", "-pk"))


def scrutin_pour_staff(pk: int) -> Scrutin:
    return get_object_or_404(
        Scrutin.objects.select_related("quartier", "ouvert_par", "clos_par", "publie_par"), pk=pk
    )


def inscrits_du_canal(user, scrutin_id: int, canal: str) -> QuerySet[Inscrit]:
    """The roll of a vote as ``user`` covers it on ``canal``: a caretaker their buildings, the desk its
    centre's quartiers, city staff everything."""
    return restreindre(Inscrit.objects.filter(scrutin_id=scrutin_id), user, **PORTEE_DU_CANAL[canal])


def scrutins_ouverts_pour(user, canal: str) -> list[Scrutin]:
    """The open votes with at least one dwelling ``user`` covers on that channel (one query)."""
    couverts = restreindre(Inscrit.objects.all(), user, **PORTEE_DU_CANAL[canal])
    return list(
        Scrutin.objects.filter(statut=Scrutin.Statut.OUVERT)
        .filter(Exists(couverts.filter(scrutin=OuterRef("pk"))))
        .select_related("quartier")
        .annotate(nb_reponses=_nb_reponses())
        .order_by("ferme_le", "pk")
    )


def _nb_reponses():
    return Coalesce(
        Subquery(
            Bulletin.objects.valides()
            .filter(scrutin=OuterRef("pk"))
            .order_by()
            .values("scrutin")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def scrutin_de_saisie(pk: int) -> Scrutin:
    """A vote for the entry page, with its number of responses so far (one query)."""
    return get_object_or_404(
        Scrutin.objects.select_related("quartier").annotate(nb_reponses=_nb_reponses()), pk=pk
    )


def immeubles_de_saisie(user, scrutin: Scrutin, canal: str) -> list[dict]:
    """The buildings of the vote ``user`` covers on ``canal``: roll and dwellings that voted (one query)."""
    valide = Q(bulletins__annule_le__isnull=True, bulletins__isnull=False)
    return list(
        inscrits_du_canal(user, scrutin.pk, canal)
        .order_by()
        .values("immeuble", "immeuble__nom", "immeuble__adresse", "immeuble__depot_bulletins")
        .annotate(inscrits=Count("pk", distinct=True), votants=Count("bulletins", filter=valide))
        .order_by("immeuble__adresse", "immeuble")
    )


def _annoter_portes(inscrits: QuerySet[Inscrit], scrutin_id: int) -> QuerySet[Inscrit]:
    """Each dwelling with its counted ballot's pk, if any (``existant``), and the vote's number of
    responses so far (``nb_reponses``, the same on every row), in the order of the doors."""
    total = (
        Bulletin.objects.valides()
        .filter(scrutin_id=scrutin_id)
        .order_by()
        .values("scrutin")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        inscrits.select_related("logement", "immeuble")
        .annotate(
            existant=Subquery(Bulletin.objects.valides().filter(inscrit=OuterRef("pk")).values("pk")[:1]),
            nb_reponses=Coalesce(Subquery(total), 0),
        )
        .order_by("logement__cage", "logement__etage", "logement__porte", "pk")
    )


def portes_immeuble(user, scrutin_id: int, canal: str, immeuble_id: int) -> list[Inscrit]:
    """The dwellings of one building on the roll, each saying whether it has voted (``existant``) —
    not how — with the vote's number of responses so far on each row (one query)."""
    return list(
        _annoter_portes(
            inscrits_du_canal(user, scrutin_id, canal).filter(immeuble_id=immeuble_id), scrutin_id
        )
    )


def portes_immeuble_du_code(portee: QuerySet[Inscrit], scrutin_id: int, code: str) -> list[Inscrit]:
    """The building of the dwelling whose ballot code is ``code`` (within ``portee``), as
    :func:`portes_immeuble`, with the vote on each row (one query; empty if no such dwelling)."""
    immeuble = portee.filter(code=code).values("immeuble_id")[:1]
    return list(
        _annoter_portes(portee.filter(immeuble_id=Subquery(immeuble)), scrutin_id).select_related("scrutin")
    )


def apercu_code(user, scrutin_id: int, canal: str, code: str) -> Inscrit | None:
    """The dwelling a ballot code stands for, within what ``user`` covers on ``canal``, with the vote
    and its counted ballot's pk if any (``existant``) — for showing the door before entering (one query)."""
    return (
        inscrits_du_canal(user, scrutin_id, canal)
        .filter(code=code)
        .select_related("scrutin", "logement", "immeuble")
        .annotate(
            existant=Subquery(Bulletin.objects.valides().filter(inscrit=OuterRef("pk")).values("pk")[:1])
        )
        .first()
    )


# --- Counts and reconciliation ----------------------------------------------------------------------


def decompte(scrutin: Scrutin) -> dict:
    """Counts of a vote, per building and per channel, reconciled against the roll (three queries).

    The same structure is stored in ``Scrutin.decompte`` at closing, with the verdict.
    """
    immeubles = {
        ligne["immeuble"]: {
            "id": ligne["immeuble"],
            "reference": ligne["immeuble__reference"],
            "nom": ligne["immeuble__nom"],
            "adresse": ligne["immeuble__adresse"],
            "inscrits": ligne["n"],
            "oui": 0,
            "non": 0,
            "blancs": 0,
            "reponses": 0,
            **{canal: 0 for canal in CANAUX},
        }
        for ligne in Inscrit.objects.filter(scrutin=scrutin)
        .order_by()
        .values("immeuble", "immeuble__reference", "immeuble__nom", "immeuble__adresse")
        .annotate(n=Count("pk"))
    }
    hors_liste = 0
    for ligne in (
        Bulletin.objects.valides()
        .filter(scrutin=scrutin)
        .order_by()
        .values("inscrit__immeuble", "choix", "canal")
        .annotate(n=Count("pk"))
    ):
        immeuble = immeubles.get(ligne["inscrit__immeuble"])
        if immeuble is None:
            hors_liste += ligne["n"]
            continue
        immeuble[CHOIX[ligne["choix"]]] += ligne["n"]
        immeuble[ligne["canal"]] += ligne["n"]
        immeuble["reponses"] += ligne["n"]
    controle = Bulletin.objects.filter(scrutin=scrutin).aggregate(
        valides=Count("pk", filter=Q(annule_le__isnull=True)),
        annules=Count("pk", filter=Q(annule_le__isnull=False)),
        hors_logement=Count("pk", filter=~Q(inscrit__logement=F("logement"))),
    )
    lignes = sorted(
        immeubles.values(),
        key=lambda i: (_ordre_naturel(i["adresse"] or ""), _ordre_naturel(i["nom"] or ""), i["id"]),
    )
    totaux = {
        cle: sum(i[cle] for i in lignes) for cle in ("inscrits", "oui", "non", "blancs", "reponses", *CANAUX)
    }
    ecarts = []
    for i in lignes:
        if not (i["oui"] + i["non"] + i["blancs"] == i["reponses"] == sum(i[c] for c in CANAUX)):
            ecarts.append(_("%(ref)s: choices, channels and responses differ") % {"ref": i["reference"]})
        if i["reponses"] > i["inscrits"]:
            ecarts.append(_("%(ref)s: more responses than dwellings on the roll") % {"ref": i["reference"]})
    if totaux["reponses"] != controle["valides"]:
        ecarts.append(_("the ballots counted per building differ from the ballots recorded"))
    if hors_liste or controle["hors_logement"]:
        ecarts.append(_("ballots for dwellings not on the roll"))
    if totaux["inscrits"] != scrutin.nb_inscrits:
        ecarts.append(_("the roll differs from the roll frozen at opening"))
    return {
        **totaux,
        "nb_inscrits_gele": scrutin.nb_inscrits,
        "annules": controle["annules"],
        "immeubles": lignes,
        "rapprochement": {"conforme": not ecarts, "ecarts": ecarts},
    }


def _ordre_naturel(texte: str) -> list:
    """``"9 rue X"`` before ``"10 rue X"``: digits compare as numbers, letters without case."""
    return [int(m) if m.isdigit() else m.casefold() for m in re.split(r"(\d+)", texte)]


def contexte_resultat(scrutin: Scrutin) -> dict:
    """What the result page and the minutes show of a closed vote (no query: the counts stored at
    closing). Buildings in the order of their address, then name."""
    d = dict(scrutin.decompte)
    d["immeubles"] = sorted(
        d.get("immeubles", []),
        key=lambda i: (_ordre_naturel(i.get("adresse") or ""), _ordre_naturel(i.get("nom") or ""), i["id"]),
    )
    regle = scrutin.regle_appliquee
    return {
        "scrutin": scrutin,
        "quartier": scrutin.quartier,
        "regle": regle,
        "explication": regles.expliquer(regle),
        "d": d,
        "abstentions": d.get("inscrits", 0) - d.get("reponses", 0),
        "conditions": d.get("verdict", {}).get("conditions", []),
        "format_empreinte": FORMAT_EMPREINTE,
        "genere_le": timezone.now(),
    }


def decompte_regle(donnees: dict) -> regles.Decompte:
    return regles.Decompte(
        inscrits=donnees["inscrits"], oui=donnees["oui"], non=donnees["non"], blancs=donnees["blancs"]
    )


# --- The fingerprint of the ballots -----------------------------------------------------------------

# How one line of the fingerprinted list reads, named in the reader's language in the minutes (the
# list itself has no header: its format never changes, its SHA-256 is published).
# Translators: the names of the four fields of a line, separated by semicolons, without spaces.
FORMAT_EMPREINTE = gettext_lazy("code;choice;channel;entered_at")


def lignes_canoniques(scrutin: Scrutin) -> list[str]:
    """The counted ballots of a vote in their canonical form, sorted: the input of the SHA-256.

    One line per ballot that was not cancelled: ``code;choice;channel;entered_at`` where ``code`` is
    the 7-character ballot code without its dash, ``choice`` is ``oui``, ``non`` or ``blanc``,
    ``channel`` is ``gardien``, ``accueil`` or ``ville``, and ``entered_at`` the time it was entered,
    in UTC, as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``. Lines are sorted by code (codes are unique in a vote),
    each ends with a line feed, and the whole is encoded in UTF-8.
    """
    lignes = [
        f"{code};{choix};{canal};{saisi_le.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"
        for code, choix, canal, saisi_le in Bulletin.objects.valides()
        .filter(scrutin=scrutin)
        .values_list("inscrit__code", "choix", "canal", "saisi_le")
        .order_by()
    ]
    lignes.sort()
    return lignes


def texte_canonique(lignes: list[str]) -> bytes:
    return "".join(f"{ligne}\n" for ligne in lignes).encode()


def empreinte(lignes: list[str]) -> str:
    return hashlib.sha256(texte_canonique(lignes)).hexdigest()


# --- History (city staff) ---------------------------------------------------------------------------


def historique(scrutin: Scrutin, *, code: str = "") -> QuerySet[Bulletin]:
    """Every ballot of the vote (or of one code), cancelled ones too, with who, when and which channel."""
    bulletins = Bulletin.objects.filter(scrutin=scrutin)
    code = code.replace("-", "").replace(" ", "").upper()
    if code:
        bulletins = bulletins.filter(inscrit__code__startswith=code)
    return bulletins.select_related(
        "inscrit__immeuble", "logement", "saisi_par", "annule_par", "remplace"
    ).order_by("-saisi_le", "-pk")


def travaux_du_scrutin(scrutin: Scrutin, limite: int = 6) -> list[Travail]:
    """The vote's latest documents (ballot papers, minutes), newest first (one query)."""
    travaux = list(
        Travail.objects.filter(
            nature__in=[NATURE_BULLETINS, NATURE_PROCES_VERBAL], parametres__scrutin=scrutin.pk
        ).order_by("-cree_le")[:limite]
    )
    for travail in travaux:
        travail.libelle = libelle_de(travail.nature)
    return travaux
