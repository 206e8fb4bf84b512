"""Demo refurbished PCs: the recyclerie's stock (laptops, desktops, tablets received over the last months,
each with its data-wipe attestation), past sales to equipped households of the adopted quartiers — some
paid at once, some in 2, 3 or 4 monthly instalments — each handed over on an equipment receipt signed on
paper, and two reservations (one holding, one past its date that the nightly task puts back in stock).

The sales are made through the desk's own service (``vente_enregistrer``) at the price of the offer in
force on their day, without their payments: the payments' demo (``demo/paiements.py``) records them on
their days afterwards (some overdue, one waived). Deterministic; running it twice changes nothing (the
stock's first reference is there: skipped). Receipts' PDFs are rendered on their first download.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from equipements import services as equipements_services
from equipements import services_ordinateurs as services
from equipements.models import LigneRemise, Offre, Ordinateur
from equipements.services import STATUTS_ADOPTES
from logements.models import Adhesion, Foyer

PREFIXE = "RCY-2026-"
MODELES = [
    ("portable", "Intel Core i5-6300U", "8 Go", "SSD 256 Go", "Linux Mint 22", "Chargeur, housse"),
    ("fixe", "Intel Core i3-7100", "8 Go", "SSD 240 Go", "Linux Mint 22", "Clavier, souris, écran 22 pouces"),
    ("portable", "Intel Core i5-8250U", "8 Go", "SSD 256 Go", "Windows 10 (reconditionné)", "Chargeur"),
    ("tablette", "MediaTek Helio P22T", "3 Go", "32 Go", "Android 11", "Chargeur, coque"),
    ("fixe", "AMD Ryzen 3 2200G", "8 Go", "SSD 480 Go", "Linux Mint 22", "Clavier, souris"),
]
STOCK = 36
VENTES = 14
ECHEANCES = [1, 3, 1, 4, 2, 3, 1, 4, 3, 2, 1, 3, 4, 1]  # some at once, most in instalments


def _stock(aujourd_hui: datetime.date) -> list[Ordinateur]:
    pcs = []
    for i in range(STOCK):
        type_, processeur, memoire, stockage, systeme, accessoires = MODELES[i % len(MODELES)]
        pcs.append(
            Ordinateur(
                reference=f"{PREFIXE}{i + 1:04d}",
                type=type_,
                processeur=processeur,
                memoire=memoire,
                stockage=stockage,
                systeme=systeme,
                accessoires=accessoires,
                attestation_effacement=f"RCY-EFF-{i + 1:05d}",
                # In batches: about every three weeks the recyclerie brings six.
                recu_le=aujourd_hui - datetime.timedelta(days=190 - 21 * (i // 6)),
            )
        )
    return Ordinateur.objects.bulk_create(pcs)


def _foyers_equipes() -> list[Foyer]:
    """Opted-in households of the adopted quartiers that hold a decoder, spread over the quartiers."""
    derniere = Adhesion.objects.filter(foyer=OuterRef("pk")).order_by("-date", "-pk").values("type")[:1]
    equipe = LigneRemise.objects.filter(remise__foyer=OuterRef("pk"), restitution__isnull=True)
    foyers = list(
        Foyer.objects.filter(
            demenage_le__isnull=True, logement__immeuble__quartier__statut__in=STATUTS_ADOPTES
        )
        .annotate(adhesion=Subquery(derniere), equipe=Exists(equipe))
        .filter(adhesion=Adhesion.Type.ADHESION, equipe=True)
        .select_related("logement__immeuble__quartier")
        .order_by("logement__immeuble__quartier__nom", "pk")
    )
    par_quartier: dict[int, list[Foyer]] = {}
    for foyer in foyers:
        par_quartier.setdefault(foyer.logement.immeuble.quartier_id, []).append(foyer)
    # One per quartier in turn, so that every centre's desk has some.
    choisis = []
    for rang in range(max((len(liste) for liste in par_quartier.values()), default=0)):
        choisis += [liste[rang] for liste in par_quartier.values() if rang < len(liste)]
        if len(choisis) >= VENTES + 2:
            break
    return choisis[: VENTES + 2]


def charger(*, aujourd_hui: datetime.date | None = None) -> int:
    """Bring the recyclerie's stock and make the past sales; returns the number of sales made."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    if Ordinateur.objects.filter(reference=f"{PREFIXE}0001").exists():
        return 0
    offre = Offre.objects.en_vigueur(aujourd_hui - datetime.timedelta(days=160))
    if offre is None:  # the migration seeds the offer in force; a demo base without it sells nothing
        return 0
    benevole = get_user_model().objects.filter(username="accueil").first()
    pcs = _stock(aujourd_hui)
    foyers = _foyers_equipes()
    n = 0
    for i, foyer in enumerate(foyers[:VENTES]):
        jour = aujourd_hui - datetime.timedelta(days=150 - 10 * i)
        vente = services.vente_enregistrer(
            foyer=foyer, ordinateur=pcs[i], nb_echeances=ECHEANCES[i], jour=jour, par=benevole
        )
        equipements_services.remise_enregistrer(
            foyer=foyer,
            numeros=[],
            ventes=[vente],
            date=jour,
            lieu=foyer.logement.immeuble.quartier.centre_social.nom
            if foyer.logement.immeuble.quartier.centre_social_id
            else "",
            signe_sur_papier=True,
            par=benevole,
            rendre_pdf=False,
        )
        n += 1
    # Two reservations: one holding for a few more days, one past its date (the nightly task frees it).
    reste = foyers[VENTES:]
    if reste:
        services.reservation_creer(foyer=reste[0], ordinateur=pcs[VENTES], par=benevole, jour=aujourd_hui)
    if len(reste) > 1:
        services.reservation_creer(
            foyer=reste[1],
            ordinateur=pcs[VENTES + 1],
            par=benevole,
            jour=aujourd_hui - datetime.timedelta(days=9),
        )
    return n
