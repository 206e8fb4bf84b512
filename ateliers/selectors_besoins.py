"""Reads of the needs census and of the outreach list, every one scoped to the user, in a fixed number
of queries whatever the size of the city.

**A need is met** for a person and a theme when an upcoming session (planned, not cancelled, not started)
of a workshop of the catalogue (``actif``) with that theme is *in reach*: held in the quartier of the
need (where the person lives), or one they are already signed up to or waiting for, wherever it is.

**The outreach list** ("les réticents"): households still living here whose current opt-in (their latest
``Adhesion``, as the desk reads it) is an opt-in dated ``mois`` months ago or more, and of whom nobody has
signed up to a workshop (a sign-up made in the last ``mois`` months, not cancelled) or attended one (present
at a session held in the last ``mois`` months) since.
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ateliers.modeles_besoins import Besoin, Invitation, TentativeContact
from ateliers.models import Atelier, Inscription, Presence, Seance, Theme
from ipt.perimetre import restreindre
from logements.models import Adhesion, Foyer, Personne
from quartiers.models import Quartier

MOIS_DEFAUT = 6
MOIS_MAXIMUM = 36
BesoinTheme = Besoin.themes.through


# --- The needs census -----------------------------------------------------------------------------


def seances_a_venir(maintenant: datetime.datetime) -> QuerySet[Seance]:
    """Sessions people can still go to: planned, not started, of a workshop of the catalogue."""
    return Seance.objects.filter(statut=Seance.Statut.PREVUE, debut__gt=maintenant, atelier__actif=True)


def _besoin_non_satisfait(maintenant: datetime.datetime) -> Q:
    """On rows of the needs' themes (``BesoinTheme``): no upcoming session with the theme in the need's
    quartier, and the person signed up to none elsewhere."""
    dans_le_quartier = seances_a_venir(maintenant).filter(
        atelier__themes=OuterRef("theme"), quartier=OuterRef("besoin__quartier")
    )
    du_theme = seances_a_venir(maintenant).filter(atelier__themes=OuterRef(OuterRef("theme")))
    inscrit = Inscription.objects.filter(
        personne=OuterRef("besoin__personne"),
        statut__in=[Inscription.Statut.INSCRITE, Inscription.Statut.ATTENTE],
    ).filter(Q(seance__in=du_theme.values("pk")) | Q(cycle__in=du_theme.values("cycle")))
    return ~Exists(dans_le_quartier) & ~Exists(inscrit)


@dataclass
class Ligne:
    theme: Theme
    quartier_id: int | None
    quartier_nom: str
    personnes: int
    sans_offre: int
    dernier: datetime.datetime


def recensement(user, *, quartier: Quartier | None = None, maintenant=None) -> list[Ligne]:
    """The needs by theme and quartier: how many people asked, how many have no upcoming workshop in
    reach, the latest need recorded (one query, and one for the themes)."""
    maintenant = maintenant or timezone.now()
    qs = restreindre(BesoinTheme.objects.all(), user, quartier="besoin__quartier")
    if quartier is not None:
        qs = qs.filter(besoin__quartier=quartier)
    lignes = (
        qs.values("theme", "besoin__quartier", "besoin__quartier__nom")
        .annotate(
            personnes=Count("besoin__personne", distinct=True),
            sans_offre=Count("besoin__personne", distinct=True, filter=_besoin_non_satisfait(maintenant)),
            dernier=Max("besoin__cree_le"),
        )
        .order_by()
    )
    themes = {t.pk: t for t in Theme.objects.all()}
    resultat = [
        Ligne(
            theme=themes[ligne["theme"]],
            quartier_id=ligne["besoin__quartier"],
            quartier_nom=ligne["besoin__quartier__nom"] or "",
            personnes=ligne["personnes"],
            sans_offre=ligne["sans_offre"],
            dernier=ligne["dernier"],
        )
        for ligne in lignes
    ]
    resultat.sort(key=lambda ligne: (ligne.theme.ordre, ligne.theme.libelle, ligne.quartier_nom))
    return resultat


def personnes_sans_offre(
    user, *, theme: Theme, quartier: Quartier | None, maintenant=None
) -> QuerySet[Personne]:
    """The people of ``quartier`` who need ``theme`` and have no upcoming workshop in reach."""
    maintenant = maintenant or timezone.now()
    rangs = restreindre(BesoinTheme.objects.all(), user, quartier="besoin__quartier").filter(
        _besoin_non_satisfait(maintenant), theme=theme
    )
    rangs = rangs.filter(besoin__quartier=quartier) if quartier else rangs.filter(besoin__quartier=None)
    return Personne.objects.filter(pk__in=rangs.values("besoin__personne")).order_by("nom", "prenom", "pk")


def besoins_du_foyer(foyer: Foyer) -> list[Besoin]:
    """The needs recorded for the household's occupants, newest first (two queries)."""
    return list(
        Besoin.objects.filter(personne__foyer=foyer)
        .select_related("personne", "par")
        .prefetch_related("themes")
        .order_by("-cree_le", "-pk")[:20]
    )


def brouillons(user) -> QuerySet[Atelier]:
    """The workshops drafted from the census, with their people and how many were invited."""
    del user  # city staff only: the view checks the role
    return (
        Atelier.objects.filter(invitations__isnull=False)
        .annotate(
            nb_personnes=Count("invitations", distinct=True),
            nb_invitees=Count("invitations", distinct=True, filter=Q(invitations__invitee_le__isnull=False)),
        )
        .select_related("structure")
        .order_by("-cree_le", "-pk")
    )


def brouillon_de(pk: int) -> Atelier:
    return get_object_or_404(
        Atelier.objects.filter(invitations__isnull=False).distinct().select_related("structure"), pk=pk
    )


def brouillon_fiche(atelier: Atelier, maintenant=None) -> dict:
    """A drafted workshop: its upcoming sessions and the people it was drafted for (three queries)."""
    maintenant = maintenant or timezone.now()
    return {
        "seances": list(
            seances_a_venir(maintenant).filter(atelier=atelier).select_related("quartier").order_by("debut")
        ),
        "invitations": list(
            Invitation.objects.filter(atelier=atelier).select_related(
                "personne__foyer", "quartier", "theme", "invitee_par"
            )
        ),
    }


# --- The outreach list ----------------------------------------------------------------------------


def limite_de(mois: int, maintenant=None) -> datetime.datetime:
    return (maintenant or timezone.now()) - relativedelta(months=mois)


def opt_ins_courants(jusqu_au: datetime.date) -> QuerySet[Adhesion]:
    """The opt-ins dated ``jusqu_au`` or before that are still their household's current state (no later
    row: the desk's rule, the latest ``Adhesion`` by date then entry, read from the opt-ins' side so that
    only the opted-in households — one in seven — are looked at, through the index
    ``adhesion_foyer_date``)."""
    plus_recente = Adhesion.objects.filter(foyer=OuterRef("foyer")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    return Adhesion.objects.filter(type=Adhesion.Type.ADHESION, date__lte=jusqu_au).exclude(
        Exists(plus_recente)
    )


def reticents(
    user, *, mois: int = MOIS_DEFAUT, quartier: Quartier | None = None, maintenant=None
) -> QuerySet[Foyer]:
    """The outreach list of the quartiers ``user`` covers (see the module's docstring), in walking order.
    The figures of a page are read by :func:`completer`, for its households only."""
    limite = limite_de(mois, maintenant)
    foyers = restreindre(
        Foyer.objects.filter(demenage_le__isnull=True),
        user,
        quartier="logement__immeuble__quartier",
        en_place=True,
    )
    if quartier is not None:
        foyers = foyers.filter(logement__immeuble__quartier=quartier)
    inscriptions = Inscription.objects.filter(personne__foyer=OuterRef("pk"), cree_le__gte=limite).exclude(
        statut=Inscription.Statut.ANNULEE
    )
    presences = Presence.objects.filter(
        personne__foyer=OuterRef("pk"), etat=Presence.Etat.PRESENT, seance__debut__gte=limite
    )
    return (
        foyers.filter(pk__in=opt_ins_courants(limite.date()).values("foyer"))
        .exclude(Exists(inscriptions))
        .exclude(Exists(presences))
        .select_related("logement__immeuble__quartier")
        .order_by(
            "logement__immeuble__quartier__nom",
            "logement__immeuble__adresse",
            "logement__cage",
            "logement__etage",
            "logement__porte",
            "pk",
        )
    )


def avec_telephone(foyers: QuerySet[Foyer]) -> QuerySet[Foyer]:
    """Those who can be called: a phone for the household or one of its occupants.

    The occupants' side is a plain ``IN`` (one hashed sub-select), not a correlated ``EXISTS``: under an
    ``OR`` the planner prices an ``EXISTS`` as if it ran once per household — 0.6 million for the call
    list at 60,000 dwellings — and that estimate alone switched on JIT compilation (0.6 s a page)."""
    occupants = Personne.objects.filter(foyer__isnull=False).exclude(telephone="")
    return foyers.filter(~Q(telephone="") | Q(pk__in=occupants.values("foyer")))


def _derniere(qs: QuerySet, champ: str, ordre: str, output_field=None) -> Subquery:
    return Subquery(qs.order_by(ordre, "-pk").values(champ)[:1], output_field=output_field)


def completer(pks: list[int]) -> list[Foyer]:
    """The households ``pks`` of a page, in that order, with their occupants, ``adhesion_le``,
    ``derniere_activite`` (last sign-up or attendance) and their last contact (two queries)."""
    from django.db.models import prefetch_related_objects

    inscriptions = Inscription.objects.filter(personne__foyer=OuterRef("pk")).exclude(
        statut=Inscription.Statut.ANNULEE
    )
    presences = Presence.objects.filter(personne__foyer=OuterRef("pk"), etat=Presence.Etat.PRESENT)
    tentatives = TentativeContact.objects.filter(foyer=OuterRef("pk"))
    par_pk = {
        foyer.pk: foyer
        for foyer in Foyer.objects.filter(pk__in=pks)
        .annotate(
            adhesion_le=_derniere(Adhesion.objects.filter(foyer=OuterRef("pk")), "date", "-date"),
            derniere_inscription=_derniere(inscriptions, "cree_le", "-cree_le"),
            derniere_presence=_derniere(presences, "seance__debut", "-seance__debut"),
            contact_le=_derniere(tentatives, "le", "-le", DateTimeField()),
            contact_canal=_derniere(tentatives, "canal", "-le", CharField()),
            contact_issue=_derniere(tentatives, "issue", "-le", CharField()),
            contact_motif=_derniere(tentatives, "motif", "-le", CharField()),
        )
        .select_related("logement__immeuble__quartier")
    }
    foyers = [par_pk[pk] for pk in pks if pk in par_pk]
    prefetch_related_objects(
        foyers, Prefetch("occupants", queryset=Personne.objects.order_by("nom", "prenom", "pk"))
    )
    for foyer in foyers:
        dates = [d for d in (foyer.derniere_inscription, foyer.derniere_presence) if d is not None]
        foyer.derniere_activite = max(dates) if dates else None
        foyer.contact_canal_libelle = (
            TentativeContact.Canal(foyer.contact_canal).label if foyer.contact_canal else ""
        )
        foyer.contact_issue_libelle = (
            TentativeContact.Issue(foyer.contact_issue).label if foyer.contact_issue else ""
        )
        foyer.contact_motif_libelle = (
            TentativeContact.Motif(foyer.contact_motif).label if foyer.contact_motif else ""
        )
        foyer.telephones = [t for t in [foyer.telephone, *(p.telephone for p in foyer.occupants.all())] if t]
    return foyers


def foyer_reticent_de(user, pk: int) -> Foyer:
    """A current household ``user`` covers (the desk's scope), with its attempts; else 404."""
    qs = restreindre(Foyer.objects.all(), user, quartier="logement__immeuble__quartier")
    return get_object_or_404(
        qs.select_related("logement__immeuble__quartier").prefetch_related(
            Prefetch("occupants", queryset=Personne.objects.order_by("nom", "prenom", "pk")),
            Prefetch("tentatives_contact", queryset=TentativeContact.objects.select_related("par")),
        ),
        pk=pk,
    )


def seances_par_quartier(quartiers: set[int], maintenant=None, par_quartier: int = 4) -> dict[int, list]:
    """The next sessions of the catalogue in each quartier, for the invitation letters (one query)."""
    maintenant = maintenant or timezone.now()
    resultat: dict[int, list] = {q: [] for q in quartiers}
    for seance in (
        seances_a_venir(maintenant)
        .filter(quartier__in=quartiers, debut__lte=maintenant + datetime.timedelta(days=92))
        .select_related("atelier")
        .order_by("debut", "pk")
    ):
        if len(resultat[seance.quartier_id]) < par_quartier:
            resultat[seance.quartier_id].append(seance)
    return resultat
