"""The figures as published — the yearly report, its spreadsheets and the partners' share link — with
statistical secrecy applied (:mod:`ipt.secret_statistique`): each step that counts households or people
is suppressed per step across the quartiers (its city total being the published relation), and a rate is
shown only when both its figures are. Dwellings are never secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ipt.secret_statistique import Case, masquer_liste
from pilotage.entonnoir import ETAPES, Etape, Filtre, entonnoir


@dataclass
class PasPublie:
    etape: Etape
    case: Case
    taux: int | None


@dataclass
class LignePubliee:
    quartier: object | None
    pas: list[PasPublie] = field(default_factory=list)


def _taux(case: Case, base: Case | None) -> int | None:
    if base is None or case.secret or base.secret or not base.valeur or case.valeur > base.valeur:
        return None
    return round(100 * case.valeur / base.valeur)


def entonnoir_publie(f: Filtre) -> tuple[list[LignePubliee], LignePubliee]:
    """The funnel of :func:`pilotage.entonnoir.entonnoir`, as published."""
    lignes, ville = entonnoir(f)
    cases: dict[str, tuple[dict, Case]] = {}
    for i, etape in enumerate(ETAPES):
        par_quartier = {ligne.quartier.pk: ligne.pas[i].nombre for ligne in lignes}
        # People outside any quartier's household count in the city only: one more line of the relation.
        hors = ville.pas[i].nombre - sum(par_quartier.values())
        if etape.unite == "logements":
            cases[etape.code] = ({k: Case(v) for k, v in par_quartier.items()}, Case(ville.pas[i].nombre))
        else:
            publiees, total = masquer_liste({**par_quartier, **({None: hors} if hors else {})})
            cases[etape.code] = (publiees, total)

    def ligne_publiee(quartier, case_de) -> LignePubliee:
        ligne = LignePubliee(quartier=quartier)
        precedente = {}
        for etape in ETAPES:
            case = case_de(etape)
            base = precedente.get(etape.base) if etape.base else (ligne.pas[-1].case if ligne.pas else None)
            ligne.pas.append(PasPublie(etape, case, _taux(case, base)))
            precedente[etape.code] = case
        return ligne

    publiees = [
        ligne_publiee(ligne.quartier, lambda e, q=ligne.quartier: cases[e.code][0][q.pk]) for ligne in lignes
    ]
    return publiees, ligne_publiee(None, lambda e: cases[e.code][1])
