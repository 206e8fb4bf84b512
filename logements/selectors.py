"""Reads of the reception desk: the search, a household, a dwelling. Every one scoped to the user.

The search matches each word of the query, accent- and case-insensitively, against

- the household's ``recherche`` text (its name, its occupants' names, the digits of every phone), kept up
  to date by :mod:`logements.services`;
- the building's address and name, and the dwelling's landlord reference, normalised in the query by the
  database function ``ipt_normaliser`` (migration ``0003_recherche``: trigram indexes on PostgreSQL; on
  SQLite the Python :func:`normaliser` lent to the connection).

It answers in three queries whatever the size of the city: the households, their occupants, and the
empty dwellings that match.

Names are written many ways ("FLOC’H", "Floch", "LE GOFF", "Legoff", "Le-Goff"): the search text holds each
name both in words and joined (:func:`texte_de_recherche`: "floc h floch", "le goff legoff"), so that a query
typed with or without its apostrophe, hyphen or space finds it. Households are ranked by relevance
(:func:`foyers_rechercher`): the words found in their names first — a household named after a building
comes before the building's residents —, then current ones, whole words, then closeness (trigram
similarity, :func:`similarite`, computed in Python on the 40 best candidates: the same on PostgreSQL and
SQLite, and cheaper than pg_trgm's ``strict_word_similarity`` on every row found).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404

from ipt.perimetre import restreindre
from logements.models import Adhesion, Foyer, Immeuble, Logement, Personne
from quartiers.models import Quartier

LIMITE_RESULTATS = 20
LIMITE_LOGEMENTS_VIDES = 5
# Households ordered by trigram closeness, out of the best by the cheap ranks (see foyers_rechercher).
CANDIDATS = 2 * LIMITE_RESULTATS
LONGUEUR_MINIMUM = 3
MOTS_MAXIMUM = 6

# Letters that a Unicode decomposition does not split, mapped as PostgreSQL's unaccent does.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d"}
)
_NI_LETTRE_NI_CHIFFRE = re.compile(r"[^a-z0-9]+")
_SEPARATEURS_TELEPHONE = re.compile(r"[\s.\-/()]+")


def normaliser(texte: str) -> str:
    """Lower case, no accents, every run of other characters one space: "Hélène  d’Arc" → "helene d arc".

    The database function ``ipt_normaliser`` lowers and unaccents alike; it keeps punctuation, which the
    words searched never hold.
    """
    texte = unicodedata.normalize("NFKD", (texte or "").translate(_LIGATURES))
    texte = "".join(c for c in texte if not unicodedata.combining(c)).lower()
    return _NI_LETTRE_NI_CHIFFRE.sub(" ", texte).strip()


def chiffres_telephone(telephone: str) -> str:
    """The digits of a phone number, French numbering: "+33 6 00 00 01 02" → "0600000102"."""
    chiffres = "".join(c for c in telephone or "" if c.isdigit())
    for prefixe in ("0033", "33"):
        if telephone.lstrip().startswith(("+", "00")) and chiffres.startswith(prefixe):
            return "0" + chiffres[len(prefixe) :]
    return chiffres


def _joint(nom: str) -> str:
    """A name of several words, joined: "Floc’h" → "floch", "Le Goff" → "legoff"; "" for a single word."""
    mots = normaliser(nom).split()
    return "".join(mots) if len(mots) > 1 else ""


def texte_de_recherche(nom: str, telephone: str, occupants: list[tuple[str, str, str]]) -> str:
    """What ``Foyer.recherche`` holds: the household's and occupants' names, then the phones' digits.

    Each name of several words (split at spaces, apostrophes, hyphens) is also there joined, once:
    ``"FLOC’H"`` gives ``"floc h floch"``, so "floch", "floc h" and "floc’h" all find it.
    """
    mots = [normaliser(nom)]
    joints = [_joint(nom)]
    telephones = [chiffres_telephone(telephone)]
    for prenom, nom_occupant, telephone_occupant in occupants:
        mots.append(normaliser(f"{prenom} {nom_occupant}"))
        joints += [_joint(prenom), _joint(nom_occupant)]
        telephones.append(chiffres_telephone(telephone_occupant))
    return " ".join(m for m in [*mots, *dict.fromkeys(joints), *dict.fromkeys(telephones)] if m)


@lru_cache(maxsize=8192)
def _trigrammes(mot: str) -> frozenset[str]:
    """The trigrams of a word as pg_trgm makes them: padded with two spaces before, one after."""
    mot = f"  {mot} "
    return frozenset(mot[i : i + 3] for i in range(len(mot) - 2))


def _similarite_mots(mots_q: list[str], mots: list[str]) -> float:
    if not mots_q or not mots:
        return 0.0
    cible = frozenset().union(*map(_trigrammes, mots_q))
    if len(mots_q) == 1:
        fenetres = (_trigrammes(mot) for mot in dict.fromkeys(mots))
    else:
        fenetres = (
            frozenset().union(*map(_trigrammes, mots[debut : debut + len(mots_q)]))
            for debut in range(max(1, len(mots) - len(mots_q) + 1))
        )
    return max(len(cible & trigrammes) / len(cible | trigrammes) for trigrammes in fenetres)


def similarite(q: str, texte: str) -> float:
    """How close ``q`` is to its best-matching run of words of ``texte``, from 0 to 1.

    Trigram similarity as PostgreSQL's pg_trgm counts it (``strict_word_similarity``, near enough): the
    trigrams of the query against those of each run of as many words of the text, the best share kept.
    """
    return _similarite_mots(normaliser(q).split(), normaliser(texte).split())


def termes_de_recherche(q: str) -> list[str]:
    """The words to look for. A phone number, whole or partial, spaced or dotted, is one word of digits."""
    q = (q or "")[:100]
    compact = _SEPARATEURS_TELEPHONE.sub("", q)
    if re.fullmatch(r"\+?\d{4,}", compact):
        return [chiffres_telephone(compact)]
    # The longest words narrow the search the most.
    return sorted(dict.fromkeys(normaliser(q).split()), key=len, reverse=True)[:MOTS_MAXIMUM]


# Words of addresses and names too common to lead a search: they only narrow it.
MOTS_COURANTS = frozenset(
    "rue avenue av bd boulevard place pl allee impasse chemin route quai square cours residence res "
    "immeuble bat batiment brest 29200 famille de du des la le les et au aux en sur saint st".split()
)


class Normaliser(Func):
    """``ipt_normaliser(column)``: lower case, no accents (``lower(unaccent(…))`` on PostgreSQL)."""

    function = "ipt_normaliser"
    output_field = TextField()


class Parmi(Func):
    """``column = ANY(ARRAY(subquery))`` on PostgreSQL, ``column IN (subquery)`` elsewhere.

    The array is computed once, and a condition on the column's own index can then be OR-ed with another
    index (a bitmap OR), where ``IN (subquery)`` would make PostgreSQL read the whole table.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, champ: str, sous_requete: QuerySet):
        super().__init__(F(champ), Subquery(sous_requete.order_by().values("pk")))

    def as_sql(self, compiler, connection, **extra):
        colonne, params_colonne = compiler.compile(self.source_expressions[0])
        requete, params_requete = compiler.compile(self.source_expressions[1])
        return f"{colonne} IN {requete}", (*params_colonne, *params_requete)

    def as_postgresql(self, compiler, connection, **extra):
        colonne, params_colonne = compiler.compile(self.source_expressions[0])
        requete, params_requete = compiler.compile(self.source_expressions[1])
        return f"{colonne} = ANY(ARRAY{requete})", (*params_colonne, *params_requete)


def _preparer_connexion() -> None:
    """SQLite has no ``ipt_normaliser``: lend it the Python one (PostgreSQL has it from the migration)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("ipt_normaliser", 1, normaliser, deterministic=True)


def _indexables(termes: list[str]) -> list[str]:
    """The words looked up through the trigram indexes: 3 characters or more, not common; longest first.

    A query needs one: "rue", "le" or "12" alone would list the whole city.
    """
    return [t for t in termes if len(t) >= LONGUEUR_MINIMUM and t not in MOTS_COURANTS]


def _immeubles(terme: str) -> QuerySet:
    return Immeuble.objects.alias(adresse_n=Normaliser("adresse"), nom_n=Normaliser("nom")).filter(
        Q(adresse_n__contains=terme) | Q(nom_n__contains=terme)
    )


def _logements(terme: str) -> QuerySet:
    """Dwellings whose reference, or building's address or name, contains ``terme`` (through indexes)."""
    return Logement.objects.alias(reference_n=Normaliser("reference")).filter(
        Q(reference_n__contains=terme) | Parmi("immeuble", _immeubles(terme))
    )


def _filtre_lieu(terme: str) -> Q:
    """The same test on the rows already found, their dwelling and building joined (aliases ``*_n``)."""
    return Q(reference_n__contains=terme) | Q(adresse_n__contains=terme) | Q(immeuble_nom_n__contains=terme)


def _adhesion_courante(champ: str) -> Subquery:
    return Subquery(Adhesion.objects.filter(foyer=OuterRef("pk")).order_by("-date", "-pk").values(champ)[:1])


@dataclass
class Resultats:
    q: str = ""
    termes: list[str] = field(default_factory=list)
    recherche_faite: bool = False
    foyers: list[Foyer] = field(default_factory=list)
    logements_vides: list[Logement] = field(default_factory=list)
    davantage: bool = False


def _rang(termes: list[str]) -> tuple[dict, Concat]:
    """The cheap part of the ranking, on every household found (a few ``LIKE`` on short texts), and the
    names padded with spaces that ``mots_entiers`` reads (alias ``mots_n``).

    - ``mots_du_nom``: how many words of the query are in the household's or its occupants' names (the
      others were found in the address, building or reference): a SALAÜN household before the residents
      of "Résidence Salaün 3";
    - ``present``: current households before former ones;
    - ``mots_entiers``: how many words of the query are whole words of the names: "jean" finds Jean
      before Jeanne.
    """
    # The words that can find a row alone count (not "rue", "de", "l": every name holds them).
    termes = _indexables(termes) or termes
    mots = Concat(Value(" "), F("recherche"), Value(" "), output_field=TextField())
    return {
        "mots_du_nom": sum(
            (Case(When(recherche__contains=terme, then=1), default=0) for terme in termes), Value(0)
        ),
        "present": ExpressionWrapper(Q(demenage_le__isnull=True), output_field=BooleanField()),
        "mots_entiers": sum(
            (Case(When(mots_n__contains=f" {terme} ", then=1), default=0) for terme in termes), Value(0)
        ),
    }, mots


RANGS = ("mots_du_nom", "present", "mots_entiers")


def _cle(foyer: Foyer, mots_q: list[str]) -> tuple:
    """The order of the candidates: the cheap ranks (:func:`_rang`), then closeness — how near the words
    typed are to the names (:func:`similarite`, pg_trgm's trigrams), the household's own name counted
    again: "robe" puts ROBERT before ROBERTSON, the ROBERT household before a Robert living in another
    one —, then the name."""
    proximite = _similarite_mots(mots_q, foyer.recherche.split()) + _similarite_mots(
        mots_q, normaliser(foyer.nom).split()
    )
    return (*(-getattr(foyer, cle) for cle in RANGS), -proximite, foyer.nom, foyer.pk)


def foyers_rechercher(user, q: str) -> Resultats:
    """The households (most relevant first: :func:`_rang`, then :func:`_cle`) and the empty
    dwellings matching every word of ``q``.

    Three queries whatever the size of the city. The longest word of 3 characters or more, but common
    ones (:func:`_indexables`), finds the rows through the trigram indexes: PostgreSQL ORs the index of
    the household's search text with that of its dwelling, found by reference or building (an array
    computed once). The other words filter the rows found.
    """
    termes = termes_de_recherche(q)
    indexables = _indexables(termes)
    resultats = Resultats(q=q, termes=termes, recherche_faite=bool(indexables))
    if not indexables:
        return resultats
    _preparer_connexion()
    # The scope as the short list of quartiers covered, checked on each row found (an array computed once).
    quartiers = restreindre(Quartier.objects.all(), user, quartier="pk")

    # Every condition first, applied at once: each filter() would copy the whole query again.
    conditions_foyers = [Parmi("logement__immeuble__quartier", quartiers)]
    conditions_logements = [Parmi("immeuble__quartier", quartiers), Q(sorti_le__isnull=True)]
    for terme in termes:
        if terme == indexables[0]:
            # The leading word (the longest) finds the rows through the indexes.
            logements_du_terme = _logements(terme)
            conditions_foyers.append(Q(recherche__contains=terme) | Parmi("logement", logements_du_terme))
            conditions_logements.append(Parmi("pk", logements_du_terme))
        elif terme in indexables:
            # The others check them: a hashed set, computed once through the indexes too (a second array
            # would be compared element by element with every row).
            logements_du_terme = _logements(terme).order_by().values("pk")
            conditions_foyers.append(Q(recherche__contains=terme) | Q(logement__in=logements_du_terme))
            conditions_logements.append(Q(pk__in=logements_du_terme))
        else:
            conditions_foyers.append(Q(recherche__contains=terme) | _filtre_lieu(terme))
            conditions_logements.append(_filtre_lieu(terme))

    # Ranked in two steps: the cheap ranks, in the query, keep the best candidates of every household
    # found; closeness then orders them here (no more queries: their occupants are read for the kept ones).
    rang, mots = _rang(termes)
    candidats = list(
        Foyer.objects.alias(
            reference_n=Normaliser("logement__reference"),
            adresse_n=Normaliser("logement__immeuble__adresse"),
            immeuble_nom_n=Normaliser("logement__immeuble__nom"),
            mots_n=mots,
        )
        .filter(*conditions_foyers)
        .annotate(**rang)
        .annotate(adhesion_type=_adhesion_courante("type"), adhesion_date=_adhesion_courante("date"))
        .select_related("logement__immeuble")
        .order_by(*(f"-{cle}" for cle in RANGS), "nom", "pk")[:CANDIDATS]
    )
    mots_q = _indexables(termes) or termes
    candidats.sort(key=lambda foyer: _cle(foyer, mots_q))
    foyers = candidats[: LIMITE_RESULTATS + 1]
    prefetch_related_objects(
        foyers, Prefetch("occupants", queryset=Personne.objects.only("prenom", "nom", "foyer"))
    )
    resultats.davantage = len(foyers) > LIMITE_RESULTATS
    resultats.foyers = foyers[:LIMITE_RESULTATS]
    resultats.logements_vides = list(
        Logement.objects.alias(
            reference_n=Normaliser("reference"),
            adresse_n=Normaliser("immeuble__adresse"),
            immeuble_nom_n=Normaliser("immeuble__nom"),
        )
        .filter(*conditions_logements)
        .exclude(Exists(Foyer.objects.filter(logement=OuterRef("pk"), demenage_le__isnull=True)))
        .select_related("immeuble")
        .order_by("immeuble__adresse", "cage", "etage", "porte", "pk")[:LIMITE_LOGEMENTS_VIDES]
    )
    return resultats


def foyer_de(user, pk: int) -> Foyer:
    """The household ``pk`` if ``user`` covers it, else 404."""
    qs = restreindre(Foyer.objects.all(), user, quartier="logement__immeuble__quartier")
    return get_object_or_404(qs.select_related("logement__immeuble"), pk=pk)


def foyer_fiche(user, pk: int) -> Foyer:
    """The household page: the dwelling, the occupants and the opt-in history, in three queries."""
    qs = restreindre(Foyer.objects.all(), user, quartier="logement__immeuble__quartier")
    return get_object_or_404(
        qs.select_related("logement__immeuble__quartier", "logement__bailleur").prefetch_related(
            Prefetch("occupants", queryset=Personne.objects.order_by("nom", "prenom", "pk")),
            Prefetch(
                "adhesions", queryset=Adhesion.objects.select_related("saisie_par").order_by("-date", "-pk")
            ),
        ),
        pk=pk,
    )


def logement_de(user, pk: int) -> Logement:
    qs = restreindre(Logement.objects.all(), user, quartier="immeuble__quartier")
    return get_object_or_404(qs.select_related("immeuble__quartier", "bailleur"), pk=pk)


def logement_fiche(user, pk: int) -> Logement:
    """The dwelling page: the dwelling and every household that lived there, newest first."""
    qs = restreindre(Logement.objects.all(), user, quartier="immeuble__quartier")
    return get_object_or_404(
        qs.select_related("immeuble__quartier", "bailleur").prefetch_related(
            Prefetch("foyers", queryset=Foyer.objects.order_by("-emmenage_le", "-pk"))
        ),
        pk=pk,
    )


def personne_de(user, pk: int) -> Personne:
    """An occupant of a household ``user`` covers, else 404 (people from outside are not the desk's here)."""
    qs = restreindre(
        Personne.objects.filter(foyer__isnull=False), user, quartier="foyer__logement__immeuble__quartier"
    )
    return get_object_or_404(qs.select_related("foyer"), pk=pk)


def quartiers_du_guichet(user) -> QuerySet:
    from ipt.perimetre import quartiers_couverts

    return quartiers_couverts(user).select_related("centre_social").order_by("nom")
