"""The reads of the PC sales' money, scoped by :mod:`ipt.perimetre` (volunteers: their centre's quartiers;
caretakers and landlords: nothing).

- the follow-up: sales with instalments overdue, and instalments due soon, per centre;
- the cash book (journal de caisse): the entries of a centre for a day (or a period), totals per method
  and per volunteer;
- the year's balance: sales = payments + waived + outstanding, each summed from stored lines by its own
  query.

Every list is fetched in a fixed number of queries whatever its length (the bench checks it at 6,000 and
60,000 dwellings).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from equipements.modeles_ordinateurs import Echeance, Vente
from equipements.modeles_paiements import Abandon, Paiement
from equipements.paiements import ZERO, repartir
from ipt.argent import CENTIME
from ipt.perimetre import restreindre
from quartiers.models import CentreSocial

QUARTIER_VENTE = "foyer__logement__immeuble__quartier"
ARGENT = DecimalField(max_digits=12, decimal_places=2)
A_ECHEANCE_JOURS = 14  # "due soon": an instalment due within the next two weeks
PAR_PAGE = 50


# --- Scope ------------------------------------------------------------------------------------------


def centres_couverts(user) -> QuerySet:
    """The centres sociaux whose cash book and follow-up ``user`` may read."""
    return restreindre(CentreSocial.objects.all(), user, quartier="quartiers").order_by("nom")


def ventes_couvertes(user) -> QuerySet:
    return restreindre(Vente.objects.all(), user, quartier=QUARTIER_VENTE)


def vente_de(user, pk: int) -> Vente:
    """The sale ``pk`` if ``user`` covers its household, else 404."""
    return get_object_or_404(
        ventes_couvertes(user).select_related(
            "foyer__logement__immeuble__quartier__centre_social", "ordinateur", "centre", "abandon"
        ),
        pk=pk,
    )


def paiement_de(user, pk: int) -> Paiement:
    """The entry ``pk`` if ``user`` covers its sale's household, else 404."""
    qs = restreindre(Paiement.objects.all(), user, quartier="vente__" + QUARTIER_VENTE)
    return get_object_or_404(qs.select_related("recu", "vente"), pk=pk)


def paiements_de_la_vente(vente: Vente) -> list[Paiement]:
    return list(
        Paiement.objects.filter(vente=vente)
        .select_related("recu", "annule__recu", "contrepartie__recu")
        .order_by("date", "pk")
    )


# --- What each sale owes, as annotations -------------------------------------------------------------


def _somme(qs, champ: str = "montant"):
    return Coalesce(
        Subquery(qs.order_by().values("vente").annotate(s=Sum(champ)).values("s")[:1], output_field=ARGENT),
        Value(ZERO),
        output_field=ARGENT,
    )


def avec_comptes(qs: QuerySet, jour: datetime.date) -> QuerySet:
    """Sales annotated with ``paye`` (net), ``abandonne``, ``echu`` (instalments due before ``jour``),
    ``du_bientot`` (due up to ``jour`` + 14 days), ``en_retard`` and ``reste``, each a sum of stored lines."""
    bientot = jour + datetime.timedelta(days=A_ECHEANCE_JOURS)
    echeances = Echeance.objects.filter(vente=OuterRef("pk"))
    qs = qs.annotate(
        paye=_somme(Paiement.objects.filter(vente=OuterRef("pk"))),
        abandonne=Coalesce(
            Subquery(Abandon.objects.filter(vente=OuterRef("pk")).values("montant")[:1], output_field=ARGENT),
            Value(ZERO),
            output_field=ARGENT,
        ),
        echu=_somme(echeances.filter(due_le__lt=jour)),
        du_bientot=_somme(echeances.filter(due_le__lte=bientot)),
    )
    return qs.annotate(
        en_retard=ExpressionWrapper(F("echu") - F("paye") - F("abandonne"), output_field=ARGENT),
        a_venir=ExpressionWrapper(F("du_bientot") - F("paye") - F("abandonne"), output_field=ARGENT),
        reste=ExpressionWrapper(F("prix") - F("paye") - F("abandonne"), output_field=ARGENT),
    )


def _centre_de_la_vente(qs: QuerySet, centre: CentreSocial | None) -> QuerySet:
    if centre is None:
        return qs
    return qs.filter(
        Q(centre=centre) | Q(centre__isnull=True, foyer__logement__immeuble__quartier__centre_social=centre)
    )


@dataclass
class Suivi:
    en_retard: list  # the page of overdue sales, each with .echeances_suivies, .premiere_en_retard
    page: object
    a_echeance: list  # sales with an instalment due within 14 days (nothing overdue)
    total_en_retard: Decimal
    nombre_en_retard: int


def _avec_echeances(ventes: list[Vente], jour: datetime.date) -> list[Vente]:
    for vente in ventes:
        lignes = [(e.rang, e.due_le, e.montant) for e in vente.echeances.all()]
        vente.echeances_suivies = repartir(lignes, vente.paye + vente.abandonne, jour)
        vente.premiere_en_retard = next((e for e in vente.echeances_suivies if e.statut == "en_retard"), None)
        vente.prochaine = next((e for e in vente.echeances_suivies if e.statut != "payee"), None)
    return ventes


@dataclass(frozen=True)
class Compte:
    """One sale's sums on a day, each from stored lines."""

    pk: int
    prix: Decimal
    paye: Decimal
    abandonne: Decimal
    echu: Decimal  # instalments due before the day
    du_bientot: Decimal  # instalments due up to the day + 14 days

    @property
    def en_retard(self) -> Decimal:
        return self.echu - self.paye - self.abandonne

    @property
    def reste(self) -> Decimal:
        return self.prix - self.paye - self.abandonne


def comptes_a_suivre(qs: QuerySet, jour: datetime.date) -> list[Compte]:
    """The standing sales of ``qs`` with something due by ``jour`` + 14 days and not covered, oldest sale
    first. One query: the payments and the instalments of the sales of ``qs`` are each summed once per sale
    (hash aggregates), not sale by sale — the list stays fast at 20,000 sales.

    The sales of ``qs`` are a plain sub-select in each part, not a CTE: the planner knows nothing of a
    CTE's rows, took the 20,000 sales for 200 distinct ones and the join for 58 million rows, and that
    estimate switched on JIT compilation — 0.6 s of the 0.9 s the list took at 60,000 dwellings. When
    ``qs`` is every sale (city staff, every centre), there is no sub-select at all: each sum reads every
    line once."""
    bientot = jour + datetime.timedelta(days=A_ECHEANCE_JOURS)
    sous, params = ("", ()) if not qs.query.where else qs.order_by().values("pk").query.sql_with_params()

    def parmi(colonne: str) -> str:
        return f"AND {colonne} IN ({sous})" if sous else ""

    sql = f"""
        SELECT v.id, v.prix, COALESCE(p.s, 0), COALESCE(a.montant, 0), COALESCE(e.echu, 0),
               COALESCE(e.bientot, 0)
        FROM equipements_vente v
        LEFT JOIN (
            SELECT vente_id, SUM(montant) AS s FROM equipements_paiement
            WHERE TRUE {parmi("vente_id")} GROUP BY vente_id
        ) p ON p.vente_id = v.id
        LEFT JOIN (
            SELECT vente_id,
                   SUM(CASE WHEN due_le < %s THEN montant ELSE 0 END) AS echu,
                   SUM(CASE WHEN due_le <= %s THEN montant ELSE 0 END) AS bientot
            FROM equipements_echeance WHERE TRUE {parmi("vente_id")} GROUP BY vente_id
        ) e ON e.vente_id = v.id
        LEFT JOIN equipements_abandon a ON a.vente_id = v.id
        WHERE v.statut = %s {parmi("v.id")}
          AND COALESCE(e.bientot, 0) - COALESCE(p.s, 0) - COALESCE(a.montant, 0) > 0
        ORDER BY v.date, v.id
    """  # noqa: S608 — the sub-query is Django's own SQL with its parameters; the rest is fixed
    with connection.cursor() as curseur:
        curseur.execute(sql, [*params, jour, bientot, *params, Vente.Statut.VENDUE, *params])
        lignes = curseur.fetchall()
    return [Compte(pk, *(Decimal(str(v)).quantize(CENTIME) for v in valeurs)) for pk, *valeurs in lignes]


def _ventes(comptes: list[Compte], jour: datetime.date, *, avec_relance: bool = False) -> list[Vente]:
    """The sales of ``comptes``, in that order, with their sums and instalments (two queries)."""
    if not comptes:
        return []
    qs = Vente.objects.filter(pk__in=[c.pk for c in comptes]).select_related(
        "foyer__logement__immeuble__quartier__centre_social", "ordinateur", "centre"
    )
    if avec_relance:
        qs = qs.annotate(derniere_relance=Max("relances__date"))
    par_pk = {
        v.pk: v
        for v in qs.prefetch_related(Prefetch("echeances", queryset=Echeance.objects.order_by("rang")))
    }
    ventes = []
    for compte in comptes:
        vente = par_pk[compte.pk]
        vente.paye, vente.abandonne = compte.paye, compte.abandonne
        vente.en_retard, vente.reste = max(compte.en_retard, ZERO), compte.reste
        ventes.append(vente)
    return _avec_echeances(ventes, jour)


def suivi(user, *, centre: CentreSocial | None, jour: datetime.date | None = None, page: int = 1) -> Suivi:
    """The follow-up of a centre (or every centre ``user`` covers): the overdue sales (a page of them,
    the oldest sale first) and the instalments due within two weeks. Five queries."""
    jour = jour or timezone.localdate()
    base = _centre_de_la_vente(ventes_couvertes(user), centre)
    comptes = comptes_a_suivre(base, jour)
    retards = [c for c in comptes if c.en_retard > 0]
    page_obj = Paginator(retards, PAR_PAGE).get_page(page)
    bientot = [c for c in comptes if c.en_retard <= 0][:PAR_PAGE]
    return Suivi(
        en_retard=_ventes(list(page_obj.object_list), jour, avec_relance=True),
        page=page_obj,
        a_echeance=_ventes(bientot, jour),
        total_en_retard=sum((c.en_retard for c in retards), ZERO),
        nombre_en_retard=len(retards),
    )


def ventes_en_retard(qs: QuerySet, jour: datetime.date) -> list[Vente]:
    """The sales of ``qs`` with an instalment overdue on ``jour``, with their sums and instalments, by
    quartier and household (three queries)."""
    ventes = _ventes([c for c in comptes_a_suivre(qs, jour) if c.en_retard > 0], jour)
    return sorted(ventes, key=lambda v: (v.foyer.logement.immeuble.quartier.nom, v.foyer.nom, v.pk))


# --- The cash book ----------------------------------------------------------------------------------


@dataclass
class JournalCaisse:
    centre: CentreSocial
    du: datetime.date
    au: datetime.date
    lignes: list[Paiement]
    total: Decimal = ZERO
    par_mode: list[tuple[str, int, Decimal]] = field(default_factory=list)
    par_benevole: list[tuple[str, int, Decimal]] = field(default_factory=list)


def journal_caisse(centre: CentreSocial, du: datetime.date, au: datetime.date | None = None) -> JournalCaisse:
    """The entries of ``centre``'s cash book from ``du`` to ``au`` (one day by default), in receipt order,
    with the totals per method (a third party by name) and per volunteer. One query; the totals are sums
    of the lines."""
    au = au or du
    lignes = list(
        Paiement.objects.filter(centre=centre, date__gte=du, date__lte=au)
        .select_related("recu", "vente__foyer__logement__immeuble", "vente__ordinateur", "annule__recu")
        .order_by("date", "recu__annee", "recu__rang")
    )
    par_mode: dict[str, list] = defaultdict(lambda: [0, ZERO])
    par_benevole: dict[str, list] = defaultdict(lambda: [0, ZERO])
    for ligne in lignes:
        for cle, cumul in ((ligne.mode_libelle, par_mode), (ligne.par_nom or "—", par_benevole)):
            cumul[cle][0] += 1
            cumul[cle][1] += ligne.montant
    return JournalCaisse(
        centre=centre,
        du=du,
        au=au,
        lignes=lignes,
        total=sum((ligne.montant for ligne in lignes), ZERO),
        par_mode=sorted((k, n, t) for k, (n, t) in par_mode.items()),
        par_benevole=sorted((k, n, t) for k, (n, t) in par_benevole.items()),
    )


# --- The year's balance -----------------------------------------------------------------------------


@dataclass
class Bilan:
    libelle: str
    ventes: int = 0
    annulees: int = 0
    vendu: Decimal = ZERO  # the prices of the sales standing
    paye: Decimal = ZERO  # payments towards the year's sales, net of reversals and refunds
    abandonne: Decimal = ZERO
    reste: Decimal = ZERO  # what remains, summed sale by sale
    encaisse_annee: Decimal = ZERO  # the cash books of the year (by payment date)

    @property
    def equilibre(self) -> bool:
        return self.vendu == self.paye + self.abandonne + self.reste


def _centimes(valeur) -> Decimal:
    """A sum as the database returns it (SQLite: many decimals), to the cent."""
    return Decimal(str(valeur or 0)).quantize(CENTIME)


def bilan_annuel(user, annee: int, centre: CentreSocial | None = None) -> list[Bilan]:
    """Per centre (and in all), the sales of ``annee``: sold = paid + waived + outstanding.

    Each figure is its own query over stored lines: the prices of the sales standing; the payments towards
    the year's sales (net, by centre of the sale); the amounts waived; and what remains, summed sale by
    sale from the sale's own sums. The page shows whether they add up (they must). Four queries."""
    ventes = _centre_de_la_vente(ventes_couvertes(user).filter(date__year=annee), centre)
    centre_expr = Coalesce(F("centre"), F("foyer__logement__immeuble__quartier__centre_social"))
    bilans: dict[int | None, Bilan] = {}
    noms = dict(CentreSocial.objects.values_list("pk", "nom"))

    def bilan(cle) -> Bilan:
        if cle not in bilans:
            bilans[cle] = Bilan(libelle=noms.get(cle, "—"))
        return bilans[cle]

    for ligne in (
        ventes.annotate(c=centre_expr)
        .values("c")
        .annotate(
            n=Count("pk", filter=Q(statut=Vente.Statut.VENDUE)),
            a=Count("pk", filter=~Q(statut=Vente.Statut.VENDUE)),
            vendu=Sum("prix", filter=Q(statut=Vente.Statut.VENDUE)),
            abandonne=Sum("abandon__montant", filter=Q(statut=Vente.Statut.VENDUE)),
        )
    ):
        b = bilan(ligne["c"])
        b.ventes, b.annulees = ligne["n"], ligne["a"]
        b.vendu, b.abandonne = _centimes(ligne["vendu"]), _centimes(ligne["abandonne"])
    for ligne in (
        Paiement.objects.filter(vente__in=ventes.values("pk"))
        .annotate(
            c=Coalesce(F("vente__centre"), F("vente__foyer__logement__immeuble__quartier__centre_social"))
        )
        .values("c")
        .annotate(s=Sum("montant"))
    ):
        bilan(ligne["c"]).paye = _centimes(ligne["s"])
    # What remains, sale by sale: owed (the price while sold, else nothing) less paid less waived.
    restes = avec_comptes(ventes, timezone.localdate()).annotate(c=centre_expr)
    for vente in restes.values("pk", "c", "statut", "prix", "paye", "abandonne"):
        du = vente["prix"] if vente["statut"] == Vente.Statut.VENDUE else ZERO
        waived = vente["abandonne"] if vente["statut"] == Vente.Statut.VENDUE else ZERO
        bilan(vente["c"]).reste += _centimes(du - vente["paye"] - waived)
    caisse = Paiement.objects.filter(date__year=annee, centre__in=centres_couverts(user).values("pk"))
    if centre is not None:
        caisse = caisse.filter(centre=centre)
    for ligne in caisse.values("centre").annotate(s=Sum("montant")):
        bilan(ligne["centre"]).encaisse_annee = _centimes(ligne["s"])
    lignes = sorted(bilans.values(), key=lambda b: b.libelle)
    total = Bilan(libelle="")
    for b in lignes:
        for attr in ("ventes", "annulees", "vendu", "paye", "abandonne", "reste", "encaisse_annee"):
            setattr(total, attr, getattr(total, attr) + getattr(b, attr))
    return [*lignes, total]
