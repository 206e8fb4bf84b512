import datetime

import pytest
from django.utils import timezone

from tests.factories import AdhesionFactory, FoyerFactory, ImmeubleFactory, LogementFactory, QuartierFactory

ANNEE = timezone.localdate().year


def _quartier(nom, logements, adherents):
    quartier = QuartierFactory(nom=nom)
    immeuble = ImmeubleFactory(quartier=quartier)
    for i in range(logements):
        logement = LogementFactory(immeuble=immeuble)
        if i < adherents:
            AdhesionFactory(foyer=FoyerFactory(logement=logement), date=datetime.date(ANNEE, 3, 1))
    return quartier


@pytest.fixture
def trois_quartiers(db):
    """Kerourien: 7 households opted in (secret); Keredern 40; Bellevue 25."""
    return {
        "Kerourien": _quartier("Kerourien", 30, 7),
        "Keredern": _quartier("Keredern", 60, 40),
        "Bellevue": _quartier("Bellevue", 50, 25),
    }
