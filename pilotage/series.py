"""The programme month by month for a year: each series one query, grouped by month.

A series is registered with :func:`serie`; the dashboard draws each with Chart.js beside its data table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from pilotage.entonnoir import Filtre


@dataclass(frozen=True)
class Serie:
    code: str
    libelle: str
    calculer: Callable[[Filtre], dict[int, float | int | None]]  # month number (1–12) → value
    manque: int | None = 0  # a month without data: 0 for counts, None (no figure) for times
    secret: bool = False  # counts households or people: published with statistical secrecy


SERIES: list[Serie] = []


def serie(code: str, libelle, manque: int | None = 0, secret: bool = False):
    def enregistrer(fonction):
        SERIES.append(Serie(code, libelle, fonction, manque, secret))
        return fonction

    return enregistrer


def _par_mois(qs, champ: str) -> dict[int, int]:
    return {
        ligne["mois"].month: ligne["n"]
        for ligne in qs.annotate(mois=TruncMonth(champ)).values("mois").annotate(n=Count("pk")).order_by()
    }


@serie("adhesions", _("Opt-ins"), secret=True)
def _adhesions(f: Filtre):
    from logements.models import Adhesion

    qs = Adhesion.objects.filter(
        f.periode("date"), f.perimetre("foyer__logement"), type=Adhesion.Type.ADHESION
    )
    return _par_mois(qs, "date")


@serie("remises", _("Decoder handovers"), secret=True)
def _remises(f: Filtre):
    from django.db.models import Exists, OuterRef

    from equipements.models import LigneRemise, Remise

    # As the funnel's step: a handover of a PC alone is not a decoder handover.
    decodeur = LigneRemise.objects.filter(remise=OuterRef("pk"), decodeur__isnull=False)
    qs = Remise.objects.filter(f.periode("date"), f.perimetre("logement"), Exists(decodeur))
    return _par_mois(qs, "date")


@serie("presences", _("Workshop attendance"), secret=True)
def _presences(f: Filtre):
    from ateliers.models import Presence

    qs = Presence.objects.filter(
        f.periode("seance__debut__date"), f.perimetre("personne__foyer__logement"), etat=Presence.Etat.PRESENT
    )
    if f.quartiers or f.bailleur:
        qs = qs.filter(personne__foyer__isnull=False)
    return _par_mois(qs, "seance__debut")


@serie("ventes", _("PC sales"), secret=True)
def _ventes(f: Filtre):
    from equipements.models import Vente

    qs = Vente.objects.filter(f.periode("date"), f.perimetre("foyer__logement")).exclude(
        statut=Vente.Statut.ANNULEE
    )
    return _par_mois(qs, "date")


@serie("accompagnements", _("Individual help sessions"), secret=True)
def _accompagnements(f: Filtre):
    from ateliers.models import Accompagnement

    qs = Accompagnement.objects.filter(f.periode("permanence__debut__date"))
    if f.quartiers or f.bailleur:
        qs = qs.filter(f.perimetre("personne__foyer__logement"), personne__foyer__isnull=False)
    return _par_mois(qs, "permanence__debut")


def _signalements(f: Filtre):
    from equipements.models import Signalement

    qs = Signalement.objects.filter(f.periode("signale_le")).exclude(statut=Signalement.Statut.ANNULE)
    if f.quartiers:
        qs = qs.filter(immeuble__quartier__in=f.quartiers)
    if f.bailleur:
        qs = qs.filter(immeuble__bailleur=f.bailleur)
    return qs


@serie("signalements", _("Provider incidents reported"))
def _signalements_signales(f: Filtre):
    return _par_mois(_signalements(f), "signale_le")


@serie(
    "delai_resolution",
    _("Median resolution time (working days, time waiting on the tenant left out)"),
    manque=None,
)
def _delai_resolution(f: Filtre):
    """The same measure as the incidents' statistics (``jours_resolution``), by month reported."""
    from equipements.selectors_signalements import centile

    delais: dict[int, list[int]] = {}
    for signale_le, jours in (
        _signalements(f).filter(jours_resolution__isnull=False).values_list("signale_le", "jours_resolution")
    ):
        delais.setdefault(signale_le.month, []).append(jours)
    return {mois: centile(valeurs, 0.5) for mois, valeurs in delais.items()}


MOIS = [datetime.date(2000, m, 1) for m in range(1, 13)]


def series_annee(f: Filtre) -> list[dict]:
    """Each series of the year ``f`` covers (``f.debut`` is its 1 January): twelve values, one per month."""
    resultat = []
    for s in SERIES:
        valeurs = s.calculer(f)
        resultat.append(
            {
                "code": s.code,
                "libelle": str(s.libelle),
                "secret": s.secret,
                "valeurs": [valeurs.get(m, s.manque) for m in range(1, 13)],
            }
        )
    return resultat
