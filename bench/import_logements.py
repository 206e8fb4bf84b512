"""Importing a landlord's dwelling list: rows/s end to end on PostgreSQL, beside plain Python reading and
checking the same file and PostgreSQL's COPY of the same rows alone, in the same run; peak memory.

The data belongs to a landlord of its own (code BENCHIMP) and is removed afterwards.
"""

import csv
import datetime
import gc
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.db import connection, transaction

from logements.importation import importer_logements
from logements.models import Bailleur, Immeuble, Logement
from quartiers.models import Quartier

TITRE = "Importing a landlord's dwelling list (CSV, XLSX and ODS, PostgreSQL)"
CODE = "BENCHIMP"
TAILLES = (6_000, 100_000)
PAR_IMMEUBLE = 60
ENTETE = "reference;immeuble;cage;etage;porte;type;raccorde_depuis;sorti_le"
BUT = 20_000  # rows/s end to end


def run(rapport) -> None:
    _nettoyer()
    bailleur = _preparer(max(TAILLES) // PAR_IMMEUBLE + 1)
    try:
        with tempfile.TemporaryDirectory() as dossier:
            petit, grand = (_mesurer(rapport, Path(dossier), bailleur, n) for n in TAILLES)
        rapport.mesure(
            f"peak Python memory of an import, {TAILLES[1]:,} rows",
            f"{grand / 1e6:.1f} MB",
            base=f"{petit / 1e6:.1f} MB at {TAILLES[0]:,} rows",
            ratio=f"× {grand / petit:.2f} for × {TAILLES[1] / TAILLES[0]:.0f} rows",
            but="flat as the file grows",
        )
        rapport.note(
            "End to end: reading the file, checking every row, COPY into a temporary table, finding "
            "duplicates, then one UPDATE of the changed rows and one INSERT of the new ones, committed. "
            "Best of 3 runs (XLSX and ODS, read by python-calamine: best of 2); memory by tracemalloc "
            "(Python heap) during a first import of the CSV."
        )
    finally:
        _nettoyer()


def _mesurer(rapport, dossier: Path, bailleur: Bailleur, n: int) -> int:
    """Measure the imports of n rows; return the peak memory of one."""
    chemin = _generer(dossier / f"logements-{n}.csv", n)
    python = _meilleur(lambda: _chrono(lambda: _python_seul(chemin)))
    copie = _meilleur(lambda: _chrono(lambda: _copie_seule(chemin)))
    rapport.mesure(f"plain Python reading and checking, {n:,} rows", _debit(n, python))
    rapport.mesure(
        f"PostgreSQL COPY of the same rows into a temp table alone, {n:,} rows",
        f"{copie:.3f} s ({_debit(n, copie)})",
    )

    duree_csv = _meilleur(lambda: _premier_import(chemin, bailleur, n))
    _mesure_import(rapport, f"first import, {n:,} rows (all created)", n, duree_csv, python)

    duree = _meilleur(lambda: _chrono(lambda: _importer(chemin, bailleur, inchanges=n)))
    _mesure_import(rapport, f"re-import of the same file, {n:,} rows (nothing changes)", n, duree, python)

    change = _generer(dossier / f"logements-{n}-v2.csv", n, changes=n // 100)
    duree = _meilleur(lambda: _import_change(chemin, change, bailleur, n))
    _mesure_import(rapport, f"import with 1 % of rows changed, {n:,} rows", n, duree, python)

    xlsx = _generer_xlsx(dossier / f"logements-{n}.xlsx", chemin)
    duree = _meilleur(lambda: _premier_import(xlsx, bailleur, n), fois=2)
    _mesure_tableur(rapport, f"first import from XLSX, {n:,} rows (python-calamine)", n, duree, duree_csv)

    ods = _generer_ods(dossier / f"logements-{n}.ods", chemin)
    duree = _meilleur(lambda: _premier_import(ods, bailleur, n), fois=2)
    _mesure_tableur(rapport, f"first import from ODS, {n:,} rows (python-calamine)", n, duree, duree_csv)

    _vider(bailleur)
    return _pic_memoire(chemin, bailleur)


def _mesure_import(rapport, nom: str, n: int, duree: float, python: float) -> None:
    debit = n / duree
    rapport.mesure(
        nom,
        f"{_debit(n, duree)} ({duree:.2f} s)",
        base=f"Python alone {_debit(n, python)}",
        ratio=f"{duree / python:.0f}× Python's time",
        but=f"≥ {BUT:,} rows/s {'✓' if debit >= BUT else '✗'}",
    )


def _mesure_tableur(rapport, nom: str, n: int, duree: float, duree_csv: float) -> None:
    """A spreadsheet's first import beside the CSV's first import of the same rows in the same run."""
    rapport.mesure(
        nom,
        f"{_debit(n, duree)} ({duree:.2f} s)",
        base=f"CSV first import {_debit(n, duree_csv)} ({duree_csv:.2f} s)",
        ratio=f"{duree / duree_csv:.2f}× the CSV's time",
        but=f"≥ {BUT:,} rows/s {'✓' if n / duree >= BUT else '✗'}",
    )


def _debit(n: int, duree: float) -> str:
    return f"{n / duree:,.0f} rows/s"


def _meilleur(fonction, fois: int = 3) -> float:
    """The best time of ``fois`` runs; ``fonction`` returns its own time."""
    return min(fonction() for _i in range(fois))


def _chrono(fonction) -> float:
    gc.collect()
    debut = time.perf_counter()
    fonction()
    return time.perf_counter() - debut


def _premier_import(chemin: Path, bailleur: Bailleur, n: int) -> float:
    _vider(bailleur)
    return _chrono(lambda: _importer(chemin, bailleur, crees=n))


def _import_change(chemin: Path, change: Path, bailleur: Bailleur, n: int) -> float:
    _importer(chemin, bailleur)  # back to the first version
    return _chrono(lambda: _importer(change, bailleur, modifies=n // 100))


def _importer(chemin: Path, bailleur: Bailleur, **attendu):
    resultat = importer_logements(fichier=chemin, bailleur=bailleur, dry_run=False, user=None)
    _verifier(resultat.valide and all(getattr(resultat, k) == v for k, v in attendu.items()), resultat)
    return resultat


def _verifier(condition: bool, resultat) -> None:
    if not condition:
        raise RuntimeError(
            f"Unexpected import result: {resultat.bilan} {[str(e) for e in resultat.erreurs[:5]]}"
        )


def _pic_memoire(chemin: Path, bailleur: Bailleur) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        _importer(chemin, bailleur)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- Data -----------------------------------------------------------------------------------------


def _preparer(nb_immeubles: int) -> Bailleur:
    with transaction.atomic():
        quartier = Quartier.objects.create(nom="Quartier du banc d’essai (import)")
        bailleur = Bailleur.objects.create(nom="Bailleur du banc d’essai (import)", code=CODE)
        Immeuble.objects.bulk_create(
            Immeuble(
                quartier=quartier,
                bailleur=bailleur,
                reference=f"IMM{i:04d}",
                adresse=f"{i} rue de l’Essai, 29200 Brest",
                cages="A, B, C, D",
            )
            for i in range(nb_immeubles)
        )
    return bailleur


def _generer(chemin: Path, n: int, *, changes: int = 0) -> Path:
    """n dwellings, 60 per building; the first ``changes`` rows get another door."""
    with open(chemin, "w", encoding="utf-8", newline="") as sortie:
        sortie.write(ENTETE + "\n")
        for i in range(n):
            porte = f"{i % 8 + 1}{'b' if i < changes else ''}"
            debut = datetime.date(2009 + i % 12, 1 + i % 12, 1 + i % 28)
            fin = f"{datetime.date(2023, 6, 30):%d/%m/%Y}" if i % 50 == 0 else ""
            sortie.write(
                f"LOG{i:07d};IMM{i // PAR_IMMEUBLE:04d};{'ABCD'[i % 4]};{i % 12};{porte};"
                f"T{1 + i % 6};{debut:%d/%m/%Y};{fin}\n"
            )
    return chemin


def _generer_xlsx(chemin: Path, source: Path) -> Path:
    from openpyxl import Workbook

    classeur = Workbook(write_only=True)
    feuille = classeur.create_sheet()
    for ligne in _lignes_tableur(source):
        feuille.append(ligne)
    classeur.save(chemin)
    return chemin


def _lignes_tableur(source: Path):
    """The CSV's rows as a spreadsheet holds them: numbers as numbers, dates as dates."""
    with open(source, encoding="utf-8", newline="") as entree:
        lecteur = csv.reader(entree, delimiter=";")
        yield next(lecteur)
        for ref, imm, cage, etage, porte, type_, debut, fin in lecteur:
            j, m, a = debut.split("/")
            yield [
                ref,
                imm,
                cage,
                int(etage),
                porte,
                type_,
                datetime.date(int(a), int(m), int(j)),
                datetime.date(2023, 6, 30) if fin else None,
            ]


def _generer_ods(chemin: Path, source: Path) -> Path:
    from tests.tableurs import ecrire_ods

    ecrire_ods(chemin, _lignes_tableur(source))
    return chemin


def _vider(bailleur: Bailleur) -> None:
    with connection.cursor() as curseur:
        curseur.execute(f"DELETE FROM {Logement._meta.db_table} WHERE bailleur_id = %s", [bailleur.pk])  # noqa: S608
        curseur.execute(f"VACUUM ANALYZE {Logement._meta.db_table}")


def _nettoyer() -> None:
    bailleur = Bailleur.objects.filter(code=CODE).first()
    if bailleur is None:
        return
    _vider(bailleur)
    quartiers = list(Immeuble.objects.filter(bailleur=bailleur).values_list("quartier", flat=True).distinct())
    Immeuble.objects.filter(bailleur=bailleur).delete()
    bailleur.delete()
    Quartier.objects.filter(pk__in=quartiers).delete()


# --- Baselines ------------------------------------------------------------------------------------


def _python_seul(chemin: Path) -> int:
    """Plain Python: csv module, the same checks on each row (lengths, building, floor, dates, type,
    duplicates), no database."""
    immeubles = {f"IMM{i:04d}" for i in range(max(TAILLES) // PAR_IMMEUBLE + 1)}
    types = {"T1", "T2", "T3", "T4", "T5", "T6", "autre"}
    vues, erreurs = set(), 0

    def date(texte):
        if not texte:
            return None
        j, m, a = texte.split("/")
        return datetime.date(int(a), int(m), int(j))

    with open(chemin, encoding="utf-8", newline="") as entree:
        lecteur = csv.reader(entree, delimiter=";")
        next(lecteur)
        for ref, imm, cage, etage, porte, type_, debut, fin in lecteur:
            ref, cage, porte = ref.strip(), cage.strip(), porte.strip()
            if not ref or len(ref) > 30 or len(cage) > 10 or len(porte) > 10 or ref in vues:
                erreurs += 1
            vues.add(ref)
            if imm.strip() not in immeubles or type_ not in types or not -5 <= int(etage) <= 60:
                erreurs += 1
            d, f = date(debut), date(fin)
            if f and (d is None or f < d):
                erreurs += 1
    return erreurs


def _copie_seule(chemin: Path) -> None:
    """PostgreSQL's COPY of the same file into a temporary table, nothing else."""
    with transaction.atomic(), connection.cursor() as curseur:
        curseur.execute(
            "CREATE TEMPORARY TABLE banc_copie (reference varchar(30), immeuble varchar(30),"
            " cage varchar(10), etage smallint, porte varchar(10), type varchar(5),"
            " raccorde_depuis date, sorti_le date)"
            " ON COMMIT DROP"
        )
        curseur.execute("SET LOCAL datestyle = 'ISO, DMY'")
        with open(chemin, encoding="utf-8") as entree:
            curseur.cursor.copy_expert(
                "COPY banc_copie FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)", entree
            )
        transaction.set_rollback(True)
