"""Checking every row: each error kept with its line number, its column and a French reason."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.utils.translation import gettext as _

from logements.importation.adresses import IndexAdresses
from logements.importation.colonnes import _entete, _normaliser, _vide
from logements.importation.references import caractere_interdit, normaliser_reference, references_sosies
from logements.importation.resultat import ResultatImport
from logements.models import Bailleur, Immeuble, Logement

LONGUEURS = {
    nom: Logement._meta.get_field(nom).max_length for nom in ("reference", "cage", "porte")
}  # 30, 10, 10
ETAGE_MIN, ETAGE_MAX = -5, 60  # as the database constraint logement_etage_plausible

# Accepted spellings of the type, compared lower-case without spaces: T1…T9, F1…F9 (T7 and more are T6+).
TYPES = {
    f"{prefixe}{n}{plus}": f"T{min(n, 6)}" for prefixe in "tf" for n in range(1, 10) for plus in ("", "+")
} | {"autre": Logement.Type.AUTRE.value, "studio": Logement.Type.T1.value}


def _texte(cellule) -> str:
    if cellule is None:
        return ""
    if isinstance(cellule, str):
        return cellule.strip()
    if isinstance(cellule, float) and cellule.is_integer():
        return str(int(cellule))
    if isinstance(cellule, dt.datetime | dt.date):
        return f"{cellule:%d/%m/%Y}"
    return str(cellule).strip()


# ASCII digits only ([0-9], never \d): int() would read Arabic-Indic or full-width digits too.
_RE_DATE = re.compile(
    r"(?:(?P<j>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<a>[0-9]{4})|(?P<a2>[0-9]{4})-(?P<m2>[0-9]{1,2})-(?P<j2>[0-9]{1,2}))"
    r"(?:[ T]00:00(?::00)?)?"
)
_RE_SERIE = re.compile(r"[0-9]{1,6}(?:[.,][0-9]+)?")
_RE_ENTIER = re.compile(r"-?[0-9]{1,3}")  # no "1_0" (Python's int() reads it as 10), no "+", no spaces


@lru_cache(maxsize=2048)
def _date_texte(texte: str) -> tuple[dt.date | None, str | None]:
    """(date, None) or (None, reason code). Cached: a file repeats the same few dates."""
    correspondance = _RE_DATE.fullmatch(texte)
    if correspondance is None:
        return None, "serie" if _RE_SERIE.fullmatch(texte) else "format"
    g = correspondance.groupdict()
    try:
        if g["a"]:
            return dt.date(int(g["a"]), int(g["m"]), int(g["j"])), None
        return dt.date(int(g["a2"]), int(g["m2"]), int(g["j2"])), None
    except ValueError:
        return None, "impossible"


def _date(cellule) -> tuple[dt.date | None, str | None]:
    if cellule is None:
        return None, None
    if isinstance(cellule, dt.datetime):
        return cellule.date(), None
    if isinstance(cellule, dt.date):
        return cellule, None
    if isinstance(cellule, int | float) and not isinstance(cellule, bool):
        return None, "serie"
    texte = str(cellule).strip()
    return _date_texte(texte) if texte else (None, None)


def _message_date(code: str, valeur: str) -> str:
    if code == "impossible":
        return _("Impossible date “%(valeur)s”: this day does not exist.") % {"valeur": valeur}
    if code == "serie":
        return _(
            "“%(valeur)s” looks like an Excel date serial number: format the column as a date "
            "(dd/mm/yyyy) before saving the file."
        ) % {"valeur": valeur}
    return _("“%(valeur)s” is not a date: write it as dd/mm/yyyy (or yyyy-mm-dd).") % {"valeur": valeur}


def _etage(cellule) -> tuple[int | None, bool]:
    """(floor, ok)."""
    if isinstance(cellule, int | float) and not isinstance(cellule, bool):
        if float(cellule).is_integer() and ETAGE_MIN <= cellule <= ETAGE_MAX:
            return int(cellule), True
        return None, False
    texte = _texte(cellule)
    if not texte:
        return None, True
    if not _RE_ENTIER.fullmatch(texte):
        return (0, True) if _normaliser(texte) in ("rdc", "rezdechaussee") else (None, False)
    etage = int(texte)
    return (etage, True) if ETAGE_MIN <= etage <= ETAGE_MAX else (None, False)


def _immeubles(bailleur: Bailleur) -> dict[str, int | None]:
    """The landlord's building codes → pk (None when a code names several buildings)."""
    codes: dict[str, int | None] = {}
    for pk, reference in Immeuble.objects.filter(bailleur=bailleur).values_list("pk", "reference"):
        reference = reference.strip()
        codes[reference] = None if reference in codes else pk
    return codes


def _verifier_lignes(
    lignes,
    format_: str,
    bailleur: Bailleur,
    moteur,
    resultat: ResultatImport,
    *,
    correspondance: dict[str, str] | None = None,
    adresses: IndexAdresses,
) -> None:
    """Check every row; send to ``moteur`` those whose reference can be compared for duplicates."""
    positions = None
    for ligne, cellules in lignes:
        if all(map(_vide, cellules)):
            continue
        positions = _entete(cellules, ligne, resultat, correspondance)
        largeur = max(i + 1 for i, c in enumerate(cellules) if not _vide(c))
        break
    if positions is None:
        if resultat.valide:
            resultat.erreur(None, "", _("The file is empty."))
        return
    immeubles = _immeubles(bailleur)
    sosies = references_sosies(bailleur)
    p_ref, l_ref = positions["reference"]
    p_imm, l_imm = positions.get("immeuble", (None, "immeuble"))
    p_adr, l_adr = positions.get("adresse", (None, "adresse"))
    p_nom = positions.get("nom_immeuble", (None, ""))[0]
    p_cage, l_cage = positions["cage"]
    p_etage, l_etage = positions["etage"]
    p_porte, l_porte = positions["porte"]
    p_type, l_type = positions["type"]
    p_debut, l_debut = positions["raccorde_depuis"]
    p_fin, l_fin = positions["sorti_le"]
    necessaires = max(p for p, _l in positions.values()) + 1
    csv_ = format_ == "csv"
    erreur = resultat.erreur
    ajouter = moteur.ajouter
    trop_long = _("Too long: %(n)s characters, at most %(max)s.")
    max_ref, max_cage, max_porte = LONGUEURS["reference"], LONGUEURS["cage"], LONGUEURS["porte"]
    nb_lignes = 0

    for ligne, cellules in lignes:
        if all(map(_vide, cellules)):
            continue
        if len(cellules) < necessaires:
            if csv_:
                nb_lignes += 1
                erreur(
                    ligne,
                    "",
                    _(
                        "This line has %(n)s cells where the first line has %(m)s columns: "
                        "a column is missing, check the separators."
                    )
                    % {"n": len(cellules), "m": largeur},
                )
                continue
            cellules = (
                *cellules,
                *([None] * (necessaires - len(cellules))),
            )  # spreadsheet: empty cells at the end
        elif csv_ and len(cellules) > largeur and not all(map(_vide, cellules[largeur:])):
            nb_lignes += 1
            erreur(
                ligne,
                "",
                _(
                    "This line has %(n)s cells where the first line has %(m)s columns: "
                    "a value may contain the separator, put it between double quotes."
                )
                % {"n": len(cellules), "m": largeur},
            )
            continue
        nb_lignes += 1
        avant = resultat.nb_erreurs

        reference = normaliser_reference(_texte(cellules[p_ref]))
        if not reference:
            erreur(ligne, l_ref, _("The dwelling’s reference is empty."))
        elif len(reference) > max_ref:
            erreur(ligne, l_ref, trop_long % {"n": len(reference), "max": max_ref})
            reference = ""
        elif motif := caractere_interdit(reference):
            erreur(ligne, l_ref, motif)
            reference = ""
        elif sosies and (existante := sosies.get(reference)) is not None and existante != reference:
            erreur(
                ligne,
                l_ref,
                _(
                    "Reference “%(reference)s” is the same, once spaces and lookalike letters are set "
                    "aside, as the existing dwelling “%(existante)s”: correct that dwelling’s reference in "
                    "the admin first, or the file."
                )
                % {"reference": reference, "existante": existante},
            )

        cage = _texte(cellules[p_cage])
        if len(cage) > max_cage:
            erreur(ligne, l_cage, trop_long % {"n": len(cage), "max": max_cage})

        code = _texte(cellules[p_imm]) if p_imm is not None else ""
        immeuble_id = immeubles.get(code)
        if immeuble_id is None:
            if not code:
                if p_adr is None:
                    erreur(ligne, l_imm, _("The building code is empty."))
                else:
                    nom = _texte(cellules[p_nom]) if p_nom is not None else ""
                    immeuble_id, motif = adresses.trouver(_texte(cellules[p_adr]), nom, cage, ligne)
                    if motif:
                        erreur(ligne, l_adr, motif)
            elif code in immeubles:
                erreur(
                    ligne,
                    l_imm,
                    _(
                        "The building code “%(code)s” names several buildings of %(bailleur)s: "
                        "give each building its own code in the admin."
                    )
                    % {"code": code, "bailleur": bailleur.nom},
                )
            else:
                erreur(
                    ligne,
                    l_imm,
                    _("Unknown building “%(code)s” for %(bailleur)s.")
                    % {"code": code, "bailleur": bailleur.nom},
                )

        porte = _texte(cellules[p_porte])
        if len(porte) > max_porte:
            erreur(ligne, l_porte, trop_long % {"n": len(porte), "max": max_porte})

        etage, ok = _etage(cellules[p_etage])
        if not ok:
            erreur(
                ligne,
                l_etage,
                _(
                    "Floor “%(valeur)s” is not valid: a whole number from -5 to 60 "
                    "(0 or RDC for the ground floor)."
                )
                % {"valeur": _texte(cellules[p_etage])},
            )

        type_ = _texte(cellules[p_type])
        if type_:
            normalise = TYPES.get(type_.lower().replace(" ", ""))
            if normalise is None:
                erreur(
                    ligne,
                    l_type,
                    _("Unknown type “%(valeur)s”: expected T1 to T6 (or F1 to F6), studio or autre.")
                    % {"valeur": type_},
                )
            type_ = normalise

        debut, code_debut = _date(cellules[p_debut])
        if code_debut:
            erreur(ligne, l_debut, _message_date(code_debut, _texte(cellules[p_debut])))
        fin, code_fin = _date(cellules[p_fin])
        if code_fin:
            erreur(ligne, l_fin, _message_date(code_fin, _texte(cellules[p_fin])))
        elif fin is not None and not code_debut:
            if debut is None:
                erreur(ligne, l_fin, _("A left-on date needs a connected-since date."))
            elif fin < debut:
                erreur(
                    ligne,
                    l_fin,
                    _("Left on %(sortie)s, before being connected on %(raccordement)s.")
                    % {"sortie": f"{fin:%d/%m/%Y}", "raccordement": f"{debut:%d/%m/%Y}"},
                )

        if reference:
            # Rows with errors (or waiting for their building's creation) still go along, to find
            # duplicate references among all rows.
            if resultat.nb_erreurs > avant or immeuble_id is None:
                ajouter(ligne, reference, None, "", None, "", "", None, None)
            else:
                ajouter(ligne, reference, immeuble_id, cage, etage, porte, type_ or "", debut, fin)
    resultat.lignes = nb_lignes
    if nb_lignes == 0 and resultat.valide:
        resultat.erreur(None, "", _("The file has no dwelling: only its first line."))
