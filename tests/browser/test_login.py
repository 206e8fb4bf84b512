"""The login page in a real browser (Debian's Chromium): keyboard only, at a desk and on a phone."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_a_volunteer_logs_in_with_the_keyboard_only_and_lands_on_the_desk(live_server, page, accueil_user):
    page.goto(f"{live_server.url}/accounts/login/")
    # The cursor waits in the login field: no mouse needed.
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type("benevole")
    page.keyboard.press("Tab")
    page.keyboard.type("mot-de-passe-test")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/")
    assert page.get_by_role("heading", level=1).inner_text() == "Accueil"


def test_a_caretaker_logs_in_on_a_phone_without_horizontal_scrolling(live_server, phone, gardien_user):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("gardien-test")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    phone.get_by_role("button", name="Se connecter").tap()
    phone.wait_for_url(f"{live_server.url}/votes/gardien/")
    assert phone.get_by_text(gardien_user.immeubles_gardes.get().adresse).is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
