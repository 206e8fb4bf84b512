"""Late-comers in a real browser (Debian's Chromium): a volunteer books an appointment from a phone, and
city staff prepare the invitations and watch the job's progress until the download."""

import datetime

import pytest
from django.utils import timezone

from equipements.models import Creneau, JourneeRemise, RendezVous
from logements import services as logements_services
from tests.equipements.conftest import foyer_adherent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def _connecter(page, url, nom):
    page.goto(f"{url}/accounts/login/")
    page.keyboard.type(nom)
    page.keyboard.press("Tab")
    page.keyboard.type("mot-de-passe-test")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.fixture
def retard(adopte, immeuble):
    JourneeRemise.objects.create(
        quartier=adopte,
        date=timezone.localdate() - datetime.timedelta(days=20),
        lieu="Centre social",
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(17),
    )
    creneau = Creneau.objects.create(
        quartier=adopte,
        lieu="Centre social, salle 2",
        date=timezone.localdate() + datetime.timedelta(days=7),
        heure_debut=datetime.time(14),
        heure_fin=datetime.time(16),
        capacite=3,
    )
    foyer = foyer_adherent(immeuble, "Kerhervé")
    logements_services.foyers_recherche_recalculer()
    return foyer, creneau


def test_a_volunteer_books_a_late_comer_from_a_phone(live_server, phone, retard, accueil_user):
    foyer, creneau = retard
    _connecter(phone, live_server.url, "benevole")
    phone.goto(f"{live_server.url}/accueil/foyers/{foyer.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.locator("#action-rendez-vous").click()
    phone.wait_for_url(f"{live_server.url}/equipements/foyers/{foyer.pk}/rendez-vous/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Réserver").click()
    assert phone.get_by_text("Rendez-vous pris").is_visible()
    assert phone.locator("#etat-retardataire").inner_text() == "rendez-vous"
    assert RendezVous.objects.get(foyer=foyer).creneau == creneau


def test_city_staff_prepare_the_invitations_and_download_them(live_server, page, retard, ville_user):
    _connecter(page, live_server.url, "agent-ville")
    quartier = retard[1].quartier
    page.goto(f"{live_server.url}/equipements/retardataires/{quartier.pk}/")
    assert page.locator("#retardataires tr[data-etat='a_inviter']").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="Préparer les lettres").click()
    assert page.get_by_text("1 lettre(s) enregistrée(s)").is_visible()
    # The job runs (in the tests, at once); its block offers the download.
    page.get_by_role("link", name="Télécharger").wait_for()
    assert page.locator("#retardataires tr[data-etat='invite']").count() == 1
