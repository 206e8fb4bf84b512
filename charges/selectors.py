"""Reads of charges and statements. Every list is fetched in a fixed number of queries, and scoped."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from charges.models import Charge, Execution, LigneReleve, Regularisation, Releve, Tarif
from ipt.perimetre import couvre_tout, restreindre
from logements.models import Bailleur, Logement

# The order of a statement's lines: by neighbourhood, building, stairwell, floor, door.
ORDRE_LIGNES = [
    "quartier",
    "immeuble_reference",
    "immeuble_adresse",
    "cage",
    "etage",
    "porte",
    "reference",
    "pk",
]


def tarif_du_mois(mois: datetime.date) -> Tarif | None:
    """The tariff in force on the first day of ``mois``."""
    return Tarif.objects.en_vigueur(mois.replace(day=1))


def logements_factures(mois: datetime.date) -> QuerySet[Logement]:
    """The rule: dwellings connected on the first day of ``mois`` (``Logement.objects.connectes``; one
    whose ``sorti_le`` — its first day out of the programme — is that 1st is not charged)."""
    return Logement.objects.connectes(mois.replace(day=1))


# --- Statements ---------------------------------------------------------------------------------


def releves_pour(user) -> QuerySet[Releve]:
    """The statements ``user`` may see: city staff all; landlord staff their landlord's issued ones."""
    qs = restreindre(Releve.objects.all(), user, bailleur="bailleur")
    if not couvre_tout(user):
        qs = qs.filter(statut=Releve.Statut.EMIS)
    return qs


def releve_pour(user, pk: int) -> Releve:
    """A statement ``user`` may see, else 404."""
    return get_object_or_404(releves_pour(user).select_related("bailleur"), pk=pk)


def releves_liste(
    user,
    *,
    bailleur: Bailleur | None = None,
    mois: datetime.date | None = None,
    statut: str = "",
) -> QuerySet[Releve]:
    """The statements of the staff list, filtered; each with its number of adjustments (one query)."""
    qs = releves_pour(user).select_related("bailleur")
    if bailleur is not None:
        qs = qs.filter(bailleur=bailleur)
    if mois is not None:
        qs = qs.filter(mois=mois)
    if statut:
        qs = qs.filter(statut=statut)
    return qs.order_by("-mois", "bailleur__nom", "pk")


def lignes_du_releve(releve: Releve) -> list[dict]:
    """Every line of a statement, in print order: the charges, then the adjustments (one query)."""
    return list(
        LigneReleve.objects.filter(releve=releve)
        .order_by("nature", *ORDRE_LIGNES)
        .values(
            "nature",
            "mois",
            "quartier",
            "immeuble_reference",
            "immeuble_adresse",
            "reference",
            "cage",
            "etage",
            "porte",
            "montant",
            "motif",
            "releve_origine__numero",
        )
    )


def sous_totaux(releve: Releve) -> list[dict]:
    """Per neighbourhood and building: lines and amount of the statement's charges (one query)."""
    return list(
        LigneReleve.objects.filter(releve=releve, nature=LigneReleve.Nature.CHARGE)
        .values("quartier", "immeuble_reference", "immeuble_adresse")
        .annotate(nb=Count("pk"), montant=Sum("montant"))
        .order_by("quartier", "immeuble_reference", "immeuble_adresse")
    )


def regularisations_du_releve(releve: Releve) -> list[LigneReleve]:
    """The adjustment lines a statement carries, with the statement each corrects (one query)."""
    return list(
        releve.lignes.filter(nature=LigneReleve.Nature.REGULARISATION)
        .select_related("releve_origine", "regularisation")
        .order_by(*ORDRE_LIGNES)
    )


def regularisations_recues(releve: Releve) -> list[Regularisation]:
    """The adjustments recorded against a statement, and the later statement carrying each (one query)."""
    return list(
        Regularisation.objects.filter(releve_origine=releve)
        .select_related("ligne__releve", "logement")
        .order_by("cree_le", "pk")
    )


def releves_du_bailleur(user) -> list[Releve]:
    """The landlord's page: its issued statements, newest first (one query)."""
    return list(
        releves_pour(user)
        .filter(statut=Releve.Statut.EMIS)
        .select_related("bailleur")
        .order_by("bailleur__nom", "-mois", "pk")
    )


def annees_des_releves(releves: list[Releve]) -> list[tuple[Bailleur, list[int]]]:
    """Per landlord, the years its statements' months fall in (for the yearly summaries)."""
    annees: dict[int, set[int]] = defaultdict(set)
    bailleurs: dict[int, Bailleur] = {}
    for releve in releves:
        bailleurs[releve.bailleur_id] = releve.bailleur
        annees[releve.bailleur_id].add(releve.mois.year)
    return [(bailleurs[pk], sorted(annees[pk], reverse=True)) for pk in bailleurs]


def avis_demandes(user, bailleurs: list[Bailleur], limite: int = 5) -> list:
    """The yearly-notice jobs ``user`` asked for, for the landlords they cover *now* (a user moved to
    another landlord no longer sees the former one's), newest first (one query)."""
    from charges.tasks import NATURE_AVIS
    from ipt.models import Travail

    return list(
        Travail.objects.filter(
            nature=NATURE_AVIS, demandeur=user, parametres__bailleur__in=[b.pk for b in bailleurs]
        ).order_by("-cree_le")[:limite]
    )


def bailleurs_a_facturer(mois: datetime.date) -> list[Bailleur]:
    """Landlords with charges for ``mois``, or adjustments waiting for a statement after their origin."""
    avec_charges = Charge.objects.filter(mois=mois).values("bailleur_id")
    en_attente = Regularisation.objects.filter(ligne__isnull=True, releve_origine__mois__lt=mois).values(
        "bailleur_id"
    )
    return list(Bailleur.objects.filter(Q(pk__in=avec_charges) | Q(pk__in=en_attente)).order_by("code"))


# --- Runs ---------------------------------------------------------------------------------------


def executions_recentes(limite: int = 8) -> list[Execution]:
    return list(Execution.objects.select_related("demandeur").order_by("-cree_le", "-pk")[:limite])


def releves_en_attente_de_documents() -> QuerySet[Releve]:
    """Statements numbered whose PDF and CSV are not stored yet (being issued, or interrupted)."""
    return Releve.objects.filter(statut=Releve.Statut.EMISSION).order_by("pk")


def charges_non_facturees(bailleur_id: int | None = None) -> QuerySet[Charge]:
    """Charges on no statement line and in no adjustment."""
    qs = Charge.objects.filter(
        ~Exists(LigneReleve.objects.filter(charge=OuterRef("pk"))),
        ~Exists(Regularisation.objects.filter(charge=OuterRef("pk"))),
    )
    if bailleur_id is not None:
        qs = qs.filter(bailleur_id=bailleur_id)
    return qs


# --- Yearly summary -----------------------------------------------------------------------------


@dataclass
class LigneAnnuelle:
    """One dwelling's year: the months charged (net of cancellations) and the total billed."""

    logement_id: int
    reference: str
    quartier: str
    immeuble_reference: str
    immeuble_adresse: str
    cage: str
    etage: int | None
    porte: str
    mois: list[datetime.date] = field(default_factory=list)
    total: Decimal = Decimal("0.00")
    par_mois: dict[datetime.date, Decimal] = field(default_factory=dict)


def resume_annuel(bailleur: Bailleur, annee: int) -> list[LigneAnnuelle]:
    """Per dwelling, what the landlord's statements billed for the months of ``annee``.

    Read from the lines of the numbered statements (charges and adjustments, whatever statement
    carried them), so that it reconciles with them; in two queries whatever the size. It names no one:
    landlords never see a household's name from the programme (README "Least privilege").
    """
    par_mois = (
        LigneReleve.objects.filter(
            releve__bailleur=bailleur,
            mois__year=annee,
            releve__statut=Releve.Statut.EMIS,  # never the lines of a statement still being issued
        )
        .values("logement_id", "mois")
        .annotate(montant=Sum("montant"))
        .order_by()
    )
    montants: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    for row in par_mois:
        montants[row["logement_id"]][row["mois"]] = row["montant"]
    logements = (
        Logement.objects.filter(pk__in=list(montants))
        .select_related("immeuble__quartier")
        .only(
            "reference",
            "cage",
            "etage",
            "porte",
            "immeuble__reference",
            "immeuble__adresse",
            "immeuble__quartier__nom",
        )
    )
    lignes = []
    for logement in logements:
        mois = montants[logement.pk]
        lignes.append(
            LigneAnnuelle(
                logement_id=logement.pk,
                reference=logement.reference,
                quartier=logement.immeuble.quartier.nom,
                immeuble_reference=logement.immeuble.reference,
                immeuble_adresse=logement.immeuble.adresse,
                cage=logement.cage,
                etage=logement.etage,
                porte=logement.porte,
                mois=sorted(m for m, montant in mois.items() if montant > 0),
                total=sum(mois.values(), Decimal("0.00")),
                par_mois=mois,
            )
        )
    lignes.sort(
        key=lambda lg: (
            lg.quartier,
            lg.immeuble_reference,
            lg.immeuble_adresse,
            lg.cage,
            lg.etage if lg.etage is not None else 999,
            lg.porte,
            lg.reference,
        )
    )
    return lignes


# --- Billing preview ----------------------------------------------------------------------------


@dataclass
class ApercuBailleur:
    bailleur: Bailleur
    logements: int = 0
    montant: Decimal = Decimal("0.00")
    regularisations: Decimal = Decimal("0.00")
    deja: str | None = None  # the number of the month's statement, when already numbered

    @property
    def total(self) -> Decimal:
        return self.montant + self.regularisations


@dataclass
class Apercu:
    """What "Charge and issue the statements" will do for a month, shown before anything is written."""

    mois: datetime.date
    tarif: Tarif | None
    bailleurs: list[ApercuBailleur]

    @property
    def a_emettre(self) -> list[ApercuBailleur]:
        return [b for b in self.bailleurs if b.deja is None]

    @property
    def logements(self) -> int:
        return sum(b.logements for b in self.a_emettre)

    @property
    def total(self) -> Decimal:
        return sum((b.total for b in self.a_emettre), Decimal("0.00"))


def apercu_facturation(mois: datetime.date) -> Apercu:
    """Per landlord: the dwellings the rule charges for ``mois`` at its tariff, the adjustments waiting
    for its next statement, and its statement of the month if already numbered (five queries)."""
    mois = mois.replace(day=1)
    tarif = tarif_du_mois(mois)
    montant = tarif.montant if tarif is not None else Decimal("0.00")
    comptes = dict(
        logements_factures(mois)
        .order_by()
        .values("bailleur_id")
        .annotate(n=Count("pk"))
        .values_list("bailleur_id", "n")
    )
    attente = dict(
        Regularisation.objects.filter(ligne__isnull=True, releve_origine__mois__lt=mois)
        .order_by()
        .values("bailleur_id")
        .annotate(s=Sum("montant"))
        .values_list("bailleur_id", "s")
    )
    deja = dict(
        Releve.objects.filter(mois=mois)
        .exclude(statut=Releve.Statut.BROUILLON)
        .values_list("bailleur_id", "numero")
    )
    bailleurs = Bailleur.objects.filter(pk__in={*comptes, *attente}).order_by("nom")
    return Apercu(
        mois=mois,
        tarif=tarif,
        bailleurs=[
            ApercuBailleur(
                bailleur=b,
                logements=comptes.get(b.pk, 0),
                montant=montant * comptes.get(b.pk, 0),
                regularisations=attente.get(b.pk) or Decimal("0.00"),
                deja=deja.get(b.pk),
            )
            for b in bailleurs
        ],
    )


@dataclass
class MoisBailleur:
    releve: Releve
    logements_factures: int
    logements_connectes: int


@dataclass
class AnneeBailleur:
    bailleur: Bailleur
    annee: int
    mois: list[MoisBailleur] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((m.releve.total for m in self.mois), Decimal("0.00"))


def synthese_bailleur(releves: list[Releve]) -> list[AnneeBailleur]:
    """The landlord's view: per landlord and year, each issued statement's total beside the dwellings it
    charged and the dwellings connected on the 1st of its month (the programme's one rule,
    ``Logement.objects.connectes``). Two queries, however many months and landlords."""
    if not releves:
        return []
    bailleurs = {r.bailleur_id for r in releves}
    mois = sorted({r.mois for r in releves})
    factures = {
        (ligne["bailleur_id"], ligne["mois"]): ligne["n"]
        for ligne in Charge.objects.filter(bailleur_id__in=bailleurs, mois__in=mois)
        .values("bailleur_id", "mois")
        .annotate(n=Count("pk"))
    }

    def connecte_le(jour):
        return Q(connecte_depuis__lte=jour) & (Q(sorti_le__isnull=True) | Q(sorti_le__gt=jour))

    connectes = {
        ligne["bailleur_id"]: ligne
        for ligne in Logement.objects.filter(bailleur_id__in=bailleurs)
        .values("bailleur_id")
        .annotate(**{f"m{i}": Count("pk", filter=connecte_le(jour)) for i, jour in enumerate(mois)})
    }
    rang = {jour: i for i, jour in enumerate(mois)}
    annees: dict[tuple[int, int], AnneeBailleur] = {}
    for releve in sorted(releves, key=lambda r: (r.bailleur.nom, -r.mois.year, r.mois)):
        cle = (releve.bailleur_id, releve.mois.year)
        annee = annees.setdefault(cle, AnneeBailleur(bailleur=releve.bailleur, annee=releve.mois.year))
        annee.mois.append(
            MoisBailleur(
                releve=releve,
                logements_factures=factures.get((releve.bailleur_id, releve.mois), 0),
                logements_connectes=connectes.get(releve.bailleur_id, {}).get(f"m{rang[releve.mois]}", 0),
            )
        )
    return list(annees.values())
