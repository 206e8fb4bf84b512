"""The handout desk in a real browser (Debian's Chromium) at desk size: search → household → scan the serial
(typed, then Enter, as a scanner does) → sign on the pad → confirm → the receipt."""

import pytest

from equipements.models import Remise
from logements import services as logements_services
from tests.equipements.conftest import decodeurs, foyer_adherent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_a_handover_at_the_desk_scanned_and_signed_on_screen(
    live_server, page, adopte, immeuble, accueil_user
):
    foyer = foyer_adherent(immeuble, "Kerhervé")
    decodeurs(2)
    logements_services.foyers_recherche_recalculer()
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.type("benevole")
    page.keyboard.press("Tab")
    page.keyboard.type("mot-de-passe-test")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/")

    page.keyboard.type("kerherve")
    page.locator("#resultats a.resultat").first.wait_for()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="Remettre un décodeur").click()
    page.wait_for_url(f"{live_server.url}/equipements/foyers/{foyer.pk}/remise/")

    # The scanner types into the focused field and ends with Enter.
    page.keyboard.type("SN00001")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#objets").inner_text().strip() == "Décodeur SN00001"
    page.keyboard.type("SN00001")  # scanned twice by mistake: still one
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#objets li").count() == 1

    # The household signs on the pad with the mouse (or a finger).
    boite = page.locator("#signature-canvas").bounding_box()
    page.mouse.move(boite["x"] + 30, boite["y"] + 100)
    page.mouse.down()
    for x in range(40, 400, 20):
        page.mouse.move(boite["x"] + x, boite["y"] + 100 + (x % 60) - 30)
    page.mouse.up()
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer la remise").click()
    assert page.get_by_text("Remise enregistrée : reçu REM-").is_visible()

    remise = Remise.objects.get()
    assert bytes(remise.signature_png).startswith(b"\x89PNG") and not remise.signe_sur_papier
    lien = page.get_by_role("link", name=f"reçu {remise.recu.numero}")
    reponse = page.request.get(live_server.url + lien.get_attribute("href"))
    assert reponse.headers["content-type"] == "application/pdf"
    assert reponse.body() == remise.recu.pdf.open("rb").read()
    assert erreurs == []
