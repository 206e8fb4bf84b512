import datetime

import pytest

from equipements.models import Decodeur, JourneeRemise
from quartiers.models import Quartier
from tests.factories import AdhesionFactory, FoyerFactory, LogementFactory

# A tiny valid PNG (1 × 1, transparent), as the signature pad posts it.
PNG_1PX = (
    "data:image/png;base64,"
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def foyer_adherent(immeuble, nom="Famille Kerhervé"):
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom=nom)
    AdhesionFactory(foyer=foyer)
    return foyer


def decodeurs(n, prefixe="SN"):
    return [
        Decodeur.objects.create(
            numero_serie=f"{prefixe}{i:05d}", modele="Box 4K", recu_le=datetime.date(2026, 1, 5)
        )
        for i in range(n)
    ]


@pytest.fixture
def adopte(quartier):
    quartier.statut = Quartier.Statut.ADOPTE
    quartier.save()
    return quartier


@pytest.fixture
def foyer(adopte, immeuble):
    return foyer_adherent(immeuble)


@pytest.fixture
def journee(adopte):
    return JourneeRemise.objects.create(
        quartier=adopte,
        date=datetime.date(2026, 2, 26),
        lieu="Centre social de Keredern",
        heure_debut=datetime.time(9, 30),
        heure_fin=datetime.time(17, 0),
        partenaires="Le fournisseur, la ville",
    )


@pytest.fixture
def stock(db):
    return decodeurs(5)
