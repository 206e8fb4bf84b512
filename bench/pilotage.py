"""The programme's dashboard (``/pilotage/``) at 6,000 and 60,000 dwellings: p50/p95 through the HTTP
stack (Django test client) and its queries, the same at both sizes; and the city's yearly report PDF
against WeasyPrint alone on the same HTML.

The city is the incidents bench's (``bench.signalements``: landlord BENCHSIG, ten active quartiers,
buildings of 40 dwellings, incidents from the demo's generator), plus one household in eight opted in this
year, built with set-based SQL. Removed afterwards.
"""

import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation
from weasyprint import HTML

from bench import signalements as banc_signalements
from ipt.pdf import ORIGINE, FetcherStatique
from logements.models import Bailleur
from pilotage.bilan import bilan_pdf, donnees_bilan

TITRE = "Programme dashboard and yearly report (PostgreSQL)"
TAILLES = ((6_000, 2_000), (60_000, 20_000))
DEMANDES = 30
BUT_MS = 300
URL = "/pilotage/"


def run(rapport) -> None:
    _nettoyer()
    resultats = {}
    try:
        for logements, incidents in TAILLES:
            _nettoyer()
            debut = time.perf_counter()
            agent = banc_signalements._construire(logements, incidents)
            _adhesions()
            with connection.cursor() as c:
                c.execute("ANALYZE")
            rapport.note(f"**{logements:,} dwellings** built in {time.perf_counter() - debut:.1f} s.")
            resultats[logements] = _mesurer(rapport, logements, agent)
        petit, grand = (resultats[n] for n, _ in TAILLES)
        rapport.mesure(
            f"queries per dashboard, {TAILLES[1][0]:,} vs {TAILLES[0][0]:,} dwellings",
            str(grand),
            base=str(petit),
            ratio="same" if petit == grand else "different",
            but="same at both sizes " + ("✓" if petit == grand else "✗"),
        )
        _rapport_pdf(rapport, agent)
    finally:
        _nettoyer()


def _adhesions() -> None:
    """One dwelling in eight gets a household, opted in this year (so the funnel has households)."""
    bailleur = Bailleur.objects.get(code=banc_signalements.CODE)
    annee = timezone.localdate().year
    with transaction.atomic(), connection.cursor() as c:
        c.execute(
            """
            INSERT INTO logements_foyer
              (cree_le, modifie_le, logement_id, nom, telephone, email, emmenage_le, recherche)
            SELECT now(), now(), id, 'Banc ' || id, '', '', date '2015-01-01', '' FROM logements_logement
            WHERE bailleur_id = %s AND id %% 8 = 0
            """,
            [bailleur.pk],
        )
        c.execute(
            """
            INSERT INTO logements_adhesion (foyer_id, type, date, note, saisie_le)
            SELECT f.id, 'adhesion', make_date(%s, (1 + f.id %% 12)::int, 1), '', now()
            FROM logements_foyer f JOIN logements_logement l ON l.id = f.logement_id WHERE l.bailleur_id = %s
            """,
            [annee, bailleur.pk],
        )


def _mesurer(rapport, n: int, agent) -> int:
    client = Client()
    client.force_login(agent)
    for _ in range(3):  # warm up
        client.get(URL)
    requetes = []

    def compter(execute, sql, params, many, context):
        requetes.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(compter):
        reponse = client.get(URL)
    if reponse.status_code != 200:
        raise RuntimeError(f"{URL} answered {reponse.status_code}")
    temps = []
    for _ in range(DEMANDES):
        debut = time.perf_counter()
        client.get(URL)
        temps.append((time.perf_counter() - debut) * 1000)
    p95 = statistics.quantiles(temps, n=20)[-1]
    rapport.mesure(
        f"dashboard p50 / p95, {n:,} dwellings",
        f"{statistics.median(temps):.1f} / {p95:.1f} ms",
        but=f"p95 < {BUT_MS} ms " + ("✓" if p95 < BUT_MS else "✗"),
    )
    return len(requetes)


def _rapport_pdf(rapport, agent) -> None:
    annee = timezone.localdate().year
    with translation.override("fr"):
        bilan_pdf(donnees_bilan(annee, user=agent))  # warm up: fonts loaded once per process
        debut = time.perf_counter()
        donnees = donnees_bilan(annee, user=agent)
        contenu = bilan_pdf(donnees)
        complet = time.perf_counter() - debut
        html = render_to_string("pdf/pilotage_bilan.html", {"emetteur": settings.EMETTEUR, **donnees})
        debut = time.perf_counter()
        HTML(string=html, base_url=ORIGINE + "/", url_fetcher=FetcherStatique()).write_pdf()
        seul = time.perf_counter() - debut
    rapport.mesure(
        f"the city's yearly report PDF, {TAILLES[1][0]:,} dwellings ({len(contenu) // 1024} KiB)",
        f"{complet:.2f} s",
        base=f"WeasyPrint alone on the same HTML {seul:.2f} s",
        ratio=f"{complet / seul:.2f}×",
    )


def _nettoyer() -> None:
    bailleur = Bailleur.objects.filter(code=banc_signalements.CODE).first()
    if bailleur is not None:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                "DELETE FROM logements_adhesion WHERE foyer_id IN (SELECT f.id FROM logements_foyer f "
                "JOIN logements_logement l ON l.id = f.logement_id WHERE l.bailleur_id = %s)",
                [bailleur.pk],
            )
            c.execute(
                "DELETE FROM logements_foyer WHERE logement_id IN "
                "(SELECT id FROM logements_logement WHERE bailleur_id = %s)",
                [bailleur.pk],
            )
    banc_signalements._nettoyer()
