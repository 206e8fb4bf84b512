"""The needs census (``/ateliers/besoins/``, city staff) and the outreach list (``/ateliers/reticents/``
and its call list, a volunteer) at 6,000 and 60,000 dwellings: p50/p95 of each page and its queries,
which must be the same at both sizes.

The city is the desk search's (``bench.recherche._construire``: ten quartiers of one centre social, ~90 %
of dwellings with a household, occupants, 15 % opted in long ago, none signing up since: they are all on
the outreach list), plus, by set-based SQL, a need for one occupant in 20 (one or two themes), workshops
of the catalogue with an upcoming session on some themes in half the quartiers, and one contact attempt
for one opted-in household in four. Pages go through the Django test client. Baseline in the same run:
the pages' SQL alone, re-run through a cursor. The data is removed afterwards.
"""

import datetime
import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ateliers.models import Atelier, Seance, Structure, Theme
from bench import recherche
from logements.models import Bailleur
from quartiers.models import Quartier

TITRE = "Needs census and outreach list (PostgreSQL)"
# BENCH_BESOINS_TAILLES=600,6000 for a quick check that the measure works.
TAILLES = tuple(int(t) for t in os.environ.get("BENCH_BESOINS_TAILLES", "6000,60000").split(","))
DEMANDES = 30
BUT_MS = 300
PAGES = {
    "needs census (city staff)": ("ville", "/ateliers/besoins/"),
    "outreach list, first page (volunteer)": ("accueil", "/ateliers/reticents/?mois=6"),
    "call list, first page (volunteer)": ("accueil", "/ateliers/reticents/appels/?mois=6"),
}
STRUCTURE = "Structure du banc d’essai des besoins"


def run(rapport) -> None:
    _nettoyer()
    resultats = {}
    try:
        for n in TAILLES:
            _nettoyer()
            duree, utilisateurs = _chrono(lambda n=n: _construire(n))
            with connection.cursor() as c:
                c.execute(
                    "VACUUM ANALYZE logements_foyer, logements_personne, logements_adhesion, "
                    "ateliers_besoin, ateliers_besoin_themes, ateliers_tentativecontact, ateliers_seance, "
                    "ateliers_inscription"
                )
                c.execute("SELECT count(*) FROM ateliers_besoin")
                nb_besoins = c.fetchone()[0]
            rapport.note(f"**{n:,} dwellings** built in {duree:.1f} s ({nb_besoins:,} needs).")
            resultats[n] = {
                nom: _mesurer(rapport, n, nom, utilisateurs[qui], url) for nom, (qui, url) in PAGES.items()
            }
        petit, grand = (resultats[n] for n in TAILLES)
        rapport.mesure(
            f"queries per page, {TAILLES[1]:,} vs {TAILLES[0]:,} dwellings (census, list, call list)",
            " / ".join(str(grand[nom]) for nom in PAGES),
            base=" / ".join(str(petit[nom]) for nom in PAGES),
            ratio="same" if petit == grand else "different",
            but="same at both sizes " + ("✓" if petit == grand else "✗"),
        )
        rapport.note(
            "Queries per page: session, user, the user's two permission sets (4), then — census — the "
            "counts by theme and quartier (one statement: people, and people with no upcoming session of "
            "the theme in their quartier nor a sign-up elsewhere, by `COUNT(DISTINCT …) FILTER (WHERE NOT "
            "EXISTS …)`), the themes, the drafted workshops; — outreach list — the quartiers of the filter, "
            "the count, the page of 50 (100 for the call list) with last sign-up, attendance and contact as "
            "correlated sub-selects, the occupants. “SQL alone” re-runs the pages' own statements."
        )
    finally:
        _nettoyer()


def _construire(n: int) -> dict:
    benevole = recherche._construire(n)
    agent, _ = get_user_model().objects.get_or_create(username="banc-besoins-ville")
    agent.groups.set([Group.objects.get(name="ville")])
    bailleur = Bailleur.objects.get(code=recherche.CODE)
    quartiers = list(
        Quartier.objects.filter(nom__startswith="Banc d’essai accueil")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        structure = Structure.objects.create(nom=STRUCTURE)
        # Workshops of the catalogue on the first three themes, an upcoming session in half the quartiers.
        debut = timezone.now() + datetime.timedelta(days=10)
        for i, theme in enumerate(themes[:3]):
            atelier = Atelier.objects.create(titre=f"Banc d’essai {i}", structure=structure)
            atelier.themes.set([theme])
            for quartier in quartiers[i % 2 :: 2]:
                Seance.objects.create(
                    atelier=atelier,
                    quartier_id=quartier,
                    debut=debut,
                    duree=datetime.timedelta(hours=2),
                    lieu="Salle",
                    capacite=12,
                )
        with connection.cursor() as c:
            # A need for one occupant in 20, in the quartier where they live.
            c.execute(
                """
                INSERT INTO ateliers_besoin
                  (cree_le, modifie_le, personne_id, quartier_id, lieu, note, par_id)
                SELECT now() - (p.id %% 150) * interval '1 day', now(), p.id, i.quartier_id, 'accueil', '',
                       NULL
                FROM logements_personne p JOIN logements_foyer f ON f.id = p.foyer_id
                JOIN logements_logement l ON l.id = f.logement_id
                JOIN logements_immeuble i ON i.id = l.immeuble_id
                WHERE l.bailleur_id = %(bailleur)s AND p.id %% 20 = 0
                """,
                {"bailleur": bailleur.pk},
            )
            c.execute(
                """
                INSERT INTO ateliers_besoin_themes (besoin_id, theme_id)
                SELECT b.id, (%(themes)s::bigint[])[1 + b.id %% %(nt)s] FROM ateliers_besoin b
                JOIN logements_personne p ON p.id = b.personne_id JOIN logements_foyer f ON f.id = p.foyer_id
                JOIN logements_logement l ON l.id = f.logement_id WHERE l.bailleur_id = %(bailleur)s
                UNION
                SELECT b.id, (%(themes)s::bigint[])[1 + (b.id / 3) %% %(nt)s] FROM ateliers_besoin b
                JOIN logements_personne p ON p.id = b.personne_id JOIN logements_foyer f ON f.id = p.foyer_id
                JOIN logements_logement l ON l.id = f.logement_id
                WHERE l.bailleur_id = %(bailleur)s AND b.id %% 3 = 0
                """,
                {"bailleur": bailleur.pk, "themes": themes, "nt": len(themes)},
            )
            # One contact attempt for one opted-in household in four.
            c.execute(
                """
                INSERT INTO ateliers_tentativecontact (foyer_id, le, par_id, canal, issue, motif, note)
                SELECT a.foyer_id, now() - (a.foyer_id %% 90) * interval '1 day', NULL, 'telephone', 'refus',
                       'pas_le_temps', ''
                FROM logements_adhesion a JOIN logements_foyer f ON f.id = a.foyer_id
                JOIN logements_logement l ON l.id = f.logement_id
                WHERE l.bailleur_id = %(bailleur)s AND a.type = 'adhesion' AND a.foyer_id %% 4 = 0
                """,
                {"bailleur": bailleur.pk},
            )
    return {"ville": agent, "accueil": benevole}


def _mesurer(rapport, n: int, nom: str, user, url: str) -> int:
    client = Client()
    client.force_login(user)
    for _ in range(3):  # warm up
        client.get(url)
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(url)
    if reponse.status_code != 200:
        raise RuntimeError(f"{url} answered {reponse.status_code}")
    requetes = len(capture.captured_queries)
    sql = [q["sql"] for q in capture.captured_queries if "ateliers_" in q["sql"] or "logements_" in q["sql"]]
    temps = []
    for _ in range(DEMANDES):
        debut = time.perf_counter()
        client.get(url)
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
        f"{nom} p50 / p95, {n:,} dwellings",
        f"{statistics.median(temps):.1f} / {p95:.1f} ms, {requetes} queries",
        base=f"SQL alone {statistics.median(seul):.1f} / {p95_sql:.1f} ms",
        ratio=f"{p95 / p95_sql:.1f}×",
        but=f"p95 < {BUT_MS} ms " + ("✓" if p95 < BUT_MS else "✗"),
    )
    return requetes


def _p95(valeurs) -> float:
    return statistics.quantiles(valeurs, n=20)[-1]


def _nettoyer() -> None:
    bailleur = Bailleur.objects.filter(code=recherche.CODE).first()
    with transaction.atomic(), connection.cursor() as c:
        if bailleur is not None:
            foyers = (
                "SELECT f.id FROM logements_foyer f JOIN logements_logement l ON l.id = f.logement_id "
                "WHERE l.bailleur_id = %s"
            )
            personnes = f"SELECT id FROM logements_personne WHERE foyer_id IN ({foyers})"  # noqa: S608
            c.execute(
                f"DELETE FROM ateliers_besoin_themes WHERE besoin_id IN "  # noqa: S608
                f"(SELECT id FROM ateliers_besoin WHERE personne_id IN ({personnes}))",
                [bailleur.pk],
            )
            c.execute(f"DELETE FROM ateliers_besoin WHERE personne_id IN ({personnes})", [bailleur.pk])  # noqa: S608
            c.execute(f"DELETE FROM ateliers_tentativecontact WHERE foyer_id IN ({foyers})", [bailleur.pk])  # noqa: S608
        c.execute(
            "DELETE FROM ateliers_seance WHERE atelier_id IN (SELECT a.id FROM ateliers_atelier a "
            "JOIN ateliers_structure s ON s.id = a.structure_id WHERE s.nom = %s)",
            [STRUCTURE],
        )
        c.execute(
            "DELETE FROM ateliers_atelier_themes WHERE atelier_id IN (SELECT a.id FROM ateliers_atelier a "
            "JOIN ateliers_structure s ON s.id = a.structure_id WHERE s.nom = %s)",
            [STRUCTURE],
        )
        c.execute(
            "DELETE FROM ateliers_atelier WHERE structure_id IN "
            "(SELECT id FROM ateliers_structure WHERE nom = %s)",
            [STRUCTURE],
        )
        c.execute("DELETE FROM ateliers_structure WHERE nom = %s", [STRUCTURE])
    recherche._nettoyer()


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat
