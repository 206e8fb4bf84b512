"""Statistics that never single anyone out (the frequency rule of French statistical secrecy).

Every published figure that counts people or households (not dwellings or euros) under a threshold —
``SECRET_STATISTIQUE_SEUIL``, 11 by default — is shown as "secret" (primary suppression), and then
enough other cells are hidden that no total lets anyone compute a hidden one (secondary suppression).

A table is rows × columns of counts with its row totals, column totals and grand total. Each total is a
linear relation (total = sum of its cells); the rule kept here is that every relation has either no
hidden element or at least two. Zero is published: it says nobody, and so singles no one out.

Sensitive profile figures (income support, living alone, single parent; recorded only with consent) are
given only as shares of those who consented, and only when both counts reach the threshold
(:func:`part_publiable`).

Staff's working lists keep real numbers: only what is published (report, spreadsheets, share link) goes
through this module.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def seuil_par_defaut() -> int:
    return getattr(settings, "SECRET_STATISTIQUE_SEUIL", 11)


def sous_le_seuil(valeur: int, seuil: int) -> bool:
    return 0 < valeur < seuil


@dataclass(frozen=True)
class Case:
    """A published figure: its value, unless it is secret."""

    valeur: int
    secret: bool = False

    @property
    def publiee(self) -> int | None:
        return None if self.secret else self.valeur

    def __str__(self) -> str:
        return "secret" if self.secret else str(self.valeur)


@dataclass
class TableauPublie:
    """A table after suppression. ``cases[(ligne, colonne)]``, ``totaux_lignes[ligne]``,
    ``totaux_colonnes[colonne]`` and ``total`` are :class:`Case`."""

    lignes: list[Hashable]
    colonnes: list[Hashable]
    cases: dict[tuple[Hashable, Hashable], Case] = field(default_factory=dict)
    totaux_lignes: dict[Hashable, Case] = field(default_factory=dict)
    totaux_colonnes: dict[Hashable, Case] = field(default_factory=dict)
    total: Case = Case(0)

    def nb_secrets(self) -> int:
        elements = [
            *self.cases.values(),
            *self.totaux_lignes.values(),
            *self.totaux_colonnes.values(),
            self.total,
        ]
        return sum(case.secret for case in elements)


def masquer_tableau(
    comptes: dict[Hashable, dict[Hashable, int]],
    *,
    colonnes: list[Hashable] | None = None,
    seuil: int | None = None,
) -> TableauPublie:
    """Suppress a table of counts ``comptes[ligne][colonne]`` (missing cells count 0) and its totals."""
    seuil = seuil_par_defaut() if seuil is None else seuil
    lignes = list(comptes)
    if colonnes is None:
        colonnes = list(dict.fromkeys(c for ligne in comptes.values() for c in ligne))
    valeurs: dict[tuple, int] = {}
    for i in lignes:
        for j in colonnes:
            v = int(comptes[i].get(j, 0))
            if v < 0:
                raise ValueError("Un effectif ne peut pas être négatif.")
            valeurs[("case", i, j)] = v
    for i in lignes:
        valeurs[("ligne", i)] = sum(valeurs[("case", i, j)] for j in colonnes)
    for j in colonnes:
        valeurs[("colonne", j)] = sum(valeurs[("case", i, j)] for i in lignes)
    valeurs[("total",)] = sum(valeurs[("ligne", i)] for i in lignes)

    # The linear relations: each total with the elements it is the sum of.
    relations = [[("ligne", i), *(("case", i, j) for j in colonnes)] for i in lignes]
    relations += [[("colonne", j), *(("case", i, j) for i in lignes)] for j in colonnes]
    relations.append([("total",), *(("ligne", i) for i in lignes)])
    relations.append([("total",), *(("colonne", j) for j in colonnes)])

    caches = cases_cachees(valeurs, relations, seuil=seuil)

    def case(cle):
        return Case(valeurs[cle], cle in caches)

    return TableauPublie(
        lignes=lignes,
        colonnes=list(colonnes),
        cases={(i, j): case(("case", i, j)) for i in lignes for j in colonnes},
        totaux_lignes={i: case(("ligne", i)) for i in lignes},
        totaux_colonnes={j: case(("colonne", j)) for j in colonnes},
        total=case(("total",)),
    )


def cases_cachees(
    valeurs: dict[Hashable, int], relations: list[list[Hashable]], *, seuil: int | None = None
) -> set[Hashable]:
    """The elements of ``valeurs`` (counts, keyed ``("case", …)`` for cells, anything else for totals)
    to hide: those under the threshold, then enough others that every linear relation (a total and the
    elements it is the sum of, or any elements a reader can add up to a known figure) hides none or at
    least two."""
    seuil = seuil_par_defaut() if seuil is None else seuil
    caches = {cle for cle, v in valeurs.items() if sous_le_seuil(v, seuil)}
    _completer(relations, valeurs, caches)
    return caches


def masquer_liste(
    comptes: dict[Hashable, int], *, seuil: int | None = None
) -> tuple[dict[Hashable, Case], Case]:
    """Suppress a list of counts (e.g. per quartier) and its total: ``(cases, total)``."""
    tableau = masquer_tableau({cle: {"n": v} for cle, v in comptes.items()}, colonnes=["n"], seuil=seuil)
    return {cle: tableau.cases[(cle, "n")] for cle in comptes}, tableau.total


def _completer(relations: list[list[tuple]], valeurs: dict[tuple, int], caches: set[tuple]) -> None:
    """Secondary suppression: until every relation hides none or at least two of its elements, hide in each
    relation that hides exactly one the smallest other element — a cell rather than a total, a non-zero
    count rather than a zero (a zero would add nothing to hide behind)."""
    change = True
    while change:
        change = False
        for relation in relations:
            caches_ici = [e for e in relation if e in caches]
            if len(caches_ici) != 1:
                continue
            candidats = [e for e in relation if e not in caches]
            if not candidats:
                continue
            choix = min(
                candidats,
                key=lambda e: (e[0] != "case", valeurs[e] == 0, valeurs[e], relation.index(e)),
            )
            caches.add(choix)
            change = True


def part_publiable(nombre: int, consentants: int, *, seuil: int | None = None) -> Decimal | None:
    """The share (in %, one decimal) of ``nombre`` among ``consentants``, or ``None`` (secret) when either
    is under the threshold."""
    seuil = seuil_par_defaut() if seuil is None else seuil
    if consentants < seuil or nombre < seuil or (consentants - nombre) < seuil:
        return None
    return (Decimal(nombre) * 100 / Decimal(consentants)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
