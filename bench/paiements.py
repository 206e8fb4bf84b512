"""The PC sales' money at scale: the cash book of a centre's busiest day and the follow-up of overdue
instalments (every centre, as city staff) at 6,000 dwellings with 2,000 sales and at 60,000 dwellings with
20,000 sales: p50/p95 of each page and its queries (the same number at both sizes).

A city of its own (landlord BENCHPAI, ten active quartiers each with its centre social, buildings of 40
dwellings) is built with set-based SQL; the sales (one household each, 40 or 70 EUR, paid at once or in
2 to 4 instalments, over the last eleven months) and their instalments are bulk-created, and every
instalment due is paid on its day except for one sale in ten (overdue from its second instalment). The
payments' receipts are numbered with the bench's own prefix (``PAB``). The pages are asked through the
Django test client. Baseline in the same run: the page's own SQL re-run through a cursor. The data is
removed afterwards (payments and receipts are immutable: the clean-up skips the triggers with
``session_replication_role = replica`` on this bench database only).
"""

import datetime
import os
import re
import statistics
import time
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from equipements.modeles_ordinateurs import Echeance, Offre, Ordinateur, Vente, ajouter_mois
from equipements.modeles_paiements import Paiement
from equipements.models import Recu
from logements.models import Bailleur, Foyer, Logement
from quartiers.models import CentreSocial, Quartier

TITRE = "PC payments: the cash book and the overdue instalments (PostgreSQL)"
CODE = "BENCHPAI"
PREFIXE = "Banc d’essai paiements"
TAILLES = ((6_000, 2_000), (60_000, 20_000))
if os.environ.get("BENCH_PAIEMENTS_PETIT"):  # a quick check that the measure runs (not the figures)
    TAILLES = ((600, 200), (6_000, 2_000))
QUARTIERS = 10
DEMANDES = 40
BUT_MS = 300
MODES = ["especes", "carte", "cheque", "especes"]


def run(rapport) -> None:
    _nettoyer()
    comptes: dict[str, dict[int, int]] = {"caisse": {}, "suivi": {}}
    try:
        for logements, ventes in TAILLES:
            _nettoyer()
            debut = time.perf_counter()
            agent, centre, jour = _construire(logements, ventes)
            with connection.cursor() as c:
                c.execute(
                    "VACUUM ANALYZE equipements_vente, equipements_echeance, equipements_paiement, "
                    "equipements_recu, logements_foyer"
                )
            rapport.note(
                f"**{logements:,} dwellings, {ventes:,} sales** built in {time.perf_counter() - debut:.1f} s."
            )
            url_caisse = f"/equipements/caisse/?centre={centre.pk}&jour={jour.isoformat()}"
            comptes["caisse"][logements] = _mesurer(
                rapport, agent, url_caisse, f"cash book of a centre's busiest day, {logements:,} dwellings"
            )
            comptes["suivi"][logements] = _mesurer(
                rapport,
                agent,
                "/equipements/paiements/suivi/",
                f"overdue instalments, every centre, {logements:,} dwellings",
            )
        petit, grand = TAILLES[0][0], TAILLES[1][0]
        for nom, libelle in (("caisse", "cash book"), ("suivi", "overdue list")):
            a, b = comptes[nom][petit], comptes[nom][grand]
            rapport.mesure(
                f"queries, {libelle}, {grand:,} vs {petit:,} dwellings",
                str(b),
                base=str(a),
                ratio="same" if a == b else "different",
                but="same at both sizes " + ("✓" if a == b else "✗"),
            )
        rapport.note(
            "Both pages as city staff through the Django test client (no network). The cash book: one query "
            "for the day's entries with their receipts, households and PCs (totals per method and volunteer "
            "summed from them). The follow-up: one query for the sums of every standing sale (payments and "
            "instalments each summed once per sale, the count and total overdue added up from them), one "
            "for the page of overdue sales, one for their instalments, and the same two for the instalments "
            "due within two weeks. “SQL alone” re-runs the page's queries through a cursor."
        )
    finally:
        _nettoyer()


def _construire(n: int, m: int):
    aujourdhui = timezone.localdate()
    with transaction.atomic():
        bailleur = Bailleur.objects.create(nom="Bailleur du banc d’essai des paiements", code=CODE)
        centres = [
            CentreSocial.objects.create(nom=f"Centre social du {PREFIXE} {i}") for i in range(QUARTIERS)
        ]
        quartiers = [
            Quartier.objects.create(
                nom=f"{PREFIXE} {i}", statut=Quartier.Statut.ACTIF, centre_social=centres[i]
            ).pk
            for i in range(QUARTIERS)
        ]
        agent, _ = get_user_model().objects.get_or_create(username="banc-paiements")
        agent.groups.set([Group.objects.get(name="ville")])
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO logements_immeuble
                  (cree_le, modifie_le, quartier_id, bailleur_id, reference, nom, adresse, depot_bulletins,
                   cages)
                SELECT now(), now(), (%(quartiers)s::bigint[])[1 + b %% %(nq)s], %(bailleur)s,
                       'BP' || lpad(b::text, 5, '0'), '', b::text || ' rue du Banc, 29200 Brest', '', 'A, B'
                FROM generate_series(0, %(nb)s - 1) b
                """,
                {"quartiers": quartiers, "nq": QUARTIERS, "bailleur": bailleur.pk, "nb": -(-n // 40)},
            )
            c.execute(
                """
                INSERT INTO logements_logement
                  (cree_le, modifie_le, bailleur_id, reference, immeuble_id, cage, etage, porte, type,
                   connecte_depuis)
                SELECT now(), now(), %(bailleur)s, 'BP' || lpad(i::text, 7, '0'), imm.id,
                       chr(65 + (i %% 40) / 20), (i %% 10), (1 + i %% 2)::text, 'T3', date '2014-01-01'
                FROM generate_series(0, %(n)s - 1) i
                JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rang
                      FROM logements_immeuble WHERE bailleur_id = %(bailleur)s) imm ON imm.rang = i / 40
                """,
                {"bailleur": bailleur.pk, "n": n},
            )
        logements = list(
            Logement.objects.filter(bailleur=bailleur)
            .select_related("immeuble__quartier")
            .order_by("pk")[: m * 3 : 3]
        )
        foyers = Foyer.objects.bulk_create(
            [
                Foyer(logement=lg, nom=f"Foyer banc paiement {i}", emmenage_le=datetime.date(2015, 1, 1))
                for i, lg in enumerate(logements)
            ],
            batch_size=5000,
        )
        offre = Offre.objects.order_by("applicable_du").first() or Offre.objects.create(
            applicable_du=datetime.date(2020, 1, 1)
        )
        ordinateurs = Ordinateur.objects.bulk_create(
            [
                Ordinateur(
                    reference=f"{CODE}-{i:06d}",
                    type="portable" if i % 3 == 0 else "fixe",
                    attestation_effacement=f"EFF-{CODE}-{i}",
                    recu_le=datetime.date(2025, 12, 1),
                    statut=Ordinateur.Statut.VENDU,
                )
                for i in range(m)
            ],
            batch_size=5000,
        )
        ventes = Vente.objects.bulk_create(
            [
                Vente(
                    foyer=foyer,
                    ordinateur=ordinateurs[i],
                    centre_id=centres[quartiers.index(foyer.logement.immeuble.quartier_id)].pk,
                    offre=offre,
                    prix=Decimal("70.00") if i % 3 == 0 else Decimal("40.00"),
                    nb_echeances=1 + i % 4,
                    date=aujourdhui - datetime.timedelta(days=i % 330),
                    par_nom="Bénévole du banc",
                )
                for i, foyer in enumerate(foyers)
            ],
            batch_size=5000,
        )
        echeances = []
        for vente in ventes:
            part = (vente.prix / vente.nb_echeances).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            for rang in range(1, vente.nb_echeances + 1):
                montant = part if rang < vente.nb_echeances else vente.prix - part * (vente.nb_echeances - 1)
                echeances.append(
                    Echeance(
                        vente=vente, rang=rang, due_le=ajouter_mois(vente.date, rang - 1), montant=montant
                    )
                )
        Echeance.objects.bulk_create(echeances, batch_size=10000)
        payees = [e for e in echeances if e.due_le <= aujourdhui and (e.rang == 1 or e.vente.pk % 10 != 0)]
        recus = Recu.objects.bulk_create(
            [
                Recu(
                    prefixe="PAB",
                    annee=e.due_le.year,
                    rang=k + 1,
                    numero=f"PAB-{e.due_le.year}-{k + 1:06d}",
                    emis_le=e.due_le,
                    conditions="Banc d’essai",
                )
                for k, e in enumerate(payees)
            ],
            batch_size=10000,
        )
        Paiement.objects.bulk_create(
            [
                Paiement(
                    vente=e.vente,
                    centre_id=e.vente.centre_id,
                    montant=e.montant,
                    mode=MODES[k % len(MODES)],
                    date=e.due_le,
                    par_nom=f"Bénévole {k % 6}",
                    recu=recus[k],
                )
                for k, e in enumerate(payees)
            ],
            batch_size=10000,
        )
        centre = centres[0]
        jour = (
            Paiement.objects.filter(centre=centre)
            .values("date")
            .annotate(n=Count("pk"))
            .order_by("-n", "-date")
            .values_list("date", flat=True)
            .first()
        )
    return agent, centre, jour


def _mesurer(rapport, agent, url: str, libelle: str) -> int:
    client = Client()
    client.force_login(agent)
    for _ in range(5):  # warm up
        client.get(url)
    with CaptureQueriesContext(connection) as capture:
        reponse = client.get(url)
    if reponse.status_code != 200:
        raise RuntimeError(f"{url} answered {reponse.status_code}")
    requetes = len(capture.captured_queries)
    # A server-side cursor's DECLARE is re-run as its plain SELECT.
    sql = [
        re.sub(r"^DECLARE .*? CURSOR (?:WITH(?:OUT)? HOLD )?FOR ", "", q["sql"])
        for q in capture.captured_queries
    ]
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
                if c.description:
                    c.fetchall()
            seul.append((time.perf_counter() - debut) * 1000)
    p95, p95_sql = _p95(temps), _p95(seul)
    rapport.mesure(
        f"{libelle}: p50 / p95",
        f"{statistics.median(temps):.1f} / {p95:.1f} ms",
        base=f"SQL alone {statistics.median(seul):.1f} / {p95_sql:.1f} ms",
        ratio=f"{p95 / p95_sql:.1f}×" if p95_sql else "",
        but=f"p95 < {BUT_MS} ms " + ("✓" if p95 < BUT_MS else "✗"),
    )
    rapport.mesure(f"{libelle}: queries", str(requetes))
    return requetes


def _p95(valeurs) -> float:
    return statistics.quantiles(valeurs, n=20)[-1]


NETTOYAGE = [
    "CREATE TEMP TABLE ventes_banc AS SELECT v.id FROM equipements_vente v JOIN equipements_ordinateur o "
    "ON o.id = v.ordinateur_id WHERE o.reference LIKE %(o)s",
    "DELETE FROM equipements_relance WHERE vente_id IN (SELECT id FROM ventes_banc)",
    "DELETE FROM equipements_abandon WHERE vente_id IN (SELECT id FROM ventes_banc)",
    "CREATE TEMP TABLE recus_banc AS SELECT recu_id AS id FROM equipements_paiement "
    "WHERE vente_id IN (SELECT id FROM ventes_banc)",
    "DELETE FROM equipements_paiement WHERE vente_id IN (SELECT id FROM ventes_banc)",
    "DELETE FROM equipements_recu WHERE id IN (SELECT id FROM recus_banc)",
    "DELETE FROM equipements_echeance WHERE vente_id IN (SELECT id FROM ventes_banc)",
    "DELETE FROM equipements_vente WHERE id IN (SELECT id FROM ventes_banc)",
    "DROP TABLE recus_banc",
    "DROP TABLE ventes_banc",
    "DELETE FROM equipements_ordinateur WHERE reference LIKE %(o)s",
    "DELETE FROM logements_foyer WHERE nom LIKE 'Foyer banc paiement %%'",
    "DELETE FROM logements_logement WHERE bailleur_id IN "
    "(SELECT id FROM logements_bailleur WHERE code = %(code)s)",
    "DELETE FROM logements_immeuble WHERE bailleur_id IN "
    "(SELECT id FROM logements_bailleur WHERE code = %(code)s)",
    "DELETE FROM logements_bailleur WHERE code = %(code)s",
    "DELETE FROM quartiers_quartier WHERE nom LIKE %(q)s",
    "DELETE FROM quartiers_centresocial WHERE nom LIKE %(c)s",
]


def _nettoyer() -> None:
    parametres = {"o": f"{CODE}-%", "code": CODE, "q": f"{PREFIXE} %", "c": f"Centre social du {PREFIXE} %"}
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")  # payments are immutable: skip the triggers
        for ordre in NETTOYAGE:
            c.execute(ordre, parametres)
