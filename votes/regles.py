"""The decision rules of a tenants' vote: data (a kind and thresholds, fields of ``Scrutin``), one
evaluator (:func:`evaluer`) and one plain-French explanation (:func:`expliquer`).

- *direct agreement* (``accord_direct``): adopted if more than ``seuil_majorite`` % of the responses
  approve, provided at least ``seuil_participation`` % (25 % by law) of the dwellings concerned
  responded, within ``delai_mois`` months (2) of the notice. A blank ballot is a response, not an approval.
- *majority of the dwellings concerned* (``majorite_logements``): adopted if more than
  ``seuil_majorite`` % of the dwellings concerned approve; a dwelling that does not respond does not approve.
- *adopted unless* (``sauf_opposition``): an agreement signed by tenants' associations applies unless more
  than ``seuil_majorite`` % of the dwellings concerned oppose in writing.
- an optional ``quorum`` on top of any rule: at least that share of the dwellings concerned responded.

"More than x %" is strict: a tie is not a majority. "At least x %" includes x: exactly 25 % is enough.
Comparisons are exact (integers times decimals), never on rounded percentages.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import formats
from django.utils.translation import gettext as _

from votes.models import Regle

CENT = Decimal(100)


@dataclass(frozen=True)
class Decompte:
    inscrits: int
    oui: int = 0
    non: int = 0
    blancs: int = 0

    @property
    def reponses(self) -> int:
        return self.oui + self.non + self.blancs


@dataclass(frozen=True)
class Condition:
    libelle: str
    constat: str
    atteinte: bool


@dataclass(frozen=True)
class Verdict:
    adopte: bool
    conditions: list[Condition] = field(default_factory=list)


@dataclass(frozen=True)
class RegleAppliquee:
    """A vote's rule and thresholds, as data."""

    type: str
    seuil_majorite: Decimal = Decimal(50)
    seuil_participation: Decimal | None = None
    quorum: Decimal | None = None
    notifie_le: datetime.date | None = None
    delai_mois: int | None = None

    @classmethod
    def de(cls, scrutin) -> "RegleAppliquee":
        return cls(
            type=scrutin.regle,
            seuil_majorite=Decimal(scrutin.seuil_majorite),
            seuil_participation=None
            if scrutin.seuil_participation is None
            else Decimal(scrutin.seuil_participation),
            quorum=None if scrutin.quorum is None else Decimal(scrutin.quorum),
            notifie_le=scrutin.notifie_le,
            delai_mois=scrutin.delai_mois,
        )

    @property
    def libelle(self) -> str:
        return str(Regle(self.type).label)

    @property
    def date_limite(self) -> datetime.date | None:
        """Last day responses count (direct agreement: the notice plus the months allowed)."""
        if self.notifie_le is None or not self.delai_mois:
            return None
        return self.notifie_le + relativedelta(months=self.delai_mois)

    @property
    def seuils_reponses(self) -> list[Decimal]:
        """The shares of the dwellings concerned that must respond (participation, quorum)."""
        seuils = []
        if self.type == Regle.ACCORD_DIRECT and self.seuil_participation is not None:
            seuils.append(self.seuil_participation)
        if self.quorum is not None:
            seuils.append(self.quorum)
        return seuils


def pourcentage(valeur: Decimal | float) -> str:
    """25 → "25 %", 33.33 → "33,33 %" (localised)."""
    valeur = Decimal(valeur)
    if valeur == valeur.to_integral_value():
        return f"{formats.number_format(int(valeur))} %"
    return f"{formats.number_format(valeur.normalize())} %"


def _part(n: int, sur: int) -> str:
    if not sur:
        return "—"
    return f"{formats.number_format(Decimal(100 * n) / sur, decimal_pos=1)} %"


def reponses_requises(regle: RegleAppliquee, inscrits: int) -> int:
    """The number of responses the participation threshold and the quorum need (0 if none)."""
    if not regle.seuils_reponses:
        return 0
    seuil = max(regle.seuils_reponses)
    return math.ceil(seuil * inscrits / CENT)


def reponses_manquantes(regle: RegleAppliquee, *, inscrits: int, reponses: int) -> int | None:
    """How many more responses the thresholds need; ``None`` when the rule sets none."""
    if not regle.seuils_reponses:
        return None
    return max(0, reponses_requises(regle, inscrits) - reponses)


def _au_moins(n: int, sur: int, seuil: Decimal) -> bool:
    return CENT * n >= seuil * sur


def _plus_de(n: int, sur: int, seuil: Decimal) -> bool:
    return sur > 0 and CENT * n > seuil * sur


def evaluer(regle: RegleAppliquee, decompte: Decompte, *, ferme_le: datetime.date | None = None) -> Verdict:
    """Adopted or rejected, with each condition of the rule, its figures and whether it is met."""
    d = decompte
    conditions = []
    if regle.type == Regle.ACCORD_DIRECT and regle.seuil_participation is not None:
        conditions.append(
            Condition(
                _("At least %(seuil)s of the dwellings concerned respond")
                % {"seuil": pourcentage(regle.seuil_participation)},
                _("%(n)s responses out of %(inscrits)s dwellings (%(part)s)")
                % {"n": d.reponses, "inscrits": d.inscrits, "part": _part(d.reponses, d.inscrits)},
                _au_moins(d.reponses, d.inscrits, regle.seuil_participation),
            )
        )
    if regle.type == Regle.ACCORD_DIRECT and regle.date_limite is not None and ferme_le is not None:
        conditions.append(
            Condition(
                _("Responses within %(mois)s months of the notice (given on %(notifie)s)")
                % {"mois": regle.delai_mois, "notifie": formats.date_format(regle.notifie_le)},
                _("closing on %(ferme)s, deadline %(limite)s")
                % {"ferme": formats.date_format(ferme_le), "limite": formats.date_format(regle.date_limite)},
                ferme_le <= regle.date_limite,
            )
        )
    if regle.quorum is not None:
        conditions.append(
            Condition(
                _("Quorum: at least %(seuil)s of the dwellings concerned respond")
                % {"seuil": pourcentage(regle.quorum)},
                _("%(n)s responses out of %(inscrits)s dwellings (%(part)s)")
                % {"n": d.reponses, "inscrits": d.inscrits, "part": _part(d.reponses, d.inscrits)},
                _au_moins(d.reponses, d.inscrits, regle.quorum),
            )
        )
    seuil = pourcentage(regle.seuil_majorite)
    if regle.type == Regle.ACCORD_DIRECT:
        conditions.append(
            Condition(
                _("More than %(seuil)s of the responses approve") % {"seuil": seuil},
                _("%(oui)s yes out of %(n)s responses (%(part)s); blank: %(blancs)s")
                % {"oui": d.oui, "n": d.reponses, "part": _part(d.oui, d.reponses), "blancs": d.blancs},
                _plus_de(d.oui, d.reponses, regle.seuil_majorite),
            )
        )
    elif regle.type == Regle.MAJORITE_LOGEMENTS:
        conditions.append(
            Condition(
                _("More than %(seuil)s of the dwellings concerned approve") % {"seuil": seuil},
                _("%(oui)s yes out of %(inscrits)s dwellings (%(part)s)")
                % {"oui": d.oui, "inscrits": d.inscrits, "part": _part(d.oui, d.inscrits)},
                _plus_de(d.oui, d.inscrits, regle.seuil_majorite),
            )
        )
    elif regle.type == Regle.SAUF_OPPOSITION:
        conditions.append(
            Condition(
                _("No more than %(seuil)s of the dwellings concerned oppose") % {"seuil": seuil},
                _("%(non)s no out of %(inscrits)s dwellings (%(part)s)")
                % {"non": d.non, "inscrits": d.inscrits, "part": _part(d.non, d.inscrits)},
                not _plus_de(d.non, d.inscrits, regle.seuil_majorite),
            )
        )
    else:
        raise ValueError(f"Unknown decision rule {regle.type!r}")
    return Verdict(adopte=all(c.atteinte for c in conditions), conditions=conditions)


def expliquer(regle: RegleAppliquee) -> list[str]:
    """The rule in plain French, a sentence per paragraph, for the vote's page and its minutes."""
    seuil = pourcentage(regle.seuil_majorite)
    if regle.type == Regle.ACCORD_DIRECT:
        phrases = [
            _(
                "The proposal is adopted if more than %(seuil)s of the responses approve it, provided "
                "that at least %(participation)s of the dwellings concerned respond."
            )
            % {"seuil": seuil, "participation": pourcentage(regle.seuil_participation or 0)},
            _("A blank ballot counts as a response, but not as an approval. Each dwelling has one ballot."),
        ]
        if regle.date_limite:
            phrases.append(
                _(
                    "Responses count only within %(mois)s months of the notice given to the tenants "
                    "(given on %(notifie)s, so until %(limite)s)."
                )
                % {
                    "mois": regle.delai_mois,
                    "notifie": formats.date_format(regle.notifie_le),
                    "limite": formats.date_format(regle.date_limite),
                }
            )
    elif regle.type == Regle.MAJORITE_LOGEMENTS:
        phrases = [
            _("The proposal is adopted if more than %(seuil)s of the dwellings concerned approve it.")
            % {"seuil": seuil},
            _("A dwelling that does not respond, or votes blank, counts as not approving."),
        ]
    elif regle.type == Regle.SAUF_OPPOSITION:
        phrases = [
            _(
                "The proposal, an agreement signed by tenants’ associations, is adopted unless more than "
                "%(seuil)s of the dwellings concerned oppose it in writing."
            )
            % {"seuil": seuil},
            _("A dwelling that does not respond, or votes blank, does not oppose."),
        ]
    else:
        raise ValueError(f"Unknown decision rule {regle.type!r}")
    if regle.quorum is not None:
        phrases.append(
            _("In addition, at least %(quorum)s of the dwellings concerned must respond, or it is rejected.")
            % {"quorum": pourcentage(regle.quorum)}
        )
    phrases.append(_("“More than” is strict: a tie is not a majority."))
    return phrases
