"""The audit trail: the one way services record who did what (``journaliser``) and read it back.

Every service that writes calls :func:`journaliser` inside its own transaction, with the actor passed
explicitly (``par=None`` for the system: a beat task, an import of past results). The message is a
translated sentence in the interface language, the ``details`` a small JSON object for what a machine
or an auditor reads (a file's SHA-256, counts, old and new values).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from ipt.models import Evenement


def journaliser(
    *, par, action: str, message: str, objet: models.Model | None = None, details=None
) -> Evenement:
    """Record one audit entry. ``par`` is a user or ``None`` (the system); ``action`` a short code such
    as ``"logements.import"``; ``objet`` the object changed, if any."""
    acteur = par if par is not None and getattr(par, "pk", None) is not None else None
    return Evenement.objects.create(
        par=acteur,
        par_nom=acteur.get_username() if acteur is not None else "",
        action=action,
        type_objet=ContentType.objects.get_for_model(objet, for_concrete_model=False) if objet else None,
        objet_id=str(objet.pk) if objet is not None else "",
        objet_libelle=str(objet)[:200] if objet is not None else "",
        message=str(message),
        details=details or {},
    )


def historique(objet: models.Model):
    """The audit entries of one object, newest first (one query)."""
    return Evenement.objects.filter(
        type_objet=ContentType.objects.get_for_model(objet, for_concrete_model=False), objet_id=str(objet.pk)
    ).select_related("par")
