"""Writes of charges and statements: the monthly run, numbering, documents, adjustments.

The monthly run (:func:`execution_executer`), for a month M, under one lock (two runs never write at
once — a PostgreSQL advisory lock, released by the database if the worker dies):

1. **charges**: one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per chunk of dwellings, each chunk
   committed on its own (PostgreSQL; an ORM path elsewhere). Running a month again adds nothing.
2. **statements**: charges billed after their month's statement was issued become adjustments for
   the landlord's next statement; then, per landlord, in one transaction: the statement of M is drawn
   up (its charges and the adjustments waiting) and numbered — gap-free per landlord and year, the
   counter row locked — or, if it was issued already, left alone.
3. **documents**: each numbered statement gets its PDF and CSV, stored with their SHA-256 (a Celery
   task per statement, so that several workers share them; in-process from the shell).

A worker killed anywhere leaves committed chunks, whole statements and numbers with no gap: the run
started again completes what is missing and duplicates nothing.
"""

import datetime
import hashlib
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Least
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from charges import selectors
from charges.models import (
    Charge,
    CompteurReleve,
    Execution,
    LigneReleve,
    Regularisation,
    Releve,
)
from charges.mois import mois_a_facturer, mois_courant
from logements.models import Bailleur, Immeuble, Logement
from quartiers.models import Quartier

logger = logging.getLogger(__name__)

# Dwellings per chunk of the charge run (by primary key range). A test hook may make it tiny.
TAILLE_LOT = 50_000
# The key of the PostgreSQL advisory lock that serialises the runs ("IPTC").
CLE_VERROU = 0x49505443
# A run waiting in the queue longer than this is considered lost (the broker was emptied).
ATTENTE_MAX = datetime.timedelta(minutes=30)
# The documents lock of a run (with the run's id as second key: "IPTD"), held by each worker while it
# renders one of the run's parts; and how long a run in its documents phase may go without a sign of
# life (the gap between two parts; seconds, setting ``CHARGES_BATTEMENT_MAX``).
CLE_DOCUMENTS = 0x49505444
BATTEMENT_MAX = 30


class ExecutionImpossible(Exception):  # noqa: N818 — a refusal shown to the user
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class FileIndisponible(ExecutionImpossible):
    """The broker (Redis) did not take the job: nothing was started."""


class RegularisationImpossible(Exception):  # noqa: N818
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


def _taille_lot() -> int:
    return int(os.environ.get("CHARGES_TAILLE_LOT") or getattr(settings, "CHARGES_TAILLE_LOT", TAILLE_LOT))


def _pause_entre_lots() -> float:
    """Test hook: seconds slept after each committed chunk, so that a test can kill the worker mid-run."""
    return float(os.environ.get("CHARGES_PAUSE_LOT") or 0)


# --- The lock -----------------------------------------------------------------------------------


@contextmanager
def verrou_des_executions(*, en_attente=None) -> Iterator[None]:
    """Hold the runs' lock (PostgreSQL session advisory lock; nothing to lock on SQLite's single process).

    ``en_attente`` is called once if another run holds it, before waiting for it.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [CLE_VERROU])
        if not cursor.fetchone()[0]:
            if en_attente is not None:
                en_attente()
            cursor.execute("SELECT pg_advisory_lock(%s)", [CLE_VERROU])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CLE_VERROU])


def verrou_tenu_ailleurs() -> bool:
    """Whether a run is writing right now (another connection holds the lock)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [CLE_VERROU])
        libre = cursor.fetchone()[0]
        if libre:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CLE_VERROU])
    return not libre


# --- 1. Charges ---------------------------------------------------------------------------------


def _bornes_logements() -> tuple[int, int] | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {Logement._meta.db_table}")  # noqa: S608
        bas, haut = cursor.fetchone()
    return None if bas is None else (bas, haut)


def nombre_de_lots(taille_lot: int | None = None) -> int:
    bornes = _bornes_logements()
    if bornes is None:
        return 0
    taille = taille_lot or _taille_lot()
    return (bornes[1] - bornes[0]) // taille + 1


def _sql_charges(mois: datetime.date, montant, debut: int, fin: int) -> tuple[str, list]:
    """The chunk's ``INSERT … SELECT``, its SELECT generated from the rule's QuerySet (one rule, no copy).

    The dwellings are ``selectors.logements_factures(mois)`` — ``Logement.objects.connectes`` on the 1st —
    with ids in [debut, fin); the SQL is Django's own for that QuerySet, wrapped in an INSERT.
    """
    choisis = (
        selectors.logements_factures(mois)
        .filter(pk__gte=debut, pk__lt=fin)
        .order_by()
        .values_list("pk", "bailleur_id")
    )
    select, params = choisis.query.sql_with_params()
    sql = f"""
        INSERT INTO {Charge._meta.db_table} (logement_id, bailleur_id, mois, montant, cree_le)
        SELECT s.id, s.bailleur_id, %s, %s, now() FROM ({select}) AS s (id, bailleur_id)
        ON CONFLICT (logement_id, mois) DO NOTHING
    """  # noqa: S608 — the table name from the model, the SELECT from the ORM, values as parameters
    return sql, [mois, montant, *params]


def _charger_lot(mois: datetime.date, montant, debut: int, fin: int, *, sql: bool) -> int:
    """Charge the dwellings of ids [debut, fin) for ``mois``; return the number of charges added."""
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(*_sql_charges(mois, montant, debut, fin))
            return cursor.rowcount
    # Elsewhere (SQLite, for the local demo), the same QuerySet through the ORM.
    logements = (
        selectors.logements_factures(mois).filter(pk__gte=debut, pk__lt=fin).exclude(charges__mois=mois)
    )
    nouvelles = [
        Charge(logement_id=pk, bailleur_id=bailleur_id, mois=mois, montant=montant)
        for pk, bailleur_id in logements.values_list("pk", "bailleur_id")
    ]
    Charge.objects.bulk_create(nouvelles, batch_size=2000, ignore_conflicts=True)
    return len(nouvelles)


def charges_generer(
    *,
    mois: datetime.date,
    montant,
    taille_lot: int | None = None,
    avancer=None,
    sql: bool | None = None,
) -> int:
    """Charge ``montant`` for ``mois`` to every dwelling the rule selects; return how many were added.

    Chunks of ``taille_lot`` dwellings (by id), each in its own transaction; ``avancer()`` after each.
    Already charged dwellings are skipped: running it again adds nothing. ``sql``: one set-based
    statement per chunk (PostgreSQL, the default there) or the ORM (elsewhere).
    """
    if sql is None:
        sql = connection.vendor == "postgresql"
    mois = mois.replace(day=1)
    bornes = _bornes_logements()
    if bornes is None:
        return 0
    taille = taille_lot or _taille_lot()
    pause = _pause_entre_lots()
    ajoutees = 0
    for debut in range(bornes[0], bornes[1] + 1, taille):
        with transaction.atomic():
            ajoutees += _charger_lot(mois, montant, debut, debut + taille, sql=sql)
        if avancer is not None:
            avancer()
        if pause:
            time.sleep(pause)
    return ajoutees


# --- 2. Statements ------------------------------------------------------------------------------


def rattrapages_enregistrer() -> int:
    """Charges billed after their month's statement was numbered become adjustments ("missed month").

    They go on the landlord's next statement, pointing to the one they complete. Returns how many.
    """
    motif = _("Dwelling charged after this statement was issued.")
    charges = Charge._meta.db_table
    releves = Releve._meta.db_table
    lignes = LigneReleve._meta.db_table
    regularisations = Regularisation._meta.db_table
    avant = Regularisation.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH tardives AS MATERIALIZED (
                SELECT c.bailleur_id, c.logement_id, c.id, c.mois, c.montant, r.id AS releve_id
                FROM {charges} c
                JOIN {releves} r ON r.bailleur_id = c.bailleur_id AND r.mois = c.mois AND r.statut <> %s
                WHERE c.montant > 0
                  AND NOT EXISTS (SELECT 1 FROM {lignes} x WHERE x.charge_id = c.id)
                  AND NOT EXISTS (SELECT 1 FROM {regularisations} g WHERE g.charge_id = c.id)
            )
            INSERT INTO {regularisations}
                (type, bailleur_id, logement_id, charge_id, mois, montant, releve_origine_id, motif, cree_le)
            SELECT %s, bailleur_id, logement_id, id, mois, montant, releve_id, %s, CURRENT_TIMESTAMP
            FROM tardives
            """,  # noqa: S608 — the rows to add are read in full before any is written (MATERIALIZED)
            [Releve.Statut.BROUILLON.value, Regularisation.Type.RATTRAPAGE.value, motif],
        )
    # SQLite does not count the rows of an INSERT that starts with WITH.
    return Regularisation.objects.count() - avant


def _inserer_lignes(releve: Releve) -> None:
    """Draw up a draft's lines: its month's charges, then the adjustments waiting for this landlord.

    Each line keeps the dwelling as it is now (reference, building, stairwell, floor, door).
    """
    t = {
        "lignes": LigneReleve._meta.db_table,
        "charges": Charge._meta.db_table,
        "regularisations": Regularisation._meta.db_table,
        "logements": Logement._meta.db_table,
        "immeubles": Immeuble._meta.db_table,
        "quartiers": Quartier._meta.db_table,
    }
    colonnes = (
        "releve_id, nature, charge_id, regularisation_id, logement_id, mois, quartier, immeuble_reference,"
        " immeuble_adresse, reference, cage, etage, porte, montant, releve_origine_id, motif"
    )
    lieu = f"""
        JOIN {t["logements"]} l ON l.id = c.logement_id
        JOIN {t["immeubles"]} i ON i.id = l.immeuble_id
        JOIN {t["quartiers"]} q ON q.id = i.quartier_id
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {t["lignes"]} ({colonnes})
            SELECT %(releve)s, 'charge', c.id, NULL, c.logement_id, c.mois, q.nom, i.reference,
                   i.adresse, l.reference, l.cage, l.etage, l.porte, c.montant, NULL, ''
            FROM {t["charges"]} c {lieu}
            WHERE c.bailleur_id = %(bailleur)s AND c.mois = %(mois)s
              AND NOT EXISTS (SELECT 1 FROM {t["regularisations"]} g WHERE g.charge_id = c.id)
            """,  # noqa: S608 — no "not on a line yet": the month's charges are on no other statement
            {"releve": releve.pk, "bailleur": releve.bailleur_id, "mois": releve.mois},
        )
        cursor.execute(
            f"""
            WITH en_attente AS MATERIALIZED (
                SELECT c.id FROM {t["regularisations"]} c
                JOIN {Releve._meta.db_table} o ON o.id = c.releve_origine_id
                WHERE c.bailleur_id = %(bailleur)s AND o.mois < %(mois)s
                  AND NOT EXISTS (SELECT 1 FROM {t["lignes"]} x WHERE x.regularisation_id = c.id)
            )
            INSERT INTO {t["lignes"]} ({colonnes})
            SELECT %(releve)s, 'regularisation', NULL, c.id, c.logement_id, c.mois, q.nom, i.reference,
                   i.adresse, l.reference, l.cage, l.etage, l.porte, c.montant, c.releve_origine_id, c.motif
            FROM en_attente a JOIN {t["regularisations"]} c ON c.id = a.id {lieu}
            """,  # noqa: S608 — read in full before any line is written (MATERIALIZED)
            {"releve": releve.pk, "bailleur": releve.bailleur_id, "mois": releve.mois},
        )


def numero_prendre(*, bailleur: Bailleur, annee: int) -> int:
    """The next number of ``bailleur`` for ``annee``, the counter row locked until the transaction ends.

    Call it inside the transaction that stores the number: if it rolls back, the number is not used.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numero_prendre must run inside the transaction that stores the number")
    CompteurReleve.objects.bulk_create(
        [CompteurReleve(bailleur=bailleur, annee=annee)], ignore_conflicts=True
    )
    compteur = CompteurReleve.objects.select_for_update().get(bailleur=bailleur, annee=annee)
    compteur.dernier += 1
    compteur.save(update_fields=["dernier"])
    return compteur.dernier


def releve_emettre(*, releve: Releve, maintenant: datetime.datetime | None = None) -> Releve:
    """Number and date a draft statement (its lines are frozen from then on); gap-free, under a lock."""
    with transaction.atomic():
        verrouille = Releve.objects.select_for_update().select_related("bailleur").get(pk=releve.pk)
        if verrouille.statut != Releve.Statut.BROUILLON:
            return verrouille
        emis_le = timezone.localdate(maintenant or timezone.now())
        rang = numero_prendre(bailleur=verrouille.bailleur, annee=emis_le.year)
        agregat = verrouille.lignes.aggregate(total=Sum("montant"), nb=Count("pk"))
        verrouille.annee, verrouille.rang, verrouille.emis_le = emis_le.year, rang, emis_le
        verrouille.numero = f"{verrouille.bailleur.code}-{emis_le.year}-{rang:04d}"
        verrouille.total = agregat["total"] or 0
        verrouille.nb_lignes = agregat["nb"]
        verrouille.statut = Releve.Statut.EMISSION
        verrouille.save()
    return verrouille


def releve_etablir(
    *, bailleur: Bailleur, mois: datetime.date, tarif, maintenant: datetime.datetime | None = None
) -> tuple[Releve | None, bool]:
    """Draw up and number the statement of ``bailleur`` for ``mois``, in one transaction.

    Returns (statement, whether it was numbered now). A statement already numbered is left as it is;
    with nothing to bill, no statement is made.
    """
    with transaction.atomic():
        releve = Releve.objects.select_for_update().filter(bailleur=bailleur, mois=mois).first()
        if releve is not None and releve.fige:
            return releve, False
        if releve is None:
            releve = Releve.objects.create(bailleur=bailleur, mois=mois, tarif=tarif)
        else:  # a draft left by a run that stopped: drawn up again from scratch
            releve.lignes.all().delete()
            releve.tarif = tarif
            releve.save(update_fields=["tarif"])
        _inserer_lignes(releve)
        if not releve.lignes.exists():
            releve.delete()
            return None, False
        return releve_emettre(releve=releve, maintenant=maintenant), True


def bailleurs_a_facturer(mois: datetime.date) -> list[Bailleur]:
    """Landlords with charges for ``mois``, or adjustments waiting for a statement after their origin."""
    avec_charges = Charge.objects.filter(mois=mois).values("bailleur_id")
    en_attente = Regularisation.objects.filter(ligne__isnull=True, releve_origine__mois__lt=mois).values(
        "bailleur_id"
    )
    return list(Bailleur.objects.filter(Q(pk__in=avec_charges) | Q(pk__in=en_attente)).order_by("code"))


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


def releve_assembler(*, releve_pk: int) -> bool:
    """Join the parts of a statement if all are stored, write its CSV, store both; mark it issued.

    Safe under concurrent workers: the statement's row is locked *before* its parts are looked at, so
    the worker that issues it — and then removes the parts, after its commit — is the only one reading
    them; a second worker waits for the lock, finds the statement issued, and stops (no part read).
    """
    from charges import pdf
    from charges.exports import releve_csv
    from charges.fusion_pdf import fusionner

    if not Releve.objects.filter(pk=releve_pk, statut=Releve.Statut.EMISSION).exists():
        return False
    stockage = Releve.pdf.field.storage
    with transaction.atomic():
        verrouille = (
            Releve.objects.select_for_update().select_related("bailleur").filter(pk=releve_pk).first()
        )
        if verrouille is None or verrouille.statut != Releve.Statut.EMISSION:
            return False
        pages = pdf.pages_du_releve(verrouille)
        noms = [_nom_partie(releve_pk, numero) for numero in range(len(pdf.parties(pages)))]
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
    for bailleur in bailleurs_a_facturer(mois):
        _releve, nouveau = releve_etablir(
            bailleur=bailleur, mois=mois, tarif=tarif.montant, maintenant=maintenant
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
    limite = timezone.now() - _battement_max()
    return Q(statut=Execution.Statut.EN_COURS, etape=Execution.Etape.DOCUMENTS, battement__gte=limite)


def _battement_max() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "CHARGES_BATTEMENT_MAX", BATTEMENT_MAX))


def _cle_documents(execution_pk: int) -> tuple[int, int]:
    return CLE_DOCUMENTS, execution_pk


@contextmanager
def documents_travail(execution_pk: int | None) -> Iterator[None]:
    """A worker renders a part of run ``execution_pk``: it holds the run's documents lock (shared: every
    worker at once) and writes a sign of life before and after. A worker that dies leaves neither: the
    database drops its lock with its connection, and the run can be resumed at once."""
    if execution_pk is None:
        yield
        return
    Execution.objects.filter(pk=execution_pk).update(battement=timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock_shared(%s, %s)", _cle_documents(execution_pk))
    try:
        yield
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock_shared(%s, %s)", _cle_documents(execution_pk))
        Execution.objects.filter(pk=execution_pk).update(battement=timezone.now())


def documents_rendus_ailleurs(execution_pk: int) -> bool:
    """Whether a worker is rendering a part of run ``execution_pk`` right now (holds its lock)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _cle_documents(execution_pk))
        libre = cursor.fetchone()[0]
        if libre:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _cle_documents(execution_pk))
    return not libre


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
    return execution.battement is not None and execution.battement >= timezone.now() - _battement_max()


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


# --- Adjustments --------------------------------------------------------------------------------


def regularisation_creer(
    *, releve: Releve, reference: str, type: str, motif: str, user=None
) -> Regularisation:
    """Record an adjustment of an issued statement, for the landlord's next statement.

    ``annulation``: the charge of the dwelling ``reference`` on this statement was billed wrongly.
    ``rattrapage``: the dwelling ``reference`` was missed for this statement's month: it is charged now.
    """
    reference = (reference or "").strip()
    motif = (motif or "").strip()
    if not motif:
        raise RegularisationImpossible(_("Give the reason for the adjustment: the landlord will read it."))
    if not releve.fige:
        raise RegularisationImpossible(
            _("This statement is not issued yet: run its month again instead of adjusting it.")
        )
    with transaction.atomic():
        logement = Logement.objects.filter(bailleur_id=releve.bailleur_id, reference=reference).first()
        if logement is None:
            raise RegularisationImpossible(
                _("No dwelling of this landlord has the reference “%(ref)s”.") % {"ref": reference[:30]}
            )
        if type == Regularisation.Type.ANNULATION:
            charge = Charge.objects.filter(logement=logement, mois=releve.mois).first()
            if charge is None or charge.montant == 0:
                raise RegularisationImpossible(
                    _("Dwelling “%(ref)s” is not charged for %(mois)s: there is nothing to cancel.")
                    % {"ref": reference, "mois": date_format(releve.mois, "F Y")}
                )
            montant = -charge.montant
        elif type == Regularisation.Type.RATTRAPAGE:
            tarif = selectors.tarif_du_mois(releve.mois)
            if tarif is None or tarif.montant <= 0:
                raise RegularisationImpossible(_("No tariff applies to this month."))
            try:
                with transaction.atomic():
                    charge = Charge.objects.create(
                        logement=logement,
                        bailleur_id=releve.bailleur_id,
                        mois=releve.mois,
                        montant=tarif.montant,
                    )
            except IntegrityError:
                raise RegularisationImpossible(
                    _("Dwelling “%(ref)s” is already charged for %(mois)s.")
                    % {"ref": reference, "mois": date_format(releve.mois, "F Y")}
                ) from None
            montant = tarif.montant
        else:
            raise RegularisationImpossible(_("Choose the kind of adjustment."))
        try:
            with transaction.atomic():
                return Regularisation.objects.create(
                    type=type,
                    bailleur_id=releve.bailleur_id,
                    logement=logement,
                    charge=charge,
                    mois=releve.mois,
                    montant=montant,
                    releve_origine=releve,
                    motif=motif[:255],
                    cree_par=user if user is not None and user.is_authenticated else None,
                )
        except IntegrityError:
            raise RegularisationImpossible(
                _("This charge has already been cancelled by an earlier adjustment.")
            ) from None
