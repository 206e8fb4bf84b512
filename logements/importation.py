"""Importing a landlord's dwelling list, from CSV (``;`` or ``,``, UTF-8 or Windows-1252) or XLSX.

How it goes:

1. The file is refused **before it is parsed** if its extension is unknown, if it is over
   ``settings.IMPORT_TAILLE_MAX`` bytes, or, for an XLSX, if it is not a zip archive, if its entries
   would take more than ``settings.IMPORT_XLSX_DECOMPRESSE_MAX`` bytes once decompressed, or if an
   entry is suspiciously compressed (a zip bomb). Only the zip's central directory is read for this;
   Python's ``zipfile`` never yields more than an entry's declared size.
2. Rows are read as a stream (``csv`` module, or openpyxl in read-only mode) and each is checked: every
   error is kept with its line number, its column and a French reason.
3. Checked rows go, in chunks, to a temporary table (PostgreSQL ``COPY``), so the Python process holds
   one chunk at a time whatever the size of the file; duplicate references are found there.
4. Only if the whole file is valid, one ``UPDATE`` of the rows whose values differ and one ``INSERT`` of
   the new ones, in the same transaction. Re-importing the same file changes nothing. Nothing is ever
   deleted: dwellings absent from the file are counted, their leaving is recorded with ``sorti_le``.

Without PostgreSQL (the SQLite demo), an ORM path does the same with ``bulk_create``/``bulk_update``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import re
import secrets
import time
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from logements.models import Bailleur, Immeuble, Logement

logger = logging.getLogger(__name__)

# Defaults of the settings that bound what is accepted (read at each import, so tests may override).
TAILLE_MAX = 20 * 1024 * 1024
XLSX_DECOMPRESSE_MAX = 200 * 1024 * 1024
XLSX_RATIO_MAX = 100  # an entry decompressing to more than 100 times its size…
XLSX_RATIO_SEUIL = 1024 * 1024  # …and to more than 1 MB is a zip bomb.
ERREURS_MAX = 10_000  # errors kept for display; all of them are counted
TAILLE_PAQUET = 10_000  # rows sent to the database at a time

EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx"}

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

LONGUEURS = {
    nom: Logement._meta.get_field(nom).max_length for nom in ("reference", "cage", "porte")
}  # 30, 10, 10
ETAGE_MIN, ETAGE_MAX = -5, 60  # as the database constraint logement_etage_plausible

# Accepted spellings of the type, compared lower-case without spaces: T1…T9, F1…F9 (T7 and more are T6+).
TYPES = {
    f"{prefixe}{n}{plus}": f"T{min(n, 6)}" for prefixe in "tf" for n in range(1, 10) for plus in ("", "+")
} | {"autre": Logement.Type.AUTRE.value, "studio": Logement.Type.T1.value}


class FichierRefuse(Exception):
    """The file as a whole is refused; the message is the French reason."""


@dataclass
class ErreurImport:
    ligne: int | None  # None: the file as a whole
    colonne: str
    message: str

    def __str__(self):
        if self.ligne is None:
            return _("File refused: %(message)s") % {"message": self.message}
        if self.colonne:
            return _("Line %(ligne)s, column “%(colonne)s”: %(message)s") % {
                "ligne": self.ligne,
                "colonne": self.colonne,
                "message": self.message,
            }
        return _("Line %(ligne)s: %(message)s") % {"ligne": self.ligne, "message": self.message}


@dataclass
class ResultatImport:
    bailleur: Bailleur
    fichier: str
    dry_run: bool
    erreurs: list[ErreurImport] = field(default_factory=list)
    nb_erreurs: int = 0
    lignes: int = 0
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    absents: int = 0
    colonnes_ignorees: list[str] = field(default_factory=list)
    libelles: dict[str, str] = field(default_factory=dict)  # canonical column → its label in the file
    applique: bool = False
    duree: float = 0.0

    @property
    def valide(self) -> bool:
        return self.nb_erreurs == 0

    @property
    def erreurs_non_affichees(self) -> int:
        return self.nb_erreurs - len(self.erreurs)

    @property
    def bilan(self) -> str:
        """The counts, in a sentence."""
        if self.applique:
            gabarit = _("Imported: %(crees)s created, %(modifies)s updated, %(inchanges)s unchanged.")
        else:
            gabarit = _(
                "Preview, nothing written yet: %(crees)s to create, %(modifies)s to update, "
                "%(inchanges)s unchanged."
            )
        return gabarit % {"crees": self.crees, "modifies": self.modifies, "inchanges": self.inchanges}

    @property
    def texte_absents(self) -> str:
        return ngettext(
            "%(n)s dwelling of %(bailleur)s is not in the file: it is kept "
            "(record its leaving with a left-on date).",
            "%(n)s dwellings of %(bailleur)s are not in the file: they are kept "
            "(record their leaving with a left-on date).",
            self.absents,
        ) % {"n": self.absents, "bailleur": self.bailleur.nom}

    def erreur(self, ligne: int | None, colonne: str, message: str) -> None:
        self.nb_erreurs += 1
        if len(self.erreurs) < ERREURS_MAX:
            self.erreurs.append(ErreurImport(ligne, colonne, message))


def importer_logements(*, fichier, bailleur: Bailleur, dry_run: bool = False, user=None) -> ResultatImport:
    """Check ``fichier`` (a path, or a binary file object with a name) and, if it is valid and not
    ``dry_run``, apply it to ``bailleur``'s dwellings in one transaction. Writes nothing otherwise."""
    debut = time.monotonic()
    with _ouvrir(fichier) as (flux, nom):
        resultat = ResultatImport(bailleur=bailleur, fichier=nom, dry_run=dry_run)
        lignes = None
        try:
            format_, lignes = _lecteur(flux, nom)
            # On an exception, the block is rolled back, the temporary table with it.
            with transaction.atomic():
                moteur = MOTEURS.get(connection.vendor, MoteurOrm)(bailleur)
                _verifier_lignes(lignes, format_, bailleur, moteur, resultat)
                moteur.doublons(resultat)
                if resultat.valide:
                    if dry_run:
                        moteur.compter(resultat)
                    else:
                        moteur.appliquer(resultat)
                        resultat.applique = True
                moteur.terminer()
                if not resultat.applique:
                    transaction.set_rollback(True)
        except FichierRefuse as refus:
            resultat.erreur(None, "", str(refus))
        finally:
            if lignes is not None:
                lignes.close()  # runs the reader's clean-up while the file is still open
    resultat.erreurs.sort(key=lambda e: e.ligne or 0)
    resultat.duree = time.monotonic() - debut
    logger.info(
        "Import of %s for %s by %s: %s rows, %s errors, %s created, %s updated, %s unchanged%s",
        nom,
        bailleur.code,
        user or "-",
        resultat.lignes,
        resultat.nb_erreurs,
        resultat.crees,
        resultat.modifies,
        resultat.inchanges,
        " (dry run)" if dry_run else "",
    )
    return resultat


# --- Files waiting for confirmation (the admin's preview, then confirm) ----------------------------

DOSSIER_DEPOTS = "imports"
DEPOT_DUREE = 24 * 60 * 60  # seconds a file waits for its confirmation
_RE_JETON = re.compile(r"[A-Za-z0-9_-]{22}\.(?:csv|txt|xlsx)")


def _dossier_depots() -> Path:
    return Path(settings.MEDIA_ROOT) / DOSSIER_DEPOTS


def depot_enregistrer(fichier) -> str:
    """Keep an uploaded file until its import is confirmed; return its token. Old ones are removed."""
    dossier = _dossier_depots()
    dossier.mkdir(parents=True, exist_ok=True)
    limite = time.time() - DEPOT_DUREE
    for ancien in dossier.iterdir():
        if _RE_JETON.fullmatch(ancien.name) and ancien.stat().st_mtime < limite:
            ancien.unlink(missing_ok=True)
    jeton = secrets.token_urlsafe(16) + Path(fichier.name).suffix.lower()
    with open(dossier / jeton, "xb") as sortie:
        for morceau in fichier.chunks():
            sortie.write(morceau)
    return jeton


def depot_chemin(jeton: str) -> Path | None:
    """The kept file of ``jeton``, or None (unknown, expired or malformed token)."""
    if not _RE_JETON.fullmatch(jeton or ""):
        return None
    chemin = _dossier_depots() / jeton
    return chemin if chemin.is_file() else None


def depot_supprimer(jeton: str) -> None:
    if chemin := depot_chemin(jeton):
        chemin.unlink(missing_ok=True)


# --- Opening and refusing files -------------------------------------------------------------------


@contextmanager
def _ouvrir(fichier):
    if isinstance(fichier, str | Path):
        with open(fichier, "rb") as flux:
            yield flux, Path(fichier).name
    else:
        fichier.seek(0)
        yield fichier, Path(getattr(fichier, "name", "") or "").name


def _taille(flux) -> int:
    flux.seek(0, io.SEEK_END)
    taille = flux.tell()
    flux.seek(0)
    return taille


def taille_max() -> int:
    return getattr(settings, "IMPORT_TAILLE_MAX", TAILLE_MAX)


def verifier_nom_et_taille(nom: str, taille: int) -> str:
    """The file's format ("csv" or "xlsx"), or FichierRefuse for its extension or its size."""
    extension = Path(nom).suffix.lower()
    if extension not in EXTENSIONS:
        raise FichierRefuse(
            _("Unsupported file type “%(ext)s”: save the list as .csv or .xlsx.") % {"ext": extension or nom}
        )
    if taille > taille_max():
        raise FichierRefuse(
            _("The file is too large (%(taille)s; at most %(max)s).")
            % {"taille": filesizeformat(taille), "max": filesizeformat(taille_max())}
        )
    if taille == 0:
        raise FichierRefuse(_("The file is empty."))
    return EXTENSIONS[extension]


def _lecteur(flux, nom: str):
    """Refuse the file before parsing it, or return its format and the generator of its rows
    ``(line number, cells)``, header first."""
    format_ = verifier_nom_et_taille(nom, _taille(flux))
    if format_ == "xlsx":
        _verifier_zip(flux)
        return format_, _lignes_xlsx(flux)
    return format_, _lignes_csv(flux)


def _verifier_zip(flux) -> None:
    if not zipfile.is_zipfile(flux):
        raise FichierRefuse(_("This .xlsx file is not a valid Excel file (it is not a zip archive)."))
    flux.seek(0)
    try:
        with zipfile.ZipFile(flux) as archive:
            entrees = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FichierRefuse(
            _("This .xlsx file is not a valid Excel file (it is not a zip archive).")
        ) from exc
    total, total_max = (
        sum(e.file_size for e in entrees),
        getattr(settings, "IMPORT_XLSX_DECOMPRESSE_MAX", XLSX_DECOMPRESSE_MAX),
    )
    if total > total_max:
        raise FichierRefuse(
            _("This .xlsx file would take %(taille)s once decompressed (at most %(max)s): it is refused.")
            % {"taille": filesizeformat(total), "max": filesizeformat(total_max)}
        )
    ratio_max = getattr(settings, "IMPORT_XLSX_RATIO_MAX", XLSX_RATIO_MAX)
    for entree in entrees:
        ratio = entree.file_size / max(entree.compress_size, 1)
        if entree.file_size > XLSX_RATIO_SEUIL and ratio > ratio_max:
            raise FichierRefuse(
                _(
                    "This .xlsx file is suspiciously compressed (one part expands %(ratio)s times): "
                    "it is refused."
                )
                % {"ratio": int(ratio)}
            )
    flux.seek(0)


def _encodage(flux) -> str:
    """UTF-8 (with or without a BOM) if the whole file decodes as such, else Windows-1252."""
    debut = flux.read(4)
    flux.seek(0)
    if debut.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FichierRefuse(
            _("The file is in UTF-16: save it as “CSV UTF-8” (or CSV with ; as separator) instead.")
        )
    for encodage in ("utf-8-sig", "cp1252"):
        decodeur = codecs.getincrementaldecoder(encodage)()
        try:
            while bloc := flux.read(1 << 20):
                if b"\0" in bloc:
                    raise FichierRefuse(
                        _(
                            "The file holds null characters: it is not a CSV text file "
                            "(a renamed spreadsheet?)."
                        )
                    )
                decodeur.decode(bloc)
            decodeur.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            flux.seek(0)
        return encodage
    raise FichierRefuse(_("The file is neither UTF-8 nor Windows-1252 text: save it as “CSV UTF-8”."))


def _lignes_csv(flux):
    encodage = _encodage(flux)
    texte = io.TextIOWrapper(flux, encoding=encodage, newline="")
    try:
        premiere = ""
        for premiere in texte:
            if premiere.strip():
                break
        separateur = max(";,\t", key=premiere.count)
        texte.seek(0)
        lecteur = csv.reader(texte, delimiter=separateur)
        try:
            yield from enumerate(lecteur, start=1)
        except csv.Error as exc:
            raise FichierRefuse(
                _("Line %(ligne)s cannot be read (%(raison)s): check the file is a CSV export.")
                % {"ligne": lecteur.line_num, "raison": exc}
            ) from exc
    finally:
        texte.detach()  # leave the caller's file open


def _lignes_xlsx(flux):
    from openpyxl import load_workbook

    illisible = _(
        "This Excel file cannot be read: open it in a spreadsheet and save it again as .xlsx (or .csv)."
    )
    try:
        classeur = load_workbook(flux, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise FichierRefuse(illisible) from exc
    try:
        if not classeur.worksheets:
            raise FichierRefuse(illisible)
        try:
            yield from enumerate(classeur.worksheets[0].iter_rows(values_only=True), start=1)
        except FichierRefuse:
            raise
        except Exception as exc:  # a broken sheet shows only while it is read
            raise FichierRefuse(illisible) from exc
    finally:
        classeur.close()


# --- Checking rows --------------------------------------------------------------------------------


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


_RE_DATE = re.compile(
    r"(?:(?P<j>\d{1,2})/(?P<m>\d{1,2})/(?P<a>\d{4})|(?P<a2>\d{4})-(?P<m2>\d{1,2})-(?P<j2>\d{1,2}))"
    r"(?:[ T]00:00(?::00)?)?"
)
_RE_SERIE = re.compile(r"\d{1,6}(?:[.,]\d+)?")


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
    try:
        etage = int(texte)
    except ValueError:
        return (0, True) if _normaliser(texte) in ("rdc", "rezdechaussee") else (None, False)
    return (etage, True) if ETAGE_MIN <= etage <= ETAGE_MAX else (None, False)


def _immeubles(bailleur: Bailleur) -> dict[str, int | None]:
    """The landlord's building codes → pk (None when a code names several buildings)."""
    codes: dict[str, int | None] = {}
    for pk, reference in Immeuble.objects.filter(bailleur=bailleur).values_list("pk", "reference"):
        reference = reference.strip()
        codes[reference] = None if reference in codes else pk
    return codes


def _verifier_lignes(lignes, format_: str, bailleur: Bailleur, moteur, resultat: ResultatImport) -> None:
    """Check every row; send to ``moteur`` those whose reference can be compared for duplicates."""
    positions = None
    for ligne, cellules in lignes:
        if all(map(_vide, cellules)):
            continue
        positions = _entete(cellules, ligne, resultat)
        largeur = max(i + 1 for i, c in enumerate(cellules) if not _vide(c))
        break
    if positions is None:
        if resultat.valide:
            resultat.erreur(None, "", _("The file is empty."))
        return
    resultat.libelles = {nom: libelle for nom, (_p, libelle) in positions.items()}
    immeubles = _immeubles(bailleur)
    p_ref, l_ref = positions["reference"]
    p_imm, l_imm = positions["immeuble"]
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
            cellules = (*cellules, *([None] * (necessaires - len(cellules))))  # XLSX: empty cells at the end
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

        reference = _texte(cellules[p_ref])
        if not reference:
            erreur(ligne, l_ref, _("The dwelling’s reference is empty."))
        elif len(reference) > max_ref:
            erreur(ligne, l_ref, trop_long % {"n": len(reference), "max": max_ref})
            reference = ""

        code = _texte(cellules[p_imm])
        immeuble_id = immeubles.get(code)
        if immeuble_id is None:
            if not code:
                erreur(ligne, l_imm, _("The building code is empty."))
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

        cage = _texte(cellules[p_cage])
        if len(cage) > max_cage:
            erreur(ligne, l_cage, trop_long % {"n": len(cage), "max": max_cage})
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
            # Rows with errors still go along, to find duplicate references among all rows.
            if resultat.nb_erreurs > avant:
                ajouter(ligne, reference, None, "", None, "", "", None, None)
            else:
                ajouter(ligne, reference, immeuble_id, cage, etage, porte, type_ or "", debut, fin)
    resultat.lignes = nb_lignes
    if nb_lignes == 0 and resultat.valide:
        resultat.erreur(None, "", _("The file has no dwelling: only its first line."))


# --- Writing --------------------------------------------------------------------------------------

CHAMPS = ("immeuble_id", "cage", "etage", "porte", "type", "connecte_depuis", "sorti_le")


def _doublon(resultat: ResultatImport, ligne: int, reference: str, premiere: int) -> None:
    resultat.erreur(
        ligne,
        resultat.libelles.get("reference", "reference"),
        _("Reference “%(reference)s” appears twice in the file (first on line %(premiere)s).")
        % {"reference": reference, "premiere": premiere},
    )


# The SQL of the PostgreSQL path, built from constants only (no user input is ever formatted in).
_TMP = "import_logements_tmp"
_TABLE = Logement._meta.db_table
_CHAMPS_L = ", ".join(f"l.{c}" for c in CHAMPS)
_CHAMPS_T = ", ".join(f"t.{c}" for c in CHAMPS)
_JOINTURE = "l.bailleur_id = %(bailleur)s AND l.reference = t.reference"
_DIFFERE = f"({_CHAMPS_L}) IS DISTINCT FROM ({_CHAMPS_T})"
SQL = {
    "creer": f"DROP TABLE IF EXISTS pg_temp.{_TMP}; CREATE TEMPORARY TABLE {_TMP} ("
    "ligne integer NOT NULL, reference varchar(30) NOT NULL, immeuble_id bigint, cage varchar(10),"
    " etage smallint, porte varchar(10), type varchar(5), connecte_depuis date, sorti_le date"
    ") ON COMMIT DROP",
    "copier": f"COPY {_TMP} FROM STDIN",
    "analyser": f"ANALYZE {_TMP}",
    "doublons": f"SELECT t.ligne, t.reference, d.premiere FROM {_TMP} t"  # noqa: S608
    f" JOIN (SELECT reference, min(ligne) AS premiere FROM {_TMP}"
    " GROUP BY reference HAVING count(*) > 1) d USING (reference)"
    " WHERE t.ligne > d.premiere ORDER BY t.ligne",
    "compter": "SELECT count(*) FILTER (WHERE l.id IS NULL),"  # noqa: S608
    f" count(*) FILTER (WHERE l.id IS NOT NULL AND {_DIFFERE}),"
    f" count(*) FILTER (WHERE l.id IS NOT NULL AND NOT {_DIFFERE})"
    f" FROM {_TMP} t LEFT JOIN {_TABLE} l ON {_JOINTURE}",
    "total": f"SELECT count(*) FROM {_TABLE} WHERE bailleur_id = %(bailleur)s",  # noqa: S608
    # Only the rows whose values differ are touched (and get a new modifie_le).
    "modifier": f"UPDATE {_TABLE} l SET {', '.join(f'{c} = t.{c}' for c in CHAMPS)},"  # noqa: S608
    f" modifie_le = %(maintenant)s FROM {_TMP} t WHERE {_JOINTURE} AND {_DIFFERE}",
    "creer_logements": f"INSERT INTO {_TABLE} (bailleur_id, reference, {', '.join(CHAMPS)},"  # noqa: S608
    f" cree_le, modifie_le) SELECT %(bailleur)s, t.reference, {_CHAMPS_T}, %(maintenant)s, %(maintenant)s"
    f" FROM {_TMP} t WHERE NOT EXISTS (SELECT 1 FROM {_TABLE} l WHERE {_JOINTURE})"
    " ORDER BY t.ligne ON CONFLICT (bailleur_id, reference) DO NOTHING",
    "supprimer": f"DROP TABLE IF EXISTS pg_temp.{_TMP}",
}


class MoteurCopie:
    """PostgreSQL: rows COPYed in chunks into a temporary table, then set-based SQL."""

    _ECHAPPEMENTS = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

    def __init__(self, bailleur: Bailleur):
        self.parametres = {"bailleur": bailleur.pk}
        self.paquet: list[str] = []
        self.curseur = connection.cursor()
        self.curseur.execute(SQL["creer"])

    def ajouter(self, ligne, reference, immeuble_id, cage, etage, porte, type_, debut, fin) -> None:
        e, nul = self._ECHAPPEMENTS, "\\N"
        self.paquet.append(
            f"{ligne}\t{reference.translate(e)}\t{immeuble_id or nul}\t{cage.translate(e)}\t"
            f"{nul if etage is None else etage}\t{porte.translate(e)}\t{type_}\t"
            f"{debut.isoformat() if debut else nul}\t{fin.isoformat() if fin else nul}\n"
        )
        if len(self.paquet) >= TAILLE_PAQUET:
            self._vider()

    def _vider(self) -> None:
        if not self.paquet:
            return
        donnees = "".join(self.paquet)
        self.paquet.clear()
        brut = self.curseur.cursor
        if hasattr(brut, "copy_expert"):  # psycopg2
            brut.copy_expert(SQL["copier"], io.StringIO(donnees))
        else:  # psycopg 3
            with brut.copy(SQL["copier"]) as copie:
                copie.write(donnees)

    def doublons(self, resultat: ResultatImport) -> None:
        self._vider()
        self.curseur.execute(SQL["analyser"])
        self.curseur.execute(SQL["doublons"])
        for ligne, reference, premiere in self.curseur.fetchall():
            _doublon(resultat, ligne, reference, premiere)

    def compter(self, resultat: ResultatImport) -> None:
        self.curseur.execute(SQL["compter"], self.parametres)
        resultat.crees, resultat.modifies, resultat.inchanges = self.curseur.fetchone()
        self.curseur.execute(SQL["total"], self.parametres)
        resultat.absents = self.curseur.fetchone()[0] - resultat.modifies - resultat.inchanges

    def appliquer(self, resultat: ResultatImport) -> None:
        # One import of a landlord at a time: a second one waits here for the first to commit.
        Bailleur.objects.select_for_update().filter(pk=self.parametres["bailleur"]).exists()
        parametres = {**self.parametres, "maintenant": timezone.now()}
        self.curseur.execute(SQL["modifier"], parametres)
        resultat.modifies = self.curseur.rowcount
        self.curseur.execute(SQL["creer_logements"], parametres)
        resultat.crees = self.curseur.rowcount
        resultat.inchanges = resultat.lignes - resultat.crees - resultat.modifies
        self.curseur.execute(SQL["total"], parametres)
        resultat.absents = self.curseur.fetchone()[0] - resultat.lignes

    def terminer(self) -> None:
        self.curseur.execute(SQL["supprimer"])
        self.curseur.close()


class MoteurOrm:
    """Any database (the SQLite demo): the rows kept in memory, then bulk_create/bulk_update."""

    def __init__(self, bailleur: Bailleur):
        self.bailleur = bailleur
        self.lignes: dict[str, tuple] = {}
        self.doublons_trouves: list[tuple[int, str, int]] = []

    def ajouter(self, ligne, reference, *valeurs) -> None:
        premiere = self.lignes.get(reference)
        if premiere is None:
            self.lignes[reference] = (ligne, *valeurs)
        else:
            self.doublons_trouves.append((ligne, reference, premiere[0]))

    def doublons(self, resultat: ResultatImport) -> None:
        for ligne, reference, premiere in self.doublons_trouves:
            _doublon(resultat, ligne, reference, premiere)

    def _comparer(self):
        """Yield (reference, values, existing dwelling or None), chunk by chunk."""
        references = list(self.lignes)
        for i in range(0, len(references), 1000):
            morceau = references[i : i + 1000]
            existants = {
                logement.reference: logement
                for logement in Logement.objects.filter(bailleur=self.bailleur, reference__in=morceau).only(
                    "reference", *(c.removesuffix("_id") for c in CHAMPS)
                )
            }
            for reference in morceau:
                yield reference, self.lignes[reference][1:], existants.get(reference)

    def compter(self, resultat: ResultatImport, *, ecrire: bool = False) -> None:
        nouveaux, changes = [], []
        maintenant = timezone.now()
        for reference, valeurs, logement in self._comparer():
            if logement is None:
                resultat.crees += 1
                if ecrire:
                    nouveaux.append(
                        Logement(
                            bailleur=self.bailleur,
                            reference=reference,
                            **dict(zip(CHAMPS, valeurs, strict=True)),
                        )
                    )
            elif tuple(getattr(logement, c) for c in CHAMPS) != valeurs:
                resultat.modifies += 1
                if ecrire:
                    for champ, valeur in zip(CHAMPS, valeurs, strict=True):
                        setattr(logement, champ, valeur)
                    logement.modifie_le = maintenant
                    changes.append(logement)
            else:
                resultat.inchanges += 1
            if ecrire and len(changes) >= 1000:
                Logement.objects.bulk_update(changes, [*CHAMPS, "modifie_le"])
                changes.clear()
            if ecrire and len(nouveaux) >= 1000:
                Logement.objects.bulk_create(nouveaux)
                nouveaux.clear()
        if ecrire:
            Logement.objects.bulk_update(changes, [*CHAMPS, "modifie_le"])
            Logement.objects.bulk_create(nouveaux)
        total = Logement.objects.filter(bailleur=self.bailleur).count()
        resultat.absents = total - resultat.modifies - resultat.inchanges - (resultat.crees if ecrire else 0)

    def appliquer(self, resultat: ResultatImport) -> None:
        Bailleur.objects.select_for_update().filter(pk=self.bailleur.pk).exists()
        self.compter(resultat, ecrire=True)

    def terminer(self) -> None:
        self.lignes.clear()


MOTEURS = {"postgresql": MoteurCopie}
