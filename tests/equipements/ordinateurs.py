"""Helpers of the refurbished PCs' tests: an offer, a stock."""

import datetime
from decimal import Decimal

from equipements.models import Offre, Ordinateur, PalierPrix


def offre(
    applicable_du=datetime.date(2026, 1, 1), portable="70.00", fixe="40.00", tablette="40.00", **kwargs
):
    o = Offre.objects.create(applicable_du=applicable_du, **kwargs)
    for type_, prix in (("portable", portable), ("fixe", fixe), ("tablette", tablette)):
        if prix is not None:
            PalierPrix.objects.create(offre=o, type=type_, prix=Decimal(prix))
    return o


def ordinateurs(n, prefixe="REC-", type="portable"):
    return [
        Ordinateur.objects.create(
            reference=f"{prefixe}{i:04d}",
            type=type,
            processeur="Intel Core i5-6300U",
            memoire="8 Go",
            stockage="256 Go SSD",
            systeme="Linux Mint 22",
            attestation_effacement=f"EFF-{prefixe}{i:04d}",
            recu_le=datetime.date(2026, 1, 10),
        )
        for i in range(n)
    ]
