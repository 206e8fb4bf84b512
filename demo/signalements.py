"""Demo provider incidents: reported over the last eight months in the adopted (deploying, active)
neighbourhoods, with realistic delays — most acknowledged within a day or two and resolved within two
weeks, some with time waiting on the tenant, the recent ones still open and a few overdue.

``charger()`` is idempotent: it writes only when no incident exists yet. ``generer()`` is shared with
``make bench`` (20,000 incidents at 60,000 dwellings).
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from equipements.jours_ouvres import ajouter_jours_ouvres, jours_ouvres_entre
from equipements.models import Categorie, Signalement
from logements.models import Logement
from quartiers.models import Quartier

STATUTS = [Quartier.Statut.ADOPTE, Quartier.Statut.DEPLOIEMENT, Quartier.Statut.ACTIF]
CATEGORIES = [Categorie.PRISE] * 7 + [Categorie.SIGNAL] * 5 + [Categorie.DECODEUR] * 4 + [Categorie.AUTRE] * 3
CATEGORIES += [Categorie.IMMEUBLE]
DESCRIPTIONS = {
    Categorie.PRISE: "Prise fibre arrachée ou descellée.",
    Categorie.SIGNAL: "Plus de signal depuis hier soir.",
    Categorie.DECODEUR: "Le décodeur redémarre sans cesse.",
    Categorie.IMMEUBLE: "Aucun logement de l’immeuble n’a internet.",
    Categorie.AUTRE: "Débit très faible le soir.",
}


def generer(
    logements: list[tuple[int, int]], nombre: int, aujourd_hui: datetime.date, alea
) -> list[Signalement]:
    """``nombre`` incidents on ``logements`` ((dwelling pk, building pk) pairs), not saved."""
    signalements = []
    for _ in range(nombre):
        logement, immeuble = alea.choice(logements)
        categorie = alea.choice(CATEGORIES)
        signale = aujourd_hui - datetime.timedelta(days=alea.randint(0, 240))
        if signale.weekday() >= 5:
            signale -= datetime.timedelta(days=signale.weekday() - 4)
        s = Signalement(
            immeuble_id=immeuble,
            logement_id=None if categorie == Categorie.IMMEUBLE else logement,
            categorie=categorie,
            description=DESCRIPTIONS[categorie],
            signale_le=signale,
        )
        pec = ajouter_jours_ouvres(signale, alea.choice([0, 1, 1, 1, 2, 2, 3, 5]))
        attente = alea.choice([0] * 6 + [1, 2, 3, 5])
        resolution = ajouter_jours_ouvres(pec, alea.choice([1, 2, 3, 4, 5, 6, 8, 9, 12, 15, 20]) + attente)
        if alea.random() < 0.04:  # still waiting on the provider, whatever the date: overdue
            pec = None if alea.random() < 0.5 else pec
            resolution = None
        if pec is not None and pec <= aujourd_hui:
            s.pris_en_compte_le = pec
            s.reference_fournisseur = f"FO-{signale:%y%m}-{alea.randint(10000, 99999)}"
            s.statut = Signalement.Statut.PRIS_EN_COMPTE
            s.jours_prise_en_compte = jours_ouvres_entre(signale, pec)
        if resolution is not None and s.pris_en_compte_le and resolution <= aujourd_hui:
            s.resolu_le = resolution
            s.attente_locataire_jours = attente
            s.statut = Signalement.Statut.RESOLU
            s.jours_resolution = max(0, jours_ouvres_entre(signale, resolution) - attente)
        signalements.append(s)
    return signalements


def charger(*, aujourd_hui: datetime.date | None = None) -> int:
    """About one incident for 40 dwellings of the adopted neighbourhoods; nothing if some exist."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    with transaction.atomic():
        if Signalement.objects.exists():
            return 0
        logements = list(
            Logement.objects.filter(immeuble__quartier__statut__in=STATUTS)
            .order_by("pk")
            .values_list("pk", "immeuble_id")
        )
        if not logements:
            return 0
        alea = random.Random(2026)  # noqa: S311 — demo data, not security
        signalements = generer(logements, max(20, len(logements) // 40), aujourd_hui, alea)
        Signalement.objects.bulk_create(signalements, batch_size=2000)
        return len(signalements)
