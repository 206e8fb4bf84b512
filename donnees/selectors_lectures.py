"""Reading the read log (city staff only): who looked at a household, at a person, and who read what.

Every list is one query for the page and one for its count, whatever the number of reads.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ipt.roles import Role
from logements.models import Personne

from .models import Lecture

LIBELLES_ROLES = dict(Role.choices)


def _debut_du_jour(jour: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time.min))


def _lectures(qs: QuerySet | None = None) -> QuerySet:
    qs = Lecture.objects.all() if qs is None else qs
    return qs.select_related("par", "foyer", "personne").order_by("-quand", "-pk")


def filtrer(
    qs: QuerySet,
    *,
    du: datetime.date | None = None,
    au: datetime.date | None = None,
    qui: str = "",
    quoi: str = "",
) -> QuerySet:
    """Keep the reads of the days ``du`` to ``au`` (both included, in local time), by a login holding
    ``qui``, of the kind ``quoi``."""
    if du:
        qs = qs.filter(quand__gte=_debut_du_jour(du))
    if au:
        qs = qs.filter(quand__lt=_debut_du_jour(au + datetime.timedelta(days=1)))
    if qui:
        qs = qs.filter(par_nom__icontains=qui)
    if quoi:
        qs = qs.filter(quoi=quoi)
    return qs


def lectures_du_foyer(foyer, **filtres) -> QuerySet:
    """The reads of a household: its pages, its profile, its exports, and its people's records (those
    read while they lived there, and those of its present occupants)."""
    occupants = Personne.objects.filter(foyer=foyer).values("pk")
    qs = Lecture.objects.filter(Q(foyer=foyer) | Q(personne__in=occupants))
    return filtrer(_lectures(qs), **filtres)


def lectures_de_la_personne(personne, **filtres) -> QuerySet:
    """The reads that name a person (their training record, an export about them)."""
    return filtrer(_lectures(Lecture.objects.filter(personne=personne)), **filtres)


def lectures(**filtres) -> QuerySet:
    """Every read, newest first: the staff-wide page."""
    return filtrer(_lectures(), **filtres)


def lecteurs(qs: QuerySet, limite: int = 10) -> list[dict]:
    """Who read the most among ``qs``: login, roles, reads, distinct households, distinct people — to spot
    someone browsing far beyond their work."""
    return list(
        qs.order_by()
        .values("par_nom", "role")
        .annotate(
            n=Count("pk"),
            foyers=Count("foyer", distinct=True),
            personnes=Count("personne", distinct=True),
        )
        .order_by("-n", "par_nom")[:limite]
    )


def libelle_roles(role: str) -> str:
    """``"ville,accueil"`` → ``"City staff, Reception desk"`` (in the active language)."""
    return ", ".join(str(LIBELLES_ROLES.get(r, r)) for r in role.split(",") if r) or "—"
