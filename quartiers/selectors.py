import re
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from ipt.models import Travail
from ipt.perimetre import restreindre
from ipt.travaux import libelle_de
from logements.models import Adhesion, Foyer, Immeuble, Logement
from quartiers.avancement import (  # noqa: F401 — the campaign's state, read by the views through here
    RESULTATS_INFORME,
    SEUIL_PORTE_A_PORTE,
    EtatJalon,
    Preuves,
    etat_jalon,
    etats_jalons,
    jalons_frise,
    pourcentage,
    preuves_campagne,
    preuves_campagnes,
    scrutin_campagne,
)
from quartiers.models import Campagne, Jalon, Quartier, Visite
from votes.models import Scrutin


def quartiers_par_statut() -> list[dict]:
    """Each status with its number of quartiers, in lifecycle order (one query)."""
    comptes = dict(Quartier.objects.values_list("statut").annotate(n=Count("pk")).order_by())
    return [{"statut": s, "libelle": s.label, "nombre": comptes.get(s.value, 0)} for s in Quartier.Statut]


class SousCompte(Subquery):
    """The number of rows of a correlated sub-select."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _sous_compte)"
    output_field = IntegerField()


def quartiers_tableau(jour: date | None = None) -> list[Quartier]:
    """Quartiers with their centre social, buildings, dwellings connected on ``jour`` (today by default),
    opted-in households and their latest campaign (one query: each figure a correlated sub-select, so
    rows never multiply). ``lien`` is the app's page of the quartier: its latest campaign, else its
    latest vote, else none."""

    def compter(qs: QuerySet) -> Subquery:
        return SousCompte(qs.order_by().values("pk"))

    derniere_adhesion = (
        Adhesion.objects.filter(foyer=OuterRef("pk")).order_by("-date", "-pk").values("type")[:1]
    )
    jour = jour or timezone.localdate()
    quartiers = list(
        Quartier.objects.select_related("centre_social")
        .annotate(
            nb_immeubles=compter(Immeuble.objects.filter(quartier=OuterRef("pk"))),
            nb_logements=compter(Logement.objects.connectes(jour).filter(immeuble__quartier=OuterRef("pk"))),
            nb_adherents=compter(
                Foyer.objects.filter(logement__immeuble__quartier=OuterRef("pk"), demenage_le__isnull=True)
                .annotate(derniere=Subquery(derniere_adhesion))
                .filter(derniere=Adhesion.Type.ADHESION)
            ),
            derniere_campagne=Subquery(
                Campagne.objects.filter(quartier=OuterRef("pk")).order_by("-cree_le", "-pk").values("pk")[:1]
            ),
            dernier_scrutin=Subquery(
                Scrutin.objects.filter(quartier=OuterRef("pk")).order_by("-ouvre_le", "-pk").values("pk")[:1]
            ),
        )
        .order_by("nom")
    )
    for quartier in quartiers:
        if quartier.derniere_campagne:
            quartier.lien = reverse("quartiers:campagne", args=[quartier.derniere_campagne])
        elif quartier.dernier_scrutin:
            quartier.lien = reverse("votes:scrutin", args=[quartier.dernier_scrutin])
        else:
            quartier.lien = ""
    return quartiers


# --- Campaigns ----------------------------------------------------------------------------------


def campagnes_pour(user) -> QuerySet[Campagne]:
    """The campaigns of the quartiers ``user`` covers (city staff: all; volunteers: their centre's)."""
    return restreindre(Campagne.objects.all(), user, quartier="quartier")


def campagne_pour(user, pk: int) -> Campagne:
    """A campaign ``user`` covers, else 404."""
    return get_object_or_404(campagnes_pour(user).select_related("quartier__centre_social"), pk=pk)


def campagnes_liste(user, aujourd_hui: date) -> list[Campagne]:
    """The campaigns ``user`` covers, each with ``nb_jalons``, ``nb_en_retard`` and its next milestone
    (``prochain_libelle``, ``prochain_date``), the milestones' states read as on the campaign's page
    (a fixed number of queries)."""
    campagnes = list(
        campagnes_pour(user)
        .select_related("quartier__centre_social")
        .prefetch_related(Prefetch("jalons", queryset=Jalon.objects.order_by("date_prevue", "pk")))
        .order_by("quartier__nom", "-cree_le")
    )
    preuves = preuves_campagnes(campagnes, aujourd_hui)
    for campagne in campagnes:
        jalons = etats_jalons(list(campagne.jalons.all()), campagne, preuves[campagne.pk], aujourd_hui)
        a_faire = [j for j in jalons if j.etat not in (EtatJalon.FAIT, EtatJalon.FAIT_EN_RETARD)]
        campagne.nb_jalons = len(jalons)
        campagne.nb_en_retard = sum(j.etat == EtatJalon.EN_RETARD for j in jalons)
        prochain = a_faire[0] if a_faire else None
        campagne.prochain_libelle = prochain.get_type_display() if prochain else ""
        campagne.prochain_date = prochain.debut if prochain else None
    return campagnes


def _dernier(jalons: list[Jalon], type_: str) -> Jalon | None:
    du_type = [j for j in jalons if j.type == type_]
    return du_type[-1] if du_type else None


def reunion_publique(campagne: Campagne, jalons: list[Jalon]) -> dict | None:
    """Date (from the "public meeting" milestone), time and place (from the meeting's record).

    Without the milestone, the record's date and time. ``None`` if neither says when. ``moment`` is
    the date and time together when both are known.
    """
    jalon = _dernier(jalons, Jalon.Type.REUNION)
    debut = timezone.localtime(campagne.reunion_debut) if campagne.reunion_debut else None
    if jalon is not None:
        jour = jalon.date_reelle or jalon.date_prevue
        heure = debut.time() if debut and debut.date() == jour else None
    elif debut is not None:
        jour, heure = debut.date(), debut.time()
    else:
        return None
    return {
        "date": jour,
        "heure": heure,
        "moment": debut if heure is not None else None,
        "lieu": campagne.reunion_lieu,
    }


def vote_dates(jalons: list[Jalon], scrutin: Scrutin | None = None) -> dict | None:
    """The vote's first and last day: the vote's own opening and closing (``ouverture``/``fermeture``,
    local date and time) when it exists, else the "vote" milestone's planned dates; or ``None``."""
    if scrutin is not None:
        ouverture, fermeture = timezone.localtime(scrutin.ouvre_le), timezone.localtime(scrutin.ferme_le)
        return {
            "debut": ouverture.date(),
            "fin": fermeture.date(),
            "ouverture": ouverture,
            "fermeture": fermeture,
        }
    jalon = _dernier(jalons, Jalon.Type.VOTE)
    if jalon is None:
        return None
    return {"debut": jalon.date_prevue, "fin": jalon.date_fin_prevue or jalon.date_prevue}


def debut_service_prevu(vote: dict | None, scrutin: Scrutin | None) -> date | None:
    """The day the service starts: set on the vote once adopted, else the day after the vote closes."""
    if scrutin is not None and scrutin.date_debut_service:
        return scrutin.date_debut_service
    return vote["fin"] + timedelta(days=1) if vote else None


def tarif_annonce(debut_service: date | None):
    """The tariff the leaflet announces: the one of the first month charged after the service starts
    (the month it starts, if on the 1st, else the next one), read as the monthly run reads it."""
    from charges.selectors import tarif_du_mois

    if debut_service is None:
        return None
    premier_mois = debut_service.replace(day=1)
    if debut_service.day != 1:
        premier_mois = (premier_mois + timedelta(days=31)).replace(day=1)
    return tarif_du_mois(premier_mois)


def reunion_apres_vote(reunion: dict | None, vote: dict | None) -> bool:
    """Is the public meeting planned after the vote opens (a campaign out of order)?"""
    if not reunion or not vote:
        return False
    if reunion.get("moment") and vote.get("ouverture"):
        return reunion["moment"] > vote["ouverture"]
    return reunion["date"] > vote["debut"]


def travaux_campagne(campagne: Campagne, natures: list[str], limite: int = 6) -> list[Travail]:
    """The campaign's latest documents (leaflets, walk sheets), newest first, with their labels."""
    travaux = list(
        Travail.objects.filter(nature__in=natures, parametres__campagne=campagne.pk).order_by("-cree_le")[
            :limite
        ]
    )
    for travail in travaux:
        travail.libelle = libelle_de(travail.nature)
    return travaux


# --- Buildings and doors of a campaign ----------------------------------------------------------


def immeubles_campagne(campagne: Campagne, seulement: set[int] | None = None) -> list[Immeuble]:
    """The quartier's buildings (``seulement`` those, if given) with their caretakers and number of
    dwellings (two queries)."""
    User = get_user_model()
    qs = Immeuble.objects.filter(quartier_id=campagne.quartier_id)
    if seulement is not None:
        qs = qs.filter(pk__in=seulement)
    return list(
        qs.prefetch_related(
            Prefetch("gardiens", queryset=User.objects.order_by("last_name", "first_name", "pk"))
        )
        .annotate(nb_logements=Count("logements", filter=Q(logements__sorti_le__isnull=True)))
        .order_by("adresse", "pk")
    )


def _cle_naturelle(texte: str) -> tuple:
    """ "B2" < "B10": digits compare as numbers."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in re.findall(r"\d+|\D+", texte))


def cle_porte(logement: Logement) -> tuple:
    """Stairwell, floor (unknown last), door — in the order a volunteer walks them."""
    return (
        _cle_naturelle(logement.cage),
        logement.etage is None,
        logement.etage or 0,
        _cle_naturelle(logement.porte),
        logement.reference,
    )


def logements_campagne(campagne: Campagne, *, immeuble: Immeuble | None = None) -> list[Logement]:
    """The quartier's dwellings (or one building's), in walking order, in one query, each with:

    ``nom_foyer`` (the current household's name, as on the letterbox), ``dernier_resultat`` and
    ``derniere_date`` (its latest visit in this campaign), ``informe`` (a leaflet was delivered or a
    question answered at some visit).
    """
    visites = Visite.objects.filter(campagne=campagne, logement=OuterRef("pk"))
    derniere = visites.order_by("-date", "-pk")
    qs = Logement.objects.presents(timezone.localdate()).filter(immeuble__quartier_id=campagne.quartier_id)
    if immeuble is not None:
        qs = qs.filter(immeuble=immeuble)
    qs = qs.select_related("immeuble").annotate(
        nom_foyer=Subquery(
            Foyer.objects.filter(logement=OuterRef("pk"), demenage_le__isnull=True).values("nom")[:1]
        ),
        dernier_resultat=Subquery(derniere.values("resultat")[:1]),
        derniere_date=Subquery(derniere.values("date")[:1]),
        informe=Exists(visites.filter(resultat__in=RESULTATS_INFORME)),
    )
    return sorted(qs, key=lambda lg: (lg.immeuble.adresse, lg.immeuble_id, *cle_porte(lg)))


def a_revoir(logement: Logement) -> bool:
    """A door to retry: nobody was told there, and nobody was home at the latest visit (or no visit yet)."""
    return not logement.informe and logement.dernier_resultat in (None, Visite.Resultat.ABSENT)


def cages_de(logements: list[Logement]) -> list[str]:
    return sorted({lg.cage for lg in logements}, key=_cle_naturelle)


def couverture(campagne: Campagne) -> list[dict]:
    """Per building: dwellings told or not, refusals, vacant ones, and the doors to retry (two queries)."""
    par_immeuble: dict[int, dict] = {}
    for logement in logements_campagne(campagne):
        ligne = par_immeuble.setdefault(
            logement.immeuble_id,
            {
                "immeuble": logement.immeuble,
                "logements": 0,
                "informes": 0,
                "refus": 0,
                "vacants": 0,
                "jamais": 0,
                "a_revoir": [],
            },
        )
        ligne["logements"] += 1
        if logement.informe:
            ligne["informes"] += 1
        elif logement.dernier_resultat == Visite.Resultat.REFUS:
            ligne["refus"] += 1
        elif logement.dernier_resultat == Visite.Resultat.VACANT:
            ligne["vacants"] += 1
        if logement.dernier_resultat is None:
            ligne["jamais"] += 1
        if a_revoir(logement):
            ligne["a_revoir"].append(logement)
    lignes = list(par_immeuble.values())
    for ligne in lignes:
        ligne["non_informes"] = ligne["logements"] - ligne["informes"]
        ligne["pourcentage"] = pourcentage(ligne["informes"], ligne["logements"])
        ligne["cages_a_revoir"] = cages_de(ligne["a_revoir"])
    return lignes


def visites_du_jour(campagne: Campagne, logements: list[Logement], jour: date) -> dict[int, Visite]:
    """The visit entered for each dwelling on ``jour`` (the latest if several), by dwelling (one query)."""
    visites = Visite.objects.filter(
        campagne=campagne, date=jour, logement_id__in=[lg.pk for lg in logements]
    ).order_by("logement_id", "pk")
    return {v.logement_id: v for v in visites}
