import datetime
import importlib
import re
import zoneinfo
from decimal import Decimal

import pytest
from django.apps import apps

from charges.models import Tarif
from tests.factories import BailleurFactory, ImmeubleFactory, LogementFactory, QuartierFactory
from tests.pdf import pdf_pages

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
OCTOBRE = datetime.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Generated files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def tarifs(db):
    """The programme's tariffs: 1.00 EUR from 2009, 1.10 EUR from 2014, 1.18 EUR from 2019."""
    return [
        Tarif.objects.create(applicable_du=datetime.date(2009, 1, 1), montant=Decimal("1.00")),
        Tarif.objects.create(applicable_du=datetime.date(2014, 1, 1), montant=Decimal("1.10")),
        Tarif.objects.create(applicable_du=datetime.date(2019, 1, 1), montant=Decimal("1.18")),
    ]


@pytest.fixture
def roles_charges(roles):
    """Transactional tests: the role groups, with the permissions of charges too."""
    importlib.import_module("charges.migrations.0003_roles").accorder(apps, None)


def logements(bailleur, nombre, *, quartier=None, immeuble=None, **champs):
    """``nombre`` dwellings of ``bailleur`` in one building, connected since 2014 unless told."""
    immeuble = immeuble or ImmeubleFactory(bailleur=bailleur, quartier=quartier or QuartierFactory())
    return [LogementFactory(immeuble=immeuble, bailleur=bailleur, **champs) for _ in range(nombre)]


@pytest.fixture
def deux_bailleurs(db):
    """Two landlords: 7 connected dwellings for the first (two buildings), 4 for the second."""
    quartier = QuartierFactory(nom="Kerourien")
    hoc = BailleurFactory(code="HOC", nom="Habitat Océan (fictif)")
    bls = BailleurFactory(code="BLS", nom="Brest Logis Solidaire (fictif)")
    logements(hoc, 4, quartier=quartier)
    logements(hoc, 3, quartier=quartier)
    logements(bls, 4, quartier=quartier)
    return hoc, bls


def pdf_texte(contenu: bytes, *, layout: bool = True) -> list[str]:
    """The text of each page of a PDF, as laid out (white space kept)."""
    return pdf_pages(contenu, layout=layout, plier=False)


def montants(texte: str) -> list[Decimal]:
    """Every amount in euros written in ``texte`` (French format: "1 416,00 €", "-1,18 €")."""
    texte = texte.replace("\u202f", " ").replace("\u00a0", " ")
    return [
        Decimal(m.replace(" ", "").replace(",", "."))
        for m in re.findall(r"(-?\d{1,3}(?: \d{3})*,\d{2}) €", texte)
    ]


def montant_apres(libelle: str, texte: str) -> Decimal:
    """The amount written on the line that starts with ``libelle``."""
    texte = texte.replace("\u202f", " ").replace("\u00a0", " ")
    for ligne in texte.splitlines():
        if libelle in ligne:
            trouves = montants(ligne)
            if trouves:
                return trouves[-1]
    raise AssertionError(f"{libelle!r} not found in:\n{texte}")


@pytest.fixture
def file_releves(file_redis):
    """Jobs go to Redis (``file_redis``, which empties the statements' own queue too): a client on it."""
    import redis

    from tests.worker import redis_url

    connexion = redis.Redis.from_url(redis_url())
    yield connexion
