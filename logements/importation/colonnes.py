"""The file's header: which column is which of our fields."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from logements.importation.resultat import ResultatImport

# Canonical column → the header spellings accepted, compared without case, accents, spaces or signs.
COLONNES = {
    "reference": {
        "reference",
        "ref",
        "referencelogement",
        "referencedulogement",
        "reflogement",
        "codelogement",
        "numerologement",
        "nlogement",
    },
    "immeuble": {
        "immeuble",
        "codeimmeuble",
        "codedelimmeuble",
        "refimmeuble",
        "referenceimmeuble",
        "referencedelimmeuble",
        "batiment",
        "codebatiment",
    },
    "cage": {"cage", "cageescalier", "cagedescalier", "escalier", "entree"},
    "etage": {"etage", "niveau"},
    "porte": {"porte", "numeroporte", "numerodeporte", "nporte", "noporte", "numporte"},
    "type": {"type", "typologie", "typelogement", "typedelogement"},
    "raccorde_depuis": {
        "raccordedepuis",
        "raccordele",
        "raccordement",
        "dateraccordement",
        "datederaccordement",
        "connectedepuis",
        "connectele",
    },
    "sorti_le": {"sortile", "sortiele", "sortie", "datesortie", "datedesortie", "datedefin", "finle"},
}
_CANONIQUE = {variante: nom for nom, variantes in COLONNES.items() for variante in variantes}


def _normaliser(libelle) -> str:
    texte = unicodedata.normalize("NFKD", str(libelle or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", texte.lower())


def _vide(cellule) -> bool:
    return cellule is None or (isinstance(cellule, str) and not cellule.strip())


def _entete(cellules, ligne: int, resultat: ResultatImport) -> dict[str, tuple[int, str]] | None:
    """Canonical column → (position, label in the file); None if a column is missing or doubled."""
    positions: dict[str, tuple[int, str]] = {}
    ok = True
    for position, cellule in enumerate(cellules):
        if _vide(cellule):
            continue
        libelle = str(cellule).strip()
        nom = _CANONIQUE.get(_normaliser(libelle))
        if nom is None:
            resultat.colonnes_ignorees.append(libelle)
        elif nom in positions:
            resultat.erreur(ligne, libelle, _("Column “%(colonne)s” appears twice.") % {"colonne": libelle})
            ok = False
        else:
            positions[nom] = (position, libelle)
    for nom in COLONNES:
        if nom not in positions:
            resultat.erreur(
                ligne,
                nom,
                _("Missing column “%(colonne)s”. The first line must name the columns: %(attendues)s.")
                % {"colonne": nom, "attendues": ";".join(COLONNES)},
            )
            ok = False
    return positions if ok else None
