"""The login page in a real browser (Debian's Chromium): keyboard only, at a desk and on a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_a_volunteer_logs_in_with_the_keyboard_only_and_lands_on_the_desk(live_server, page, accueil_user):
    page.goto(f"{live_server.url}/accounts/login/")
    # The cursor waits in the login field: no mouse needed. (Chromium applies "autofocus" at its next
    # rendering after the page loaded: waited for, else the typing may go nowhere on a busy machine.)
    expect(page.locator("input[name=username]")).to_be_focused()
    page.keyboard.type("benevole")
    page.keyboard.press("Tab")
    page.keyboard.type("mot-de-passe-test")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accueil")


def test_a_caretaker_logs_in_on_a_phone_without_horizontal_scrolling(live_server, phone, gardien_user):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("gardien-test")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    phone.get_by_role("button", name="Se connecter").tap()
    phone.wait_for_url(f"{live_server.url}/votes/gardien/")
    expect(phone.get_by_text(gardien_user.immeubles_gardes.get().adresse)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
