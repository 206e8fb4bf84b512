"""Money: euros as ``Decimal`` with two places, one rounding rule (half up), French formatting.

Amounts are stored in ``DecimalField(max_digits=12, decimal_places=2)``; totals are sums of stored
lines. Display goes through Django's localisation: ``euros(Decimal("1416"))`` → ``"1 416,00 €"``.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats

CENTIME = Decimal("0.01")


def arrondir(montant) -> Decimal:
    """``montant`` rounded to the cent, half up (0.005 → 0.01)."""
    if not isinstance(montant, Decimal):
        montant = Decimal(str(montant))
    return montant.quantize(CENTIME, rounding=ROUND_HALF_UP)


def euros(montant) -> str:
    """``montant`` in the current language's format, two decimals, grouped thousands, with the euro sign."""
    if montant is None or montant == "":
        return ""
    texte = formats.number_format(arrondir(montant), 2, use_l10n=True, force_grouping=True)
    return f"{texte}\u00a0€"


def decimal_fr(montant) -> str:
    """``montant`` for a French spreadsheet: comma decimal, no grouping, no sign of currency ("1416,00")."""
    return f"{arrondir(montant):.2f}".replace(".", ",")
