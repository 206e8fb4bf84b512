import datetime
import itertools

import pytest
from django.utils import timezone

from ateliers.models import Atelier, Consentement, Inscription, PreferenceContact, Seance, Structure
from tests.factories import PersonneFactory, QuartierFactory

_numeros = itertools.count(1)


@pytest.fixture
def console(settings, tmp_path):
    """Both channels through the console backend, written to a file the test reads back."""
    fichier = tmp_path / "messages.txt"
    settings.IPT_SMS_BACKEND = "ateliers.canaux.Console"
    settings.IPT_EMAIL_BACKEND = "ateliers.canaux.Console"
    settings.IPT_MESSAGES_FICHIER = str(fichier)
    settings.IPT_RAPPEL_HEURES = 48

    class Sortie:
        def texte(self) -> str:
            return fichier.read_text(encoding="utf-8") if fichier.exists() else ""

        def nombre(self) -> int:
            return self.texte().count("Objet : ")

    return Sortie()


@pytest.fixture
def creer_seance(db):
    quartier = QuartierFactory(nom="Kerourien")
    structure = Structure.objects.create(nom="Association Clic (fictive)")
    atelier = Atelier.objects.create(titre="Premiers pas", structure=structure)

    def creer(debut: datetime.datetime, **champs) -> Seance:
        return Seance.objects.create(
            atelier=atelier,
            quartier=quartier,
            debut=debut,
            duree=datetime.timedelta(hours=2),
            lieu=champs.pop("lieu", "Centre social de Kerourien, salle informatique"),
            capacite=champs.pop("capacite", 12),
            **champs,
        )

    return creer


def joignable(*canaux: str, choisi: str | None = None, **champs):
    """A person of a household who agreed to be contacted by ``canaux`` and chose the first one."""
    n = next(_numeros)
    champs.setdefault("telephone", f"06 12 34 {n // 100 % 100:02d} {n % 100:02d}")
    champs.setdefault("email", f"personne{n}@exemple.org")
    personne = PersonneFactory(prenom=champs.pop("prenom", "Hélène"), **champs)
    for canal in canaux:
        Consentement.objects.create(personne=personne, canal=canal, donne_le=timezone.now())
    if canaux or choisi:
        PreferenceContact.objects.create(personne=personne, canal=choisi or canaux[0])
    return personne


def inscrire(personne, seance=None, *, cycle=None, statut="inscrite", rang=None):
    return Inscription.objects.create(
        personne=personne,
        seance=seance,
        cycle=cycle,
        statut=statut,
        rang_attente=rang if statut == "attente" else None,
    )
