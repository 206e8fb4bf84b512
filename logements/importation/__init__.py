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

import logging
import time

from django.db import connection, transaction

from logements.importation.colonnes import COLONNES
from logements.importation.depots import depot_chemin, depot_enregistrer, depot_supprimer
from logements.importation.fichiers import _lecteur, _ouvrir, taille_max, verifier_nom_et_taille
from logements.importation.lignes import _verifier_lignes
from logements.importation.moteur_copie import MoteurCopie
from logements.importation.moteur_orm import MoteurOrm
from logements.importation.resultat import ErreurImport, FichierRefuse, ResultatImport
from logements.models import Bailleur

__all__ = [
    "COLONNES",
    "MOTEURS",
    "ErreurImport",
    "FichierRefuse",
    "MoteurCopie",
    "MoteurOrm",
    "ResultatImport",
    "depot_chemin",
    "depot_enregistrer",
    "depot_supprimer",
    "importer_logements",
    "taille_max",
    "verifier_nom_et_taille",
]

logger = logging.getLogger(__name__)

MOTEURS = {"postgresql": MoteurCopie}


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
