"""Background jobs that produce a document: create, run, report progress, store the file, or fail clearly.

An app declares what a kind of job produces with :func:`producteur`, in its ``tasks.py``::

    @travaux.producteur("quartiers.plaquettes", libelle=_("Leaflets"))
    def plaquettes(travail: Travail, suivi: Suivi) -> Fichier:
        suivi.debuter(total=len(immeubles))
        ...  # suivi.avancer() after each part
        return Fichier("plaquettes.pdf", contenu)

and starts one with :func:`travail_creer`. The job is queued after the transaction commits through
:func:`ipt.taches.envoyer` (Celery through Redis; without Redis, the server's own background queue, so the
progress page shows), and run by the task ``ipt.tasks.travail_executer``, which calls
:func:`travail_executer`: it marks the job running, calls the producer, stores the file with its SHA-256
and marks the job done — or marks it failed with a French message; never leaves it running. Running it
again on a job that was already started does nothing.

Heavy jobs are bounded (:func:`travail_creer`): the same document asked again while it is waiting or
running — or done within ``TRAVAUX_FRAIS_SECONDES`` and after the last change of what it is made from,
for the kinds that say when that was (``modifie_le``) — is the same job, returned with ``reutilise``
set; and each user has at most ``TRAVAUX_MAX_PAR_UTILISATEUR`` jobs waiting or running.

Jobs that would wait forever (:func:`travail_verifier_perdu`, on every read of the job's page, and the
beat task ``ipt.travaux_surveiller``): a job waiting past ``TRAVAUX_ATTENTE_MAX_SECONDES`` (its queue
message lost: Redis restarted without persistence, the server restarted under ``make run``) is queued
once more, then failed with a French message if it still waits; a job running past the task's hard time
limit (its worker died) is failed.

Who may see a job (:func:`travail_visible`): city staff; the user who asked for it while they still hold
a role and still cover what it names — its ``quartier`` (a volunteer's centre) or its ``bailleur`` (a
landlord user's landlord); and, for the kinds shared with a quartier, the volunteers covering it.
"""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ipt.models import Travail
from ipt.perimetre import couvre_tout, restreindre
from ipt.roles import roles_de
from ipt.taches import envoyer

logger = logging.getLogger(__name__)

Statut = Travail.Statut


@dataclass(frozen=True)
class Fichier:
    """What a producer returns: the file's name (for the download) and its bytes."""

    nom: str
    contenu: bytes


class TropDeTravaux(ValidationError):
    """Raised by :func:`travail_creer` when the user already has as many jobs waiting or running as allowed;
    a ``ValidationError``, so the views that start jobs show its French message."""


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
    # ``modifie_le(parametres) -> datetime | None``: when what the document is made from last changed.
    # Kinds that declare it may hand out a document done since then (and within TRAVAUX_FRAIS_SECONDES)
    # instead of making it again; the others are reused only while waiting or running.
    modifie_le: Callable[[dict], datetime | None] | None = None


_NATURES: dict[str, Nature] = {}


def producteur(nom: str, *, libelle, partage_quartier: bool = False, modifie_le=None):
    """Decorator: ``fonction(travail, suivi) -> Fichier`` makes the jobs of kind ``nom``."""

    def enregistrer(fonction):
        ancienne = _NATURES.get(nom)
        if ancienne is not None and ancienne.fonction.__qualname__ != fonction.__qualname__:
            raise ImproperlyConfigured(f"Two producers for the job kind {nom!r}")
        _NATURES[nom] = Nature(nom, libelle, fonction, partage_quartier, modifie_le)
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


def _cle(nature: str, parametres: dict) -> str:
    """The job's identity: its kind and its parameters, written the same way whatever their order."""
    return hashlib.sha256(
        json.dumps([nature, parametres], sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()


def _verrouiller(*cles: str) -> None:
    """Serialise job creation on ``cles`` until the transaction ends: two requests at the same moment
    see each other's job (PostgreSQL advisory locks; SQLite allows one writing transaction at a time)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for cle in sorted(set(cles)):
            empreinte = hashlib.sha256(f"ipt.travaux:{cle}".encode()).digest()
            numero = int.from_bytes(empreinte[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [numero])


def _reutilisable(nature: Nature, cle: str, parametres: dict, demandeur) -> Travail | None:
    """The same document, waiting, running or still fresh, that ``demandeur`` may see, if any."""
    encore_la = Q(statut__in=[Statut.EN_ATTENTE, Statut.EN_COURS])
    if nature.modifie_le is not None:
        depuis = timezone.now() - timedelta(seconds=settings.TRAVAUX_FRAIS_SECONDES)
        change = nature.modifie_le(parametres)
        frais = Q(statut=Statut.TERMINE, termine_le__gte=depuis)
        if change is not None:
            frais &= Q(commence_le__gt=change)
        encore_la |= frais
    candidats = Travail.objects.filter(encore_la, nature=nature.nom, cle=cle).order_by("-cree_le")
    if demandeur is None:
        candidats = candidats.filter(demandeur=None)
    elif not (nature.partage_quartier or couvre_tout(demandeur)):
        candidats = candidats.filter(demandeur=demandeur)
    for travail in candidats.select_related("demandeur")[:5]:
        if demandeur is None or travail_visible(demandeur, travail):
            return travail
    return None


def travail_creer(*, nature: str, parametres: dict, demandeur) -> Travail:
    """Record a job and queue it once the transaction commits — or return the same document already
    waiting, running or fresh (``travail.reutilise`` is then true).

    Raises :class:`TropDeTravaux` when ``demandeur`` already has ``TRAVAUX_MAX_PAR_UTILISATEUR`` jobs
    waiting or running. Jobs started by the system (no requester) are not bounded.
    """
    type_ = nature_de(nature)  # an unknown kind is a programming error: fail here, not in the worker
    if demandeur is not None and not demandeur.is_authenticated:
        demandeur = None
    cle = _cle(nature, parametres)
    with transaction.atomic():
        _verrouiller(f"cle:{cle}", *([f"demandeur:{demandeur.pk}"] if demandeur is not None else []))
        existant = _reutilisable(type_, cle, parametres, demandeur)
        if existant is not None:
            existant.reutilise = True
            return existant
        if demandeur is not None:
            maximum = settings.TRAVAUX_MAX_PAR_UTILISATEUR
            en_cours = Travail.objects.filter(
                demandeur=demandeur, statut__in=[Statut.EN_ATTENTE, Statut.EN_COURS]
            ).count()
            if en_cours >= maximum:
                raise TropDeTravaux(
                    ngettext(
                        "You already have %(n)d document being prepared: wait until it is ready "
                        "before asking for another one.",
                        "You already have %(n)d documents being prepared: wait until one of them is "
                        "ready before asking for another one.",
                        en_cours,
                    )
                    % {"n": en_cours}
                )
        travail = Travail.objects.create(nature=nature, parametres=parametres, cle=cle, demandeur=demandeur)
        pk = travail.pk
        transaction.on_commit(lambda: _mettre_en_file(pk))
    travail.reutilise = False
    return travail


def annoncer(request, travail: Travail) -> None:
    """Tell the user, when :func:`travail_creer` handed back a document already asked for, that it is."""
    from django.contrib import messages

    if not getattr(travail, "reutilise", False):
        return
    if travail.statut == Statut.TERMINE:
        messages.info(request, _("This document is already ready: here it is."))
    else:
        messages.info(request, _("This document is already being prepared: here is its progress."))


def _mettre_en_file(travail_pk: int) -> None:
    from ipt.tasks import travail_executer

    try:
        envoyer(travail_executer, travail_pk)
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
    """Catch a job that would wait forever, and return it as it now is.

    - waiting past ``TRAVAUX_ATTENTE_MAX_SECONDES`` (its queue message was lost): queued once more; still
      waiting that long after, failed with a French message;
    - running past the task's hard time limit (its worker was killed): failed.
    """
    maintenant = timezone.now()
    attente = timedelta(seconds=settings.TRAVAUX_ATTENTE_MAX_SECONDES)
    with translation.override(settings.LANGUAGE_CODE):
        if travail.statut == Statut.EN_ATTENTE:
            if travail.relance_le is None and maintenant - travail.cree_le > attente:
                # One UPDATE on "not yet requeued": a page read and the beat task never both requeue it.
                if Travail.objects.filter(pk=travail.pk, statut=Statut.EN_ATTENTE, relance_le=None).update(
                    relance_le=maintenant
                ):
                    logger.warning("Background job %s waited too long: queued again", travail.pk)
                    pk = travail.pk
                    transaction.on_commit(lambda: _mettre_en_file(pk))
                travail.refresh_from_db()
            elif travail.relance_le is not None and maintenant - travail.relance_le > attente:
                travail_echouer(
                    travail,
                    _(
                        "The job never started: the background job service lost it (it may have restarted). "
                        "Start it again; if it happens again, tell the city's team."
                    ),
                )
                travail.refresh_from_db()
        elif travail.statut == Statut.EN_COURS and travail.commence_le is not None:
            limite = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
            if maintenant - travail.commence_le > limite:
                travail_echouer(
                    travail,
                    _("The job was interrupted (the server restarted or it took too long). Start it again."),
                )
                travail.refresh_from_db()
    return travail


def travaux_surveiller() -> int:
    """Beat: check every job still waiting or running (:func:`travail_verifier_perdu`); the number changed."""
    maintenant = timezone.now()
    attente = timedelta(seconds=settings.TRAVAUX_ATTENTE_MAX_SECONDES)
    limite = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    suspects = Travail.objects.filter(
        Q(statut=Statut.EN_ATTENTE, cree_le__lt=maintenant - attente)
        | Q(statut=Statut.EN_COURS, commence_le__lt=maintenant - limite)
    )
    changes = 0
    for travail in suspects.iterator():
        avant = (travail.statut, travail.relance_le)
        if (travail_verifier_perdu(travail).statut, travail.relance_le) != avant:
            changes += 1
    return changes


# --- Who may see a job --------------------------------------------------------------------------


def travail_visible(user, travail: Travail) -> bool:
    """City staff; the requester while they still hold a role and still cover the job's quartier or
    landlord; and, for the kinds shared with a quartier (leaflets, walk sheets), the volunteers covering
    that quartier. Checked on every read and download: a user moved elsewhere loses the documents."""
    if not user.is_authenticated or not user.is_active:
        return False
    if couvre_tout(user):
        return True
    if not roles_de(user):
        return False
    parametres = travail.parametres or {}
    if "bailleur" in parametres:
        bailleur = parametres["bailleur"]
        if not isinstance(bailleur, int) or isinstance(bailleur, bool):
            return False
        from logements.models import Bailleur

        # The landlord path only: the landlord's users who still belong to it.
        if not restreindre(Bailleur.objects.filter(pk=bailleur), user, bailleur="pk").exists():
            return False
    quartier = parametres.get("quartier")
    if quartier is None:
        return travail.demandeur_id == user.pk
    if not isinstance(quartier, int) or isinstance(quartier, bool):
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
