"""Workshop sign-ups at the desk: 20 desks at once at a human pace, through a real server.

A quartier of its own (landlord BENCHATL, 480 opted-in households with one occupant each), 10 coming
sessions of 20 seats, and 20 desk volunteers of its centre. The same real server as the votes' bench
(gunicorn, 2 workers × 10 threads, bench settings, DEBUG off) is started; 20 client threads, each with its
own keep-alive connection and session, sign people up as the session page's button does (``personne=``),
spreading them over the sessions, each with a pause between two (the next person at the desk). The
sessions fill up: later sign-ups go to the waiting lists, under the same lock on the session's row.
Baseline: the same server and threads answering ``/healthz``. Queries per sign-up are counted in-process
through the Django test client (BEGIN/COMMIT not counted).

The data is removed afterwards (the sign-ups, sessions, people and the quartier; the audit entries stay).
"""

import datetime
import os
import random
import time
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ateliers.models import Atelier, Inscription, Seance, Structure
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
from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement, Personne
from quartiers.models import CentreSocial, Quartier

TITRE = "Workshop sign-ups: 20 desks at once at a human pace (real server)"
CODE = "BENCHATL"
PREFIXE = "Banc d’essai ateliers"
GUICHETS = 20
SEANCES = 10
PLACES = 20
INSCRIPTIONS_PAR_GUICHET = 12
FOYERS = GUICHETS * (INSCRIPTIONS_PAR_GUICHET + 2)
PAUSE = (0.5, 1.5)  # seconds between two people at the desk
BUT_P95_MS = 150


def _construire():
    centre = CentreSocial.objects.create(nom=f"Centre social du {PREFIXE}")
    quartier = Quartier.objects.create(nom=PREFIXE, statut=Quartier.Statut.ACTIF, centre_social=centre)
    bailleur = Bailleur.objects.create(code=CODE, nom=f"{PREFIXE} (bailleur)")
    immeubles = Immeuble.objects.bulk_create(
        [
            Immeuble(
                quartier=quartier, bailleur=bailleur, reference=f"{CODE}-{i}", adresse=f"{i} rue du Banc"
            )
            for i in range(FOYERS // 40 + 1)
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
            Foyer(logement=lg, nom=f"Foyer banc atelier {i}", emmenage_le=datetime.date(2015, 1, 1))
            for i, lg in enumerate(logements)
        ]
    )
    Adhesion.objects.bulk_create(
        [Adhesion(foyer=f, type=Adhesion.Type.ADHESION, date=datetime.date(2020, 1, 1)) for f in foyers]
    )
    personnes = Personne.objects.bulk_create(
        [Personne(prenom="Banc", nom=f"Atelier {i}", foyer=f) for i, f in enumerate(foyers)]
    )
    structure = Structure.objects.create(nom=f"Structure du {PREFIXE}")
    atelier = Atelier.objects.create(titre=f"Atelier du {PREFIXE}", structure=structure)
    debut = timezone.now() + datetime.timedelta(days=7)
    seances = Seance.objects.bulk_create(
        [
            Seance(
                atelier=atelier,
                quartier=quartier,
                debut=debut + datetime.timedelta(days=i),
                duree=datetime.timedelta(hours=2),
                lieu="Salle du banc",
                capacite=PLACES,
            )
            for i in range(SEANCES)
        ]
    )
    return centre, personnes, seances


def _nettoyer() -> None:
    with transaction.atomic():
        Inscription.objects.filter(seance__atelier__titre=f"Atelier du {PREFIXE}").delete()
        Seance.objects.filter(atelier__titre=f"Atelier du {PREFIXE}").delete()
        Atelier.objects.filter(titre=f"Atelier du {PREFIXE}").delete()
        Structure.objects.filter(nom=f"Structure du {PREFIXE}").delete()
        Personne.objects.filter(foyer__nom__startswith="Foyer banc atelier ").delete()
        Adhesion.objects.filter(foyer__nom__startswith="Foyer banc atelier ").delete()
        Foyer.objects.filter(nom__startswith="Foyer banc atelier ").delete()
        Logement.objects.filter(reference__startswith=CODE).delete()
        Immeuble.objects.filter(reference__startswith=CODE).delete()
        Bailleur.objects.filter(code=CODE).delete()
        Quartier.objects.filter(nom=PREFIXE).delete()
        CentreSocial.objects.filter(nom=f"Centre social du {PREFIXE}").delete()
    get_user_model().objects.filter(username__startswith="banc-atelier-").delete()


def run(rapport) -> None:
    _nettoyer()
    try:
        _mesurer(rapport)
    finally:
        _nettoyer()


def _mesurer(rapport) -> None:
    centre, personnes, seances = _construire()
    port = _port_libre()
    guichets = []
    for k in range(GUICHETS):
        benevole = _utilisateur(f"banc-atelier-{k}", "accueil")
        centre.membres.add(benevole)
        guichets.append(Commis(port, benevole, "accueil", "", [p.pk for p in personnes[k::GUICHETS]]))

    def chemin(rang: int) -> str:
        return f"/ateliers/seances/{seances[rang % SEANCES].pk}/inscrire/"

    # Queries per sign-up, in-process.
    client = Client()
    client.force_login(guichets[0].user)
    echauffement, premier = guichets[0].codes.pop(), guichets[0].codes.pop()
    client.post(
        chemin(0), urlencode({"personne": echauffement}), content_type="application/x-www-form-urlencoded"
    )
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.post(
            chemin(0), urlencode({"personne": premier}), content_type="application/x-www-form-urlencoded"
        )
    if reponse.status_code != 302:
        raise RuntimeError(f"the sign-up answered {reponse.status_code}: {reponse.content[:500]!r}")
    nb_requetes = sum(not q["sql"].startswith(TRANSACTION) for q in requetes.captured_queries)

    serveur = _serveur(port)
    try:
        _en_meme_temps(guichets, lambda c, conn: [c.envoyer(conn, "GET", "/healthz") for _ in range(3)])
        base, _ = _phase(guichets, lambda c, conn: [c.envoyer(conn, "GET", "/healthz") for _ in range(40)])

        def au_rythme(c: Commis, conn):
            hasard = random.Random(c.user.pk)  # noqa: S311 — pauses of the desk
            for i, personne in enumerate(c.a_saisir(INSCRIPTIONS_PAR_GUICHET)):
                time.sleep(hasard.uniform(*PAUSE))
                c.envoyer(conn, "POST", chemin(c.user.pk + i), urlencode({"personne": personne}))

        rythme, _ = _phase(guichets, au_rythme)
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)

    inscrites = Inscription.objects.filter(seance__in=seances, statut="inscrite").count()
    attente = Inscription.objects.filter(seance__in=seances, statut="attente").count()
    b50, b95 = _centiles(base["durees"])
    p50, p95 = _centiles(rythme["durees"])
    acceptes = rythme["statuts"].count(302)
    rapport.mesure(
        "queries per sign-up (POST)",
        str(nb_requetes),
        but="pinned: 14 in a test (savepoint and release included)",
    )
    rapport.mesure(
        f"sign-up, {GUICHETS} desks at once, one every {PAUSE[0]}–{PAUSE[1]} s: p50 / p95 "
        f"({acceptes} of {len(rythme['statuts'])} recorded)",
        f"{p50:.0f} / {p95:.0f} ms",
        base=f"{b50:.0f} / {b95:.0f} ms (/healthz)",
        ratio=f"×{p95 / b95:.1f} at p95" if b95 else "",
        but=f"p95 < {BUT_P95_MS} ms " + ("✓" if p95 < BUT_P95_MS else "✗"),
    )
    rapport.mesure(
        "seats never overbooked",
        f"{inscrites} signed up, {attente} waiting",
        but=f"≤ {SEANCES * PLACES} signed up " + ("✓" if inscrites <= SEANCES * PLACES else "✗"),
    )
    rapport.note(
        f"Sign-ups: gunicorn (gthread, 2 workers × 10 threads) on 127.0.0.1, bench settings (DEBUG off); "
        f"{GUICHETS} desk volunteers, each with its own session and keep-alive connection, "
        f"{INSCRIPTIONS_PAR_GUICHET} sign-ups each over {SEANCES} sessions of {PLACES} seats (the later ones "
        f"go to the waiting lists), a pause of {PAUSE[0]}–{PAUSE[1]} s before each. "
        f"{os.cpu_count()} cores shared by the server, the clients and PostgreSQL."
    )
