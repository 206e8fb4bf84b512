"""Tenants' votes: ballot entry under 20 simultaneous clerks through a real server, and the result page.

1. **Ballot entry.** A quartier of its own (landlord BENCHVOT, 6,000 dwellings in buildings of 40) and an
   open vote; 10 caretakers (each with their own buildings) and 10 desk volunteers (members of the
   quartier's centre social). A real server — gunicorn, 2 workers × 10 threads, on 127.0.0.1, the bench
   settings (DEBUG off) and the bench database — is started; 20 client threads, each with its own
   keep-alive connection and its own session, post ballots as the phone page does (htmx POST), each for
   dwellings of its own scope, all at once. Baseline: the same server, the same 20 threads, answering
   ``/healthz`` (one ``SELECT 1``). Then 200 second entries of already-voted dwellings (the 409 path).
   Queries per ballot are counted in-process through the Django test client (autocommit, as in
   production: the transaction's BEGIN/COMMIT are not queries).
2. **The result page** (city staff, ``/votes/<pk>/``) at 600 and 60,000 dwellings on the roll, about half
   of them having voted: queries and time, for an open vote (live counts per building and channel) and a
   closed one (counts stored at closing). The number of queries must be the same at both sizes.

The data is removed afterwards. Ballots are immutable (a trigger refuses DELETE): the clean-up runs with
``session_replication_role = replica``, which skips triggers, on this bench database only.
"""

import datetime
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from logements.models import Bailleur
from quartiers.models import CentreSocial, Quartier
from votes import services
from votes.models import Regle, Scrutin

TITRE = "Tenants’ votes: ballot entry by 20 clerks at once (real server), result page (PostgreSQL)"
CODE = "BENCHVOT"
PREFIXE = "Banc d’essai votes"
PAR_IMMEUBLE = 40
COMMIS = 20  # 10 caretakers, 10 desk volunteers
BULLETINS_AU_RYTHME = 25
BULLETINS_A_FOND = 40
PAUSE = (0.3, 1.0)  # seconds before each ballot at a brisk human pace
CHOIX = ["oui", "oui", "non", "blanc"]
DOUBLONS = 200
BUT_REQUETES = 8
BUT_P95_MS = 200
TAILLES_RESULTAT = (600, 60_000)
RACINE = Path(__file__).resolve().parent.parent
JOURNAL = Path(tempfile.gettempdir()) / "bench-votes-gunicorn.log"
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def run(rapport) -> None:
    _nettoyer()
    try:
        _saisie(rapport)
        _nettoyer()
        _page_resultat(rapport)
    finally:
        _nettoyer()


# --- Data ---------------------------------------------------------------------------------------------


def _construire(n: int, suffixe: str) -> tuple[Quartier, CentreSocial]:
    """A quartier of ``n`` dwellings in buildings of 40, with set-based SQL."""
    bailleur, _ = Bailleur.objects.get_or_create(
        code=CODE, defaults={"nom": "Bailleur du banc d’essai des votes"}
    )
    centre = CentreSocial.objects.create(nom=f"Centre social du {PREFIXE} {suffixe}")
    quartier = Quartier.objects.create(
        nom=f"{PREFIXE} {suffixe}", statut=Quartier.Statut.CAMPAGNE, centre_social=centre
    )
    nb_immeubles = -(-n // PAR_IMMEUBLE)
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO logements_immeuble
              (cree_le, modifie_le, quartier_id, bailleur_id, reference, nom, adresse, depot_bulletins, cages)
            SELECT now(), now(), %(q)s, %(b)s, %(s)s || '-' || lpad(i::text, 5, '0'), 'Résidence ' || i,
                   i || ' rue du Banc d’essai ' || %(s)s || ', 29200 Brest', 'Loge du gardien', 'A, B'
            FROM generate_series(1, %(nb)s) i
            """,
            {"q": quartier.pk, "b": bailleur.pk, "s": suffixe, "nb": nb_immeubles},
        )
        c.execute(
            """
            INSERT INTO logements_logement
              (cree_le, modifie_le, bailleur_id, reference, immeuble_id, cage, etage, porte, type)
            SELECT now(), now(), %(b)s, im.reference || '-' || lpad(k::text, 3, '0'), im.id,
                   CASE WHEN k %% 2 = 0 THEN 'A' ELSE 'B' END, (k / 8)::smallint, (k %% 4 + 1)::text, 'T3'
            FROM (SELECT id, reference, row_number() OVER (ORDER BY id) - 1 AS rang
                  FROM logements_immeuble WHERE quartier_id = %(q)s) im
            CROSS JOIN generate_series(0, %(par)s - 1) k
            WHERE im.rang * %(par)s + k < %(n)s
            """,
            {"b": bailleur.pk, "q": quartier.pk, "par": PAR_IMMEUBLE, "n": n},
        )
        c.execute("ANALYZE logements_logement, logements_immeuble")
    return quartier, centre


def _ouvrir(quartier: Quartier, par) -> Scrutin:
    maintenant = timezone.now()
    scrutin = services.scrutin_creer(
        quartier=quartier,
        par=par,
        intitule=f"Vote du {quartier.nom}",
        question="Approuvez-vous l’adhésion à Internet Pour Tous ?",
        regle=Regle.ACCORD_DIRECT,
        seuil_participation=25,
        seuil_majorite=50,
        notifie_le=timezone.localdate(),
        delai_mois=2,
        ouvre_le=maintenant - datetime.timedelta(hours=1),
        ferme_le=maintenant + datetime.timedelta(days=7),
    )
    return services.scrutin_ouvrir(scrutin=scrutin, par=par)


def _utilisateur(nom: str, role: str):
    user, _ = get_user_model().objects.get_or_create(
        username=nom, defaults={"first_name": "Banc", "last_name": nom}
    )
    user.groups.set([Group.objects.get(name=role)])
    return user


def _session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


SCRUTINS = (
    "SELECT s.id FROM votes_scrutin s JOIN quartiers_quartier q ON q.id = s.quartier_id "
    "WHERE q.nom LIKE %(q)s"
)
IMMEUBLES = (
    "SELECT i.id FROM logements_immeuble i JOIN logements_bailleur b ON b.id = i.bailleur_id "
    "WHERE b.code = %(code)s"
)
NETTOYAGE = [
    "DELETE FROM votes_bulletin WHERE scrutin_id IN (" + SCRUTINS + ")",  # noqa: S608 — constants
    "DELETE FROM votes_inscrit WHERE scrutin_id IN (" + SCRUTINS + ")",  # noqa: S608 — constants
    "DELETE FROM votes_scrutin_immeubles WHERE scrutin_id IN (" + SCRUTINS + ")",  # noqa: S608 — constants
    "DELETE FROM votes_scrutin WHERE id IN (" + SCRUTINS + ")",  # noqa: S608 — constants
    "DELETE FROM logements_logement WHERE immeuble_id IN (" + IMMEUBLES + ")",  # noqa: S608 — constants
    "DELETE FROM logements_immeuble_gardiens WHERE immeuble_id IN (" + IMMEUBLES + ")",  # noqa: S608 — constants
    "DELETE FROM logements_immeuble WHERE id IN (" + IMMEUBLES + ")",  # noqa: S608 — constants
    "DELETE FROM logements_bailleur WHERE code = %(code)s",
    "DELETE FROM quartiers_quartier WHERE nom LIKE %(q)s",
    "DELETE FROM quartiers_centresocial_membres WHERE centresocial_id IN "
    "(SELECT id FROM quartiers_centresocial WHERE nom LIKE %(c)s)",
    "DELETE FROM quartiers_centresocial WHERE nom LIKE %(c)s",
]


def _nettoyer() -> None:
    parametres = {"q": f"{PREFIXE}%", "c": f"Centre social du {PREFIXE}%", "code": CODE}
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")  # ballots are immutable: skip the triggers
        for ordre in NETTOYAGE:
            c.execute(ordre, parametres)
    get_user_model().objects.filter(username__startswith="banc-vote-").delete()


# --- 1. Ballot entry ------------------------------------------------------------------------------------


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serveur(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ipt.settings_bench", "DATABASE_URL": _url_base()}
    journal = open(JOURNAL, "w")  # noqa: SIM115 — the server's log, kept open while it runs
    processus = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ipt.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            "2",
            "--threads",
            "10",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=RACINE,
        env=env,
        stdout=journal,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return processus
        except OSError:
            pass
        time.sleep(0.2)
    processus.terminate()
    raise RuntimeError(f"gunicorn did not answer /healthz: see {JOURNAL}")


def _url_base() -> str:
    reglages = settings.DATABASES["default"]
    return (
        f"postgres://{reglages['USER']}:{reglages.get('PASSWORD') or ''}@{reglages['HOST'] or '127.0.0.1'}:"
        f"{reglages['PORT'] or 5432}/{reglages['NAME']}"
    )


class Commis:
    """One clerk: a session, a keep-alive connection, the codes of the ballots they will enter."""

    def __init__(self, port: int, user, canal: str, chemin: str, codes: list[str]):
        self.port, self.user, self.canal, self.chemin, self.codes = port, user, canal, chemin, codes
        self.csrf = _get_new_csrf_string()
        self.cookie = f"sessionid={_session(user)}; csrftoken={self.csrf}"
        self.durees: list[float] = []
        self.statuts: list[int] = []
        self.suivant = 0

    def a_saisir(self, n: int) -> list[str]:
        """The next ``n`` codes this clerk has not entered yet."""
        codes = self.codes[self.suivant : self.suivant + n]
        self.suivant += n
        return codes

    def envoyer(self, conn, methode: str, chemin: str, corps: str | None = None) -> int:
        entetes = {"Cookie": self.cookie, "HX-Request": "true"}
        if corps is not None:
            entetes |= {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf}
        debut = time.perf_counter()
        conn.request(methode, chemin, body=corps, headers=entetes)
        reponse = conn.getresponse()
        reponse.read()
        self.durees.append(time.perf_counter() - debut)
        self.statuts.append(reponse.status)
        return reponse.status


def _en_meme_temps(commis: list[Commis], travail) -> float:
    depart = threading.Barrier(len(commis))
    erreurs = []

    def executer(c: Commis):
        conn = http.client.HTTPConnection("127.0.0.1", c.port, timeout=30)
        try:
            depart.wait()
            travail(c, conn)
        except Exception as erreur:  # noqa: BLE001 — reported below
            erreurs.append(erreur)
        finally:
            conn.close()

    fils = [threading.Thread(target=executer, args=(c,)) for c in commis]
    debut = time.perf_counter()
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    if erreurs:
        raise erreurs[0]
    return time.perf_counter() - debut


def _centiles(durees: list[float]) -> tuple[float, float]:
    ms = sorted(d * 1000 for d in durees)
    return statistics.median(ms), ms[max(0, int(round(0.95 * len(ms))) - 1)]


def _saisie(rapport) -> None:
    quartier, centre = _construire(6_000, "saisie")
    agent = _utilisateur("banc-vote-ville", "ville")
    scrutin = _ouvrir(quartier, agent)
    inscrits = list(scrutin.inscrits.order_by("immeuble_id", "pk").values_list("immeuble_id", "code"))
    immeubles = sorted({i for i, _ in inscrits})
    par_immeuble: dict[int, list[str]] = {}
    for immeuble_id, code in inscrits:
        par_immeuble.setdefault(immeuble_id, []).append(code)

    port = _port_libre()
    commis = []
    # 10 caretakers with 5 buildings each (the first 50), 10 desk volunteers for the rest of the quartier.
    for k in range(COMMIS // 2):
        gardien = _utilisateur(f"banc-vote-gardien-{k}", "gardien")
        siens = immeubles[k * 5 : (k + 1) * 5]
        quartier.immeubles.model.gardiens.through.objects.bulk_create(
            [quartier.immeubles.model.gardiens.through(immeuble_id=i, user_id=gardien.pk) for i in siens]
        )
        codes = [code for i in siens for code in par_immeuble[i]]
        commis.append(Commis(port, gardien, "gardien", f"/votes/{scrutin.pk}/saisie/gardien/", codes))
    reste = [code for i in immeubles[(COMMIS // 2) * 5 :] for code in par_immeuble[i]]
    for k in range(COMMIS // 2):
        benevole = _utilisateur(f"banc-vote-accueil-{k}", "accueil")
        centre.membres.add(benevole)
        commis.append(
            Commis(port, benevole, "accueil", f"/votes/{scrutin.pk}/saisie/accueil/", reste[k :: COMMIS // 2])
        )

    # Queries per ballot, in-process, autocommit as in production.
    client = Client()
    client.force_login(commis[0].user)
    code = commis[0].codes.pop()
    client.get(commis[0].chemin)
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.post(commis[0].chemin, {"code": code, "choix": "oui"}, HTTP_HX_REQUEST="true")
    if reponse.status_code != 200:
        raise RuntimeError(f"ballot entry answered {reponse.status_code}: {reponse.content[:500]!r}")
    # BEGIN and COMMIT of the entry's transaction are logged too: they are not queries.
    nb_requetes = sum(not q["sql"].startswith(TRANSACTION) for q in requetes.captured_queries)
    with CaptureQueriesContext(connection) as requetes_base:
        client.get("/healthz")

    serveur = _serveur(port)
    try:
        # warm up: every thread of the server opens its database connection
        _en_meme_temps(commis, lambda c, conn: [c.envoyer(conn, "GET", "/healthz") for _ in range(3)])
        base, debit_base = _phase(
            commis, lambda c, conn: [c.envoyer(conn, "GET", "/healthz") for _ in range(40)]
        )

        def au_rythme(c: Commis, conn):
            hasard = random.Random(c.user.pk)  # noqa: S311 — choices and pauses of the clerk
            for code in c.a_saisir(BULLETINS_AU_RYTHME):
                time.sleep(hasard.uniform(*PAUSE))
                c.envoyer(conn, "POST", c.chemin, urlencode({"code": code, "choix": hasard.choice(CHOIX)}))

        def a_fond(c: Commis, conn):
            hasard = random.Random(-c.user.pk)  # noqa: S311
            for code in c.a_saisir(BULLETINS_A_FOND):
                c.envoyer(conn, "POST", c.chemin, urlencode({"code": code, "choix": hasard.choice(CHOIX)}))

        def doubler(c: Commis, conn):
            for code in c.codes[: DOUBLONS // COMMIS]:
                c.envoyer(conn, "POST", c.chemin, urlencode({"code": code, "choix": "oui"}))

        rythme, _ = _phase(commis, au_rythme)
        fond, debit = _phase(commis, a_fond)
        doublons, _ = _phase(commis, doubler)
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)

    b50, b95 = _centiles(base["durees"])
    rapport.mesure(
        "queries per ballot entered (htmx POST)",
        str(nb_requetes),
        base=f"{len(requetes_base.captured_queries)} for /healthz",
        but=f"≤ {BUT_REQUETES} " + ("✓" if nb_requetes <= BUT_REQUETES else "✗"),
    )
    for libelle, phase in (
        (f"ballot entry, {COMMIS} clerks at once, each a ballot every {PAUSE[0]}–{PAUSE[1]} s", rythme),
        (f"ballot entry, {COMMIS} clerks at once, flat out (no pause)", fond),
    ):
        p50, p95 = _centiles(phase["durees"])
        acceptes = phase["statuts"].count(200)
        rapport.mesure(
            f"{libelle}: p50 / p95 ({acceptes} of {len(phase['statuts'])} accepted)",
            f"{p50:.0f} / {p95:.0f} ms",
            base=f"{b50:.0f} / {b95:.0f} ms (/healthz, flat out)",
            ratio=f"×{p95 / b95:.1f} at p95" if b95 else "",
            but=f"p95 < {BUT_P95_MS} ms " + ("✓" if p95 < BUT_P95_MS else "✗"),
        )
    rapport.mesure(
        "throughput flat out",
        f"{debit:.0f} ballots/s",
        base=f"{debit_base:.0f} requests/s (/healthz)",
    )
    d50, d95 = _centiles(doublons["durees"])
    rapport.mesure(
        "second entry refused (409): p50 / p95",
        f"{d50:.0f} / {d95:.0f} ms ({doublons['statuts'].count(409)} of {len(doublons['statuts'])} refused)",
    )
    rapport.note(
        f"Ballot entry: gunicorn (gthread, 2 workers × 10 threads) on 127.0.0.1 with the bench settings "
        f"(DEBUG off), {COMMIS} client threads (10 caretakers on their own buildings, 10 desk volunteers), "
        f"each with its own session and keep-alive connection, all starting together; times are measured by "
        f"the clients (request sent → response read). First at a brisk human pace ({BULLETINS_AU_RYTHME} "
        f"ballots each, a pause of {PAUSE[0]}–{PAUSE[1]} s before each: typing a code takes longer), then "
        f"flat out ({BULLETINS_A_FOND} ballots each, no pause: a stress test, bound by the CPU). Entries "
        f"share the vote's lock (closing takes it alone), so they do not wait for each other. Queries per "
        f"ballot, "
        f"counted in-process: session, user, the user's two permission sets, the vote's lock, the dwelling "
        f"(with the vote and its ballot if any), the insert, the building's voters with the vote's total "
        f"(plus BEGIN and COMMIT). {os.cpu_count()} cores shared by the server, the clients and PostgreSQL."
    )


def _phase(commis: list[Commis], travail) -> tuple[dict, float]:
    for c in commis:
        c.durees, c.statuts = [], []
    duree = _en_meme_temps(commis, travail)
    durees = [d for c in commis for d in c.durees]
    return {"durees": durees, "statuts": [s for c in commis for s in c.statuts]}, len(durees) / duree


# --- 2. The result page ---------------------------------------------------------------------------------


def _page_resultat(rapport) -> None:
    agent = _utilisateur("banc-vote-ville", "ville")
    client = Client()
    client.force_login(agent)
    mesures = {}
    for n in TAILLES_RESULTAT:
        quartier, _ = _construire(n, f"resultat-{n}")
        scrutin = _ouvrir(quartier, agent)
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO votes_bulletin
                  (scrutin_id, inscrit_id, logement_id, choix, canal, saisi_le, motif_annulation)
                SELECT %(s)s, i.id, i.logement_id, (ARRAY['oui', 'oui', 'non', 'blanc'])[1 + i.id %% 4],
                       (ARRAY['gardien', 'gardien', 'accueil'])[1 + i.id %% 3],
                       now() - (i.id %% 1000) * interval '1 second', ''
                FROM votes_inscrit i WHERE i.scrutin_id = %(s)s AND i.id %% 2 = 0
                """,
                {"s": scrutin.pk},
            )
            c.execute("ANALYZE votes_inscrit, votes_bulletin")
        for etat in ("ouvert", "clos"):
            if etat == "clos":
                debut = time.perf_counter()
                services.scrutin_clore(scrutin=scrutin, par=agent, proces_verbal=False)
                rapport.mesure(
                    f"closing (count, rule, SHA-256), {n:,} dwellings",
                    f"{(time.perf_counter() - debut) * 1000:.0f} ms",
                )
            url = f"/votes/{scrutin.pk}/"
            client.get(url)
            durees = []
            for _ in range(7):
                with CaptureQueriesContext(connection) as requetes:
                    debut = time.perf_counter()
                    reponse = client.get(url)
                    durees.append(time.perf_counter() - debut)
                if reponse.status_code != 200:
                    raise RuntimeError(f"{url} answered {reponse.status_code}")
            mesures[(n, etat)] = (len(requetes.captured_queries), statistics.median(durees) * 1000)
    for etat, libelle in (("ouvert", "open vote, live counts"), ("clos", "closed vote, stored counts")):
        (q1, t1), (q2, t2) = (mesures[(n, etat)] for n in TAILLES_RESULTAT)
        rapport.mesure(
            f"result page queries, {libelle}: {TAILLES_RESULTAT[1]:,} vs {TAILLES_RESULTAT[0]:,} dwellings",
            f"{q2} ({t2:.0f} ms)",
            base=f"{q1} ({t1:.0f} ms)",
            ratio=f"×{t2 / t1:.1f} time" if t1 else "",
            but="same number " + ("✓" if q1 == q2 else "✗"),
        )
    rapport.note(
        "Result page: city staff's page of the vote through the Django test client, median of 7, about half "
        "the dwellings having voted. Open: three aggregate queries (roll per building, ballots per building, "
        "choice and channel, totals) — their time grows with the ballots, their number does not. Closed: the "
        "counts stored at closing are read with the vote, nothing is counted again."
    )
