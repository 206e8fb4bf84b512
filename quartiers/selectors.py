import re
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ipt.models import Travail
from ipt.perimetre import restreindre
from ipt.travaux import libelle_de
from logements.models import Adhesion, Foyer, Immeuble, Logement
from quartiers.models import Campagne, Jalon, Quartier, Visite


def quartiers_par_statut() -> list[dict]:
    """Each status with its number of quartiers, in lifecycle order (one query)."""
    comptes = dict(Quartier.objects.values_list("statut").annotate(n=Count("pk")).order_by())
    return [{"statut": s, "libelle": s.label, "nombre": comptes.get(s.value, 0)} for s in Quartier.Statut]


class SousCompte(Subquery):
    """The number of rows of a correlated sub-select."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _sous_compte)"
    output_field = IntegerField()


def quartiers_tableau() -> list[Quartier]:
    """Quartiers with their centre social, buildings, connected dwellings today and opted-in households
    (one query: each figure a correlated sub-select, so rows never multiply)."""

    def compter(qs: QuerySet) -> Subquery:
        return SousCompte(qs.order_by().values("pk"))

    derniere_adhesion = (
        Adhesion.objects.filter(foyer=OuterRef("pk")).order_by("-date", "-pk").values("type")[:1]
    )
    aujourd_hui = timezone.localdate()
    return list(
        Quartier.objects.select_related("centre_social")
        .annotate(
            nb_immeubles=compter(Immeuble.objects.filter(quartier=OuterRef("pk"))),
            nb_logements=compter(
                Logement.objects.filter(
                    immeuble__quartier=OuterRef("pk"), connecte_depuis__lte=aujourd_hui
                ).filter(Q(sorti_le__isnull=True) | Q(sorti_le__gt=aujourd_hui))
            ),
            nb_adherents=compter(
                Foyer.objects.filter(logement__immeuble__quartier=OuterRef("pk"), demenage_le__isnull=True)
                .annotate(derniere=Subquery(derniere_adhesion))
                .filter(derniere=Adhesion.Type.ADHESION)
            ),
        )
        .order_by("nom")
    )


# --- Campaigns ----------------------------------------------------------------------------------


def campagnes_pour(user) -> QuerySet[Campagne]:
    """The campaigns of the quartiers ``user`` covers (city staff: all; volunteers: their centre's)."""
    return restreindre(Campagne.objects.all(), user, quartier="quartier")


def campagne_pour(user, pk: int) -> Campagne:
    """A campaign ``user`` covers, else 404."""
    return get_object_or_404(campagnes_pour(user).select_related("quartier__centre_social"), pk=pk)


def _en_retard(aujourd_hui: date, prefixe: str = "") -> Q:
    """Milestones not done whose deadline (end date, else planned date) has passed."""
    return Q(**{f"{prefixe}date_reelle__isnull": True}) & (
        Q(**{f"{prefixe}date_fin_prevue__lt": aujourd_hui})
        | Q(**{f"{prefixe}date_fin_prevue__isnull": True, f"{prefixe}date_prevue__lt": aujourd_hui})
    )


def campagnes_liste(user, aujourd_hui: date) -> list[Campagne]:
    """The campaigns ``user`` covers with their next milestone and late milestones (one query)."""
    a_faire = Jalon.objects.filter(campagne=OuterRef("pk"), date_reelle__isnull=True).order_by(
        "date_prevue", "pk"
    )
    campagnes = list(
        campagnes_pour(user)
        .select_related("quartier__centre_social")
        .annotate(
            nb_jalons=Count("jalons"),
            nb_en_retard=Count("jalons", filter=_en_retard(aujourd_hui, "jalons__")),
            prochain_type=Subquery(a_faire.values("type")[:1]),
            prochain_date=Subquery(a_faire.values("date_prevue")[:1]),
        )
        .order_by("quartier__nom", "-cree_le")
    )
    libelles = dict(Jalon.Type.choices)
    for campagne in campagnes:
        campagne.prochain_libelle = libelles.get(campagne.prochain_type, "")
    return campagnes


class EtatJalon:
    FAIT = "fait"
    FAIT_EN_RETARD = "fait_en_retard"
    EN_RETARD = "en_retard"
    EN_COURS = "en_cours"
    A_VENIR = "a_venir"


def etat_jalon(jalon: Jalon, aujourd_hui: date) -> tuple[str, int]:
    """(state, days late) of a milestone: done on time or late, late, under way, or to come."""
    echeance = jalon.date_fin_prevue or jalon.date_prevue
    if jalon.date_reelle:
        retard = (jalon.date_reelle - echeance).days
        return (EtatJalon.FAIT_EN_RETARD, retard) if retard > 0 else (EtatJalon.FAIT, 0)
    if echeance < aujourd_hui:
        return EtatJalon.EN_RETARD, (aujourd_hui - echeance).days
    if jalon.date_prevue <= aujourd_hui:
        return EtatJalon.EN_COURS, 0
    return EtatJalon.A_VENIR, 0


def jalons_frise(campagne: Campagne, aujourd_hui: date) -> list[Jalon]:
    """The campaign's milestones in planned order, each with ``etat`` and ``retard`` (days)."""
    jalons = list(campagne.jalons.order_by("date_prevue", "pk"))
    for jalon in jalons:
        jalon.etat, jalon.retard = etat_jalon(jalon, aujourd_hui)
    return jalons


def _dernier(jalons: list[Jalon], type_: str) -> Jalon | None:
    du_type = [j for j in jalons if j.type == type_]
    return du_type[-1] if du_type else None


def reunion_publique(campagne: Campagne, jalons: list[Jalon]) -> dict | None:
    """Date (from the "public meeting" milestone), time and place (from the meeting's record).

    Without the milestone, the record's date and time. ``None`` if neither says when.
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
    return {"date": jour, "heure": heure, "lieu": campagne.reunion_lieu}


def vote_dates(jalons: list[Jalon]) -> dict | None:
    """The vote's first and last day (the "vote" milestone's planned dates), or ``None``."""
    jalon = _dernier(jalons, Jalon.Type.VOTE)
    if jalon is None:
        return None
    return {"debut": jalon.date_prevue, "fin": jalon.date_fin_prevue or jalon.date_prevue}


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


def immeubles_campagne(campagne: Campagne) -> list[Immeuble]:
    """The quartier's buildings with their caretakers and number of dwellings (two queries)."""
    User = get_user_model()
    return list(
        Immeuble.objects.filter(quartier_id=campagne.quartier_id)
        .prefetch_related(
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


# A household was told: a leaflet was delivered, or a volunteer answered its question at the door.
RESULTATS_INFORME = [Visite.Resultat.DEPOSE, Visite.Resultat.QUESTION]


def logements_campagne(campagne: Campagne, *, immeuble: Immeuble | None = None) -> list[Logement]:
    """The quartier's dwellings (or one building's), in walking order, in one query, each with:

    ``nom_foyer`` (the current household's name, as on the letterbox), ``dernier_resultat`` and
    ``derniere_date`` (its latest visit in this campaign), ``informe`` (a leaflet was delivered or a
    question answered at some visit).
    """
    visites = Visite.objects.filter(campagne=campagne, logement=OuterRef("pk"))
    derniere = visites.order_by("-date", "-pk")
    qs = Logement.objects.filter(immeuble__quartier_id=campagne.quartier_id, sorti_le__isnull=True)
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


def pourcentage(partie: int, tout: int) -> int:
    return round(100 * partie / tout) if tout else 0


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
