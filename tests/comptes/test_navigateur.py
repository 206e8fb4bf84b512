"""Creating a volunteer's account in a real browser (Debian's Chromium), then the volunteer using the
printed link to choose a password and log in."""

import pytest
from playwright.sync_api import expect

from tests.factories import CentreSocialFactory, QuartierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_city_staff_create_a_volunteer_who_sets_a_password_from_the_printed_link(
    live_server, nouvelle_page, ville_user
):
    centre = CentreSocialFactory(nom="Centre social de Kerhallet")
    QuartierFactory(centre_social=centre, nom="Kerhallet")
    CentreSocialFactory(nom="Centre social des Quatre Moulins")

    agent = nouvelle_page()
    agent.goto(f"{live_server.url}/accounts/login/")
    agent.get_by_label("Nom d’utilisateur").fill("agent-ville")
    agent.get_by_label("Mot de passe").fill("mot-de-passe-test")
    agent.get_by_role("button", name="Se connecter").click()
    agent.get_by_role("link", name="Comptes").click()
    agent.get_by_role("link", name="Nouveau compte").click()

    agent.get_by_label("Identifiant").fill("nina")
    agent.get_by_label("Prénom").fill("Nina")
    agent.get_by_label("Nom", exact=True).fill("Fictive")
    # Only the chosen role's scope is shown (by the page's script, waited for).
    expect(agent.get_by_text("Centres sociaux", exact=True)).not_to_be_visible()
    agent.get_by_label("Accueil", exact=True).check()
    expect(agent.get_by_text("Centres sociaux", exact=True)).to_be_visible()
    expect(agent.get_by_label("Immeubles")).not_to_be_visible()
    agent.get_by_role("button", name="Créer le compte").click()
    # Without a centre: refused, in French, the role still chosen.
    agent.get_by_text("Un bénévole d’accueil a besoin de son centre social.").wait_for()
    agent.get_by_label("Centre social de Kerhallet").check()
    agent.get_by_role("button", name="Créer le compte").click()

    agent.get_by_text("Compte nina créé").wait_for()
    lien = agent.locator("#lien-a-remettre").inner_text().strip()
    assert lien.startswith(f"{live_server.url}/accounts/reset/")
    expect(agent.get_by_role("button", name="Imprimer")).to_be_visible()

    benevole = nouvelle_page()
    benevole.goto(lien)
    benevole.get_by_role("heading", name="Choisissez votre mot de passe").wait_for()
    benevole.locator("#id_new_password1").fill("Kerhallet-Accueil-2026")
    benevole.locator("#id_new_password2").fill("Kerhallet-Accueil-2026")
    benevole.get_by_role("button", name="Enregistrer mon mot de passe").click()
    benevole.get_by_role("link", name="Se connecter").click()
    benevole.get_by_label("Nom d’utilisateur").fill("nina")
    benevole.get_by_label("Mot de passe").fill("Kerhallet-Accueil-2026")
    benevole.get_by_role("button", name="Se connecter").click()
    benevole.wait_for_url(f"{live_server.url}/accueil/")
