"""Sales to test the money with, built directly (the sale's own service belongs to the PC desk)."""

import datetime
import itertools
from decimal import Decimal

from equipements.modeles_ordinateurs import Echeance, Offre, Ordinateur, Vente, plan_echeances

_numeros = itertools.count(1)


def offre() -> Offre:
    existante = Offre.objects.order_by("applicable_du").first()
    if existante is not None:
        return existante
    return Offre.objects.create(applicable_du=datetime.date(2020, 1, 1))


def vente_creer(
    foyer,
    *,
    prix="40.00",
    nb=1,
    date=datetime.date(2026, 9, 15),
    par=None,
    centre=None,
    type_="fixe",
) -> Vente:
    """A PC sold to ``foyer`` at ``prix`` in ``nb`` monthly instalments from ``date``."""
    n = next(_numeros)
    ordinateur = Ordinateur.objects.create(
        reference=f"RCY-T{n:05d}",
        type=type_,
        processeur="Intel Core i5",
        memoire="8 Go",
        stockage="SSD 256 Go",
        systeme="Linux Mint",
        attestation_effacement=f"EFF-T{n:05d}",
        recu_le=datetime.date(2026, 1, 10),
        statut=Ordinateur.Statut.VENDU,
    )
    prix = Decimal(prix)
    vente = Vente.objects.create(
        foyer=foyer,
        ordinateur=ordinateur,
        centre=centre or foyer.logement.immeuble.quartier.centre_social,
        offre=offre(),
        prix=prix,
        nb_echeances=nb,
        date=date,
        par=par,
        par_nom=par.get_username() if par else "",
    )
    Echeance.objects.bulk_create(
        [Echeance(vente=vente, rang=r, due_le=d, montant=m) for r, d, m in plan_echeances(prix, nb, date)]
    )
    return vente
