"""Charges and statements: the set-based charge of a month, late charges, lines, numbering and issue.

1. **charges**: one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` per chunk of dwellings, each chunk
   committed on its own; its SELECT is the SQL of the rule's QuerySet (``Logement.objects.connectes``).
2. **statements**: charges billed after their month's statement was issued become adjustments; per
   landlord, in one transaction, the statement of the month is drawn up and numbered — gap-free per
   landlord and year, the counter row locked — and its issue recorded in the audit trail.
"""

import datetime
import os
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from charges import selectors
from charges.models import (
    Charge,
    CompteurReleve,
    LigneReleve,
    Regularisation,
    Releve,
)
from ipt.journal import journaliser
from logements.models import Bailleur, Immeuble, Logement
from quartiers.models import Quartier

# Dwellings per chunk of the charge run (by primary key range). A test hook may make it tiny.
TAILLE_LOT = 50_000


def _taille_lot() -> int:
    return int(os.environ.get("CHARGES_TAILLE_LOT") or getattr(settings, "CHARGES_TAILLE_LOT", TAILLE_LOT))


def _pause_entre_lots() -> float:
    """Test hook: seconds slept after each committed chunk, so that a test can kill the worker mid-run."""
    return float(os.environ.get("CHARGES_PAUSE_LOT") or 0)


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


def releve_emettre(*, releve: Releve, maintenant: datetime.datetime | None = None, par=None) -> Releve:
    """Number and date a draft statement (its lines are frozen from then on); gap-free, under a lock.

    The issue is recorded in the audit trail, in the same transaction, by ``par`` (``None``: the beat).
    """
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
        journaliser(
            par=par,
            action="charges.releve_emettre",
            message=_("Statement %(numero)s issued to %(bailleur)s for %(mois)s: %(n)s lines, %(total)s EUR.")
            % {
                "numero": verrouille.numero,
                "bailleur": verrouille.bailleur.nom,
                "mois": date_format(verrouille.mois, "F Y"),
                "n": verrouille.nb_lignes,
                "total": verrouille.total,
            },
            objet=verrouille,
            details={
                "numero": verrouille.numero,
                "mois": verrouille.mois.isoformat(),
                "lignes": verrouille.nb_lignes,
                "total": str(verrouille.total),
            },
        )
    return verrouille


def releve_etablir(
    *, bailleur: Bailleur, mois: datetime.date, tarif, maintenant: datetime.datetime | None = None, par=None
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
        return releve_emettre(releve=releve, maintenant=maintenant, par=par), True
