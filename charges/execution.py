"""The monthly run: started by beat, by city staff (after a confirmation) or from the shell; queued on
the statements' own queue; followed while it runs; resumable after a worker died.
"""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from charges import selectors
from charges.documents import releve_partie_produire
from charges.facturation import charges_generer, nombre_de_lots, rattrapages_enregistrer, releve_etablir
from charges.models import (
    Execution,
    Releve,
)
from charges.mois import mois_a_facturer, mois_courant
from charges.verrous import (
    battement_max,
    documents_rendus_ailleurs,
    verrou_des_executions,
    verrou_tenu_ailleurs,
)
from logements.models import Bailleur

logger = logging.getLogger(__name__)

# A run waiting in the queue longer than this is considered lost (the broker was emptied).
ATTENTE_MAX = datetime.timedelta(minutes=30)


class ExecutionImpossible(Exception):  # noqa: N818 — a refusal shown to the user
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class FileIndisponible(ExecutionImpossible):
    """The broker (Redis) did not take the job: nothing was started."""


# --- The run ------------------------------------------------------------------------------------


def _maj(execution: Execution, **champs) -> None:
    for nom, valeur in champs.items():
        setattr(execution, nom, valeur)
    Execution.objects.filter(pk=execution.pk).update(**champs)


def execution_avancer(execution_pk: int, pas: int = 1) -> None:
    Execution.objects.filter(pk=execution_pk).update(fait=Least(F("fait") + pas, F("total")))


def execution_echouer(execution_pk: int, message: str) -> None:
    Execution.objects.filter(
        pk=execution_pk, statut__in=[Execution.Statut.EN_ATTENTE, Execution.Statut.EN_COURS]
    ).update(statut=Execution.Statut.ECHEC, message=message, termine_le=timezone.now())


def execution_conclure(execution_pk: int) -> bool:
    """Mark a run done once no numbered statement waits for its documents any more."""
    if selectors.releves_en_attente_de_documents().exists():
        return False
    return bool(
        Execution.objects.filter(pk=execution_pk, statut=Execution.Statut.EN_COURS).update(
            statut=Execution.Statut.TERMINE, fait=F("total"), termine_le=timezone.now()
        )
    )


def message_documents_echec(releve_pk: int) -> str:
    numero = Releve.objects.filter(pk=releve_pk).values_list("numero", flat=True).first()
    return _(
        "The documents of statement %(numero)s could not be made. Start the run again: the statement "
        "keeps its number and gets its documents."
    ) % {"numero": numero or releve_pk}


def _message_interne(execution_pk: int) -> str:
    return _(
        "The run stopped on an internal error. Start it again: it will complete what is missing "
        "without charging anything twice. If it fails again, tell the technical team (run no. %(n)s)."
    ) % {"n": execution_pk}


def execution_executer(
    *,
    execution_pk: int,
    maintenant: datetime.datetime | None = None,
    documents_en_file: bool = True,
    taille_lot: int | None = None,
) -> Execution | None:
    """Run a month: charges, statements, then documents (queued, or here with ``documents_en_file=False``).

    Idempotent and resumable; a run already over is left alone.
    """
    with translation.override(settings.LANGUAGE_CODE):
        execution = Execution.objects.filter(pk=execution_pk).first()
        if execution is None or execution.fini:
            return execution

        def en_attente():
            _maj(execution, message=_("Waiting for another run to finish…"))

        with verrou_des_executions(en_attente=en_attente):
            execution.refresh_from_db()
            if execution.fini:
                return execution
            try:
                _executer(
                    execution, maintenant=maintenant, documents_en_file=documents_en_file, taille=taille_lot
                )
            except ExecutionImpossible as refus:
                execution_echouer(execution.pk, refus.message)
            except Exception:
                logger.exception("Monthly run %s failed", execution.pk)
                execution_echouer(execution.pk, _message_interne(execution.pk))
                raise
        execution.refresh_from_db()
        return execution


def _executer(execution: Execution, *, maintenant, documents_en_file: bool, taille: int | None) -> None:
    # We hold the lock: a run still marked running is one whose worker died (unless its documents are
    # still being rendered by the workers: those are finished by whichever worker stores the last part).
    for morte in Execution.objects.filter(statut=Execution.Statut.EN_COURS).exclude(pk=execution.pk):
        if not execution_vivante(morte):
            Execution.objects.filter(pk=morte.pk, statut=Execution.Statut.EN_COURS).update(
                statut=Execution.Statut.ECHEC,
                message=_("Interrupted (the worker stopped). Run no. %(n)s took over.") % {"n": execution.pk},
                termine_le=timezone.now(),
            )
    mois = execution.mois
    nb_lots = nombre_de_lots(taille)
    _maj(
        execution,
        statut=Execution.Statut.EN_COURS,
        etape=Execution.Etape.CHARGES,
        commence_le=execution.commence_le or timezone.now(),
        message="",
        fait=0,
        total=nb_lots + Bailleur.objects.count() + 1,
    )
    tarif = selectors.tarif_du_mois(mois)
    if tarif is None:
        raise ExecutionImpossible(
            _(
                "No tariff applies on the 1st of %(mois)s: record the monthly amount first "
                "(Administration → Tariffs)."
            )
            % {"mois": date_format(mois, "F Y")}
        )

    creees = charges_generer(
        mois=mois, montant=tarif.montant, taille_lot=taille, avancer=lambda: execution_avancer(execution.pk)
    )
    _maj(execution, charges_creees=F("charges_creees") + creees, etape=Execution.Etape.RELEVES)

    rattrapages = rattrapages_enregistrer()
    emis = 0
    for bailleur in selectors.bailleurs_a_facturer(mois):
        _releve, nouveau = releve_etablir(
            bailleur=bailleur, mois=mois, tarif=tarif.montant, maintenant=maintenant, par=execution.demandeur
        )
        emis += nouveau
        execution_avancer(execution.pk)
    _maj(
        execution,
        releves_emis=F("releves_emis") + emis,
        rattrapages=F("rattrapages") + rattrapages,
        etape=Execution.Etape.DOCUMENTS,
    )

    from charges import pdf

    # Every numbered statement still without its documents: this month's, and any a dead worker left.
    parties = [
        (releve.pk, numero)
        for releve in selectors.releves_en_attente_de_documents()
        for numero in range(pdf.nombre_de_parties(releve))
    ]
    execution.refresh_from_db(fields=["fait"])
    _maj(execution, total=execution.fait + len(parties) + 1, battement=timezone.now())
    if documents_en_file:
        from charges.tasks import releve_partie

        for releve_pk, numero in parties:
            mettre_en_file(releve_partie, releve_pk, numero, execution.pk)
    else:
        for releve_pk, numero in parties:
            releve_partie_produire(releve_pk=releve_pk, numero=numero)
            execution_avancer(execution.pk)
    execution_conclure(execution.pk)


# The queue of the monthly run and its statements' parts: a worker of its own serves it (docker-compose
# ``worker-releves``, ``-Q releves``), so that users' jobs on the default queue never hold it up.
FILE_RELEVES = "releves"


def mettre_en_file(tache, *args) -> None:
    """Queue ``tache`` on the statements' queue (``ipt.taches.envoyer``); if the broker does not answer,
    raise :class:`FileIndisponible`.

    Without Redis the task goes to the server's own background queue; in the tests (eager) it runs here
    and now, and its own errors propagate.
    """
    from ipt.taches import envoyer

    if tache.app.conf.task_always_eager or settings.TACHES_LOCALES:
        envoyer(tache, *args, file=FILE_RELEVES)
        return
    try:
        envoyer(tache, *args, file=FILE_RELEVES)
    except (KombuError, RedisError, OSError) as erreur:
        logger.exception("Could not queue %s%r", tache.name, args)
        raise FileIndisponible(message_file_indisponible()) from erreur


def message_file_indisponible() -> str:
    return _(
        "The background job service (Redis) does not answer: nothing was started and nothing was "
        "charged. Try again in a few minutes; if it goes on, tell the technical team."
    )


def _documents_en_cours() -> Q:
    """Runs whose workers may still be rendering documents: a sign of life within ``BATTEMENT_MAX``
    (each part task writes one when it starts and when it ends)."""
    limite = timezone.now() - battement_max()
    return Q(statut=Execution.Statut.EN_COURS, etape=Execution.Etape.DOCUMENTS, battement__gte=limite)


def execution_vivante(execution: Execution) -> bool:
    """Whether a run marked running still has a worker: writing (it holds the runs' lock), or rendering
    its documents (a worker holds its documents lock, or gave a sign of life within ``BATTEMENT_MAX``).
    A run whose worker was killed has neither: staff may resume it at once."""
    if execution.statut != Execution.Statut.EN_COURS:
        return False
    if execution.etape != Execution.Etape.DOCUMENTS:
        return connection.vendor != "postgresql" or verrou_tenu_ailleurs()
    if documents_rendus_ailleurs(execution.pk):
        return True
    return execution.battement is not None and execution.battement >= timezone.now() - battement_max()


def execution_en_cours(mois: datetime.date) -> Execution | None:
    """A run of ``mois`` waiting in the queue, writing now, or whose documents are being rendered.

    A run marked running whose worker died does not count (:func:`execution_vivante`): it no longer
    holds the lock (the database releases it with the connection), or, in its documents phase, no
    worker holds its documents lock nor gave a sign of life lately. Staff may start it again at once.
    """
    vivantes = Execution.objects.filter(
        mois=mois, statut__in=[Execution.Statut.EN_ATTENTE, Execution.Statut.EN_COURS]
    )
    attente = vivantes.filter(
        statut=Execution.Statut.EN_ATTENTE, cree_le__gte=timezone.now() - ATTENTE_MAX
    ).first()
    if attente is not None:
        return attente
    attendent = selectors.releves_en_attente_de_documents().exists()
    for en_cours in vivantes.filter(statut=Execution.Statut.EN_COURS).order_by("-pk"):
        if en_cours.etape == Execution.Etape.DOCUMENTS and not attendent:
            continue
        if execution_vivante(en_cours):
            return en_cours
    return None


def execution_verifier_mois(*, mois: datetime.date, maintenant: datetime.datetime | None = None) -> None:
    """Refuse (:class:`ExecutionImpossible`) to bill a month that is not over yet (in the city's time)."""
    mois = mois.replace(day=1)
    if mois >= mois_courant(maintenant):
        raise ExecutionImpossible(
            _("%(mois)s is not over yet: its statements are issued once it has ended.")
            % {"mois": capfirst(date_format(mois, "F Y"))}
        )


def execution_demander(
    *, mois: datetime.date, demandeur=None, maintenant: datetime.datetime | None = None
) -> Execution:
    """City staff start the run of ``mois``: recorded, then queued once committed.

    Refused for a month not over yet, or while a run of the month is under way (that one is
    returned in the refusal). If the broker does not take the job, the run is marked failed at once
    with a clear message and :class:`FileIndisponible` is raised: nothing was charged.
    """
    from charges.tasks import executer

    mois = mois.replace(day=1)
    execution_verifier_mois(mois=mois, maintenant=maintenant)
    with transaction.atomic():
        deja = execution_en_cours(mois)
        if deja is not None:
            raise ExecutionImpossible(
                _("A run of %(mois)s is already under way (no. %(n)s): follow it below.")
                % {"mois": date_format(mois, "F Y"), "n": deja.pk}
            )
        execution = Execution.objects.create(
            mois=mois, demandeur=demandeur if demandeur is not None and demandeur.is_authenticated else None
        )

        def envoyer():
            try:
                mettre_en_file(executer, execution.pk)
            except FileIndisponible as refus:
                execution_echouer(execution.pk, refus.message)
                execution.refresh_from_db()
                raise
            except Exception:
                if not executer.app.conf.task_always_eager:
                    raise
                # In-process (no Redis): the run recorded its failure, which staff read on its page.
                logger.exception("Monthly run %s failed", execution.pk)

        transaction.on_commit(envoyer)
    return execution


def execution_mensuelle(*, maintenant: datetime.datetime | None = None) -> Execution | None:
    """The beat's job, on the 1st at night: run the month before (in the city's time zone), here."""
    mois = mois_a_facturer(maintenant)
    if execution_en_cours(mois) is not None:
        logger.info("Monthly run of %s already under way: nothing to do", mois)
        return None
    execution = Execution.objects.create(mois=mois)
    return execution_executer(execution_pk=execution.pk, maintenant=maintenant)
