"""Demo former households, so that the retention purge has something to show: twenty dwellings left
vacant had a household that moved out — fourteen long enough ago to be anonymised by the next nightly
purge, six within the next thirty days. Each opted in once and had one person. Deterministic (the first
vacant dwellings by primary key, dates counted from today); run again, it changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from logements.models import Adhesion, Foyer, Logement, Personne
from logements.services import foyers_recherche_recalculer

NOMS = ["LE BRIS", "KERMARREC", "GUIVARC'H", "MORVAN", "LE ROUX", "TANGUY", "CARADEC"]
PRENOMS = ["Annick", "Yvon", "Soazig", "Erwan", "Maïwenn", "Gwenaël", "Nolwenn"]
DUS, BIENTOT = 14, 6


@transaction.atomic
def charger() -> int:
    if Foyer.objects.filter(demenage_le__isnull=False).exists():
        return Foyer.objects.filter(demenage_le__isnull=False).count()
    jour = timezone.localdate()
    logements = list(
        Logement.objects.filter(connecte_depuis__isnull=False, foyers__isnull=True).order_by("pk")[
            : DUS + BIENTOT
        ]
    )
    foyers = []
    for n, logement in enumerate(logements):
        if n < DUS:
            parti = jour - datetime.timedelta(days=760 + 9 * n)  # gone more than two years ago: due now
        else:
            parti = jour - datetime.timedelta(days=730 - 2 - 5 * (n - DUS))  # due within the month
        foyers.append(
            Foyer(
                logement=logement,
                nom=f"{NOMS[n % len(NOMS)]} (ancien foyer {n + 1})",
                telephone=f"06 98 76 {n // 100:02d} {n % 100:02d}",
                emmenage_le=min(logement.connecte_depuis, parti),
                demenage_le=parti,
            )
        )
    Foyer.objects.bulk_create(foyers)
    Adhesion.objects.bulk_create(
        Adhesion(foyer=f, type=Adhesion.Type.ADHESION, date=f.emmenage_le, note="Inscrit à l'accueil")
        for f in foyers
    )
    Personne.objects.bulk_create(
        Personne(prenom=PRENOMS[n % len(PRENOMS)], nom=f.nom.split(" (")[0].title(), foyer=f)
        for n, f in enumerate(foyers)
    )
    foyers_recherche_recalculer([f.pk for f in foyers])
    return len(foyers)
