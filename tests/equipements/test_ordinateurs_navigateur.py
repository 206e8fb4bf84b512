"""The PC journey in a real browser (Debian's Chromium) at phone size: the household page → reserve or sell a
PC → sold in 3 instalments, the first paid in cash → the handover page with the PC ticked → signed on paper
→ the household page shows the PC, its plan and what remains. No horizontal scrolling, no console error."""

from decimal import Decimal

import pytest

from equipements.models import Offre, Ordinateur, Paiement, Vente
from tests.equipements.conftest import foyer_adherent
from tests.equipements.ordinateurs import offre, ordinateurs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_a_volunteer_sells_a_pc_in_three_instalments_on_a_phone(
    live_server, phone, adopte, immeuble, accueil_user
):
    Offre.objects.all().delete()
    offre()
    foyer = foyer_adherent(immeuble, "Kerhervé")
    ordinateurs(2, prefixe="FIX-", type="fixe")
    erreurs = []
    phone.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.locator("#id_username").fill("benevole")
    phone.locator("#id_password").fill("mot-de-passe-test")
    with phone.expect_navigation():
        phone.locator("#id_password").press("Enter")

    phone.goto(f"{live_server.url}/accueil/foyers/{foyer.pk}/")
    phone.get_by_role("link", name="Réserver ou vendre un PC").click()
    phone.wait_for_url(f"{live_server.url}/equipements/foyers/{foyer.pk}/ordinateur/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    pc = Ordinateur.objects.get(reference="FIX-0001")
    assert "40,00" in phone.locator("#id_ordinateur").inner_text()
    phone.locator("#id_ordinateur").select_option(value=str(pc.pk))
    phone.locator("#id_nb_echeances").select_option(label="En 3 mensualités")
    phone.get_by_label("Espèces").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Vendre ce PC").click()
    assert phone.get_by_text("PC FIX-0001 vendu ; 13,33").is_visible()
    assert phone.locator("#vente-" + str(Vente.objects.get().pk)).is_checked()

    phone.get_by_label("Signé sur papier").check()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Confirmer la remise").click()
    assert phone.get_by_text("Remise enregistrée : reçu REM-").is_visible()
    section = phone.locator("#vente-" + str(Vente.objects.get().pk))
    assert "FIX-0001" in section.inner_text() and "26,67" in section.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert Paiement.objects.get().montant == Decimal("13.33")
    assert Vente.objects.get().remise is not None
    assert erreurs == []
