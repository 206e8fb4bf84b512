"""Decoder handovers at the handout desk: 10 desks at once at a human pace, through a real server.

A quartier of its own (adopted; landlord BENCHREM, 400 opted-in households), a stock of decoders and 10
desk volunteers of its centre. The same real server as the votes' bench (gunicorn, 2 workers × 10 threads,
bench settings, DEBUG off) is started; 10 client threads, each with its own keep-alive connection and
session, confirm handovers as the desk's form does (serial, another item, a signature PNG), each with a
pause between two (the next person in the queue). Each receipt's PDF is rendered by the server's background
queue after the handover answered. Baseline: the same server and threads answering ``/healthz``.
Queries per handover are counted in-process through the Django test client (BEGIN/COMMIT not counted).

The data is removed afterwards; receipts and handovers are immutable (triggers): the clean-up runs with
``session_replication_role = replica`` on this bench database only, and the receipts' files are deleted.
"""

import datetime
import os
import random
import time
from urllib.parse import urlencode

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.votes import (
    TRANSACTION,
    Commis,
    _centiles,
    _en_meme_temps,
    _phase,
    _port_libre,
    _serveur,
    _utilisateur,
)
from equipements.models import Decodeur, Recu
from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement
from quartiers.models import CentreSocial, Quartier

# A 1 × 1 PNG, as the signature pad posts it (a real signature weighs 5 to 30 kB more).
PNG_1PX = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

TITRE = "Decoder handovers: 10 desks at once at a human pace (real server)"
CODE = "BENCHREM"
PREFIXE = "Banc d’essai remises"
GUICHETS = 10
FOYERS = 400
REMISES_PAR_GUICHET = 12
PAUSE = (0.5, 1.5)  # seconds between two people of the queue (scanning and signing take longer)
BUT_P95_MS = 150


def _construire():
    centre = CentreSocial.objects.create(nom=f"Centre social du {PREFIXE}")
    quartier = Quartier.objects.create(nom=PREFIXE, statut=Quartier.Statut.ADOPTE, centre_social=centre)
    bailleur = Bailleur.objects.create(code=CODE, nom=f"{PREFIXE} (bailleur)")
    immeubles = Immeuble.objects.bulk_create(
        [
            Immeuble(
                quartier=quartier, bailleur=bailleur, reference=f"{CODE}-{i}", adresse=f"{i} rue du Banc"
            )
            for i in range(FOYERS // 40)
        ]
    )
    logements = Logement.objects.bulk_create(
        [
            Logement(bailleur=bailleur, immeuble=immeubles[i // 40], reference=f"{CODE}{i:05d}")
            for i in range(FOYERS)
        ]
    )
    foyers = Foyer.objects.bulk_create(
        [
            Foyer(logement=lg, nom=f"Foyer banc {i}", emmenage_le=datetime.date(2015, 1, 1))
            for i, lg in enumerate(logements)
        ]
    )
    Adhesion.objects.bulk_create(
        [Adhesion(foyer=f, type=Adhesion.Type.ADHESION, date=datetime.date(2020, 1, 1)) for f in foyers]
    )
    Decodeur.objects.bulk_create(
        [Decodeur(numero_serie=f"{CODE}{i:06d}", modele="Box banc") for i in range(FOYERS)]
    )
    return centre, foyers


NETTOYAGE = [
    "DELETE FROM equipements_ligneremise WHERE decodeur_id IN "
    "(SELECT id FROM equipements_decodeur WHERE numero_serie LIKE %(d)s)",
    "CREATE TEMP TABLE recus_banc AS SELECT recu_id FROM equipements_remise r JOIN logements_foyer f "
    "ON f.id = r.foyer_id WHERE f.nom LIKE 'Foyer banc %%'",
    "DELETE FROM equipements_remise WHERE recu_id IN (SELECT recu_id FROM recus_banc)",
    "DELETE FROM equipements_recu WHERE id IN (SELECT recu_id FROM recus_banc)",
    "DROP TABLE recus_banc",
    "DELETE FROM equipements_decodeur WHERE numero_serie LIKE %(d)s",
    "DELETE FROM logements_adhesion WHERE foyer_id IN "
    "(SELECT id FROM logements_foyer WHERE nom LIKE 'Foyer banc %%')",
    "DELETE FROM logements_foyer WHERE nom LIKE 'Foyer banc %%'",
    "DELETE FROM logements_logement WHERE reference LIKE %(d)s",
    "DELETE FROM logements_immeuble WHERE reference LIKE %(d)s",
    "DELETE FROM logements_bailleur WHERE code = %(code)s",
    "DELETE FROM quartiers_quartier WHERE nom = %(q)s",
    "DELETE FROM quartiers_centresocial_membres WHERE centresocial_id IN "
    "(SELECT id FROM quartiers_centresocial WHERE nom = %(c)s)",
    "DELETE FROM quartiers_centresocial WHERE nom = %(c)s",
]


def _nettoyer() -> None:
    fichiers = [
        r.pdf for r in Recu.objects.filter(remise__foyer__nom__startswith="Foyer banc ").exclude(pdf="")
    ]
    for fichier in fichiers:
        fichier.storage.delete(fichier.name)
    parametres = {"d": f"{CODE}%", "code": CODE, "q": PREFIXE, "c": f"Centre social du {PREFIXE}"}
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")  # receipts are immutable: skip the triggers
        for ordre in NETTOYAGE:
            c.execute(ordre, parametres)
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith="banc-remise-").delete()


def run(rapport) -> None:
    _nettoyer()
    try:
        _mesurer(rapport)
    finally:
        _nettoyer()


def _mesurer(rapport) -> None:
    centre, foyers = _construire()
    port = _port_libre()
    guichets = []
    for k in range(GUICHETS):
        benevole = _utilisateur(f"banc-remise-{k}", "accueil")
        centre.membres.add(benevole)
        siens = foyers[k::GUICHETS]
        guichets.append(Commis(port, benevole, "accueil", "", [f.pk for f in siens]))
    rang = {f.pk: i for i, f in enumerate(foyers)}  # household i gets decoder i

    def formulaire(foyer_id: int) -> str:
        return urlencode(
            {
                "numeros": f"{CODE}{rang[foyer_id]:06d}",
                "autres": "Câble",
                "date": timezone.localdate().isoformat(),
                "signature": PNG_1PX,
                "confirmer": "1",
            }
        )

    # Queries per handover, in-process.
    client = Client()
    client.force_login(guichets[0].user)
    premier = guichets[0].codes.pop()
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.post(
            f"/equipements/foyers/{premier}/remise/",
            formulaire(premier),
            content_type="application/x-www-form-urlencoded",
        )
    if reponse.status_code != 302:
        raise RuntimeError(f"the handover answered {reponse.status_code}: {reponse.content[:500]!r}")
    nb_requetes = sum(not q["sql"].startswith(TRANSACTION) for q in requetes.captured_queries)

    # The receipt's PDF goes to the server's own background queue (as under `make run`; a worker in
    # production): the handover answers without waiting for WeasyPrint, which still runs on the same cores.
    os.environ["TACHES_LOCALES"] = "true"
    try:
        serveur = _serveur(port)
    finally:
        del os.environ["TACHES_LOCALES"]
    try:
        _en_meme_temps(guichets, lambda c, conn: [c.envoyer(conn, "GET", "/healthz") for _ in range(3)])
        base, _ = _phase(guichets, lambda c, conn: [c.envoyer(conn, "GET", "/healthz") for _ in range(40)])

        def au_rythme(c: Commis, conn):
            hasard = random.Random(c.user.pk)  # noqa: S311 — pauses of the desk
            for foyer_id in c.a_saisir(REMISES_PAR_GUICHET):
                time.sleep(hasard.uniform(*PAUSE))
                c.envoyer(conn, "POST", f"/equipements/foyers/{foyer_id}/remise/", formulaire(foyer_id))

        rythme, _ = _phase(guichets, au_rythme)
        # the first receipt was rendered in-process, before the server started
        rendus = (
            Recu.objects.filter(remise__foyer__nom__startswith="Foyer banc ").exclude(sha256="").count() - 1
        )
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)

    b50, b95 = _centiles(base["durees"])
    p50, p95 = _centiles(rythme["durees"])
    acceptes = rythme["statuts"].count(302)
    rapport.mesure(
        "queries per handover (POST; in-process the PDF task runs at once: included)",
        str(nb_requetes),
        but="pinned: 33 in a test",
    )
    rapport.mesure(
        f"handover, {GUICHETS} desks at once, one every {PAUSE[0]}–{PAUSE[1]} s: p50 / p95 "
        f"({acceptes} of {len(rythme['statuts'])} recorded)",
        f"{p50:.0f} / {p95:.0f} ms",
        base=f"{b50:.0f} / {b95:.0f} ms (/healthz)",
        ratio=f"×{p95 / b95:.1f} at p95" if b95 else "",
        but=f"p95 < {BUT_P95_MS} ms " + ("✓" if p95 < BUT_P95_MS else "✗"),
    )
    rapport.note(
        f"Handovers: gunicorn (gthread, 2 workers × 10 threads) on 127.0.0.1, bench settings (DEBUG off); "
        f"{GUICHETS} desk volunteers, each with its own session and keep-alive connection, "
        f"{REMISES_PAR_GUICHET} handovers each (a decoder, a cable, a signature), a pause of "
        f"{PAUSE[0]}–{PAUSE[1]} s before each; each receipt's PDF (WeasyPrint) is rendered "
        f"in the server's background queue on the same cores (a worker in production): "
        f"{rendus} of {acceptes} rendered when the phase ended. "
        f"{os.cpu_count()} cores shared by the server, the clients and PostgreSQL."
    )
