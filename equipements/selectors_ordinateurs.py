"""The reads of refurbished PCs. The stock is the city's (every desk sees it); sales and reservations are
scoped through their household by :mod:`ipt.perimetre` (volunteers: their centres' quartiers)."""

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from equipements.models import Derogation, Echeance, Offre, Ordinateur, Reservation, Vente
from ipt.perimetre import restreindre

QUARTIER_DU_FOYER = "foyer__logement__immeuble__quartier"


def _reservation_qui_tient(jour: datetime.date):
    return Reservation.objects.filter(
        ordinateur=OuterRef("pk"), statut=Reservation.Statut.ACTIVE, jusqu_au__gte=jour
    )


def disponibles(jour: datetime.date, foyer=None) -> QuerySet:
    """The PCs that may be sold or reserved on ``jour``: in stock, or reserved by a reservation past its
    date (the beat task has not run yet), or reserved for ``foyer``."""
    tenus = _reservation_qui_tient(jour)
    condition = Q(statut=Ordinateur.Statut.EN_STOCK) | (Q(statut=Ordinateur.Statut.RESERVE) & ~Exists(tenus))
    if foyer is not None:
        condition |= Q(statut=Ordinateur.Statut.RESERVE) & Exists(tenus.filter(foyer=foyer))
    return Ordinateur.objects.filter(condition).order_by("type", "reference")


def stock(jour: datetime.date, *, statut: str = "", type: str = "") -> QuerySet:
    """The stock's list for the desk and staff: each PC with its reservation holding on ``jour``."""
    qs = Ordinateur.objects.all()
    if statut:
        qs = qs.filter(statut=statut)
    if type:
        qs = qs.filter(type=type)
    return qs.prefetch_related(
        Prefetch(
            "reservations",
            queryset=Reservation.objects.filter(statut=Reservation.Statut.ACTIVE, jusqu_au__gte=jour),
            to_attr="reservations_tenant",
        )
    ).order_by("statut", "type", "reference")


def offre_en_vigueur(jour: datetime.date) -> Offre | None:
    return Offre.objects.prefetch_related("paliers").en_vigueur(jour)


def ventes_du_foyer(foyer) -> list[Vente]:
    """The household's PC sales with their instalments (two queries)."""
    return list(
        Vente.objects.filter(foyer=foyer)
        .select_related("ordinateur", "remise__recu")
        .prefetch_related(Prefetch("echeances", queryset=Echeance.objects.order_by("rang")))
        .order_by("-date", "-pk")
    )


def reservations_du_foyer(foyer, jour: datetime.date) -> list[Reservation]:
    return list(
        Reservation.objects.filter(foyer=foyer, statut=Reservation.Statut.ACTIVE, jusqu_au__gte=jour)
        .select_related("ordinateur")
        .order_by("jusqu_au")
    )


def derogations_libres(foyer) -> list[Derogation]:
    return list(Derogation.objects.filter(foyer=foyer, vente__isnull=True).order_by("pk"))


def ventes_a_remettre(foyer) -> list[Vente]:
    """The household's PCs sold and not handed over yet (for the handover page)."""
    return list(
        Vente.objects.filter(foyer=foyer, statut=Vente.Statut.VENDUE, remise__isnull=True)
        .select_related("ordinateur")
        .order_by("pk")
    )


def reservation_de(user, pk: int) -> Reservation:
    qs = restreindre(Reservation.objects.all(), user, quartier=QUARTIER_DU_FOYER)
    return get_object_or_404(qs.select_related("foyer", "ordinateur"), pk=pk)


def vente_de(user, pk: int) -> Vente:
    qs = restreindre(Vente.objects.all(), user, quartier=QUARTIER_DU_FOYER)
    return get_object_or_404(qs.select_related("foyer", "ordinateur"), pk=pk)


def ordinateur_par_reference(reference: str) -> Ordinateur | None:
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    return Ordinateur.objects.filter(reference=reference).first()


def fiche_foyer(foyer, jour: datetime.date) -> dict:
    """The household page's PC section: its PCs bought (each with its instalments), its reservation, the
    second PCs allowed not used yet. Two queries for a household without a PC."""
    ventes = ventes_du_foyer(foyer)
    return {
        "ventes": [{"vente": v, "echeances": list(v.echeances.all())} for v in ventes],
        "reservations": reservations_du_foyer(foyer, jour),
        # A second PC allowed matters once the household has one.
        "derogations": derogations_libres(foyer) if ventes else [],
    }
