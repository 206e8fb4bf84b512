"""The nightly retention purge at 6,000 and 60,000 dwellings, one household each, 20 % of them gone three
years ago with no contact since (due, and so are their people): time of the purge, its chunks, its peak
of Python memory (tracemalloc) — flat from 6,000 to 60,000 since it reads primary keys by chunks —, then
the same run again, which must find nothing left to do.

Each household has one person, one opt-in and two audit entries (about it and about its opt-in: 120,000
at 60,000 dwellings); built with set-based SQL under a landlord of its own (BENCHCON), removed afterwards.
The purge runs on the whole database, as at night.
"""

import gc
import time
import tracemalloc

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from donnees.conservation import purger
from ipt.models import Evenement
from logements.models import Adhesion, Bailleur, Foyer
from quartiers.models import Quartier

TITRE = "Nightly retention purge: 20 % of the households due (PostgreSQL)"
CODE = "BENCHCON"
QUARTIER = "Banc d’essai conservation"
TAILLES = (6_000, 60_000)
PART_DUE = 5  # one household in five
BUT_S = 120
ACTIONS = {"logements_foyer": "banc.conservation.foyer", "logements_adhesion": "banc.conservation.adhesion"}


def run(rapport) -> None:
    resultats = {}
    try:
        for n in TAILLES:
            _nettoyer()
            debut = time.perf_counter()
            _construire(n)
            rapport.note(
                f"**{n:,} dwellings** ({n // PART_DUE:,} households due) "
                f"built in {time.perf_counter() - debut:.1f} s."
            )
            resultats[n] = _mesurer(rapport, n)
        petit, grand = (resultats[n] for n in TAILLES)
        rapport.mesure(
            f"peak Python memory of the purge, {TAILLES[1]:,} vs {TAILLES[0]:,} dwellings",
            f"{grand['pic'] / 1e6:.1f} MB",
            base=f"{petit['pic'] / 1e6:.1f} MB",
            ratio=f"× {grand['pic'] / petit['pic']:.2f}",
            but="flat (< × 1.5) " + ("✓" if grand["pic"] < 1.5 * petit["pic"] else "✗"),
        )
        rapport.mesure(
            f"purge time, {TAILLES[1]:,} vs {TAILLES[0]:,} dwellings",
            f"{grand['duree']:.1f} s",
            base=f"{petit['duree']:.1f} s",
            ratio=f"× {grand['duree'] / petit['duree']:.1f}",
            but="about linear (× 10)",
        )
        rapport.note(
            "One call of `donnees.conservation.purger` (the beat task's service) in this process; the "
            "memory measured with tracemalloc in a second run on the same data built again. For each rule, "
            f"the candidates' primary keys {settings.CONSERVATION_LOT:,} at a time (keyset on a cheap "
            "filter), those due among them locked (`SELECT … FOR UPDATE OF`), then the register's values "
            "written with one `UPDATE` per model, each chunk in its own transaction; the audit entries about "
            "the chunk's records found by (type, id) on their index and anonymised too. A household's last "
            "contact is the latest of sixteen correlated subqueries (opt-ins, handovers, sales, payments, "
            "appointments, contact attempts, its people's sign-ups…), each on a foreign-key index, "
            "computed once per candidate."
        )
    finally:
        _nettoyer()


def _mesurer(rapport, n: int) -> dict:
    jour = timezone.localdate()
    duree_essai, essai = _chrono(lambda: purger(jour=jour, essai=True))
    duree, bilan = _chrono(lambda: purger(jour=jour))
    entrees = Evenement.objects.filter(action__in=ACTIONS.values(), objet_libelle="(anonymisé)").count()
    duree2, second = _chrono(lambda: purger(jour=jour))

    # The memory in a run of its own on the same data built again: tracemalloc slows Python down.
    _nettoyer()
    _construire(n)
    gc.collect()
    tracemalloc.start()
    try:
        purger(jour=jour)
        pic = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    due = n // PART_DUE
    lots = sum(bilan.lots.values())
    par_regle = ", ".join(f"{code} {s:.1f} s" for code, s in bilan.durees.items() if s >= 0.05)
    rapport.mesure(
        f"purge, {n:,} dwellings: households anonymised with their people / people alone",
        f"{duree:.1f} s ({bilan.nombres['foyers']:,} / {bilan.nombres['personnes']:,}; "
        f"{lots} chunks; {par_regle})",
        base=f"dry run {duree_essai:.1f} s "
        f"(counts {essai.nombres['foyers']:,} / {essai.nombres['personnes']:,})",
        but=f"< {BUT_S} s, all due done "
        + (
            "✓"
            if duree < BUT_S and bilan.nombres["foyers"] >= due and essai.nombres == bilan.nombres
            else "✗"
        ),
    )
    rapport.mesure(
        f"audit entries about them anonymised, {n:,} dwellings",
        f"{entrees:,}",
        but=f"{2 * due:,} " + ("✓" if entrees == 2 * due else "✗"),
    )
    rapport.mesure(f"peak Python memory, {n:,} dwellings", f"{pic / 1e6:.1f} MB")
    rapport.mesure(
        "same run again",
        f"{duree2:.1f} s ({second.total} changed)",
        but="nothing changed " + ("✓" if second.total == 0 else "✗"),
    )
    return {"duree": duree, "pic": pic}


def _chrono(fonction):
    debut = time.perf_counter()
    resultat = fonction()
    return time.perf_counter() - debut, resultat


def _construire(n: int) -> None:
    with transaction.atomic():
        bailleur = Bailleur.objects.create(nom="Bailleur du banc d’essai de la conservation", code=CODE)
        quartier = Quartier.objects.create(nom=QUARTIER, statut=Quartier.Statut.ACTIF)
        with connection.cursor() as c:
            c.execute(
                """
                INSERT INTO logements_immeuble
                  (cree_le, modifie_le, quartier_id, bailleur_id, reference, nom, adresse, depot_bulletins,
                   cages)
                SELECT now(), now(), %(quartier)s, %(bailleur)s, 'BC' || lpad(b::text, 5, '0'), '',
                       b::text || ' rue de la Conservation, 29200 Brest', '', 'A'
                FROM generate_series(0, %(nb)s - 1) b
                """,
                {"quartier": quartier.pk, "bailleur": bailleur.pk, "nb": -(-n // 40)},
            )
            c.execute(
                """
                INSERT INTO logements_logement
                  (cree_le, modifie_le, bailleur_id, reference, immeuble_id, cage, etage, porte, type,
                   connecte_depuis)
                SELECT now(), now(), %(bailleur)s, 'BC' || lpad(i::text, 7, '0'), imm.id, 'A', i %% 10,
                       (1 + i %% 4)::text, 'T3', date '2014-01-01'
                FROM generate_series(0, %(n)s - 1) i
                JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rang
                      FROM logements_immeuble WHERE bailleur_id = %(bailleur)s) imm ON imm.rang = i / 40
                """,
                {"bailleur": bailleur.pk, "n": n},
            )
            # One household a dwelling; one in five moved out in January 2022 (due), the others there.
            c.execute(
                """
                INSERT INTO logements_foyer
                  (cree_le, modifie_le, logement_id, nom, telephone, email, emmenage_le, demenage_le,
                   recherche)
                SELECT timestamptz '2015-01-05 10:00+01', now(), l.id, 'Famille Banc ' || l.id,
                       '06 00 ' || lpad((l.id %% 1000000)::text, 6, '0'), 'banc' || l.id || '@example.org',
                       date '2010-01-01',
                       CASE WHEN l.id %% %(part)s = 0 THEN date '2022-01-15' END,
                       'famille banc ' || l.id
                FROM logements_logement l WHERE l.bailleur_id = %(bailleur)s
                """,
                {"bailleur": bailleur.pk, "part": PART_DUE},
            )
            c.execute(
                """
                INSERT INTO logements_personne (cree_le, modifie_le, prenom, nom, foyer_id, telephone, email)
                SELECT timestamptz '2015-01-05 10:00+01', now(), 'Banc', 'Personne ' || f.id, f.id, '', ''
                FROM logements_foyer f JOIN logements_logement l ON l.id = f.logement_id
                WHERE l.bailleur_id = %(bailleur)s
                """,
                {"bailleur": bailleur.pk},
            )
            c.execute(
                """
                INSERT INTO logements_adhesion (foyer_id, type, date, note, saisie_le)
                SELECT f.id, 'adhesion', date '2015-01-05', 'note du banc', now()
                FROM logements_foyer f JOIN logements_logement l ON l.id = f.logement_id
                WHERE l.bailleur_id = %(bailleur)s
                """,
                {"bailleur": bailleur.pk},
            )
            # The audit trail: an entry about each household and one about its opt-in, as the desk writes.
            types = ContentType.objects.get_for_models(Foyer, Adhesion, for_concrete_models=False)
            objets = ((Foyer, "logements_foyer", "f.id"), (Adhesion, "logements_adhesion", "a.id"))
            for modele, table, cle in objets:
                c.execute(
                    f"""
                    INSERT INTO ipt_evenement
                      (quand, par_nom, action, type_objet_id, objet_id, objet_libelle, message, details)
                    SELECT timestamptz '2015-01-05 10:00+01', 'accueil', %(action)s, %(type)s, {cle}::text,
                           f.nom, 'Adhésion de ' || f.nom || ' enregistrée.', '{{}}'::jsonb
                    FROM logements_foyer f JOIN logements_logement l ON l.id = f.logement_id
                    LEFT JOIN logements_adhesion a ON a.foyer_id = f.id
                    WHERE l.bailleur_id = %(bailleur)s
                    """,  # noqa: S608 — our own table and column names
                    {"action": ACTIONS[table], "type": types[modele].pk, "bailleur": bailleur.pk},
                )
    with connection.cursor() as c:
        c.execute(
            "ANALYZE logements_foyer, logements_personne, logements_adhesion, logements_logement, "
            "ipt_evenement"
        )


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
            c.execute(f"DELETE FROM logements_foyer WHERE id IN ({foyers})", [bailleur.pk])  # noqa: S608
            c.execute("DELETE FROM logements_logement WHERE bailleur_id = %s", [bailleur.pk])
            c.execute("DELETE FROM logements_immeuble WHERE bailleur_id = %s", [bailleur.pk])
            c.execute("DELETE FROM logements_bailleur WHERE id = %s", [bailleur.pk])
        c.execute("DELETE FROM ipt_evenement WHERE action IN %s", [tuple(ACTIONS.values())])
        Quartier.objects.filter(nom=QUARTIER).delete()
