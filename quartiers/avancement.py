"""Where a campaign stands: what each milestone stands for, and whether it is done.

A milestone is done only when what it stands for is: the door-to-door round when enough of the
dwellings concerned are told, the public meeting when its record exists, the tenants' vote when the
vote itself (``votes.Scrutin``) is closed; the vote milestone takes its dates from the vote. Other
milestones are done when staff enter their actual date. Read through ``quartiers.selectors``.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from logements.models import Immeuble, Logement
from quartiers.models import Campagne, Jalon, Visite
from votes.models import Scrutin

# A household was told: a leaflet was delivered, or a volunteer answered its question at the door.
RESULTATS_INFORME = [Visite.Resultat.DEPOSE, Visite.Resultat.QUESTION]


def pourcentage(partie: int, tout: int) -> int:
    return round(100 * partie / tout) if tout else 0


# The share of the dwellings concerned that must be told (leaflet delivered or question answered) for
# the door-to-door round to be done.
SEUIL_PORTE_A_PORTE = 90


@dataclass
class Preuves:
    """What a campaign's milestones are checked against."""

    scrutin: Scrutin | None = None
    # The buildings the vote covers; ``None`` when it covers the whole quartier (or there is no vote).
    immeubles_vote: set[int] | None = None
    logements: int = 0  # dwellings concerned today
    informes: int = 0  # of which told
    derniere_information: date | None = None  # the latest day one of them was told

    @property
    def pourcentage(self) -> int:
        return pourcentage(self.informes, self.logements)

    @property
    def porte_a_porte_fait(self) -> bool:
        return self.logements > 0 and 100 * self.informes >= SEUIL_PORTE_A_PORTE * self.logements

    def concerne(self, immeuble_id: int) -> bool:
        """Is this building on the vote's roll (every building when the vote covers the quartier)?"""
        return self.immeubles_vote is None or immeuble_id in self.immeubles_vote


def scrutin_de(campagne: Campagne, scrutins: list[Scrutin]) -> Scrutin | None:
    """The campaign's vote among its quartier's ``scrutins``: the latest one not closed before the
    campaign began (an earlier campaign's vote is not this one's)."""
    candidats = [
        s
        for s in scrutins
        if s.quartier_id == campagne.quartier_id and (s.clos_le is None or s.clos_le >= campagne.cree_le)
    ]
    return max(candidats, key=lambda s: (s.ouvre_le, s.pk), default=None)


def scrutin_campagne(campagne: Campagne) -> Scrutin | None:
    """The campaign's vote, or ``None`` (one query)."""
    return scrutin_de(campagne, list(Scrutin.objects.filter(quartier_id=campagne.quartier_id)))


def preuves_campagnes(campagnes: list[Campagne], aujourd_hui: date) -> dict[int, Preuves]:
    """Each campaign's vote and door-to-door figures (four queries, whatever the number of campaigns)."""
    if not campagnes:
        return {}
    quartiers = {c.quartier_id for c in campagnes}
    scrutins = list(
        Scrutin.objects.filter(quartier_id__in=quartiers).prefetch_related(
            Prefetch("immeubles", queryset=Immeuble.objects.only("pk"))
        )
    )
    par_immeuble: dict[int, tuple[int, int]] = {}  # building → (quartier, dwellings present)
    for immeuble_id, quartier_id, n in (
        Logement.objects.presents(aujourd_hui)
        .filter(immeuble__quartier_id__in=quartiers)
        .values_list("immeuble_id", "immeuble__quartier_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        par_immeuble[immeuble_id] = (quartier_id, n)
    informes: dict[tuple[int, int], tuple[int, date]] = {}  # (campaign, building) → (told, latest day)
    for campagne_id, immeuble_id, n, jour in (
        Visite.objects.filter(
            campagne__in=[c.pk for c in campagnes],
            resultat__in=RESULTATS_INFORME,
            logement__in=Logement.objects.presents(aujourd_hui).values("pk"),
        )
        .values_list("campagne_id", "logement__immeuble_id")
        .annotate(n=Count("logement_id", distinct=True), jour=Max("date"))
        .order_by()
    ):
        informes[campagne_id, immeuble_id] = (n, jour)
    resultat = {}
    for campagne in campagnes:
        scrutin = scrutin_de(campagne, scrutins)
        vote = {i.pk for i in scrutin.immeubles.all()} if scrutin else set()
        preuves = Preuves(scrutin=scrutin, immeubles_vote=vote or None)
        for immeuble_id, (quartier_id, n) in par_immeuble.items():
            if quartier_id == campagne.quartier_id and preuves.concerne(immeuble_id):
                preuves.logements += n
                told, jour = informes.get((campagne.pk, immeuble_id), (0, None))
                preuves.informes += told
                if jour and (preuves.derniere_information is None or jour > preuves.derniere_information):
                    preuves.derniere_information = jour
        resultat[campagne.pk] = preuves
    return resultat


def preuves_campagne(campagne: Campagne, aujourd_hui: date) -> Preuves:
    return preuves_campagnes([campagne], aujourd_hui)[campagne.pk]


class EtatJalon:
    FAIT = "fait"
    FAIT_EN_RETARD = "fait_en_retard"
    EN_RETARD = "en_retard"
    EN_COURS = "en_cours"
    A_VENIR = "a_venir"


def etat_dates(debut: date, fin: date, reel: date | None, aujourd_hui: date) -> tuple[str, int]:
    """(state, days late) of a milestone planned from ``debut`` to ``fin``, done on ``reel`` or not yet."""
    if reel:
        retard = (reel - fin).days
        return (EtatJalon.FAIT_EN_RETARD, retard) if retard > 0 else (EtatJalon.FAIT, 0)
    if fin < aujourd_hui:
        return EtatJalon.EN_RETARD, (aujourd_hui - fin).days
    if debut <= aujourd_hui:
        return EtatJalon.EN_COURS, 0
    return EtatJalon.A_VENIR, 0


def etat_jalon(jalon: Jalon, aujourd_hui: date) -> tuple[str, int]:
    """(state, days late) of a milestone from its own dates only."""
    return etat_dates(
        jalon.date_prevue, jalon.date_fin_prevue or jalon.date_prevue, jalon.date_reelle, aujourd_hui
    )


def _jour(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def etats_jalons(jalons: list[Jalon], campagne: Campagne, preuves: Preuves, aujourd_hui: date) -> list[Jalon]:
    """Set on each milestone what the timeline shows, and return them in (effective) planned order:
    ``debut``, ``fin`` (planned), ``reel`` (done on), ``etat``, ``retard`` (days), ``explication`` (why it
    is or is not done, or ""), ``scrutin`` (the vote, for the vote milestone)."""
    for jalon in jalons:
        jalon.debut = jalon.date_prevue
        jalon.fin = jalon.date_fin_prevue or jalon.date_prevue
        jalon.reel = jalon.date_reelle
        jalon.explication = ""
        jalon.scrutin = None
        if jalon.type == Jalon.Type.VOTE:
            _jalon_vote(jalon, preuves.scrutin)
        elif jalon.type == Jalon.Type.PORTE_A_PORTE:
            jalon.reel = preuves.derniere_information if preuves.porte_a_porte_fait else None
            jalon.explication = _(
                "%(informes)s of %(logements)s dwellings told (%(pourcentage)s %%; done from %(seuil)s %%)."
            ) % {
                "informes": preuves.informes,
                "logements": preuves.logements,
                "pourcentage": preuves.pourcentage,
                "seuil": SEUIL_PORTE_A_PORTE,
            }
        elif jalon.type == Jalon.Type.REUNION:
            if campagne.reunion_compte_rendu.strip():
                jalon.reel = _jour(campagne.reunion_debut) or jalon.date_reelle or jalon.date_prevue
            else:
                jalon.reel = None
                jalon.explication = _("Done once the meeting’s record is entered.")
        jalon.etat, jalon.retard = etat_dates(jalon.debut, jalon.fin, jalon.reel, aujourd_hui)
    return sorted(jalons, key=lambda j: (j.debut, j.pk))


def _jalon_vote(jalon: Jalon, scrutin: Scrutin | None) -> None:
    if scrutin is None:
        jalon.reel = None
        jalon.explication = _("No vote is created yet: its dates and result will come from the vote.")
        return
    jalon.scrutin = scrutin
    jalon.debut, jalon.fin = _jour(scrutin.ouvre_le), _jour(scrutin.ferme_le)
    if scrutin.statut in (Scrutin.Statut.CLOS, Scrutin.Statut.PUBLIE):
        jalon.reel = _jour(scrutin.clos_le) or jalon.fin
    else:
        jalon.reel = None
    jalon.explication = _("Vote “%(intitule)s”: %(statut)s%(resultat)s.") % {
        "intitule": scrutin.intitule,
        "statut": scrutin.get_statut_display(),
        "resultat": f", {scrutin.get_resultat_display()}" if scrutin.resultat else "",
    }


def jalons_frise(campagne: Campagne, aujourd_hui: date, preuves: Preuves | None = None) -> list[Jalon]:
    """The campaign's milestones in planned order, each with its state (see ``etats_jalons``)."""
    preuves = preuves or preuves_campagne(campagne, aujourd_hui)
    return etats_jalons(list(campagne.jalons.order_by("date_prevue", "pk")), campagne, preuves, aujourd_hui)
