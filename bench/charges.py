"""The monthly charge run and the landlords' statements, on PostgreSQL.

Each city size runs in a database of its own, created for the run and dropped afterwards
(``<bench database>_charges_<size>``), in a child process (``python -m bench.charges <size>``): the
demo city of ``demo.ville.construire_ville`` at 6,000 and 500,000 dwellings.

1. **The charge run** (``charges.services.charges_generer``: set-based ``INSERT … SELECT … ON CONFLICT
   DO NOTHING`` in chunks of 50,000 dwellings, each committed, under the runs' advisory lock, progress
   written after each chunk), for October 2026, every dwelling connected. Baselines in the same run:
   one bare ``INSERT … SELECT … ON CONFLICT DO NOTHING`` of the same rows into the same table, and (at
   6,000) a plain one-row-at-a-time ORM loop (``get_or_create`` per dwelling: insert if absent, as the
   run must). Each is measured twice, the month's rows deleted and the
   table vacuumed in between; the best time counts. Also: the same run again (nothing to add), and the
   statements drawn up and numbered (one per landlord, lines copied by SQL).
2. **Statement rendering** (6,000 dwellings, five landlords): ``charges.pdf.releve_pdf`` (query, Python
   pagination, template, WeasyPrint in parts of 8 pages, joined) in pages per second, beside WeasyPrint
   alone rendering the same finished HTML of the same parts and writing the PDF. Then every statement's
   PDF, CSV and SHA-256, on one process and on two (as two Celery workers: separate processes, each its
   own database connection, largest statements first), wall time, and the peak memory of a worker.
"""

import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

TITRE = "Monthly charge run and landlords’ statements (PostgreSQL)"
# BENCH_CHARGES_TAILLES=6000 measures the small city only (a quick look).
TAILLES = tuple(int(t) for t in os.environ.get("BENCH_CHARGES_TAILLES", "6000,500000").split(","))
MOIS = date(2026, 10, 1)
MONTANT = Decimal("1.18")
EMISSION = datetime(2026, 11, 1, 3, 30, tzinfo=ZoneInfo("Europe/Paris"))
PREFIXE_RESULTAT = "RESULTATS "


# --- The parent: one child process and one fresh database per size -------------------------------


def run(rapport) -> None:
    from django.conf import settings

    resultats = {}
    for taille in TAILLES:
        nom = f"{settings.DATABASES['default']['NAME']}_charges_{taille}"
        url = _url_base(nom)
        _sql_maintenance(f'DROP DATABASE IF EXISTS "{nom}"')
        _sql_maintenance(f'CREATE DATABASE "{nom}"')
        try:
            debut = time.monotonic()
            sortie = subprocess.run(  # noqa: S603 — this interpreter, this module
                [sys.executable, "-m", "bench.charges", str(taille)],
                env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ipt.settings_bench"},
                capture_output=True,
                text=True,
                check=False,
                cwd=settings.BASE_DIR,
            )
            lignes = [lg for lg in sortie.stdout.splitlines() if lg.startswith(PREFIXE_RESULTAT)]
            if sortie.returncode or not lignes:
                rapport.note(
                    f"**{taille:,} dwellings: the measure failed.**\n\n```\n{sortie.stderr[-3000:]}\n```"
                )
                continue
            resultats[taille] = json.loads(lignes[-1][len(PREFIXE_RESULTAT) :])
            resultats[taille]["duree_totale"] = time.monotonic() - debut
        finally:
            _sql_maintenance(f'DROP DATABASE IF EXISTS "{nom}"')
    _rapporter(rapport, resultats)


def _url_base(nom: str) -> str:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/ipt_bench"
    morceaux = urlsplit(url)
    return urlunsplit(morceaux._replace(path=f"/{nom}"))


def _sql_maintenance(sql: str) -> None:
    """CREATE/DROP DATABASE, from the maintenance database, outside any transaction."""
    import psycopg2
    from django.conf import settings

    reglages = settings.DATABASES["default"]
    connexion = psycopg2.connect(
        dbname="postgres",
        user=reglages["USER"] or None,
        password=reglages["PASSWORD"] or None,
        host=reglages["HOST"] or None,
        port=reglages["PORT"] or None,
    )
    connexion.autocommit = True
    try:
        with connexion.cursor() as cursor:
            if sql.startswith("DROP"):
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                    "pg_backend_pid()",
                    [sql.split('"')[1]],
                )
            cursor.execute(sql)
    finally:
        connexion.close()


def _s(secondes: float) -> str:
    return f"{secondes:.2f} s" if secondes < 100 else f"{secondes:.0f} s"


def _rapporter(rapport, resultats: dict) -> None:
    for taille, r in resultats.items():
        run_, nu = r["run"], r["sql_nu"]
        but = "< 0.5 s" if taille <= 6_000 else "< 10 s and ≤ 3× bare SQL"
        ok = run_ < 0.5 if taille <= 6_000 else (run_ < 10 and run_ <= 3 * nu)
        rapport.mesure(
            f"charge run, {taille:,} dwellings ({r['charges']:,} charges, {r['lots']} chunks)",
            _s(run_),
            base=f"bare INSERT … SELECT … ON CONFLICT: {_s(nu)}",
            ratio=f"{run_ / nu:.2f}×",
            but=f"{but} {'✓' if ok else '✗'}",
        )
        if "boucle_orm" in r:
            boucle = r["boucle_orm"]
            rapport.mesure(
                f"charge run vs one-row-at-a-time ORM loop, {taille:,} dwellings",
                _s(run_),
                base=f"ORM loop (get_or_create per dwelling): {_s(boucle)}",
                ratio=f"{boucle / run_:.0f}× faster",
                but=f"≥ 50× faster {'✓' if boucle / run_ >= 50 else '✗'}",
            )
        rapport.mesure(f"same month run again (adds nothing), {taille:,} dwellings", _s(r["relance"]))
        rapport.mesure(
            f"statements drawn up and numbered, {taille:,} dwellings ({r['nb_releves']} landlords)",
            _s(r["releves"]),
        )
        rapport.note(
            f"{taille:,} dwellings: city built in {r['ville']:.0f} s; the whole measure took "
            f"{r['duree_totale']:.0f} s."
        )
        if "rendu" not in r:
            continue
        rendu = r["rendu"]
        rapport.mesure(
            f"statement PDF rendering, {rendu['pages']} pages ({rendu['lignes']:,} lines)",
            f"{rendu['pages_s']:.1f} pages/s",
            base=f"WeasyPrint alone, same HTML: {rendu['base_pages_s']:.1f} pages/s",
            ratio=f"{rendu['pages_s'] / rendu['base_pages_s']:.2f}",
            but=f"≥ 0.8 {'✓' if rendu['pages_s'] / rendu['base_pages_s'] >= 0.8 else '✗'}",
        )
        un, deux = rendu["un_worker"], rendu["deux_workers"]
        rapport.mesure(
            f"all {rendu['nb']} statements (PDF + CSV + SHA-256), {taille:,} dwellings, wall time",
            f"2 workers: {_s(deux)}",
            base=f"1 worker: {_s(un)}",
            ratio=f"{un / deux:.2f}× faster",
            but=f"< 10 s on 2 workers {'✓' if deux < 10 else '✗'}",
        )
        rapport.mesure(
            "peak memory of a rendering worker",
            f"{rendu['memoire_max_kio'] / 1024:.0f} MiB",
            base=f"per-child limit: {rendu['limite_kio'] / 1024:.0f} MiB",
            but=f"bounded {'✓' if rendu['memoire_max_kio'] < rendu['limite_kio'] else '✗'}",
        )
        rapport.note(
            f"Statements of {taille:,} dwellings: {rendu['detail']}. A statement is cut in Python into pages "
            "of fixed rows (so that page numbers and totals carried forward are known before rendering), "
            f"then rendered in parts of 8 pages ({rendu['parties']} parts), each part a task any worker "
            "takes; the worker storing a statement's last part joins them (charges.fusion_pdf, pikepdf), "
            "writes the CSV and stores both with their SHA-256. “WeasyPrint alone” renders the same "
            "finished HTML of the same parts and joins them with WeasyPrint's own document API. The "
            "workers here are "
            "processes running what the Celery task runs (October's statements on one, November's on "
            f"two); the machine has {os.cpu_count()} cores and the figures move with its load (load average "
            f"{os.getloadavg()[0]:.1f} when this measure ended)."
        )


# --- The child: one city size, in its own database ------------------------------------------------


def _verifier(condition: bool, message: str) -> None:
    if not condition:
        raise RuntimeError(message)


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat


def _vider_le_mois() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM charges_charge WHERE mois = %s", [MOIS])
        cursor.execute("VACUUM ANALYZE charges_charge")
    _point_de_controle()


def _point_de_controle() -> None:
    """Write the dirty pages out now, so that no measure pays for the writes of the one before."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


SQL_NU = """
    INSERT INTO charges_charge (logement_id, bailleur_id, mois, montant, cree_le)
    SELECT l.id, l.bailleur_id, %(mois)s, %(montant)s, now()
    FROM logements_logement l
    WHERE l.connecte_depuis <= %(mois)s AND (l.sorti_le IS NULL OR l.sorti_le >= %(mois)s)
    ON CONFLICT (logement_id, mois) DO NOTHING
"""


def _sql_nu() -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(SQL_NU, {"mois": MOIS, "montant": MONTANT})
        return cursor.rowcount


def _execution_des_charges() -> int:
    """The run's charge step as the run does it: lock, progress after each chunk, chunks committed."""
    from charges import services
    from charges.models import Execution

    execution = Execution.objects.create(mois=MOIS, statut=Execution.Statut.EN_COURS)
    Execution.objects.filter(pk=execution.pk).update(total=services.nombre_de_lots() + 1)
    with services.verrou_des_executions():
        return services.charges_generer(
            mois=MOIS, montant=MONTANT, avancer=lambda: services.execution_avancer(execution.pk)
        )


def _boucle_orm() -> int:
    from charges import selectors
    from charges.models import Charge

    n = 0
    for logement in selectors.logements_factures(MOIS).order_by("pk"):
        # Insert if absent, as the run does (a month run twice must add nothing).
        _, creee = Charge.objects.get_or_create(
            logement=logement, mois=MOIS, defaults={"bailleur_id": logement.bailleur_id, "montant": MONTANT}
        )
        n += creee
    return n


def _releves(mois: date = MOIS) -> list[int]:
    """The month's statements drawn up and numbered (one transaction per landlord)."""
    from charges import services

    pks = []
    for bailleur in services.bailleurs_a_facturer(mois):
        releve, _ = services.releve_etablir(bailleur=bailleur, mois=mois, tarif=MONTANT, maintenant=EMISSION)
        pks.append(releve.pk)
    return pks


def mesurer(taille: int) -> dict:

    from charges.models import Charge, Tarif
    from demo.ville import construire_ville

    r: dict = {}
    r["ville"], _ = _chrono(lambda: construire_ville(taille))
    Tarif.objects.get_or_create(applicable_du=date(2019, 1, 1), defaults={"montant": MONTANT})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _point_de_controle()

    from charges import services

    r["lots"] = services.nombre_de_lots()
    runs, nus = [], []
    for _ in range(2):
        _vider_le_mois()
        duree, n = _chrono(_sql_nu)
        nus.append(duree)
        _vider_le_mois()
        duree, r["charges"] = _chrono(_execution_des_charges)
        runs.append(duree)
        _verifier(n == r["charges"] == Charge.objects.filter(mois=MOIS).count(), "charges differ")
    r["run"], r["sql_nu"] = min(runs), min(nus)
    r["relance"], ajoutees = _chrono(_execution_des_charges)
    _verifier(ajoutees == 0, "the second run added charges")
    if taille <= 6_000:
        _vider_le_mois()
        r["boucle_orm"], n = _chrono(_boucle_orm)
        _verifier(n == r["charges"], "the ORM loop charged other rows")

    _point_de_controle()
    r["releves"], pks = _chrono(_releves)
    r["nb_releves"] = len(pks)
    if taille <= 6_000:
        r["rendu"] = _mesurer_rendu(pks)
    return r


def _mesurer_rendu(pks: list[int]) -> dict:
    import multiprocessing

    from django.conf import settings
    from django.db import connections
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from charges import pdf
    from charges.models import Releve
    from ipt.pdf import ORIGINE, FetcherStatique, assemble_pdf

    releves = sorted(
        Releve.objects.select_related("bailleur").filter(pk__in=pks),
        key=lambda rel: rel.nb_lignes,
        reverse=True,
    )
    pdf.releve_pdf(releves[-1])  # warm up WeasyPrint (fonts, stylesheet) once, as a running worker is
    nos_pages = nos_secondes = base_secondes = 0
    for releve in releves:
        pages = pdf.pages_du_releve(releve)
        contexte = pdf.contexte_releve(releve, pages)
        html = [render_to_string(pdf.GABARIT_RELEVE, {**contexte, "pages": p}) for p in pdf.parties(pages)]

        def weasyprint_seul(html=html):
            documents = [
                HTML(string=h, base_url=ORIGINE + "/", url_fetcher=FetcherStatique()).render() for h in html
            ]
            return assemble_pdf(documents)

        base_secondes += min(_chrono(weasyprint_seul)[0] for _ in range(2))
        nos_secondes += min(_chrono(lambda releve=releve: pdf.releve_pdf(releve))[0] for _ in range(2))
        nos_pages += len(pages)

    # The real documents step of a run: every part of every statement (largest first), each stored,
    # the last part of a statement joining them and storing its PDF and CSV with their SHA-256.
    # October's statements on one worker, November's (the same sizes) on two.
    from charges import services

    services.charges_generer(mois=date(2026, 11, 1), montant=MONTANT)
    novembre = _releves(date(2026, 11, 1))
    temps, memoire = {}, 0
    for nb_workers, lot in (
        (1, releves),
        (2, sorted(Releve.objects.filter(pk__in=novembre), key=lambda r: -r.nb_lignes)),
    ):
        taches = [(rel.pk, numero) for rel in lot for numero in range(pdf.nombre_de_parties(rel))]
        connections.close_all()
        debut = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(nb_workers) as pool:
            sorties = list(pool.imap_unordered(_produire_une_partie, taches, chunksize=1))
        temps[nb_workers] = time.perf_counter() - debut
        memoire = max(memoire, *(s for s in sorties))
        _verifier(
            not Releve.objects.filter(pk__in=[rel.pk for rel in lot]).exclude(statut="emis").exists(),
            "a statement was not issued",
        )
    return {
        "pages": int(nos_pages),
        "lignes": sum(rel.nb_lignes for rel in releves),
        "pages_s": nos_pages / nos_secondes,
        "base_pages_s": nos_pages / base_secondes,
        "nb": len(releves),
        "parties": len(taches),
        "un_worker": temps[1],
        "deux_workers": temps[2],
        "memoire_max_kio": memoire,
        "limite_kio": settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD,
        "detail": ", ".join(f"{rel.bailleur.code} {rel.nb_lignes:,} lines" for rel in releves),
    }


def _produire_une_partie(tache: tuple[int, int]) -> int:
    """What the Celery task ``charges.releve_partie`` does; returns the worker's peak memory (KiB)."""
    from charges import services

    releve_pk, numero = tache
    services.releve_partie_produire(releve_pk=releve_pk, numero=numero)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> None:
    import logging

    from bench.__main__ import preparer_django

    preparer_django()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    resultats = mesurer(int(argv[0]))
    print(PREFIXE_RESULTAT + json.dumps(resultats), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
