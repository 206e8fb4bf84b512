"""The reception desk's search as you type: p50/p95 time and queries per search at 6,000 and 60,000 dwellings.

A city of its own (landlord BENCHACC, ten quartiers of one centre social, one volunteer) is built with
set-based SQL, about 90 % of dwellings with a current household, some with a former one, occupants and
opt-ins; then ``foyers_recherche_recalculer()`` fills the search texts, and ~200 searches of mixed kinds
(name, name prefix, first name and name, occupant, address, building, reference, phone whole or partial,
nothing found) go through the Django test client as htmx requests to the results endpoint, logged in as
the volunteer. Baselines in the same run: the same round trip with a query too short to search (the
cost of the request, session, permissions and template), and the SQL statements of each search alone.
The data is removed afterwards.
"""

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from logements.models import Bailleur, Foyer
from logements.services import foyers_recherche_recalculer
from quartiers.models import CentreSocial, Quartier

TITRE = "Reception desk: search as you type (PostgreSQL)"
CODE = "BENCHACC"
TAILLES = (6_000, 60_000)
PAR_IMMEUBLE = 40
QUARTIERS = 10
RECHERCHES = 200
BUT_MS = 100
URL = "/accueil/recherche/"

NOMS = (
    "Le Gall", "Le Goff", "Le Bras", "Le Roux", "Le Hénaff", "Le Bihan", "Le Corre", "Le Floc’h", "Guéguen",
    "Kerhervé", "Kerbrat", "Quéré", "Morvan", "Tanguy", "Cloarec", "Madec", "Le Berre", "Jézéquel", "Salaün",
    "Abgrall", "Ollivier", "Bernard", "Martin", "Petit", "Durand", "Dubois", "Moreau", "Lefèvre", "Leroy",
    "Roux", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller",
    "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
    "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
    "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer",
    "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
    "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin",
    "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
    "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet", "Rolland", "Leclercq",
    "Guillaume", "Lecomte", "Lopez", "Jean", "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez",
    "Diallo", "Traoré", "Benali", "Haddad", "Nguyen", "Da Silva", "Ferreira", "Yilmaz", "Kaya", "Mendy",
    "Le Meur", "Le Guen", "Prigent", "Riou", "Thomas", "Nédélec", "Pichon", "Cariou", "Caër", "Derrien",
)  # fmt: skip
PRENOMS = (
    "Hélène", "Marc", "Anne", "Yann", "Gwénaëlle", "Soizic", "Erwan", "Maël", "Nolwenn", "Loïc", "Aziliz",
    "Ronan", "Léa", "Chloé", "Inès", "Zoé", "Jérôme", "Françoise", "Gaël", "Anaïs", "Noémie", "Mathéo",
    "Karim", "Fatou", "Amadou", "Aïcha", "Mehdi", "Sofiane", "Thi", "Minh", "João", "Ana", "Mustafa", "Elif",
    "Paul", "Marie", "Jean", "Louise", "Hugo", "Emma", "Lucas", "Jade", "Nathan", "Camille", "Théo", "Sarah",
    "Pierre", "Julie", "Nicolas", "Manon", "Thomas", "Océane", "Kévin", "Élodie", "Sébastien", "Aurélie",
)  # fmt: skip
RUES = (
    "rue de l’Élorn", "rue Jean-Jaurès", "place de la Liberté", "rue de Siam", "rue Victor-Hugo",
    "rue de Kerourien", "rue de Keredern", "rue du Valy Hir", "rue de Quéliverzan", "rue de Bellevue",
    "avenue de Kerbernier", "rue de Kerangoff", "rue de Pen ar Creac’h", "rue de Pontanézen",
    "rue du Guelmeur", "rue de Lambézellec", "rue Anatole-France", "rue Louis-Pasteur", "rue de Brest",
    "rue Émile-Zola", "boulevard de l’Europe", "rue du Château", "rue de la Porte", "rue Saint-Exupéry",
    "rue Paul-Éluard", "rue Charles-Péguy", "allée des Embruns", "rue de l’Harteloire", "rue Kerfautras",
    "rue de Glasgow", "rue de Portsmouth", "rue de Denver", "rue de Dublin", "rue d’Ouessant", "rue de Sein",
    "rue de Molène", "rue du Conquet", "rue d’Armor", "rue Vauban", "rue Duquesne",
)  # fmt: skip
RESIDENCES = (
    "Les Embruns", "Les Goélands", "Le Phare", "Les Cormorans", "Ar Men", "Les Glénan", "Le Vauban",
    "Les Mouettes", "Kerhallet", "Le Ponant", "Les Abers", "Bel Air", "Les Tilleuls", "Ker Avel",
)  # fmt: skip


def run(rapport) -> None:
    _nettoyer()
    resultats = {}
    try:
        for n in TAILLES:
            _nettoyer()
            duree_ville, benevole = _chrono(lambda n=n: _construire(n))
            duree_texte, modifies = _chrono(foyers_recherche_recalculer)
            # As autovacuum would: statistics for the planner, and no dead index entries left by the
            # previous size (planning would probe them, ten times slower).
            with connection.cursor() as cursor:
                cursor.execute(
                    "VACUUM ANALYZE logements_foyer, logements_logement, logements_immeuble, "
                    "logements_personne, logements_adhesion, quartiers_quartier"
                )
            nb_foyers = Foyer.objects.filter(logement__bailleur__code=CODE).count()
            rapport.note(
                f"**{n:,} dwellings**: {nb_foyers:,} households built in {duree_ville:.1f} s; "
                f"`foyers_recherche_recalculer()` filled {modifies:,} search texts in {duree_texte:.1f} s "
                f"({modifies / duree_texte:,.0f} households/s)."
            )
            resultats[n] = _mesurer(rapport, n, benevole)
        petit, grand = (resultats[n] for n in TAILLES)
        rapport.mesure(
            f"queries per search, {TAILLES[1]:,} vs {TAILLES[0]:,} dwellings",
            f"{_plage(grand['requetes'])} at {TAILLES[1]:,}",
            base=f"{_plage(petit['requetes'])} at {TAILLES[0]:,}",
            ratio="same" if petit["requetes"] == grand["requetes"] else "different",
            but="same at both sizes " + ("✓" if petit["requetes"] == grand["requetes"] else "✗"),
        )
        rapport.note(
            "Each search is an htmx GET of the results list through the Django test client (no network), "
            "logged in as a volunteer covering the ten quartiers; the ~200 queries mix household names, "
            "4-letter prefixes, first name and name, occupants, street addresses, building names, landlord "
            "references, phones with spaces, dots or none, their last four digits, and words found nowhere. "
            "Queries counted per request: session, user, the user's two permission sets (4), then the "
            "households, their occupants and the empty dwellings (7); 6 when no household is found (no "
            "occupants to read), 4 when the query holds no word of three letters or more but common ones "
            "(a prefix such as “le g”: nothing is searched). “SQL alone” re-runs the SQL statements of each "
            "search through a cursor; “request without search” is the same round trip with a one-letter "
            "query."
        )
    finally:
        _nettoyer()


# --- The city ------------------------------------------------------------------------------------


def _construire(n: int):
    """Ten quartiers, n dwellings in buildings of 40, ~90 % with a household, occupants, opt-ins."""
    with transaction.atomic():
        bailleur = Bailleur.objects.create(nom="Bailleur du banc d’essai de l’accueil", code=CODE)
        centre = CentreSocial.objects.create(nom="Centre social du banc d’essai de l’accueil")
        quartiers = [
            Quartier.objects.create(
                nom=f"Banc d’essai accueil {i}", statut=Quartier.Statut.ACTIF, centre_social=centre
            ).pk
            for i in range(QUARTIERS)
        ]
        benevole, _ = get_user_model().objects.get_or_create(username="banc-accueil")
        benevole.groups.set([Group.objects.get(name="accueil")])
        centre.membres.add(benevole)
        nb_immeubles = -(-n // PAR_IMMEUBLE)
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO logements_immeuble
                  (cree_le, modifie_le, quartier_id, bailleur_id, reference, nom, adresse,
                   depot_bulletins, cages)
                SELECT now(), now(), (%(quartiers)s::bigint[])[1 + b %% %(nq)s], %(bailleur)s,
                       'BA' || lpad(b::text, 5, '0'),
                       CASE WHEN b %% 3 = 0 THEN 'Résidence ' || (%(residences)s::text[])[1 + b %% %(nres)s]
                            ELSE '' END,
                       (1 + b / %(nrues)s)::text || ' ' || (%(rues)s::text[])[1 + b %% %(nrues)s]
                         || ', 29200 Brest',
                       '', 'A, B, C, D'
                FROM generate_series(0, %(nb)s - 1) b
                """,
                {
                    "quartiers": quartiers,
                    "nq": QUARTIERS,
                    "bailleur": bailleur.pk,
                    "residences": list(RESIDENCES),
                    "nres": len(RESIDENCES),
                    "rues": list(RUES),
                    "nrues": len(RUES),
                    "nb": nb_immeubles,
                },
            )
            c.execute(
                """
                INSERT INTO logements_logement
                  (cree_le, modifie_le, bailleur_id, reference, immeuble_id, cage, etage, porte, type,
                   connecte_depuis)
                SELECT now(), now(), %(bailleur)s, 'BA' || lpad(i::text, 7, '0'), imm.id,
                       chr(65 + (i %% 40) / 10), (i %% 10), (1 + i %% 4)::text, 'T3', date '2014-01-01'
                FROM generate_series(0, %(n)s - 1) i
                JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rang
                      FROM logements_immeuble WHERE bailleur_id = %(bailleur)s) imm ON imm.rang = i / 40
                """,
                {"bailleur": bailleur.pk, "n": n},
            )
            # Current households in 9 dwellings out of 10; a former one in 1 out of 7.
            c.execute(
                """
                INSERT INTO logements_foyer
                  (cree_le, modifie_le, logement_id, nom, telephone, email, emmenage_le, demenage_le,
                   recherche)
                SELECT now(), now(), l.id, (%(noms)s::text[])[1 + (l.rang * 7919) %% %(nnoms)s],
                       CASE WHEN l.rang %% 5 = 4 THEN ''
                            ELSE '06 ' || to_char(l.rang / 1000000 %% 100, 'FM00') || ' '
                                 || to_char(l.rang / 10000 %% 100, 'FM00') || ' '
                                 || to_char(l.rang / 100 %% 100, 'FM00') || ' '
                                 || to_char(l.rang %% 100, 'FM00')
                       END,
                       '', date '2000-01-01' + (l.rang %% 8000)::int, NULL, ''
                FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rang
                      FROM logements_logement WHERE bailleur_id = %(bailleur)s) l
                WHERE l.rang %% 10 <> 0
                UNION ALL
                SELECT now(), now(), l.id, (%(noms)s::text[])[1 + (l.rang * 104729) %% %(nnoms)s], '', '',
                       date '1990-01-01', date '1999-12-31', ''
                FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rang
                      FROM logements_logement WHERE bailleur_id = %(bailleur)s) l
                WHERE l.rang %% 7 = 0
                """,
                {"bailleur": bailleur.pk, "noms": list(NOMS), "nnoms": len(NOMS)},
            )
            # 0 to 3 occupants per current household, bearing its name.
            c.execute(
                """
                INSERT INTO logements_personne (cree_le, modifie_le, prenom, nom, foyer_id, telephone, email)
                SELECT now(), now(), (%(prenoms)s::text[])[1 + (f.rang * 31 + k * 17) %% %(nprenoms)s],
                       f.nom, f.id, '', ''
                FROM (SELECT fo.id, fo.nom, row_number() OVER (ORDER BY fo.id) - 1 AS rang
                      FROM logements_foyer fo JOIN logements_logement lo ON lo.id = fo.logement_id
                      WHERE lo.bailleur_id = %(bailleur)s AND fo.demenage_le IS NULL) f
                CROSS JOIN generate_series(1, 3) k
                WHERE k <= f.rang %% 4
                """,
                {"bailleur": bailleur.pk, "prenoms": list(PRENOMS), "nprenoms": len(PRENOMS)},
            )
            # 15 % opted in; 1 % of them opted out later.
            c.execute(
                """
                INSERT INTO logements_adhesion (foyer_id, type, date, note, saisie_par_id, saisie_le)
                SELECT f.id, 'adhesion', f.emmenage_le + 30, '', NULL::integer, now()
                FROM (SELECT fo.id, fo.emmenage_le, row_number() OVER (ORDER BY fo.id) - 1 AS rang
                      FROM logements_foyer fo JOIN logements_logement lo ON lo.id = fo.logement_id
                      WHERE lo.bailleur_id = %(bailleur)s AND fo.demenage_le IS NULL) f
                WHERE f.rang %% 20 < 3
                UNION ALL
                SELECT f.id, 'desistement', f.emmenage_le + 400, '', NULL::integer, now()
                FROM (SELECT fo.id, fo.emmenage_le, row_number() OVER (ORDER BY fo.id) - 1 AS rang
                      FROM logements_foyer fo JOIN logements_logement lo ON lo.id = fo.logement_id
                      WHERE lo.bailleur_id = %(bailleur)s AND fo.demenage_le IS NULL) f
                WHERE f.rang %% 100 = 1
                """,
                {"bailleur": bailleur.pk},
            )
    return benevole


def _nettoyer() -> None:
    bailleur = Bailleur.objects.filter(code=CODE).first()
    with transaction.atomic(), connection.cursor() as c:
        if bailleur is not None:
            foyers = (
                "SELECT f.id FROM logements_foyer f JOIN logements_logement l ON l.id = f.logement_id "
                "WHERE l.bailleur_id = %s"
            )
            c.execute(f"DELETE FROM logements_adhesion WHERE foyer_id IN ({foyers})", [bailleur.pk])  # noqa: S608
            c.execute(f"DELETE FROM logements_personne WHERE foyer_id IN ({foyers})", [bailleur.pk])  # noqa: S608
            c.execute(
                "DELETE FROM logements_foyer WHERE logement_id IN "
                "(SELECT id FROM logements_logement WHERE bailleur_id = %s)",
                [bailleur.pk],
            )
            c.execute("DELETE FROM logements_logement WHERE bailleur_id = %s", [bailleur.pk])
            c.execute("DELETE FROM logements_immeuble WHERE bailleur_id = %s", [bailleur.pk])
            c.execute("DELETE FROM logements_bailleur WHERE id = %s", [bailleur.pk])
        Quartier.objects.filter(nom__startswith="Banc d’essai accueil").delete()
        CentreSocial.objects.filter(nom="Centre social du banc d’essai de l’accueil").delete()


# --- The searches --------------------------------------------------------------------------------


def _recherches(hasard: random.Random) -> list[str]:
    """~200 queries of mixed kinds, taken from the city built."""
    with connection.cursor() as c:
        c.execute(
            """
            SELECT f.nom, f.telephone, l.reference, i.adresse, i.nom,
                   (SELECT p.prenom FROM logements_personne p WHERE p.foyer_id = f.id ORDER BY p.id LIMIT 1)
            FROM logements_foyer f JOIN logements_logement l ON l.id = f.logement_id
            JOIN logements_immeuble i ON i.id = l.immeuble_id
            WHERE l.bailleur_id = (SELECT id FROM logements_bailleur WHERE code = %s)
            ORDER BY random() LIMIT 400
            """,
            [CODE],
        )
        lignes = c.fetchall()
    avec_prenom = [ligne for ligne in lignes if ligne[5]]
    avec_telephone = [ligne for ligne in lignes if ligne[1]]
    avec_residence = [ligne for ligne in lignes if ligne[4]]
    fabriques = [
        lambda: hasard.choice(lignes)[0],  # a household name as written
        lambda: hasard.choice(lignes)[0].lower().replace("é", "e")[:4],  # typed as you go, no accent
        lambda: _prenom_nom(hasard.choice(avec_prenom)),  # first name and name
        lambda: hasard.choice(avec_prenom)[5],  # an occupant's first name alone
        lambda: hasard.choice(lignes)[3].split(",")[0],  # "12 rue de l’Élorn"
        lambda: hasard.choice(lignes)[3].split(",")[0].split(" ", 1)[1],  # the street alone
        lambda: hasard.choice(avec_residence)[4],  # the building's name
        lambda: hasard.choice(lignes)[2],  # the landlord's reference
        lambda: hasard.choice(avec_telephone)[1],  # the phone with spaces
        lambda: hasard.choice(avec_telephone)[1].replace(" ", ""),  # without
        lambda: hasard.choice(avec_telephone)[1].replace(" ", "."),  # with dots
        lambda: hasard.choice(avec_telephone)[1][-5:],  # the last four digits
        lambda: hasard.choice(["Kerzhuel", "zzqx", "Smith", "rue de Paris"]),  # found nowhere
    ]
    return [fabriques[i % len(fabriques)]() for i in range(RECHERCHES)]


def _prenom_nom(ligne) -> str:
    nom, *_, prenom = ligne
    return f"{prenom} {nom}"


def _mesurer(rapport, n: int, benevole) -> dict:
    hasard = random.Random(n)  # noqa: S311 — reproducible choices, not secrets
    recherches = _recherches(hasard)
    client = Client()
    client.force_login(benevole)
    entetes = {"HTTP_HX_REQUEST": "true"}
    for q in recherches[:20]:  # warm up: connection, templates, caches
        client.get(URL, {"q": q}, **entetes)

    # Queries per search, and their SQL for the baseline.
    requetes, sql = [], []
    for q in recherches:
        with CaptureQueriesContext(connection) as capture:
            reponse = client.get(URL, {"q": q}, **entetes)
        if reponse.status_code != 200:
            raise RuntimeError(f"{URL}?q={q} answered {reponse.status_code}")
        requetes.append(len(capture.captured_queries))
        sql.append([r["sql"] for r in capture.captured_queries if "logements_" in r["sql"]])

    temps = []
    trouves = 0
    for q in recherches:
        debut = time.perf_counter()
        reponse = client.get(URL, {"q": q}, **entetes)
        temps.append((time.perf_counter() - debut) * 1000)
        trouves += b'href="/accueil/foyers/' in reponse.content

    vide = []
    for _ in range(len(recherches)):
        debut = time.perf_counter()
        client.get(URL, {"q": "x"}, **entetes)
        vide.append((time.perf_counter() - debut) * 1000)

    seul = []
    with connection.cursor() as c:
        for instructions in sql:
            debut = time.perf_counter()
            for instruction in instructions:
                c.execute(instruction)
                c.fetchall()
            seul.append((time.perf_counter() - debut) * 1000)

    p50, p95 = _centiles(temps)
    rapport.mesure(
        f"search as you type, {n:,} dwellings, {len(recherches)} searches ({trouves} with a household found)",
        f"p50 {p50:.1f} ms · p95 {p95:.1f} ms · max {max(temps):.1f} ms",
        base="SQL alone p50 {:.1f} · p95 {:.1f} ms; request without search p50 {:.1f} · p95 {:.1f} ms".format(
            *_centiles(seul), *_centiles(vide)
        ),
        ratio=f"{p95 / _centiles(vide)[1]:.1f} × the bare request (p95)",
        but=f"p95 < {BUT_MS} ms " + ("✓" if p95 < BUT_MS else "✗"),
    )
    rapport.mesure(f"queries per search, {n:,} dwellings", _plage(requetes), but="fixed")
    return {"requetes": sorted(set(requetes))}


def _centiles(valeurs: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(valeurs, n=100, method="inclusive")
    return q[49], q[94]


def _plage(requetes) -> str:
    valeurs = sorted(set(requetes))
    return str(valeurs[0]) if len(valeurs) == 1 else f"{valeurs[0]}–{valeurs[-1]}"


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat
