"""A statement's documents: its PDF rendered in parts by any worker, joined under the statement's row
lock, and its CSV; both stored with their SHA-256.
"""

import hashlib
import os
import shutil
import threading
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from charges.models import (
    Releve,
)

# --- 3. Documents -------------------------------------------------------------------------------
#
# A statement's PDF is rendered in parts of a few pages (charges.pdf), each part by whichever worker
# takes it, stored as a file of its own; the worker that stores the last part joins them, writes the
# CSV, and stores both with their SHA-256. Parts already stored are not rendered again: a run started
# again after a worker died completes what is missing.


def _nom_document(releve: Releve, extension: str) -> str:
    return f"releves/{releve.annee}/{releve.bailleur.code}/{releve.numero}.{extension}"


def _dossier_parties(releve_pk: int) -> str:
    return f"releves/parties/{releve_pk}"


def _nom_partie(releve_pk: int, numero: int) -> str:
    return f"{_dossier_parties(releve_pk)}/{numero:04d}.pdf"


def _enregistrer(stockage, nom: str, contenu: bytes) -> str:
    """Store ``contenu`` under exactly ``nom``, replacing a file left by an interrupted run.

    Written to a temporary file then renamed: a reader never sees half a file.
    """
    chemin = Path(stockage.path(nom))
    chemin.parent.mkdir(parents=True, exist_ok=True)
    provisoire = chemin.with_name(f".{chemin.name}.{os.getpid()}.{threading.get_ident()}")
    provisoire.write_bytes(contenu)
    os.replace(provisoire, chemin)
    return nom


def releve_partie_produire(*, releve_pk: int, numero: int) -> bool:
    """Render and store part ``numero`` of a numbered statement (unless stored already); then, if every
    part is there, join them and issue the statement. Returns whether the statement is issued now."""
    from charges import pdf

    releve = Releve.objects.select_related("bailleur").filter(pk=releve_pk).first()
    if releve is None or releve.statut != Releve.Statut.EMISSION:
        return False
    stockage = Releve.pdf.field.storage
    if not stockage.exists(_nom_partie(releve_pk, numero)):
        with translation.override(settings.LANGUAGE_CODE):
            contenu = pdf.releve_partie_pdf(releve, numero)
        _enregistrer(stockage, _nom_partie(releve_pk, numero), contenu)
    return releve_assembler(releve_pk=releve_pk)


def _noms_des_parties(releve: Releve) -> list[str]:
    from charges import pdf

    return [_nom_partie(releve.pk, numero) for numero in range(pdf.nombre_de_parties(releve))]


def releve_assembler(*, releve_pk: int) -> bool:
    """Join the parts of a statement if all are stored, write its CSV, store both; mark it issued.

    Safe under concurrent workers: the statement's row is locked *before* its parts are looked at, so
    the worker that issues it — and then removes the parts, after its commit — is the only one reading
    them; a second worker waits for the lock, finds the statement issued, and stops (no part read).
    """
    from charges import pdf
    from charges.exports import releve_csv
    from charges.fusion_pdf import fusionner

    releve = Releve.objects.filter(pk=releve_pk, statut=Releve.Statut.EMISSION).first()
    if releve is None:
        return False
    stockage = Releve.pdf.field.storage
    # Not every part there yet: nothing to do, and no lock taken (the common case, part after part).
    if not all(stockage.exists(nom) for nom in _noms_des_parties(releve)):
        return False
    with transaction.atomic():
        verrouille = (
            Releve.objects.select_for_update().select_related("bailleur").filter(pk=releve_pk).first()
        )
        if verrouille is None or verrouille.statut != Releve.Statut.EMISSION:
            return False
        pages = pdf.pages_du_releve(verrouille)
        noms = _noms_des_parties(verrouille)
        if not all(stockage.exists(nom) for nom in noms):
            return False
        morceaux = []
        for nom in noms:
            with stockage.open(nom, "rb") as fichier:
                morceaux.append(fichier.read())
        contenu_pdf = fusionner(morceaux)
        with translation.override(settings.LANGUAGE_CODE):
            contenu_csv = releve_csv(verrouille)
        nom_pdf = _enregistrer(stockage, _nom_document(verrouille, "pdf"), contenu_pdf)
        nom_csv = _enregistrer(stockage, _nom_document(verrouille, "csv"), contenu_csv)
        Releve.objects.filter(pk=releve_pk, statut=Releve.Statut.EMISSION).update(
            statut=Releve.Statut.EMIS,
            pdf=nom_pdf,
            csv=nom_csv,
            sha256_pdf=hashlib.sha256(contenu_pdf).hexdigest(),
            sha256_csv=hashlib.sha256(contenu_csv).hexdigest(),
            nb_pages=len(pages),
        )
    # Committed: no other worker reads the parts any more (they find the statement issued).
    shutil.rmtree(stockage.path(_dossier_parties(releve_pk)), ignore_errors=True)
    return True


def releve_documents_produire(*, releve_pk: int) -> bool:
    """Every part of a numbered statement, here, one after the other; then issue it (shell, tests)."""
    from charges import pdf

    releve = Releve.objects.filter(pk=releve_pk).first()
    if releve is None or releve.statut != Releve.Statut.EMISSION:
        return False
    emis = False
    for numero in range(pdf.nombre_de_parties(releve)):
        emis = releve_partie_produire(releve_pk=releve_pk, numero=numero)
    return emis
