"""The desk in a real browser (Debian's Chromium), keyboard only: a queue of people, one after the other."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from logements import services
from tests.factories import LogementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


@pytest.fixture
def foyers(immeuble, accueil_user):
    immeuble.adresse = "12 rue de l’Élorn, 29200 Brest"
    immeuble.save()
    return [
        services.foyer_emmenager(
            logement=LogementFactory(immeuble=immeuble),
            nom=nom,
            telephone=telephone,
            emmenage_le=datetime.date(2015, 3, 1),
            occupants=occupants,
            par=accueil_user,
        )
        for nom, telephone, occupants in [
            ("Dupont", "06 00 00 01 02", [{"prenom": "Hélène", "nom": "Dupont"}]),
            ("Kerhervé", "07 00 00 03 04", [{"prenom": "Yann", "nom": "Kerhervé"}]),
        ]
    ]


def _connexion(page, live_server):  # noqa: F811
    page.goto(f"{live_server.url}/accounts/login/")
    # "autofocus" takes effect at Chromium's next rendering after the load, with or without JavaScript:
    # typed before it, the keys go nowhere and the login never happens.
    expect(page.locator("#id_username")).to_be_focused()
    page.keyboard.type("benevole")
    page.keyboard.press("Tab")
    page.keyboard.type("mot-de-passe-test")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/")


def _recherche(page):
    return page.locator("#recherche-q")


def test_a_queue_at_the_desk_with_the_keyboard_only(live_server, page, foyers):  # noqa: F811
    dupont, kerherve = foyers
    _connexion(page, live_server)
    # The cursor waits in the search box.
    expect(_recherche(page)).to_be_focused()

    # First person: typed without accent, found as you type, picked with ↓ and opened with Enter.
    page.keyboard.type("helene")
    page.locator("#resultats a.resultat").first.wait_for()
    expect(page.locator("#resultats a.resultat")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    expect(page.locator("#resultats a.resultat").first).to_be_focused()
    expect(page.locator("#resultats a.resultat").first).to_contain_text("Dupont")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/foyers/{dupont.pk}/")

    # Her opt-in, recorded with the keyboard: the date is today already.
    page.get_by_role("button", name="Enregistrer l’adhésion").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Adhésion enregistrée pour « Dupont ».")).to_be_visible()
    expect(page.locator("#statut-adhesion")).to_have_text(re.compile(r"^\s*Adhérent"), use_inner_text=True)
    # After the action, the cursor is back in the search box.
    expect(_recherche(page)).to_be_focused()

    # Next person: Esc brings back an empty desk, the cursor in the search box.
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/accueil/")
    expect(_recherche(page)).to_be_focused()
    expect(_recherche(page)).to_have_value("")

    # Typed fast then Enter before the results came: the first result opens once they come.
    page.keyboard.type("07.00.00.03.04")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/foyers/{kerherve.pk}/")

    # "/" from anywhere on a desk page goes to the search box; Esc in it empties it.
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(_recherche(page)).to_be_focused()
    page.keyboard.type("elorn")
    page.locator("#resultats a.resultat").first.wait_for()
    expect(page.locator("#resultats a.resultat")).to_have_count(2)
    page.keyboard.press("Escape")
    expect(_recherche(page)).to_have_value("")
    expect(page.locator("#resultats a.resultat")).to_have_count(0)
    assert page.url == f"{live_server.url}/accueil/foyers/{kerherve.pk}/"


def test_the_search_works_without_javascript(live_server, nouvelle_page, foyers):  # noqa: F811
    page = nouvelle_page(java_script_enabled=False)  # noqa: F811
    _connexion(page, live_server)
    page.locator("#recherche-q").fill("kerherve")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/?q=kerherve")
    page.get_by_role("link", name="Kerhervé").click()
    page.wait_for_url(f"{live_server.url}/accueil/foyers/{foyers[1].pk}/")
