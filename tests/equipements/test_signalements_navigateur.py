"""A caretaker reports a wall-socket problem from a phone (390 px), in a real browser (Chromium)."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from equipements.models import Signalement
from tests.factories import (
    CentreSocialFactory,
    ImmeubleFactory,
    LogementFactory,
    QuartierFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


@pytest.fixture
def gardien(roles):
    # Transactional tests empty every table: the target times of the data migration too.
    importlib.import_module("equipements.migrations.0005_delais_cibles").creer(apps, None)
    quartier = QuartierFactory(centre_social=CentreSocialFactory())
    immeuble = ImmeubleFactory(quartier=quartier, nom="Les Embruns", adresse="1 rue de l’Océan, 29200 Brest")
    logement = LogementFactory(immeuble=immeuble, cage="A", etage=4, porte="41")
    LogementFactory(immeuble=immeuble, cage="A", etage=4, porte="42")
    gardien = UserFactory(username="gardien-tel", role="gardien")
    immeuble.gardiens.add(gardien)
    return gardien, logement


def test_a_caretaker_reports_a_wall_socket_from_a_phone(live_server, phone, gardien):
    user, logement = gardien
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("gardien-tel")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    phone.get_by_role("button", name="Se connecter").tap()
    phone.wait_for_url(f"{live_server.url}/votes/gardien/")
    phone.get_by_role("link", name="Signaler un incident (prise murale, pas de signal…)").tap()
    phone.wait_for_url(f"{live_server.url}/equipements/signalements/nouveau/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.get_by_label("Problème").select_option(label="Prise murale")
    phone.get_by_label("Cage").fill("A")
    phone.get_by_label("Étage").fill("4")
    phone.get_by_label("Porte").fill("41")
    phone.get_by_label("Description").fill("La prise fibre est arrachée du mur.")
    phone.get_by_role("button", name="Envoyer le signalement").tap()
    expect(phone.get_by_text("Incident signalé")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    s = Signalement.objects.get()
    assert (s.logement_id, s.categorie, s.signale_par_id) == (logement.pk, "prise", user.pk)
