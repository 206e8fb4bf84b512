"""Background jobs that produce a document: create, run, report progress, store the file, or fail clearly.

An app declares what a kind of job produces with :func:`producteur`, in its ``tasks.py``::

    @travaux.producteur("quartiers.plaquettes", libelle=_("Leaflets"))
    def plaquettes(travail: Travail, suivi: Suivi) -> Fichier:
        suivi.debuter(total=len(immeubles))
        ...  # suivi.avancer() after each part
        return Fichier("plaquettes.pdf", contenu)

and starts one with :func:`travail_creer`. The job is queued after the transaction commits, and run by
the Celery task ``ipt.tasks.travail_executer`` (in-process when ``CELERY_TASK_ALWAYS_EAGER``), which
calls :func:`travail_executer`: it marks the job running, calls the producer, stores the file with its
SHA-256 and marks the job done — or marks it failed with a French message; never leaves it running.
Running it again on a job that was already started does nothing.

Who may see a job: the user who asked for it, city staff, and — when its parameters name a
``quartier`` — the reception volunteers covering that quartier (:func:`travail_visible`).
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from ipt.models import Travail
from ipt.perimetre import couvre_tout, restreindre
from ipt.roles import roles_de

logger = logging.getLogger(__name__)

Statut = Travail.Statut


@dataclass(frozen=True)
class Fichier:
    """What a producer returns: the file's name (for the download) and its bytes."""

    nom: str
    contenu: bytes


class TravailImpossible(Exception):  # noqa: N818 — a domain outcome, not a bug
    """Raised by a producer when the document cannot be made; ``message`` is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


@dataclass(frozen=True)
class Nature:
    nom: str
    libelle: str
    fonction: Callable
    # May the volunteers covering the job's quartier see it (leaflets, walk sheets)? Never for documents
    # that carry ballot codes or results: those stay with their requester and city staff.
    partage_quartier: bool = False


_NATURES: dict[str, Nature] = {}


def producteur(nom: str, *, libelle, partage_quartier: bool = False):
    """Decorator: ``fonction(travail, suivi) -> Fichier`` makes the jobs of kind ``nom``."""

    def enregistrer(fonction):
        ancienne = _NATURES.get(nom)
        if ancienne is not None and ancienne.fonction.__qualname__ != fonction.__qualname__:
            raise ImproperlyConfigured(f"Two producers for the job kind {nom!r}")
        _NATURES[nom] = Nature(nom, libelle, fonction, partage_quartier)
        return fonction

    return enregistrer


def nature_de(nom: str) -> Nature:
    if nom not in _NATURES:
        autodiscover_modules("tasks")  # each app declares its producers in its tasks.py
    try:
        return _NATURES[nom]
    except KeyError:
        raise ImproperlyConfigured(f"No producer declared for the job kind {nom!r}") from None


def libelle_de(nom: str) -> str:
    try:
        return str(nature_de(nom).libelle)
    except ImproperlyConfigured:
        return nom


# --- Starting a job -----------------------------------------------------------------------------


def travail_creer(*, nature: str, parametres: dict, demandeur) -> Travail:
    """Record a job and queue it once the transaction commits (at once, in-process, without Redis)."""
    nature_de(nature)  # an unknown kind is a programming error: fail here, not in the worker
    with transaction.atomic():
        travail = Travail.objects.create(
            nature=nature,
            parametres=parametres,
            demandeur=demandeur if demandeur is not None and demandeur.is_authenticated else None,
        )
        pk = travail.pk
        transaction.on_commit(lambda: _mettre_en_file(pk))
    return travail


def _mettre_en_file(travail_pk: int) -> None:
    from ipt.tasks import travail_executer

    try:
        travail_executer.delay(travail_pk)
    except Exception:  # the broker is down: say so on the job rather than leave it waiting forever
        logger.exception("Could not queue background job %s", travail_pk)
        with translation.override(settings.LANGUAGE_CODE):
            message = _(
                "The job could not be started: the background job service does not answer. "
                "Try again in a few minutes; if it goes on, tell the city's team."
            )
        Travail.objects.filter(pk=travail_pk, statut=Statut.EN_ATTENTE).update(
            statut=Statut.ECHEC, message=message, termine_le=timezone.now()
        )


# --- Running a job ------------------------------------------------------------------------------


class Suivi:
    """Progress of a running job, as a producer reports it: one cheap UPDATE per step."""

    def __init__(self, travail: Travail):
        self.travail = travail

    def debuter(self, *, total: int) -> None:
        self.travail.total, self.travail.fait = total, 0
        Travail.objects.filter(pk=self.travail.pk).update(total=total, fait=0)

    def avancer(self, pas: int = 1) -> None:
        fait = self.travail.fait + pas
        if self.travail.total:
            fait = min(fait, self.travail.total)
        self.travail.fait = fait
        Travail.objects.filter(pk=self.travail.pk).update(fait=fait)


def travail_commencer(travail_pk: int) -> Travail | None:
    """Mark a waiting job running and return it; ``None`` if it is unknown or already started.

    One UPDATE on the waiting status: two workers handed the same job never both run it.
    """
    commence = Travail.objects.filter(pk=travail_pk, statut=Statut.EN_ATTENTE).update(
        statut=Statut.EN_COURS, commence_le=timezone.now(), fait=0, message=""
    )
    if not commence:
        return None
    return Travail.objects.get(pk=travail_pk)


def travail_terminer(travail: Travail, fichier: Fichier) -> None:
    """Store the file (under MEDIA_ROOT, with its SHA-256) and mark the job done."""
    travail.fichier.save(fichier.nom, ContentFile(fichier.contenu), save=False)
    travail.sha256 = hashlib.sha256(fichier.contenu).hexdigest()
    termine = Travail.objects.filter(pk=travail.pk, statut=Statut.EN_COURS).update(
        statut=Statut.TERMINE,
        fichier=travail.fichier.name,
        sha256=travail.sha256,
        fait=F("total"),
        termine_le=timezone.now(),
    )
    if not termine:  # marked failed meanwhile (lost, then finished after all): keep the verdict
        logger.warning("Background job %s finished after it was marked failed", travail.pk)
        travail.fichier.delete(save=False)


def travail_echouer(travail: Travail, message: str) -> None:
    Travail.objects.filter(pk=travail.pk, statut__in=[Statut.EN_ATTENTE, Statut.EN_COURS]).update(
        statut=Statut.ECHEC, message=message, termine_le=timezone.now()
    )


def travail_executer(travail_pk: int) -> None:
    """Run a job: idempotent, and never leaves it running — done with its file, or failed with a message."""
    travail = travail_commencer(travail_pk)
    if travail is None:
        logger.info("Background job %s: unknown or already started, nothing to do", travail_pk)
        return
    with translation.override(settings.LANGUAGE_CODE):
        try:
            fichier = nature_de(travail.nature).fonction(travail, Suivi(travail))
            travail_terminer(travail, fichier)
        except TravailImpossible as refus:
            travail_echouer(travail, refus.message)
        except Exception:
            logger.exception("Background job %s (%s) failed", travail.pk, travail.nature)
            travail_echouer(
                travail,
                _(
                    "The document could not be made because of an internal error. Start it again; "
                    "if it fails again, tell the city's team (job no. %(numero)s)."
                )
                % {"numero": travail.pk},
            )


def travail_verifier_perdu(travail: Travail) -> Travail:
    """A job running past the task's hard time limit was lost (worker killed): mark it failed."""
    if travail.statut != Statut.EN_COURS or travail.commence_le is None:
        return travail
    limite = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    if timezone.now() - travail.commence_le > limite:
        travail_echouer(
            travail,
            _("The job was interrupted (the server restarted or it took too long). Start it again."),
        )
        travail.refresh_from_db()
    return travail


# --- Who may see a job --------------------------------------------------------------------------


def travail_visible(user, travail: Travail) -> bool:
    """City staff; the requester while they still hold a role and cover the job's quartier; and, for the
    kinds shared with a quartier (leaflets, walk sheets), the volunteers covering that quartier."""
    if not user.is_authenticated or not user.is_active:
        return False
    if couvre_tout(user):
        return True
    if not roles_de(user):
        return False
    quartier = (travail.parametres or {}).get("quartier")
    if quartier is None:
        return travail.demandeur_id == user.pk
    if not isinstance(quartier, int):
        return False
    from quartiers.models import Quartier

    # The quartier path only: caretakers and landlord staff never see campaign documents.
    if not restreindre(Quartier.objects.filter(pk=quartier), user, quartier="pk").exists():
        return False
    if travail.demandeur_id == user.pk:
        return True
    try:
        return nature_de(travail.nature).partage_quartier
    except ImproperlyConfigured:
        return False


def travail_pour(user, pk: int) -> Travail:
    """The job ``pk`` if ``user`` may see it, else 404."""
    travail = get_object_or_404(Travail.objects.select_related("demandeur"), pk=pk)
    if not travail_visible(user, travail):
        raise Http404
    return travail
