"""The reads of refurbished PCs. The stock is the city's (every desk sees it); sales and reservations are
scoped through their household by :mod:`ipt.perimetre` (volunteers: their centres' quartiers)."""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from equipements.models import Abandon, Derogation, Echeance, Offre, Ordinateur, Paiement, Reservation, Vente
from equipements.paiements import Situation, repartir
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
    """The household's PC sales with their instalments, what was paid (net of reversals and refunds) and
    what was waived (two queries, whatever the number of sales)."""
    paye = (
        Paiement.objects.filter(vente=OuterRef("pk"))
        .order_by()
        .values("vente")
        .annotate(s=Sum("montant"))
        .values("s")
    )
    abandon = Abandon.objects.filter(vente=OuterRef("pk")).values("montant")[:1]
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
    return list(
        Vente.objects.filter(foyer=foyer)
        .annotate(paye_net=Coalesce(Subquery(paye), zero), abandon_montant=Coalesce(Subquery(abandon), zero))
        .select_related("ordinateur", "remise__recu")
        .prefetch_related(Prefetch("echeances", queryset=Echeance.objects.order_by("rang")))
        .order_by("-date", "-pk")
    )


def situation_annotee(vente: Vente, jour: datetime.date) -> Situation:
    """The sale's account (as ``equipements.paiements.situation``) from the annotations and prefetched
    instalments of :func:`ventes_du_foyer`: no query."""
    vendue = vente.statut == Vente.Statut.VENDUE
    du = vente.prix if vendue else Decimal("0.00")
    abandonne = vente.abandon_montant if vendue else Decimal("0.00")
    lignes = [(e.rang, e.due_le, e.montant) for e in vente.echeances.all()]
    suivies = repartir(lignes, vente.paye_net + abandonne, jour, vendue=vendue)
    return Situation(
        vente=vente,
        du=du,
        paye=vente.paye_net,
        abandonne=abandonne,
        reste=du - vente.paye_net - abandonne,
        echeances=suivies,
        en_retard=sum((e.reste for e in suivies if e.statut == "en_retard"), Decimal("0.00")),
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
    second PCs allowed not used yet, what was paid and what remains. Two queries for a household without
    a PC, four with one or more."""
    ventes = ventes_du_foyer(foyer)
    return {
        "ventes": [{"vente": v, "situation": situation_annotee(v, jour)} for v in ventes],
        "reservations": reservations_du_foyer(foyer, jour),
        # A second PC allowed matters once the household has one.
        "derogations": derogations_libres(foyer) if ventes else [],
    }
