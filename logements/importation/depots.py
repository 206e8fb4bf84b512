"""Files waiting for confirmation (the admin's preview, then confirm)."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

DOSSIER_DEPOTS = "imports"
DEPOT_DUREE = 24 * 60 * 60  # seconds a file waits for its confirmation
_RE_JETON = re.compile(r"[A-Za-z0-9_-]{22}\.(?:csv|txt|xlsx|ods)")


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
