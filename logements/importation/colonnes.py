"""The file's header: which column is which of our fields.

The mapping of a file is, in order of precedence: the one staff chose in the preview (``correspondance``,
field → the column's label; ``""`` for none), the one remembered for the landlord from its last import
(``Bailleur.correspondance_colonnes``), then the known spellings below.
"""

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
        "ndelogement",
        "ndelot",
        "nlot",
        "nolot",
        "numerolot",
        "numerodelot",
        "reflot",
        "codelot",
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
    "porte": {"porte", "ndeporte", "numeroporte", "numerodeporte", "nporte", "noporte", "numporte"},
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
    "adresse": {
        "adresse",
        "adressepostale",
        "adresseimmeuble",
        "adressedelimmeuble",
        "adressebatiment",
        "adresse1",
        "adresseligne1",
        "voie",
        "rue",
    },
    "nom_immeuble": {"nomimmeuble", "nomdelimmeuble", "residence", "nomresidence", "programme", "groupe"},
    "sorti_le": {"sortile", "sortiele", "sortie", "datesortie", "datedesortie", "datedefin", "finle"},
}
_CANONIQUE = {variante: nom for nom, variantes in COLONNES.items() for variante in variantes}

# Every column but these must be there; the building is found by its code or, failing that, by address.
FACULTATIVES = ("immeuble", "adresse", "nom_immeuble")
OBLIGATOIRES = tuple(nom for nom in COLONNES if nom not in FACULTATIVES)
# The header of our own model file.
ENTETE_MODELE = "reference;immeuble;cage;etage;porte;type;raccorde_depuis;sorti_le"


def normaliser_libelle(libelle) -> str:
    texte = unicodedata.normalize("NFKD", str(libelle or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", texte.lower())


_normaliser = normaliser_libelle


def _vide(cellule) -> bool:
    return cellule is None or (isinstance(cellule, str) and not cellule.strip())


def libelles_du_fichier(cellules) -> list[tuple[int, str]]:
    return [
        (position, str(cellule).strip()) for position, cellule in enumerate(cellules) if not _vide(cellule)
    ]


def _entete(
    cellules, ligne: int, resultat: ResultatImport, correspondance: dict[str, str] | None = None
) -> dict[str, tuple[int, str]] | None:
    """Canonical column → (position, label in the file); None if a column is missing or doubled."""
    libelles = libelles_du_fichier(cellules)
    resultat.entetes = [libelle for _p, libelle in libelles]
    par_libelle: dict[str, tuple[int, str]] = {}
    for position, libelle in libelles:
        par_libelle.setdefault(normaliser_libelle(libelle), (position, libelle))
    positions: dict[str, tuple[int, str]] = {}
    ok = True
    choisis: set[str] = set()  # fields whose column was chosen (or chosen to be none)
    for nom, libelle in (correspondance or {}).items():
        if nom not in COLONNES or libelle is None:
            continue
        if libelle == "":
            choisis.add(nom)
            continue
        trouve = par_libelle.get(normaliser_libelle(libelle))
        if trouve is None:
            continue  # a remembered column this file does not have: the known spellings decide
        if any(p == trouve[0] for p, _l in positions.values()):
            resultat.erreur(
                ligne, trouve[1], _("Column “%(colonne)s” is chosen for two fields.") % {"colonne": trouve[1]}
            )
            ok = False
            continue
        positions[nom] = trouve
        choisis.add(nom)
    pris = {p for p, _l in positions.values()}
    for position, libelle in libelles:
        if position in pris:
            continue
        nom = _CANONIQUE.get(normaliser_libelle(libelle))
        if nom is None or nom in choisis:
            resultat.colonnes_ignorees.append(libelle)
        elif nom in positions:
            resultat.erreur(ligne, libelle, _("Column “%(colonne)s” appears twice.") % {"colonne": libelle})
            ok = False
        else:
            positions[nom] = (position, libelle)
    for nom in OBLIGATOIRES:
        if nom not in positions:
            resultat.erreur(
                ligne,
                nom,
                _("Missing column “%(colonne)s”. The first line must name the columns: %(attendues)s.")
                % {"colonne": nom, "attendues": ENTETE_MODELE},
            )
            ok = False
    if "immeuble" not in positions and "adresse" not in positions:
        resultat.erreur(
            ligne,
            "immeuble",
            _(
                "Missing column “immeuble” (our building code) or “adresse” (the building’s address): "
                "one of them tells the building of each dwelling."
            ),
        )
        ok = False
    resultat.libelles = {nom: libelle for nom, (_p, libelle) in positions.items()}
    return positions if ok else None
