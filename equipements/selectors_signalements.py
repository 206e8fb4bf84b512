"""Reads of the provider incidents: the open list with overdue ones marked, the response-time
statistics, the overdue list of the escalation letter.

The statistics are one SQL query whatever the number of incidents (plus one for the target times), and
one more for the per-category summary: on
PostgreSQL ``percentile_cont`` computes the median and the 90th percentile; other databases (SQLite
under ``make run``) fetch the durations in one query and compute the same figures in Python.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Case, Count, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from equipements.jours_ouvres import jours_ouvres_entre
from equipements.models import Categorie, DelaiCible, Signalement
from ipt.perimetre import restreindre

OUVERTS = (Signalement.Statut.OUVERT, Signalement.Statut.PRIS_EN_COMPTE)


class Centile(Aggregate):
    """``percentile_cont(f) WITHIN GROUP (ORDER BY x)`` (PostgreSQL): interpolated like :func:`centile`."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def centile(valeurs: list[int], fraction: float) -> float | None:
    """The same interpolation as ``percentile_cont``."""
    if not valeurs:
        return None
    valeurs = sorted(valeurs)
    rang = fraction * (len(valeurs) - 1)
    bas = int(rang)
    haut = min(bas + 1, len(valeurs) - 1)
    return valeurs[bas] + (valeurs[haut] - valeurs[bas]) * (rang - bas)


def delais_cibles() -> dict[str, DelaiCible]:
    return {d.categorie: d for d in DelaiCible.objects.all()}


def signalements_visibles(user):
    """The incidents a user may see: their scope's, through the building (city staff: all)."""
    return restreindre(Signalement.objects.all(), user, quartier="immeuble__quartier", immeuble="immeuble")


@dataclass
class Retard:
    prise_en_compte: bool  # not acknowledged within the target
    resolution: bool  # not resolved within the target (time waiting on the tenant taken out)

    def __bool__(self):
        return self.prise_en_compte or self.resolution


def retard(signalement: Signalement, cibles: dict[str, DelaiCible], jour: datetime.date) -> Retard:
    """Whether an open incident is past its target times on ``jour``."""
    cible = cibles.get(signalement.categorie)
    if cible is None or signalement.statut not in OUVERTS:
        return Retard(False, False)
    ecoules = jours_ouvres_entre(signalement.signale_le, jour)
    return Retard(
        prise_en_compte=signalement.pris_en_compte_le is None and ecoules > cible.prise_en_compte_jours,
        resolution=ecoules - signalement.attente_locataire_jours > cible.resolution_jours,
    )


def signalements_ouverts(user, jour: datetime.date | None = None):
    """Open incidents, oldest first, each with ``retard`` set (two queries)."""
    jour = jour or timezone.localdate()
    cibles = delais_cibles()
    liste = list(
        signalements_visibles(user)
        .filter(statut__in=OUVERTS)
        .select_related("immeuble__quartier", "logement", "signale_par")
        .order_by("signale_le", "pk")
    )
    for s in liste:
        s.retard = retard(s, cibles, jour)
    return liste


def signalements_en_retard(user, jour: datetime.date | None = None):
    return [s for s in signalements_ouverts(user, jour) if s.retard]


def signalements_du_logement(logement):
    return list(
        Signalement.objects.filter(Q(logement=logement) | Q(immeuble_id=logement.immeuble_id, logement=None))
        .select_related("signale_par")
        .order_by("-signale_le", "-pk")
    )


@dataclass
class Ligne:
    mois: datetime.date
    quartier: str
    categorie: str
    signales: int
    resolus: int
    mediane_resolution: float | None
    p90_resolution: float | None
    part_resolution_dans_delai: float | None
    mediane_prise_en_compte: float | None
    part_prise_en_compte_dans_delai: float | None

    @property
    def categorie_libelle(self):
        return Categorie(self.categorie).label


def _cible(cibles, attribut):
    return Case(
        *[When(categorie=c, then=Value(getattr(d, attribut))) for c, d in cibles.items()],
        default=Value(None),
        output_field=IntegerField(),
    )


def _lignes_sql(qs, cles):
    rangs = (
        qs.values(*cles)
        .annotate(
            signales=Count("pk"),
            resolus=Count("jours_resolution"),
            pris=Count("jours_prise_en_compte"),
            med_res=Centile("jours_resolution", 0.5),
            p90_res=Centile("jours_resolution", 0.9),
            med_pec=Centile("jours_prise_en_compte", 0.5),
            res_ok=Count("pk", filter=Q(jours_resolution__lte=F("cible_res"))),
            pec_ok=Count("pk", filter=Q(jours_prise_en_compte__lte=F("cible_pec"))),
        )
        .order_by()
    )
    return [
        Ligne(
            mois=r.get("mois"),
            quartier=r.get("nom_quartier"),
            categorie=r["categorie"],
            signales=r["signales"],
            resolus=r["resolus"],
            mediane_resolution=r["med_res"],
            p90_resolution=r["p90_res"],
            part_resolution_dans_delai=r["res_ok"] / r["resolus"] if r["resolus"] else None,
            mediane_prise_en_compte=r["med_pec"],
            part_prise_en_compte_dans_delai=r["pec_ok"] / r["pris"] if r["pris"] else None,
        )
        for r in rangs
    ]


def _lignes_python(qs, cles):
    groupes = defaultdict(list)
    for r in qs.values_list(*cles, "jours_resolution", "jours_prise_en_compte", "cible_res", "cible_pec"):
        groupes[r[: len(cles)]].append(r[len(cles) :])
    lignes = []
    for cle, rangs in groupes.items():
        valeurs = dict(zip(cles, cle, strict=True))
        mois = valeurs.get("mois")
        res = [r[0] for r in rangs if r[0] is not None]
        pec = [r[1] for r in rangs if r[1] is not None]
        lignes.append(
            Ligne(
                mois=mois.date() if isinstance(mois, datetime.datetime) else mois,
                quartier=valeurs.get("nom_quartier"),
                categorie=valeurs["categorie"],
                signales=len(rangs),
                resolus=len(res),
                mediane_resolution=centile(res, 0.5),
                p90_resolution=centile(res, 0.9),
                part_resolution_dans_delai=(
                    sum(1 for r in rangs if r[0] is not None and r[2] is not None and r[0] <= r[2]) / len(res)
                    if res
                    else None
                ),
                mediane_prise_en_compte=centile(pec, 0.5),
                part_prise_en_compte_dans_delai=(
                    sum(1 for r in rangs if r[1] is not None and r[3] is not None and r[1] <= r[3]) / len(pec)
                    if pec
                    else None
                ),
            )
        )
    return lignes


def statistiques(
    user,
    depuis: datetime.date | None = None,
    *,
    jusqu_au: datetime.date | None = None,
    quartier=None,
    categorie: str = "",
    synthese: bool = False,
    cibles: dict | None = None,
    en_sql: bool | None = None,
) -> list[Ligne]:
    """Response times per month, quartier and category, cancelled incidents left out; in working days,
    the resolution time without the time waiting on the tenant. Newest month first.

    Filters: reported on or after ``depuis``, before the end of the month of ``jusqu_au``, in
    ``quartier``, of ``categorie``. ``cibles``: :func:`delais_cibles` if already read. ``synthese``: one
    line per category for the whole period instead (``mois`` and ``quartier`` None), in category order.
    ``en_sql``: the figures by ``percentile_cont`` (the default on PostgreSQL) or in Python from one
    query. One query either way."""
    if cibles is None:
        cibles = delais_cibles()
    qs = signalements_visibles(user).exclude(statut=Signalement.Statut.ANNULE)
    if depuis:
        qs = qs.filter(signale_le__gte=depuis)
    if jusqu_au:
        qs = qs.filter(signale_le__lt=(jusqu_au.replace(day=28) + datetime.timedelta(days=4)).replace(day=1))
    if quartier:
        qs = qs.filter(immeuble__quartier=quartier)
    if categorie:
        qs = qs.filter(categorie=categorie)
    qs = qs.annotate(
        mois=TruncMonth("signale_le"),
        nom_quartier=F("immeuble__quartier__nom"),
        cible_res=_cible(cibles, "resolution_jours"),
        cible_pec=_cible(cibles, "prise_en_compte_jours"),
    )
    if en_sql is None:
        en_sql = connection.vendor == "postgresql"
    cles = ("categorie",) if synthese else ("mois", "nom_quartier", "categorie")
    lignes = (_lignes_sql if en_sql else _lignes_python)(qs, cles)
    ordre = {valeur: i for i, valeur in enumerate(Categorie.values)}
    lignes.sort(
        key=lambda ligne: (ligne.quartier or "", ordre.get(ligne.categorie, len(ordre)), ligne.categorie)
    )
    if not synthese:
        lignes.sort(key=lambda ligne: ligne.mois, reverse=True)
    return lignes
