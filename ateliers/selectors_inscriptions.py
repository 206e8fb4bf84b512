"""Reads of the catalogue, the sessions and the sign-ups, each in a fixed number of queries.

Scope, in one place: a session is seen by city staff, by the volunteers of its quartier's centre and by
its facilitators (:func:`ipt.perimetre.restreindre` with ``quartier=`` and ``seance=``); a sign-up is
seen with its session (or, for a cycle, with any session of the cycle).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ipt.perimetre import restreindre
from ipt.roles import Role, a_le_role
from logements.models import Personne

from .models import Atelier, Inscription, Seance

LIMITE_PERSONNES = 10


def _compte(statut: str, **lien) -> Subquery:
    (cle,) = lien
    return Subquery(
        Inscription.objects.filter(statut=statut, **lien).values(cle).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def avec_places(qs):
    """Sessions with ``nb_inscrits``, ``nb_attente``, ``places`` (a cycle's seats for its sessions) and
    ``restantes`` (seats left, shown "7 / 12")."""
    return qs.annotate(
        nb_inscrits=Coalesce(
            _compte(Inscription.Statut.INSCRITE, seance=OuterRef("pk")),
            _compte(Inscription.Statut.INSCRITE, cycle=OuterRef("cycle")),
            Value(0),
        ),
        nb_attente=Coalesce(
            _compte(Inscription.Statut.ATTENTE, seance=OuterRef("pk")),
            _compte(Inscription.Statut.ATTENTE, cycle=OuterRef("cycle")),
            Value(0),
        ),
        places=Coalesce(F("cycle__capacite"), F("capacite")),
    ).annotate(restantes=Greatest(F("places") - F("nb_inscrits"), Value(0)))


def seances_visibles(user):
    return restreindre(Seance.objects.all(), user, quartier="quartier", seance="pk")


def seances_a_venir(user, *, atelier: int | None = None, passees: bool = False):
    """The sessions ``user`` sees, coming ones (or past ones, newest first), with their seats."""
    maintenant = timezone.now()
    qs = seances_visibles(user).select_related("atelier", "quartier", "cycle")
    if atelier:
        qs = qs.filter(atelier_id=atelier)
    if passees:
        qs = qs.filter(debut__lt=maintenant).order_by("-debut", "-pk")
    else:
        qs = qs.filter(debut__gte=maintenant - datetime.timedelta(hours=3)).order_by("debut", "pk")
    return avec_places(qs)


def seance_de(user, pk: int) -> Seance:
    return get_object_or_404(seances_visibles(user).select_related("atelier", "cycle"), pk=pk)


def inscriptions_visibles(user):
    visibles = seances_visibles(user)
    return Inscription.objects.filter(
        Q(seance__in=visibles.values("pk"))
        | Q(cycle__in=visibles.filter(cycle__isnull=False).values("cycle"))
    )


def inscription_de(user, pk: int) -> Inscription:
    return get_object_or_404(inscriptions_visibles(user).select_related("personne", "seance", "cycle"), pk=pk)


@dataclass
class Fiche:
    seance: Seance
    seances_du_cycle: list
    inscrites: list
    attente: list
    places: int

    @property
    def restantes(self) -> int:
        return max(self.places - len(self.inscrites), 0)


def seance_fiche(user, pk: int) -> Fiche:
    """A session, its cycle's sessions, the people signed up and the waiting list in order (4 queries)."""
    seance = get_object_or_404(
        avec_places(
            seances_visibles(user).select_related("atelier__structure", "quartier", "cycle")
        ).prefetch_related("animateurs"),
        pk=pk,
    )
    if seance.cycle_id:
        inscriptions = Inscription.objects.filter(cycle_id=seance.cycle_id)
        seances = list(seance.cycle.seances.order_by("debut", "pk"))
        places = seance.cycle.capacite
    else:
        inscriptions = Inscription.objects.filter(seance=seance)
        seances, places = [], seance.capacite
    lignes = list(
        inscriptions.exclude(statut=Inscription.Statut.ANNULEE)
        .select_related("personne__foyer__logement__immeuble", "par")
        .order_by("rang_attente", "pk")
    )
    return Fiche(
        seance=seance,
        seances_du_cycle=seances,
        inscrites=[i for i in lignes if i.statut == Inscription.Statut.INSCRITE],
        attente=[i for i in lignes if i.statut == Inscription.Statut.ATTENTE],
        places=places,
    )


def personnes_inscriptibles(user):
    """The people ``user`` may sign up: occupants of the households of the desk's quartiers and anyone
    already signed up in its sessions; for a facilitator, the people signed up to the sessions they run."""
    condition = Exists(inscriptions_visibles(user).filter(personne=OuterRef("pk")))
    if a_le_role(user, Role.ACCUEIL):
        occupants = restreindre(
            Personne.objects.filter(foyer__isnull=False, foyer__demenage_le__isnull=True),
            user,
            quartier="foyer__logement__immeuble__quartier",
        )
        condition = condition | Q(pk__in=occupants.values("pk"))
    return Personne.objects.filter(condition)


def personnes_a_inscrire(user, q: str) -> list[Personne]:
    """:func:`personnes_inscriptibles` found by name (every word in the first or last name)."""
    termes = [t for t in q.split() if t][:4]
    if not termes or len(q.strip()) < 2:
        return []
    qs = personnes_inscriptibles(user)
    for terme in termes:
        qs = qs.filter(Q(nom__icontains=terme) | Q(prenom__icontains=terme))
    return list(qs.select_related("foyer").order_by("nom", "prenom", "pk")[:LIMITE_PERSONNES])


def inscriptions_du_foyer(foyer) -> list[Inscription]:
    """The coming sign-ups (and waiting places) of the household's occupants, soonest first (1 query)."""
    maintenant = timezone.now()
    prochaine_du_cycle = Subquery(
        Seance.objects.filter(cycle=OuterRef("cycle"), statut=Seance.Statut.PREVUE, debut__gte=maintenant)
        .order_by("debut")
        .values("debut")[:1]
    )
    qs = (
        Inscription.objects.filter(personne__foyer=foyer)
        .exclude(statut=Inscription.Statut.ANNULEE)
        .annotate(quand=Coalesce("seance__debut", prochaine_du_cycle))
        .filter(quand__gte=maintenant)
        .select_related("personne", "seance__atelier", "cycle__atelier")
        .order_by("quand", "pk")
    )
    return list(qs)


def catalogue():
    """Every workshop with its structure, themes and number of coming sessions (2 queries)."""
    return (
        Atelier.objects.select_related("structure")
        .prefetch_related("themes")
        .annotate(
            nb_a_venir=Count(
                "seances", filter=Q(seances__debut__gte=timezone.now(), seances__statut="prevue")
            )
        )
        .order_by("-actif", "titre")
    )


def cibles_pour_le_guichet(user) -> list[Seance]:
    """The coming sessions ``user`` may sign people up to, one line per cycle (its first coming session)."""
    seances = list(
        seances_a_venir(user).filter(
            statut=Seance.Statut.PREVUE, debut__gt=timezone.now(), atelier__actif=True
        )
    )
    vus, cibles = set(), []
    for seance in seances:
        if seance.cycle_id:
            if seance.cycle_id in vus:
                continue
            vus.add(seance.cycle_id)
        cibles.append(seance)
    return cibles
