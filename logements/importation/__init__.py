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

import hashlib
import logging
import time

from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipt.journal import journaliser
from logements.importation.adresses import IndexAdresses
from logements.importation.colonnes import COLONNES, ENTETE_MODELE
from logements.importation.depots import depot_chemin, depot_enregistrer, depot_supprimer
from logements.importation.fichiers import _lecteur, _ouvrir, taille_max, verifier_nom_et_taille
from logements.importation.lignes import _verifier_lignes
from logements.importation.moteur_copie import MoteurCopie
from logements.importation.moteur_orm import MoteurOrm
from logements.importation.resultat import DateChangee, ErreurImport, FichierRefuse, ResultatImport
from logements.models import Bailleur

__all__ = [
    "COLONNES",
    "MOTEURS",
    "ENTETE_MODELE",
    "DateChangee",
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


def importer_logements(
    *,
    fichier,
    bailleur: Bailleur,
    dry_run: bool = False,
    user=None,
    nom: str | None = None,
    correspondance: dict[str, str] | None = None,
    accepter_dates: bool = False,
    creer_immeubles: dict[str, int] | None = None,
) -> ResultatImport:
    """Check ``fichier`` (a path, or a binary file object with a name) and, if it is valid and not
    ``dry_run``, apply it to ``bailleur``'s dwellings in one transaction. Writes nothing otherwise.

    ``nom``: the file's name as sent (for the report and the audit trail); ``correspondance``: the columns
    staff chose (field → the column's label, ``""`` for none; default: the landlord's remembered one, then
    the known spellings); ``accepter_dates``: the file may change connection dates already set (otherwise
    each change is an error, listed with its line); ``creer_immeubles``: new buildings' address keys (or
    ``"*"``) → the pk of the neighbourhood to create them in. An applied import remembers its columns for
    the landlord and leaves an audit entry (who, the file's name and SHA-256, the counts)."""
    debut = time.monotonic()
    with _ouvrir(fichier) as (flux, nom_lu):
        resultat = ResultatImport(bailleur=bailleur, fichier=nom or nom_lu, dry_run=dry_run)
        lignes = None
        try:
            format_, lignes = _lecteur(flux, nom_lu)
            resultat.sha256 = _empreinte(flux)
            # On an exception, the block is rolled back, the temporary table with it.
            with transaction.atomic():
                moteur = MOTEURS.get(connection.vendor, MoteurOrm)(bailleur)
                adresses = IndexAdresses(bailleur, creer_immeubles)
                if correspondance is None:
                    correspondance = bailleur.correspondance_colonnes or {}
                _verifier_lignes(
                    lignes,
                    format_,
                    bailleur,
                    moteur,
                    resultat,
                    correspondance=correspondance,
                    adresses=adresses,
                )
                moteur.doublons(resultat)
                resultat.nouveaux_immeubles = list(adresses.nouveaux.values())
                if resultat.valide and not dry_run:
                    _immeubles_a_confirmer(resultat, adresses)
                if resultat.valide:
                    moteur.dates_changees(resultat)
                    if resultat.nb_dates_changees and not dry_run and not accepter_dates:
                        _dates_a_confirmer(resultat)
                if resultat.valide:
                    if dry_run:
                        moteur.compter(resultat)
                    else:
                        moteur.appliquer(resultat)
                        adresses.terminer()
                        resultat.immeubles_crees = len(adresses.crees)
                        _consigner(resultat, user)
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
    logger.debug(  # the audit entry is the record of an applied import
        "Import of %s for %s by %s: %s rows, %s errors, %s created, %s updated, %s unchanged%s",
        resultat.fichier,
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


def _empreinte(flux) -> str:
    """The SHA-256 of the whole file (for the audit trail); the file is left at its start."""
    flux.seek(0)
    empreinte = hashlib.sha256()
    while bloc := flux.read(1 << 20):
        empreinte.update(bloc)
    flux.seek(0)
    return empreinte.hexdigest()


def _immeubles_a_confirmer(resultat: ResultatImport, adresses: IndexAdresses) -> None:
    for nouveau in adresses.manquants():
        resultat.erreur(
            nouveau.premiere_ligne,
            resultat.libelles.get("adresse", "adresse"),
            ngettext(
                "No building of %(bailleur)s at “%(adresse)s” (%(n)s dwelling): choose the neighbourhood "
                "to create it in, or give its building code.",
                "No building of %(bailleur)s at “%(adresse)s” (%(n)s dwellings): choose the neighbourhood "
                "to create it in, or give its building code.",
                nouveau.nb_logements,
            )
            % {"bailleur": resultat.bailleur.nom, "adresse": nouveau.adresse, "n": nouveau.nb_logements},
        )


def _dates_a_confirmer(resultat: ResultatImport) -> None:
    colonne = resultat.libelles.get("raccorde_depuis", "raccorde_depuis")
    for date in resultat.dates_changees:
        resultat.erreur(
            date.ligne,
            colonne,
            _(
                "The connection date of “%(reference)s” would change from %(ancienne)s to %(nouvelle)s: "
                "accept the changed connection dates explicitly to apply it."
            )
            % {
                "reference": date.reference,
                "ancienne": f"{date.ancienne:%d/%m/%Y}",
                "nouvelle": f"{date.nouvelle:%d/%m/%Y}",
            },
        )
    resultat.nb_erreurs += resultat.nb_dates_changees - len(resultat.dates_changees)


def _consigner(resultat: ResultatImport, user) -> None:
    """Remember the columns for the landlord's next file; the audit entry. In the import's transaction."""
    bailleur = resultat.bailleur
    bailleur.correspondance_colonnes = resultat.libelles
    Bailleur.objects.filter(pk=bailleur.pk).update(correspondance_colonnes=resultat.libelles)
    journaliser(
        par=user,
        action="logements.import",
        message=_(
            "Dwelling list %(fichier)s imported for %(bailleur)s: %(crees)s created, %(modifies)s updated, "
            "%(inchanges)s unchanged."
        )
        % {
            "fichier": resultat.fichier,
            "bailleur": bailleur.nom,
            "crees": resultat.crees,
            "modifies": resultat.modifies,
            "inchanges": resultat.inchanges,
        },
        objet=bailleur,
        details={
            "fichier": resultat.fichier,
            "sha256": resultat.sha256,
            "lignes": resultat.lignes,
            "crees": resultat.crees,
            "modifies": resultat.modifies,
            "inchanges": resultat.inchanges,
            "absents": resultat.absents,
            "dates_de_connexion_changees": resultat.nb_dates_changees,
            "immeubles_crees": resultat.immeubles_crees,
            "colonnes": resultat.libelles,
        },
    )
