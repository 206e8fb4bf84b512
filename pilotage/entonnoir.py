"""The programme's funnel: dwellings → told at the door → voted → adopted → opted in → decoder → PC →
trained → Visa, per quartier and for the city.

Each step is a function registered with :func:`etape`, returning its count per quartier for a period
and filters in one query; the funnel asks each step once (a fixed number of queries, however many
quartiers). A step counts who *did it* in the period: for a year, from 1 January to 31 December; cumulated,
since the beginning up to 31 December of that year. Steps count dwellings up to "adopted", households
from "opted in" to "PC", then people (occupants of a household of the quartier).

New steps (PCs, help sessions, Visa certificates) slot in with one more registered function.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Filtre:
    """The period (``debut`` None: cumulated since the beginning) and the filters of the dashboard."""

    fin: datetime.date
    debut: datetime.date | None = None
    quartiers: tuple[int, ...] = ()
    bailleur: int | None = None

    @classmethod
    def annee(cls, annee: int, *, cumule: bool = False, **filtres) -> Filtre:
        return cls(
            fin=datetime.date(annee, 12, 31), debut=None if cumule else datetime.date(annee, 1, 1), **filtres
        )

    def periode(self, chemin: str) -> Q:
        """``chemin`` (a date field, or a datetime field with ``__date``) falls in the period."""
        q = Q(**{f"{chemin}__lte": self.fin})
        return q & Q(**{f"{chemin}__gte": self.debut}) if self.debut else q

    def perimetre(self, vers_logement: str) -> Q:
        """The quartier and landlord filters, from the model's path to its dwelling."""
        prefixe = f"{vers_logement}__" if vers_logement else ""
        q = Q()
        if self.quartiers:
            q &= Q(**{f"{prefixe}immeuble__quartier__in": self.quartiers})
        if self.bailleur:
            q &= Q(**{f"{prefixe}bailleur": self.bailleur})
        return q


@dataclass(frozen=True)
class Source:
    """What a step counts: the rows of ``qs`` in the period, their path to a dwelling, and the distinct
    thing counted (a dwelling, a household, a person)."""

    qs: object
    vers_logement: str
    compte: str


@dataclass(frozen=True)
class Etape:
    code: str
    libelle: str
    unite: str  # "logements", "foyers" or "personnes": only households and people are secret when few
    source: Callable[[Filtre], Source]
    base: str | None = None  # the step its rate is of, when not the step before

    def compter(self, f: Filtre) -> dict[int | None, int]:
        source = self.source(f)
        return _par_quartier(source.qs, source.vers_logement, source.compte)

    def lister(self, f: Filtre, quartier_id: int | None = None):
        """The dwellings, households or people behind the figure (staff's working list)."""
        from logements.models import Foyer, Logement, Personne

        source = self.source(f)
        qs = source.qs
        if quartier_id is not None:
            cle = (
                f"{source.vers_logement}__immeuble__quartier"
                if source.vers_logement
                else "immeuble__quartier"
            )
            qs = qs.filter(**{cle: quartier_id})
        modele = {"logements": Logement, "foyers": Foyer, "personnes": Personne}[self.unite]
        return modele.objects.filter(pk__in=qs.values(source.compte))


ETAPES: list[Etape] = []


def etape(code: str, libelle, unite: str, base: str | None = None):
    def enregistrer(fonction):
        ETAPES.append(Etape(code, libelle, unite, fonction, base))
        return fonction

    return enregistrer


def _par_quartier(qs, vers_logement: str, compte: str) -> dict[int | None, int]:
    cle = f"{vers_logement}__immeuble__quartier" if vers_logement else "immeuble__quartier"
    return {
        ligne[cle]: ligne["n"] for ligne in qs.values(cle).annotate(n=Count(compte, distinct=True)).order_by()
    }


@etape("logements", _("Dwellings"), "logements")
def _logements(f: Filtre):
    from logements.models import Logement

    return Source(Logement.objects.presents(f.fin).filter(f.perimetre("")), "", "pk")


@etape("informes", _("Told at the door"), "logements")
def _informes(f: Filtre):
    from quartiers.avancement import RESULTATS_INFORME
    from quartiers.models import Visite

    qs = Visite.objects.filter(f.periode("date"), f.perimetre("logement"), resultat__in=RESULTATS_INFORME)
    return Source(qs, "logement", "logement")


@etape("votants", _("Voted"), "logements")
def _votants(f: Filtre):
    from votes.models import Bulletin

    qs = Bulletin.objects.valides().filter(f.periode("saisi_le__date"), f.perimetre("logement"))
    return Source(qs, "logement", "logement")


# The dwellings a vote adopted the offer for: a share of the dwellings (not of those who voted).
@etape("adoptes", _("Adopted"), "logements", base="logements")
def _adoptes(f: Filtre):
    from votes.models import Inscrit, Scrutin

    qs = Inscrit.objects.filter(
        f.periode("scrutin__clos_le__date"),
        f.perimetre("logement"),
        scrutin__resultat=Scrutin.Resultat.ADOPTE,
    )
    return Source(qs, "logement", "logement")


@etape("adherents", _("Opted in"), "foyers")
def _adherents(f: Filtre):
    from logements.models import Adhesion

    qs = Adhesion.objects.filter(
        f.periode("date"), f.perimetre("foyer__logement"), type=Adhesion.Type.ADHESION
    )
    return Source(qs, "foyer__logement", "foyer")


@etape("decodeurs", _("Decoder"), "foyers")
def _decodeurs(f: Filtre):
    """Households given a decoder: a handover of a PC alone does not count."""
    from django.db.models import Exists, OuterRef

    from equipements.models import LigneRemise, Remise

    decodeur = LigneRemise.objects.filter(remise=OuterRef("pk"), decodeur__isnull=False)
    qs = Remise.objects.filter(f.periode("date"), f.perimetre("logement"), Exists(decodeur))
    return Source(qs, "logement", "foyer")


@etape("ordinateurs", _("PC"), "foyers")
def _ordinateurs(f: Filtre):
    from equipements.models import Vente

    qs = Vente.objects.filter(f.periode("date"), f.perimetre("foyer__logement")).exclude(
        statut=Vente.Statut.ANNULEE
    )
    return Source(qs, "foyer__logement", "foyer")


@etape("formes", _("Trained"), "personnes")
def _formes(f: Filtre):
    """People of a household who attended a workshop session or had an individual help session."""
    from django.db.models import Exists, OuterRef

    from ateliers.models import Accompagnement, Presence
    from logements.models import Personne

    presences = Presence.objects.filter(
        f.periode("seance__debut__date"), personne=OuterRef("pk"), etat=Presence.Etat.PRESENT
    )
    aides = Accompagnement.objects.filter(f.periode("permanence__debut__date"), personne=OuterRef("pk"))
    qs = Personne.objects.filter(f.perimetre("foyer__logement"), foyer__isnull=False).filter(
        Exists(presences) | Exists(aides)
    )
    return Source(qs, "foyer__logement", "pk")


@etape("visa", _("Visa Internet"), "personnes")
def _visa(f: Filtre):
    from ateliers.models import Certificat

    qs = Certificat.objects.valides().filter(
        f.periode("emis_le"), f.perimetre("personne__foyer__logement"), personne__foyer__isnull=False
    )
    return Source(qs, "personne__foyer__logement", "personne")


# Public references of the programme: take-up (households opted in / dwellings).
REFERENCES_ADHESION = {"Kerourien": 13, "Keredern": 10}
REFERENCES_LIBELLE = _(
    "about %(kerourien)s %% in Kerourien; about %(keredern)s %% six months after the start in Keredern"
)


def references_libelle() -> str:
    return REFERENCES_LIBELLE % {
        "kerourien": REFERENCES_ADHESION["Kerourien"],
        "keredern": REFERENCES_ADHESION["Keredern"],
    }


@dataclass
class Pas:
    etape: Etape
    nombre: int
    taux: int | None  # % of the step before


@dataclass
class LigneEntonnoir:
    quartier: object | None  # None: the city
    pas: list[Pas] = field(default_factory=list)
    taux_adhesion: int | None = None  # opted in / dwellings
    reference: int | None = None

    def nombre(self, code: str) -> int:
        return next(p.nombre for p in self.pas if p.etape.code == code)


def _pourcent(partie: int, tout: int) -> int | None:
    """The share, or None when it means nothing: no base, or more than the base (the step before was
    not recorded for everyone, e.g. a quartier that voted before door-to-door visits were entered)."""
    return round(100 * partie / tout) if tout and partie <= tout else None


def _ligne(quartier, nombres: dict[str, int]) -> LigneEntonnoir:
    ligne = LigneEntonnoir(quartier=quartier)
    precedent = None
    for e in ETAPES:
        n = nombres.get(e.code, 0)
        base = nombres.get(e.base, 0) if e.base else precedent
        ligne.pas.append(Pas(e, n, None if base is None else _pourcent(n, base)))
        precedent = n
    ligne.taux_adhesion = _pourcent(nombres.get("adherents", 0), nombres.get("logements", 0))
    if quartier is not None:
        ligne.reference = REFERENCES_ADHESION.get(quartier.nom)
    return ligne


def entonnoir(f: Filtre) -> tuple[list[LigneEntonnoir], LigneEntonnoir]:
    """Per quartier (those with dwellings or any figure) and the city: one query per step, plus the
    quartiers."""
    from quartiers.models import Quartier

    comptes = {e.code: e.compter(f) for e in ETAPES}
    ids = {pk for par_quartier in comptes.values() for pk in par_quartier if pk is not None}
    quartiers = Quartier.objects.filter(pk__in=ids).order_by("nom")
    lignes = [_ligne(q, {code: c.get(q.pk, 0) for code, c in comptes.items()}) for q in quartiers]
    ville = _ligne(None, {code: sum(c.values()) for code, c in comptes.items()})
    return lignes, ville
