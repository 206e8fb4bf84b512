"""Finding a dwelling's building by its address when the file has no building code of ours.

An address is compared by its first part (before the first comma: number and street, as our buildings'
addresses begin), without accents, case or punctuation, with the common abbreviations written out ("bd"
and "bd." → "boulevard", "av" → "avenue", "r" → "rue"…). When a landlord has several buildings at one
address, the building's name (a ``nom_immeuble`` column) or the stairwell picks one. An address that
matches none of the landlord's buildings is proposed for creation in the preview: staff confirm it by
choosing its neighbourhood, and it is created in the import's own transaction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from logements.models import Bailleur, Immeuble

ABREVIATIONS = {
    "bd": "boulevard",
    "bld": "boulevard",
    "blvd": "boulevard",
    "boul": "boulevard",
    "av": "avenue",
    "ave": "avenue",
    "r": "rue",
    "pl": "place",
    "all": "allee",
    "imp": "impasse",
    "ch": "chemin",
    "che": "chemin",
    "rte": "route",
    "sq": "square",
    "qu": "quai",
    "res": "residence",
    "st": "saint",
    "ste": "sainte",
    "fg": "faubourg",
    "fbg": "faubourg",
}


def cle_adresse(adresse: str) -> str:
    """``"4, Bd. des Goélands"`` and ``"4 boulevard des goelands, 29200 Brest"`` → the same key,
    ``"4 boulevard des goelands"``.

    The number may be followed by a comma ("4, rue …"): the first part is then the number alone, so a
    part made of a number only is joined to the next one."""
    parties = [p for p in str(adresse or "").split(",") if p.strip()]
    if len(parties) > 1 and re.fullmatch(r"\s*[0-9]+\s*(?:bis|ter)?\s*", parties[0], re.IGNORECASE):
        parties = [parties[0] + " " + parties[1], *parties[2:]]
    premiere = parties[0] if parties else ""
    texte = unicodedata.normalize("NFKD", premiere).encode("ascii", "ignore").decode().lower()
    mots = re.sub(r"[^a-z0-9]+", " ", texte).split()
    return " ".join(ABREVIATIONS.get(mot, mot) for mot in mots)


def cle_nom(nom: str) -> str:
    texte = unicodedata.normalize("NFKD", str(nom or "")).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", texte).split())


@dataclass
class NouvelImmeuble:
    """A building the file names by an address of none of the landlord's buildings."""

    cle: str
    adresse: str
    nom: str
    premiere_ligne: int
    nb_logements: int = 0
    cages: set[str] = field(default_factory=set)

    def en_session(self) -> dict:
        return {
            "cle": self.cle,
            "adresse": self.adresse,
            "nom": self.nom,
            "premiere_ligne": self.premiere_ligne,
            "nb_logements": self.nb_logements,
        }


class IndexAdresses:
    """The landlord's buildings by address; the unknown addresses met, to propose for creation.

    ``creer`` maps a new building's key (or ``"*"`` for all) to the pk of the neighbourhood staff chose: such
    a building is created at its first line (the import's transaction rolls it back if the file is refused).
    """

    def __init__(self, bailleur: Bailleur, creer: dict[str, int] | None = None):
        self.bailleur = bailleur
        self.creer = creer or {}
        self.par_cle: dict[str, list[tuple[int, str, set[str]]]] = {}
        for pk, adresse, nom, cages in Immeuble.objects.filter(bailleur=bailleur).values_list(
            "pk", "adresse", "nom", "cages"
        ):
            cages_ = {c.strip().upper() for c in cages.split(",") if c.strip()}
            self.par_cle.setdefault(cle_adresse(adresse), []).append((pk, cle_nom(nom), cages_))
        self.nouveaux: dict[str, NouvelImmeuble] = {}
        self.crees: dict[str, int] = {}

    def trouver(self, adresse: str, nom: str, cage: str, ligne: int) -> tuple[int | None, str | None]:
        """(building pk, None); (None, None) for a building proposed for creation; (None, reason)."""
        cle = cle_adresse(adresse)
        if not cle:
            return None, _("The building code and the address are both empty.")
        candidats = self.par_cle.get(cle)
        if candidats is None:
            return self._nouveau(cle, adresse, nom, cage, ligne), None
        if len(candidats) > 1 and nom:
            candidats = [c for c in candidats if c[1] == cle_nom(nom)] or candidats
        if len(candidats) > 1 and cage:
            candidats = [c for c in candidats if cage.upper() in c[2]] or candidats
        if len(candidats) == 1:
            return candidats[0][0], None
        return None, _(
            "The address “%(adresse)s” is that of %(n)s buildings of %(bailleur)s: give the building’s "
            "name (column “nom_immeuble”) or its code (column “immeuble”)."
        ) % {"adresse": adresse, "n": len(candidats), "bailleur": self.bailleur.nom}

    def _nouveau(self, cle: str, adresse: str, nom: str, cage: str, ligne: int) -> int | None:
        nouveau = self.nouveaux.get(cle)
        if nouveau is None:
            nouveau = self.nouveaux[cle] = NouvelImmeuble(
                cle=cle, adresse=" ".join(adresse.split()), nom=" ".join(nom.split()), premiere_ligne=ligne
            )
        nouveau.nb_logements += 1
        if cage:
            nouveau.cages.add(cage.upper())
        quartier = self.creer.get(cle) or self.creer.get("*")
        if quartier is None:
            return None
        if cle not in self.crees:
            immeuble = Immeuble.objects.create(
                bailleur=self.bailleur,
                quartier_id=quartier,
                reference="",
                nom=nouveau.nom[:120],
                adresse=nouveau.adresse[:255],
            )
            # A code of ours, for the next files: the landlord's code and the building's number.
            immeuble.reference = f"{self.bailleur.code}-{immeuble.pk:05d}"
            immeuble.save(update_fields=["reference"])
            self.crees[cle] = immeuble.pk
        return self.crees[cle]

    def terminer(self) -> None:
        """Write the stairwells met on the new buildings' lines."""
        for cle, pk in self.crees.items():
            cages = sorted(self.nouveaux[cle].cages)
            if cages:
                Immeuble.objects.filter(pk=pk).update(cages=", ".join(cages)[:120])

    def manquants(self) -> list[NouvelImmeuble]:
        """New buildings not confirmed (no neighbourhood chosen)."""
        return [n for cle, n in self.nouveaux.items() if cle not in self.crees]
