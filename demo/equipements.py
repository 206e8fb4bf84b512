"""Demo equipment: decoders handed out in the adopted quartiers, on two past handout days each (later
opt-ins equipped at the centre social), and a stock of decoders not yet handed out, for the desk.

The receipts are numbered and stored like real ones but their PDFs are not rendered here (seed time): each
is rendered on its first download and is final from then on (``equipements.services.recu_pdf``). Households
signed on paper. Running it twice changes nothing (a quartier with handout days is skipped).
"""

import datetime
import random

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from equipements.models import CompteurRecu, Decodeur, JourneeRemise, LigneRemise, Recu, Remise
from equipements.services import PREFIXE_REMISE, STATUTS_ADOPTES, conditions_du_jour
from logements.models import Adhesion, Foyer
from quartiers.models import Quartier

PART_EQUIPEE = 0.9  # most opted-in households have their decoder; the others are late-comers
STOCK = 40
MODELES = ["Box Fibre 4K", "Box Fibre 4K", "Box Fibre HD"]


def _journees(quartier: Quartier, dates_adhesion: list[datetime.date], aujourd_hui) -> list[JourneeRemise]:
    """Two handout days, placed so that about two thirds of the opted-in households came to one of them
    (the others opted in later and were equipped by appointment at the centre)."""
    dates_adhesion = sorted(dates_adhesion)
    premier = dates_adhesion[len(dates_adhesion) * 35 // 100]
    second = max(dates_adhesion[len(dates_adhesion) * 65 // 100], premier + datetime.timedelta(days=14))
    premier = min(premier, aujourd_hui - datetime.timedelta(days=20))
    second = min(second, aujourd_hui - datetime.timedelta(days=6))
    lieu = quartier.centre_social.nom if quartier.centre_social_id else quartier.nom
    return [
        JourneeRemise.objects.create(
            quartier=quartier,
            date=jour,
            lieu=lieu,
            heure_debut=datetime.time(9, 30),
            heure_fin=datetime.time(17, 30),
            partenaires="Le fournisseur d’accès, la ville, le bailleur",
        )
        for jour in (premier, second)
    ]


def charger(*, aujourd_hui: datetime.date | None = None) -> int:
    """Hand out the demo decoders; returns the number of handovers created."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    alea = random.Random(2026)  # noqa: S311 — demo data, not security
    derniere = Adhesion.objects.filter(foyer=OuterRef("pk")).order_by("-date", "-pk")
    conditions = conditions_du_jour()
    n = 0
    with transaction.atomic():
        Decodeur.objects.bulk_create(
            [
                Decodeur(
                    numero_serie=f"FBXS{i:06d}", modele=MODELES[i % 3], recu_le=aujourd_hui.replace(day=1)
                )
                for i in range(STOCK)
            ],
            ignore_conflicts=True,
        )
        quartiers = Quartier.objects.filter(statut__in=STATUTS_ADOPTES).select_related("centre_social")
        for quartier in quartiers.order_by("pk"):
            if JourneeRemise.objects.filter(quartier=quartier).exists():
                continue
            foyers = (
                Foyer.objects.filter(demenage_le__isnull=True, logement__immeuble__quartier=quartier)
                .annotate(
                    type_adh=Subquery(derniere.values("type")[:1]),
                    date_adh=Subquery(derniere.values("date")[:1]),
                )
                .filter(type_adh=Adhesion.Type.ADHESION)
                .order_by("pk")
                .values_list("pk", "logement_id", "date_adh")
            )
            foyers = [f for f in foyers if f[2] <= aujourd_hui]
            if not foyers:
                continue
            journees = _journees(quartier, [f[2] for f in foyers], aujourd_hui)
            a_equiper = []
            for foyer_id, logement_id, date_adh in foyers:
                if alea.random() >= PART_EQUIPEE:
                    continue
                journee = next((j for j in journees if date_adh <= j.date), None)
                if journee is not None:
                    jour, lieu = journee.date, journee.lieu
                else:
                    jour = min(date_adh + datetime.timedelta(days=alea.randint(0, 21)), aujourd_hui)
                    lieu = journees[0].lieu
                a_equiper.append((jour, foyer_id, logement_id, journee, lieu))
            a_equiper.sort(key=lambda r: (r[0], r[1]))
            if not a_equiper:
                continue
            decodeurs = Decodeur.objects.bulk_create(
                [
                    Decodeur(
                        numero_serie=f"FBX{foyer_id:08d}",
                        modele=MODELES[foyer_id % 3],
                        statut=Decodeur.Statut.REMIS,
                        recu_le=jour - datetime.timedelta(days=30),
                    )
                    for jour, foyer_id, *_ in a_equiper
                ]
            )
            rangs: dict[int, int] = {}
            for annee in sorted({jour.year for jour, *_ in a_equiper}):
                CompteurRecu.objects.bulk_create(
                    [CompteurRecu(prefixe=PREFIXE_REMISE, annee=annee)], ignore_conflicts=True
                )
                compteur = CompteurRecu.objects.select_for_update().get(prefixe=PREFIXE_REMISE, annee=annee)
                rangs[annee] = compteur.dernier
                compteur.dernier += sum(1 for jour, *_ in a_equiper if jour.year == annee)
                compteur.save(update_fields=["dernier"])
            recus = []
            for jour, *_ in a_equiper:
                rangs[jour.year] += 1
                recus.append(
                    Recu(
                        prefixe=PREFIXE_REMISE,
                        annee=jour.year,
                        rang=rangs[jour.year],
                        numero=f"{PREFIXE_REMISE}-{jour.year}-{rangs[jour.year]:05d}",
                        emis_le=jour,
                        conditions=conditions,
                    )
                )
            recus = Recu.objects.bulk_create(recus)
            remises = Remise.objects.bulk_create(
                [
                    Remise(
                        foyer_id=foyer_id,
                        logement_id=logement_id,
                        date=jour,
                        journee=journee,
                        lieu=lieu,
                        par_nom="Bénévole du centre social",
                        signe_sur_papier=True,
                        recu=recu,
                    )
                    for (jour, foyer_id, logement_id, journee, lieu), recu in zip(
                        a_equiper, recus, strict=True
                    )
                ]
            )
            LigneRemise.objects.bulk_create(
                [LigneRemise(remise=r, decodeur=d) for r, d in zip(remises, decodeurs, strict=True)]
            )
            n += len(remises)
    return n
