"""The reads of equipment, scoped by :mod:`ipt.perimetre` (volunteers: their centres' quartiers)."""

import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from equipements.models import JourneeRemise, LigneRemise, Recu, Remise, Restitution, Signalement
from ipt.perimetre import restreindre
from logements.models import Adhesion

QUARTIER_DU_FOYER = "foyer__logement__immeuble__quartier"


def acte_du_recu(recu: Recu) -> Remise | Restitution:
    """The handover or the return a receipt was issued for."""
    modele = Remise if recu.prefixe == "REM" else Restitution
    return modele.objects.select_related("foyer__logement__immeuble__quartier").get(recu=recu)


def recu_de(user, pk: int) -> Recu:
    """The receipt ``pk`` if ``user`` covers its household, else 404."""
    remises = restreindre(Remise.objects.all(), user, quartier=QUARTIER_DU_FOYER).values("recu_id")
    restitutions = restreindre(Restitution.objects.all(), user, quartier=QUARTIER_DU_FOYER).values("recu_id")
    return get_object_or_404(Recu.objects.filter(Q(pk__in=remises) | Q(pk__in=restitutions)), pk=pk)


def lignes_ouvertes(foyer) -> list[LigneRemise]:
    """The items a household holds now."""
    return list(
        LigneRemise.objects.filter(remise__foyer=foyer, restitution__isnull=True)
        .select_related("decodeur", "remise__recu")
        .order_by("remise__date", "pk")
    )


def histoire(foyer) -> dict:
    """The household's equipment story: its handovers and returns with their items (three queries)."""
    lignes = list(
        LigneRemise.objects.filter(remise__foyer=foyer)
        .select_related(
            "decodeur", "remise__recu", "remise__journee", "restitution__recu", "restitution__signalement"
        )
        .order_by("-remise__date", "pk")
    )
    remises: dict[int, dict] = {}
    restitutions: dict[int, dict] = {}
    for ligne in lignes:
        remises.setdefault(ligne.remise_id, {"acte": ligne.remise, "lignes": []})["lignes"].append(ligne)
        if ligne.restitution_id:
            restitutions.setdefault(ligne.restitution_id, {"acte": ligne.restitution, "lignes": []})[
                "lignes"
            ].append(ligne)
    return {
        "remises": list(remises.values()),
        "restitutions": sorted(
            restitutions.values(), key=lambda r: (r["acte"].date, r["acte"].pk), reverse=True
        ),
        "ouvertes": [ligne for ligne in lignes if not ligne.restitution_id],
    }


def journees_du_foyer(foyer) -> QuerySet:
    return JourneeRemise.objects.filter(quartier=foyer.logement.immeuble.quartier_id).order_by("-date")


def journees_du_quartier(quartier_id: int) -> list[JourneeRemise]:
    """The handout days of a quartier, for its campaign's timeline (planned in the admin by city staff)."""
    return list(JourneeRemise.objects.filter(quartier=quartier_id).order_by("date", "heure_debut"))


def a_recuperer(user) -> QuerySet:
    """Decoders still held by households gone (moved out) or that opted out: to be recovered."""
    derniere = Subquery(
        Adhesion.objects.filter(foyer=OuterRef("remise__foyer")).order_by("-date", "-pk").values("type")[:1]
    )
    qs = (
        LigneRemise.objects.filter(restitution__isnull=True, decodeur__isnull=False)
        .annotate(derniere_adhesion=derniere)
        .filter(Q(remise__foyer__demenage_le__isnull=False) | Q(derniere_adhesion=Adhesion.Type.DESISTEMENT))
    )
    qs = restreindre(qs, user, quartier="remise__" + QUARTIER_DU_FOYER)
    return qs.select_related(
        "decodeur", "remise__foyer__logement__immeuble__quartier", "remise__recu"
    ).order_by("remise__foyer__logement__immeuble__quartier__nom", "remise__date", "pk")


def detient_equipement(foyer) -> bool:
    return LigneRemise.objects.filter(remise__foyer=foyer, restitution__isnull=True).exists()


__all__ = ["a_recuperer", "detient_equipement", "histoire", "lignes_ouvertes", "recu_de"]


def signalements_pour_echange(foyer) -> QuerySet:
    """The incidents a swap may answer: those of the household's dwelling still open, or reported in the
    last 90 days."""
    recents = timezone.localdate() - datetime.timedelta(days=90)
    return (
        Signalement.objects.filter(logement_id=foyer.logement_id)
        .filter(
            Q(statut__in=[Signalement.Statut.OUVERT, Signalement.Statut.PRIS_EN_COMPTE])
            | Q(signale_le__gte=recents)
        )
        .order_by("-signale_le", "-pk")
    )
