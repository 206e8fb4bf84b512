"""Billing in a real browser (Debian's Chromium): the month proposed, a confirmation step, then the result."""

import pytest
from playwright.sync_api import expect

from charges.models import Releve
from charges.mois import mois_a_facturer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_billing_asks_before_it_issues_and_says_what_happened(
    live_server, page, roles_charges, ville_user, tarifs, deux_bailleurs
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill("agent-ville")
    page.get_by_label("Mot de passe").fill("mot-de-passe-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/pilotage/")  # logged in (else goto cuts the login short)
    page.goto(f"{live_server.url}/charges/")
    champ = page.get_by_label("Mois à facturer")
    assert champ.input_value() == f"{mois_a_facturer():%Y-%m}"  # the last ended month
    champ.fill("2026-10")
    page.get_by_role("button", name="Facturer et émettre les relevés").click()

    # The confirmation page, once it replaced the form's (whose heading is read until then).
    expect(page.get_by_role("heading", level=1)).to_have_text("Facturer octobre 2026 ?")
    tableau = page.locator("#apercu")
    expect(tableau).to_contain_text("Habitat Océan (fictif)")
    expect(tableau).to_contain_text("Brest Logis Solidaire (fictif)")
    total = tableau.locator("tfoot").inner_text()
    assert "11" in total and "12,98" in total
    assert not Releve.objects.exists()  # nothing issued before the confirmation

    page.get_by_role("button", name="Confirmer et émettre les relevés (octobre 2026)").click()
    page.wait_for_url(f"{live_server.url}/charges/")
    expect(page.get_by_text("Octobre 2026 facturé : 2 relevés émis, 11 charges créées.")).to_be_visible()
    assert Releve.objects.filter(statut=Releve.Statut.EMIS).count() == 2
