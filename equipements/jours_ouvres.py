"""Working days: Monday to Friday, less the French public holidays (metropolitan France)."""

import datetime
from functools import lru_cache


def paques(annee: int) -> datetime.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = annee % 19, annee // 100, annee % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    mois = (h + ell - 7 * m + 114) // 31
    jour = (h + ell - 7 * m + 114) % 31 + 1
    return datetime.date(annee, mois, jour)


@lru_cache(maxsize=64)
def jours_feries(annee: int) -> frozenset[datetime.date]:
    p = paques(annee)
    fixes = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    mobiles = [p + datetime.timedelta(days=n) for n in (1, 39, 50)]  # Easter Monday, Ascension, Whit Monday
    return frozenset([datetime.date(annee, m, j) for m, j in fixes] + mobiles)


def est_ouvre(jour: datetime.date) -> bool:
    return jour.weekday() < 5 and jour not in jours_feries(jour.year)


def jours_ouvres_entre(debut: datetime.date, fin: datetime.date) -> int:
    """Working days after ``debut`` up to and including ``fin`` (0 when ``fin`` <= ``debut``):
    reported on Friday and acknowledged on Monday is 1 working day."""
    n, jour = 0, debut
    while jour < fin:
        jour += datetime.timedelta(days=1)
        n += est_ouvre(jour)
    return n


def ajouter_jours_ouvres(debut: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``debut`` (``debut`` itself for 0)."""
    jour = debut
    while n > 0:
        jour += datetime.timedelta(days=1)
        n -= est_ouvre(jour)
    return jour
