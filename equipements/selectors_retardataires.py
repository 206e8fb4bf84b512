"""The reads of the late-comers, scoped by :mod:`ipt.perimetre` (volunteers: their centres' quartiers).

A late-comer is a household of a quartier whose handout days are all past, opted in (its latest opt-in
row), not moved out, and without a decoder — or one that was invited, booked or declined on the way
(it stays on the list, "equipped" once it got its decoder).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from equipements.models import (
    Creneau,
    Declin,
    EnvoiLettres,
    JourneeRemise,
    Lettre,
    LigneRemise,
    RendezVous,
)
from equipements.services import STATUTS_ADOPTES
from ipt.perimetre import restreindre
from logements.models import Adhesion, Foyer
from quartiers.models import Quartier


class Etat:
    A_INVITER = "a_inviter"
    INVITE = "invite"
    RELANCE = "relance"
    RENDEZ_VOUS = "rendez_vous"
    EQUIPE = "equipe"
    DECLINE = "decline"


LIBELLES = {
    Etat.A_INVITER: _("to invite"),
    Etat.INVITE: _("invited"),
    Etat.RELANCE: _("reminded"),
    Etat.RENDEZ_VOUS: _("appointment"),
    Etat.EQUIPE: _("equipped"),
    Etat.DECLINE: _("declined"),
}


def etat(*, equipe: bool, declin, rendez_vous, invite_le, relance_le) -> str:
    """The one rule of a late-comer's state, from what was recorded."""
    if equipe:
        return Etat.EQUIPE
    if declin is not None:
        return Etat.DECLINE
    if rendez_vous is not None:
        return Etat.RENDEZ_VOUS
    if relance_le is not None:
        return Etat.RELANCE
    if invite_le is not None:
        return Etat.INVITE
    return Etat.A_INVITER


# --- Quartiers ----------------------------------------------------------------------------------


def quartiers_retardataires(user) -> list[Quartier]:
    """The adopted quartiers the user covers that have handout days, with the last one's date."""
    qs = restreindre(Quartier.objects.filter(statut__in=STATUTS_ADOPTES), user, quartier="pk")
    return list(
        qs.annotate(derniere_journee=Max("journees_remise__date"))
        .filter(derniere_journee__isnull=False)
        .order_by("nom")
    )


def quartier_de(user, pk: int) -> Quartier:
    """The adopted quartier ``pk`` if ``user`` covers it, else 404."""
    qs = restreindre(Quartier.objects.filter(statut__in=STATUTS_ADOPTES), user, quartier="pk")
    return get_object_or_404(qs.select_related("centre_social"), pk=pk)


def derniere_journee(quartier_id: int) -> datetime.date | None:
    return JourneeRemise.objects.filter(quartier=quartier_id).aggregate(d=Max("date"))["d"]


# --- The late-comers of a quartier --------------------------------------------------------------


def _equipe(prefixe: str = "") -> Exists:
    return Exists(
        LigneRemise.objects.filter(
            remise__foyer=OuterRef(prefixe + "pk"), decodeur__isnull=False, restitution__isnull=True
        )
    )


def _date_lettre(etape: str) -> Subquery:
    return Subquery(
        Lettre.objects.filter(foyer=OuterRef("pk"), envoi__etape=etape)
        .order_by("-envoi__date", "-pk")
        .values("envoi__date")[:1]
    )


def retardataires(quartier_id: int) -> QuerySet:
    """The late-comers of a quartier (see the module), annotated with what their state is made of:
    ``equipe``, ``invite_le``, ``relance_le``; ``declin`` and the booked appointment are fetched with them
    (``rdv``: a list of at most one). Three queries when listed."""
    derniere = Subquery(
        Adhesion.objects.filter(foyer=OuterRef("pk")).order_by("-date", "-pk").values("type")[:1]
    )
    suivi = Exists(Lettre.objects.filter(foyer=OuterRef("pk"))) | Exists(
        RendezVous.objects.filter(foyer=OuterRef("pk"))
    )
    return (
        Foyer.objects.filter(logement__immeuble__quartier=quartier_id, demenage_le__isnull=True)
        .annotate(
            derniere_adhesion=derniere,
            equipe=_equipe(),
            invite_le=_date_lettre(EnvoiLettres.Etape.INVITATION),
            relance_le=_date_lettre(EnvoiLettres.Etape.RELANCE),
        )
        .filter(derniere_adhesion=Adhesion.Type.ADHESION)
        .filter(Q(equipe=False) | suivi)
        .select_related("logement__immeuble", "declin")
        .prefetch_related(
            Prefetch(
                "rendez_vous",
                queryset=RendezVous.objects.filter(statut=RendezVous.Statut.RESERVE).select_related(
                    "creneau"
                ),
                to_attr="rdv",
            )
        )
        .order_by("logement__immeuble__adresse", "logement__cage", "logement__etage", "logement__porte", "pk")
    )


@dataclass
class Ligne:
    foyer: Foyer
    etat: str

    @property
    def libelle(self) -> str:
        return str(LIBELLES[self.etat])

    @property
    def rendez_vous(self):
        return self.foyer.rdv[0] if self.foyer.rdv else None


def lignes(quartier_id: int) -> list[Ligne]:
    resultat = []
    for foyer in retardataires(quartier_id):
        rdv = foyer.rdv[0] if foyer.rdv else None
        declin = getattr(foyer, "declin", None)
        resultat.append(
            Ligne(
                foyer,
                etat(
                    equipe=foyer.equipe,
                    declin=declin,
                    rendez_vous=rdv,
                    invite_le=foyer.invite_le,
                    relance_le=foyer.relance_le,
                ),
            )
        )
    return resultat


def a_inviter(quartier_id: int) -> list[Foyer]:
    """The households an invitation goes to: late-comers never invited, without an appointment, not
    declined, without a decoder."""
    return [
        foyer
        for foyer in retardataires(quartier_id).filter(equipe=False, invite_le__isnull=True)
        if not foyer.rdv and getattr(foyer, "declin", None) is None
    ]


def a_relancer(quartier_id: int, *, invites_jusqu_au: datetime.date) -> list[Foyer]:
    """The households a reminder goes to: invited on or before ``invites_jusqu_au``, never reminded, and
    still without an appointment, a decline or a decoder."""
    return [
        foyer
        for foyer in retardataires(quartier_id).filter(
            equipe=False, invite_le__lte=invites_jusqu_au, relance_le__isnull=True
        )
        if not foyer.rdv and getattr(foyer, "declin", None) is None
    ]


# --- Slots --------------------------------------------------------------------------------------


def creneaux(quartier_id: int, *, a_venir: bool = True) -> list[Creneau]:
    """The quartier's slots (from today on, unless ``a_venir`` is false), each with ``pris`` (seats
    booked) and ``libres``."""
    qs = Creneau.objects.filter(quartier=quartier_id)
    if a_venir:
        qs = qs.filter(date__gte=timezone.localdate())
    liste = list(
        qs.annotate(pris=Count("rendez_vous", filter=Q(rendez_vous__statut=RendezVous.Statut.RESERVE)))
    )
    for creneau in liste:
        creneau.libres = max(creneau.capacite - creneau.pris, 0)
    return liste


def creneaux_libres(quartier_id: int) -> list[Creneau]:
    return [c for c in creneaux(quartier_id) if c.libres > 0]


def rendez_vous_de(user, pk: int) -> RendezVous:
    qs = restreindre(RendezVous.objects.all(), user, quartier="foyer__logement__immeuble__quartier")
    return get_object_or_404(qs.select_related("creneau", "foyer"), pk=pk)


def envois(quartier_id: int) -> list[EnvoiLettres]:
    return list(
        EnvoiLettres.objects.filter(quartier=quartier_id)
        .annotate(nb=Count("lettres"))
        .order_by("-date", "-pk")[:10]
    )


# --- One household ------------------------------------------------------------------------------


def parcours(foyer: Foyer, *, equipe: bool) -> dict:
    """A household's late-comer story for its page: letters, appointments, decline, and its state (three
    queries). ``etat`` is ``None`` when the household is not a late-comer and nothing was recorded."""
    lettres = list(
        Lettre.objects.filter(foyer=foyer).select_related("envoi", "creneau").order_by("-envoi__date", "-pk")
    )
    rendez_vous = list(
        RendezVous.objects.filter(foyer=foyer).select_related("creneau").order_by("-creneau__date", "-pk")
    )
    declin = Declin.objects.filter(foyer=foyer).first()
    reserve = next((r for r in rendez_vous if r.statut == RendezVous.Statut.RESERVE), None)
    invite_le = next(
        (lt.envoi.date for lt in lettres if lt.envoi.etape == EnvoiLettres.Etape.INVITATION), None
    )
    relance_le = next((lt.envoi.date for lt in lettres if lt.envoi.etape == EnvoiLettres.Etape.RELANCE), None)
    suivi = bool(lettres or rendez_vous or declin)
    code = (
        etat(equipe=equipe, declin=declin, rendez_vous=reserve, invite_le=invite_le, relance_le=relance_le)
        if suivi
        else None
    )
    return {
        "etat": code,
        "libelle": LIBELLES[code] if code else "",
        "lettres": lettres,
        "rendez_vous": rendez_vous,
        "reserve": reserve,
        "declin": declin,
    }
