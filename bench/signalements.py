"""The provider's response times (``/equipements/signalements/statistiques/``) at 6,000 dwellings with
2,000 incidents and at 60,000 dwellings with 20,000 incidents: p50/p95 of the page and its queries.

A city of its own (landlord BENCHSIG, ten active quartiers, buildings of 40 dwellings) is built with
set-based SQL; the incidents come from the demo's generator (``demo.signalements.generer``: eight
months, realistic delays, a few overdue). The page is asked through the Django test client as city
staff. Baseline in the same run: the statistics' SQL alone, re-run through a cursor. The data is removed
afterwards.
"""

import datetime
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.signalements import generer
from equipements.models import Signalement
from logements.models import Bailleur, Logement
from quartiers.models import Quartier

TITRE = "Provider incidents: response-time statistics (PostgreSQL)"
CODE = "BENCHSIG"
TAILLES = ((6_000, 2_000), (60_000, 20_000))
QUARTIERS = 10
DEMANDES = 40
BUT_MS = 300
URL = "/equipements/signalements/statistiques/"


def run(rapport) -> None:
    _nettoyer()
    resultats = {}
    try:
        for logements, incidents in TAILLES:
            _nettoyer()
            duree, agent = _chrono(lambda n=logements, m=incidents: _construire(n, m))
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE equipements_signalement, logements_immeuble, quartiers_quartier")
            rapport.note(f"**{logements:,} dwellings, {incidents:,} incidents** built in {duree:.1f} s.")
            resultats[logements] = _mesurer(rapport, logements, incidents, agent)
        petit, grand = (resultats[n] for n, _ in TAILLES)
        rapport.mesure(
            f"queries per page, {TAILLES[1][0]:,} vs {TAILLES[0][0]:,} dwellings",
            str(grand),
            base=str(petit),
            ratio="same" if petit == grand else "different",
            but="same at both sizes " + ("✓" if petit == grand else "✗"),
        )
        rapport.note(
            "The statistics page as city staff, through the Django test client (no network): session, "
            "user, the user's two permission sets, the target times (for the figures, then for the legend), "
            "then one query for every figure (median and 90th percentile by `percentile_cont`, shares "
            "within target by filtered counts, grouped by month, quartier and category). "
            "“SQL alone” re-runs that last statement through a cursor."
        )
    finally:
        _nettoyer()


def _construire(n: int, m: int):
    with transaction.atomic():
        bailleur = Bailleur.objects.create(nom="Bailleur du banc d’essai des signalements", code=CODE)
        quartiers = [
            Quartier.objects.create(nom=f"Banc d’essai signalements {i}", statut=Quartier.Statut.ACTIF).pk
            for i in range(QUARTIERS)
        ]
        agent, _ = get_user_model().objects.get_or_create(username="banc-signalements")
        agent.groups.set([Group.objects.get(name="ville")])
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO logements_immeuble
                  (cree_le, modifie_le, quartier_id, bailleur_id, reference, nom, adresse, depot_bulletins,
                   cages)
                SELECT now(), now(), (%(quartiers)s::bigint[])[1 + b %% %(nq)s], %(bailleur)s,
                       'BS' || lpad(b::text, 5, '0'), '', b::text || ' rue du Banc, 29200 Brest', '', 'A, B'
                FROM generate_series(0, %(nb)s - 1) b
                """,
                {"quartiers": quartiers, "nq": QUARTIERS, "bailleur": bailleur.pk, "nb": -(-n // 40)},
            )
            c.execute(
                """
                INSERT INTO logements_logement
                  (cree_le, modifie_le, bailleur_id, reference, immeuble_id, cage, etage, porte, type,
                   connecte_depuis)
                SELECT now(), now(), %(bailleur)s, 'BS' || lpad(i::text, 7, '0'), imm.id,
                       chr(65 + (i %% 40) / 20), (i %% 10), (1 + i %% 2)::text, 'T3', date '2014-01-01'
                FROM generate_series(0, %(n)s - 1) i
                JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rang
                      FROM logements_immeuble WHERE bailleur_id = %(bailleur)s) imm ON imm.rang = i / 40
                """,
                {"bailleur": bailleur.pk, "n": n},
            )
        logements = list(Logement.objects.filter(bailleur=bailleur).values_list("pk", "immeuble_id"))
        alea = random.Random(n)  # noqa: S311 — reproducible demo data, not secrets
        Signalement.objects.bulk_create(
            generer(logements, m, datetime.date(2026, 11, 30), alea), batch_size=5000
        )
    return agent


def _mesurer(rapport, n: int, m: int, agent) -> int:
    client = Client()
    client.force_login(agent)
    for _ in range(5):  # warm up
        client.get(URL)
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(URL)
    if reponse.status_code != 200:
        raise RuntimeError(f"{URL} answered {reponse.status_code}")
    requetes = len(capture.captured_queries)
    sql = [q["sql"] for q in capture.captured_queries if "percentile_cont" in q["sql"]]
    temps = []
    for _ in range(DEMANDES):
        debut = time.perf_counter()
        client.get(URL)
        temps.append((time.perf_counter() - debut) * 1000)
    seul = []
    with connection.cursor() as c:
        for _ in range(DEMANDES):
            debut = time.perf_counter()
            for s in sql:
                c.execute(s)
                c.fetchall()
            seul.append((time.perf_counter() - debut) * 1000)
    p95, p95_sql = _p95(temps), _p95(seul)
    rapport.mesure(
        f"statistics page p50 / p95, {n:,} dwellings, {m:,} incidents",
        f"{statistics.median(temps):.1f} / {p95:.1f} ms",
        base=f"SQL alone {statistics.median(seul):.1f} / {p95_sql:.1f} ms",
        ratio=f"{p95 / p95_sql:.1f}×",
        but=f"p95 < {BUT_MS} ms " + ("✓" if p95 < BUT_MS else "✗"),
    )
    rapport.mesure(f"queries per page, {n:,} dwellings", str(requetes))
    return requetes


def _p95(valeurs) -> float:
    return statistics.quantiles(valeurs, n=20)[-1]


def _nettoyer() -> None:
    bailleur = Bailleur.objects.filter(code=CODE).first()
    with transaction.atomic(), connection.cursor() as c:
        if bailleur is not None:
            c.execute(
                "DELETE FROM equipements_signalement WHERE immeuble_id IN "
                "(SELECT id FROM logements_immeuble WHERE bailleur_id = %s)",
                [bailleur.pk],
            )
            c.execute("DELETE FROM logements_logement WHERE bailleur_id = %s", [bailleur.pk])
            c.execute("DELETE FROM logements_immeuble WHERE bailleur_id = %s", [bailleur.pk])
            c.execute("DELETE FROM logements_bailleur WHERE id = %s", [bailleur.pk])
        Quartier.objects.filter(nom__startswith="Banc d’essai signalements").delete()


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat
