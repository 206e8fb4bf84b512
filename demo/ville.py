"""The demo city: a fictitious Brest-like city with the programme's 11 neighbourhoods.

Everything here is made up: the landlords, the streets, the households and the people. Only the
neighbourhood names and the years they joined come from the public description of the programme.

``construire_ville(nb_logements=6000)`` builds the city in bulk (PostgreSQL COPY, or bulk_create on
SQLite), deterministic for a given size, so that ``seed_demo --dwellings 500000`` takes minutes.
"""

import datetime
import io
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from logements.models import Adhesion, Bailleur, Foyer, Immeuble, Logement, Personne
from quartiers.models import Campagne, CentreSocial, Jalon, Quartier, Visite

# (name, year joined, share of the city's dwellings). Kerourien had 596 of about 6,000.
QUARTIERS = [
    ("Kerourien", 2009, 596),
    ("Keredern", 2012, 880),
    ("Valy Hir", 2013, 420),
    ("Quéliverzan", 2014, 510),
    ("Bellevue", 2014, 1090),
    ("Kerbernier", 2015, 400),
    ("Kerangoff", 2018, 450),
    ("Pen ar Creac'h / Kerbernard", 2018, 610),
    ("Pontanézen", 2020, 500),
    ("Le Guelmeur", 2020, 240),
    ("Lambézellec Bourg", 2021, 304),
]
TOTAL_PARTS = sum(part for _, _, part in QUARTIERS)

# The neighbourhood in campaign, its vote ahead; its dwellings are not connected yet.
QUARTIER_EN_CAMPAGNE = ("Kerhallet", 380)

# Prefix of the buildings' codes, per neighbourhood.
CODES = {
    "Kerourien": "KRN", "Keredern": "KDN", "Valy Hir": "VHR", "Quéliverzan": "QLZ", "Bellevue": "BLV",
    "Kerbernier": "KBN", "Kerangoff": "KGF", "Pen ar Creac'h / Kerbernard": "PAC", "Pontanézen": "PTZ",
    "Le Guelmeur": "GLM", "Lambézellec Bourg": "LBZ", "Kerhallet": "KHT",
}  # fmt: skip

# Fictitious landlords.
BAILLEURS = [
    ("HOC", "Habitat Océan (fictif)"),
    ("BLS", "Brest Logis Solidaire (fictif)"),
    ("AHS", "Armor Habitat Social (fictif)"),
    ("IRL", "Iroise Logement (fictif)"),
    ("PNL", "Penn Ar Bed Logement (fictif)"),
]

RUES = [
    "rue des Goélands",
    "rue des Embruns",
    "rue de la Marée",
    "rue des Cormorans",
    "allée des Bruyères",
    "rue des Ajoncs",
    "avenue des Phares",
    "rue du Vent d’Ouest",
    "rue des Hortensias",
    "place des Mouettes",
    "rue des Genêts",
    "rue de l’Aber",
    "rue des Sternes",
    "allée des Tamaris",
    "rue des Pétrels",
    "rue du Grand Large",
    "rue des Courlis",
    "rue des Fous de Bassan",
    "impasse des Algues",
    "rue des Balises",
]
NOMS = [
    "Le Bihan",
    "Kerjean",
    "Morvan",
    "Le Goff",
    "Tanguy",
    "Quéré",
    "Abalain",
    "Le Roux",
    "Cadiou",
    "Guivarch",
    "Moal",
    "Le Meur",
    "Jaouen",
    "Prigent",
    "Salaün",
    "Nédélec",
    "Floc’h",
    "Hervé",
    "Madec",
    "Riou",
    "Benali",
    "Diallo",
    "Martin",
    "Bernard",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Garcia",
    "Nguyen",
    "Da Silva",
    "Mendes",
    "Kaya",
    "Haddad",
    "Traoré",
]
PRENOMS = [
    "Anne",
    "Yann",
    "Maëlle",
    "Gwenaël",
    "Soizic",
    "Erwan",
    "Hélène",
    "Loïc",
    "Nolwenn",
    "Tristan",
    "Fatima",
    "Moussa",
    "Léa",
    "Hugo",
    "Chloé",
    "Lucas",
    "Inès",
    "Karim",
    "Amina",
    "Jules",
    "Marie",
    "Pierre",
    "Jeanne",
    "Louis",
    "Aïcha",
    "Mehdi",
    "Zoé",
    "Enzo",
    "Rose",
    "Noé",
]
DEPOTS = ["Loge du gardien, rez-de-chaussée cage A", "Boîte aux lettres du gardien, hall d’entrée"]
TYPES = ["T1", "T2", "T2", "T3", "T3", "T3", "T4", "T4", "T5", "T6"]


@dataclass
class Ville:
    quartiers: list[Quartier]
    quartier_en_campagne: Quartier
    centres: list[CentreSocial]
    bailleurs: list[Bailleur]
    nb_logements: int


def repartir(nb_logements: int) -> list[int]:
    """Share ``nb_logements`` between the 11 neighbourhoods in proportion to the real ones."""
    parts = [nb_logements * part // TOTAL_PARTS for _, _, part in QUARTIERS]
    parts[0] += nb_logements - sum(parts)
    return parts


def construire_ville(
    nb_logements: int = 6000, *, aujourd_hui: datetime.date | None = None, annoncer=None
) -> Ville:
    """Build the demo city. Neighbourhoods, centres and landlords are upserted; dwellings are built
    only for neighbourhoods that have none yet, so running it twice changes nothing.

    ``annoncer(texte)``, if given, is told of each neighbourhood built (``seed_demo`` shows progress)."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    alea = random.Random(2009)  # noqa: S311 — demo data, not security
    with transaction.atomic():
        bailleurs = [
            Bailleur.objects.update_or_create(code=code, defaults={"nom": nom})[0] for code, nom in BAILLEURS
        ]
        centres, quartiers = [], []
        for nom, annee, _ in QUARTIERS:
            centre = CentreSocial.objects.update_or_create(
                nom=f"Centre social de {nom.split(' / ')[0]}",
                defaults={
                    "adresse": f"{alea.randint(1, 40)} {alea.choice(RUES)}, 29200 Brest",
                    "horaires": "du lundi au vendredi, 9 h – 12 h et 14 h – 18 h",
                    "telephone": f"02 98 00 {alea.randint(10, 99)} {alea.randint(10, 99)}",
                },
            )[0]
            quartier = Quartier.objects.update_or_create(
                nom=nom,
                defaults={"statut": Quartier.Statut.ACTIF, "centre_social": centre, "annee_adhesion": annee},
            )[0]
            centres.append(centre)
            quartiers.append(quartier)
        nom_campagne, part_campagne = QUARTIER_EN_CAMPAGNE
        centre_campagne = CentreSocial.objects.update_or_create(
            nom=f"Centre social de {nom_campagne}",
            defaults={
                "adresse": "3 place des Mouettes, 29200 Brest",
                "horaires": "du lundi au samedi, 9 h – 12 h 30 et 13 h 30 – 18 h",
                "telephone": "02 98 00 45 67",
            },
        )[0]
        en_campagne = Quartier.objects.update_or_create(
            nom=nom_campagne,
            defaults={
                "statut": Quartier.Statut.CAMPAGNE,
                "centre_social": centre_campagne,
                "annee_adhesion": None,
            },
        )[0]
        centres.append(centre_campagne)

        tailles = repartir(nb_logements)
        for quartier, taille, (_, annee, _) in zip(quartiers, tailles, QUARTIERS, strict=True):
            if not Logement.objects.filter(immeuble__quartier=quartier).exists():
                _construire_quartier(
                    quartier, taille, bailleurs, alea, connecte_depuis=datetime.date(annee, 10, 1)
                )
                if annoncer:
                    annoncer(f"{quartier.nom} : {taille} logements")
        if not Logement.objects.filter(immeuble__quartier=en_campagne).exists():
            taille = max(130, nb_logements * part_campagne // TOTAL_PARTS)  # at least three buildings
            _construire_quartier(en_campagne, taille, bailleurs[:2], alea, connecte_depuis=None)
            if annoncer:
                annoncer(f"{en_campagne.nom} (en campagne) : {taille} logements")
        _campagne(en_campagne, aujourd_hui, alea)
    return Ville(quartiers, en_campagne, centres, bailleurs, Logement.objects.count())


def _construire_quartier(quartier, taille, bailleurs, alea, *, connecte_depuis):
    """Buildings of ~40 dwellings (stairwells A–C, floors 0–9, doors 1–4), households, occupants, opt-ins."""
    prefixe = CODES[quartier.nom]
    immeubles = []
    restant, numero = taille, 0
    while restant > 0:
        numero += 1
        nb = min(restant, alea.choice([24, 32, 40, 48, 60]))
        nb_cages = 1 + (nb > 30) + (nb > 50)
        immeubles.append(
            (
                Immeuble(
                    quartier=quartier,
                    bailleur=bailleurs[numero % len(bailleurs)],
                    reference=f"{prefixe}-{numero:03d}",
                    nom=f"Résidence {alea.choice(NOMS)} {numero}",
                    adresse=f"{numero * 2} {alea.choice(RUES)}, {quartier.nom}, 29200 Brest",
                    depot_bulletins=alea.choice(DEPOTS),
                    cages=", ".join("ABC"[:nb_cages]),
                ),
                nb,
                nb_cages,
            )
        )
        restant -= nb
    Immeuble.objects.bulk_create([i for i, _, _ in immeubles], batch_size=2000)  # sets the primary keys

    logements = []
    for immeuble, nb, nb_cages in immeubles:
        for k in range(nb):
            cage = "ABC"[k % nb_cages]
            rang = k // nb_cages
            logements.append(
                (
                    immeuble.bailleur_id,
                    f"{immeuble.reference}-{k + 1:04d}",
                    immeuble.pk,
                    cage,
                    rang // 4,
                    str(rang % 4 + 1),
                    alea.choice(TYPES),
                    connecte_depuis,
                )
            )
    ids_logements = copier(
        Logement,
        ["bailleur_id", "reference", "immeuble_id", "cage", "etage", "porte", "type", "connecte_depuis"],
        logements,
    )

    emmenage_min = datetime.date(2000, 1, 1)
    foyers = []
    for id_logement in ids_logements:
        if alea.random() < 0.08:  # vacant
            continue
        nom = alea.choice(NOMS)
        emmenage = emmenage_min + datetime.timedelta(days=alea.randint(0, 9000))
        telephone = f"0{alea.choice('67')} " + " ".join(f"{alea.randint(0, 99):02d}" for _ in range(4))
        foyers.append((id_logement, nom.upper(), telephone if alea.random() < 0.7 else "", emmenage))
    ids_foyers = copier(Foyer, ["logement_id", "nom", "telephone", "emmenage_le"], foyers)

    personnes, adhesions = [], []
    for id_foyer, (_, nom, _, emmenage) in zip(ids_foyers, foyers, strict=True):
        for _ in range(alea.choice([1, 1, 2, 2, 3])):
            personnes.append((alea.choice(PRENOMS), nom.title(), id_foyer))
        if connecte_depuis and alea.random() < 0.16:  # about 15 % of dwellings opt in
            date = max(connecte_depuis, emmenage) + datetime.timedelta(days=alea.randint(0, 400))
            adhesions.append(
                (id_foyer, Adhesion.Type.ADHESION.value, date, "Inscription lors de la remise des décodeurs")
            )
    copier(Personne, ["prenom", "nom", "foyer_id"], personnes)
    copier(Adhesion, ["foyer_id", "type", "date", "note"], adhesions)


def _campagne(quartier, aujourd_hui, alea):
    """The campaign of the neighbourhood whose vote opens today: partners briefed, the public meeting
    held four days ago (with its record), the door-to-door round under way (about three dwellings in
    four told), then the vote (its dates come from the vote itself, which ``demo.votes`` opens)."""
    jour = datetime.timedelta(days=1)
    campagne, cree = Campagne.objects.get_or_create(
        quartier=quartier,
        defaults={
            "intitule": f"Campagne Internet Pour Tous — {quartier.nom}",
            "reunion_lieu": quartier.centre_social.adresse if quartier.centre_social else "",
        },
    )
    if not cree:
        return campagne
    reunion = aujourd_hui - 4 * jour
    campagne.reunion_debut = timezone.make_aware(datetime.datetime.combine(reunion, datetime.time(18, 30)))
    campagne.reunion_participants = 58
    campagne.reunion_compte_rendu = (
        "Présentation de l’offre par la ville et les bailleurs. Questions sur la charge mensuelle, "
        "le décodeur et les ordinateurs reconditionnés ; inscriptions aux ateliers."
    )
    campagne.save(update_fields=["reunion_debut", "reunion_participants", "reunion_compte_rendu"])
    Jalon.objects.bulk_create(
        [
            Jalon(
                campagne=campagne,
                type=Jalon.Type.PARTENAIRES,
                date_prevue=aujourd_hui - 60 * jour,
                date_reelle=aujourd_hui - 58 * jour,
                note="Centre social, bailleurs, recyclerie, CLCV",
            ),
            Jalon(
                campagne=campagne,
                type=Jalon.Type.PORTE_A_PORTE,
                date_prevue=aujourd_hui - 20 * jour,
                date_fin_prevue=aujourd_hui + 5 * jour,
            ),
            Jalon(campagne=campagne, type=Jalon.Type.REUNION, date_prevue=reunion),
            Jalon(
                campagne=campagne,
                type=Jalon.Type.VOTE,
                date_prevue=aujourd_hui,
                date_fin_prevue=aujourd_hui + 19 * jour,
            ),
            Jalon(campagne=campagne, type=Jalon.Type.REMISE_DECODEURS, date_prevue=aujourd_hui + 90 * jour),
            Jalon(campagne=campagne, type=Jalon.Type.REMISE_DECODEURS, date_prevue=aujourd_hui + 110 * jour),
            Jalon(campagne=campagne, type=Jalon.Type.FORMATION, date_prevue=aujourd_hui + 120 * jour),
            Jalon(campagne=campagne, type=Jalon.Type.RETARDATAIRES, date_prevue=aujourd_hui + 150 * jour),
        ]
    )
    # The round so far: about three doors in four told, the others nobody home or not visited yet.
    resultats = [Visite.Resultat.DEPOSE] * 14 + [Visite.Resultat.QUESTION] * 2 + [Visite.Resultat.ABSENT] * 3
    visites = [
        Visite(
            campagne=campagne,
            logement_id=logement_id,
            date=aujourd_hui - alea.randint(2, 18) * jour,
            resultat=alea.choice(resultats),
        )
        for logement_id in Logement.objects.filter(immeuble__quartier=quartier).values_list("pk", flat=True)
        if alea.random() < 0.85
    ]
    Visite.objects.bulk_create(visites, batch_size=2000)
    return campagne


def copier(model, colonnes: list[str], lignes: list[tuple]) -> list[int]:
    """Insert rows in bulk and return their ids in the same order (COPY on PostgreSQL).

    Columns not given take their field's default, timestamps the current time.
    """
    if not lignes:
        return []
    if connection.vendor != "postgresql":
        objets = [model(**dict(zip(colonnes, ligne, strict=True))) for ligne in lignes]
        return [o.pk for o in model.objects.bulk_create(objets, batch_size=2000)]
    maintenant = datetime.datetime.now(datetime.UTC)
    autres = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in colonnes]
    valeurs_autres = tuple(
        maintenant if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False) else f.get_default()
        for f in autres
    )
    colonnes = ["id", *colonnes, *(f.column for f in autres)]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
            [len(lignes)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        tampon = io.StringIO()
        for id_, ligne in zip(ids, lignes, strict=True):
            tampon.write("\t".join(_champ_copy(v) for v in (id_, *ligne, *valeurs_autres)))
            tampon.write("\n")
        tampon.seek(0)
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(colonnes)}) FROM STDIN", tampon)  # noqa: S608
    return ids


def _champ_copy(valeur) -> str:
    if valeur is None:
        return r"\N"
    if isinstance(valeur, datetime.datetime | datetime.date):
        return valeur.isoformat()
    return str(valeur).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
