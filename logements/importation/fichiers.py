"""Opening a file and refusing it before parsing (extension, size, zip bomb, encoding); reading its rows."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from logements.importation.resultat import FichierRefuse

# Defaults of the settings that bound what is accepted (read at each import, so tests may override).
TAILLE_MAX = 20 * 1024 * 1024
XLSX_DECOMPRESSE_MAX = 200 * 1024 * 1024
XLSX_RATIO_MAX = 100  # an entry decompressing to more than 100 times its size…
XLSX_RATIO_SEUIL = 1024 * 1024  # …and to more than 1 MB is a zip bomb.

EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".ods": "ods"}


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
    """The file's format ("csv", "xlsx" or "ods"), or FichierRefuse for its extension or its size."""
    extension = Path(nom).suffix.lower()
    if extension not in EXTENSIONS:
        raise FichierRefuse(
            _("Unsupported file type “%(ext)s”: save the list as .csv, .xlsx or .ods.")
            % {"ext": extension or nom}
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
    if format_ in ("xlsx", "ods"):
        _verifier_zip(flux, format_)
        return format_, _lignes_tableur(flux, format_)
    return format_, _lignes_csv(flux)


def _verifier_zip(flux, format_: str) -> None:
    """An .xlsx or .ods is a zip: refuse it, from its central directory only, if it is not one or if it
    would expand too much (a zip bomb) — calamine would decompress it whole."""
    ext = {"format": format_}
    if not zipfile.is_zipfile(flux):
        raise FichierRefuse(
            _("This .%(format)s file is not a valid spreadsheet (it is not a zip archive).") % ext
        )
    flux.seek(0)
    try:
        with zipfile.ZipFile(flux) as archive:
            entrees = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise FichierRefuse(
            _("This .%(format)s file is not a valid spreadsheet (it is not a zip archive).") % ext
        ) from exc
    total, total_max = (
        sum(e.file_size for e in entrees),
        getattr(settings, "IMPORT_XLSX_DECOMPRESSE_MAX", XLSX_DECOMPRESSE_MAX),
    )
    if total > total_max:
        raise FichierRefuse(
            _(
                "This .%(format)s file would take %(taille)s once decompressed (at most %(max)s): "
                "it is refused."
            )
            % {**ext, "taille": filesizeformat(total), "max": filesizeformat(total_max)}
        )
    ratio_max = getattr(settings, "IMPORT_XLSX_RATIO_MAX", XLSX_RATIO_MAX)
    for entree in entrees:
        ratio = entree.file_size / max(entree.compress_size, 1)
        if entree.file_size > XLSX_RATIO_SEUIL and ratio > ratio_max:
            raise FichierRefuse(
                _(
                    "This .%(format)s file is suspiciously compressed (one part expands %(ratio)s times): "
                    "it is refused."
                )
                % {**ext, "ratio": int(ratio)}
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
        try:
            texte.detach()  # leave the caller's file open
        except ValueError:  # the caller closed it already (a generator left unfinished)
            pass


def _lignes_tableur(flux, format_: str):
    """The first sheet of an .xlsx or .ods, read by calamine (Rust; about 14 times openpyxl's speed).
    calamine holds the sheet in memory: the size and decompression checks above bound it."""
    from python_calamine import CalamineWorkbook

    illisible = _("This spreadsheet cannot be read: open it and save it again as .%(format)s (or .csv).") % {
        "format": format_
    }
    try:
        classeur = CalamineWorkbook.from_filelike(flux)
        feuille = classeur.get_sheet_by_index(0)
        lignes = feuille.iter_rows()
    except Exception as exc:  # calamine raises several kinds on a broken workbook
        raise FichierRefuse(illisible) from exc
    try:
        premiere = (feuille.start or (0, 0))[0] + 1  # the rows start at the first non-empty one
        yield from enumerate(lignes, start=premiere)
    finally:
        classeur.close()
