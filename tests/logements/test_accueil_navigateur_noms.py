"""The desk in Chromium with Breton names, at desk size and on a phone (390 px, touch): the household of
that name first, though a building bears it; the cursor back in the search box after an opt-in; on a phone
the search box takes the width and the keyboard hints are gone."""

import re

import pytest
from playwright.sync_api import expect

from logements import services
from logements.models import Adhesion
from tests.factories import FoyerFactory, ImmeubleFactory, PersonneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


@pytest.fixture
def ville_bretonne(quartier, bailleur, accueil_user):
    """25 residents of "Résidence Salaün 3" (more than a page of results), a SALAÜN and a FLOC’H household
    elsewhere, and a household where a Floc’h lives."""
    residence = ImmeubleFactory(
        quartier=quartier, bailleur=bailleur, nom="Résidence Salaün 3", adresse="3 rue Jean Jaurès"
    )
    for i in range(25):
        FoyerFactory(logement__immeuble=residence, nom=f"ABALAIN {i:02}")
    ailleurs = ImmeubleFactory(
        quartier=quartier, bailleur=bailleur, nom="Les Mouettes", adresse="8 rue Vauban"
    )
    salaun = FoyerFactory(logement__immeuble=ailleurs, nom="SALAÜN")
    floch = FoyerFactory(logement__immeuble=ailleurs, nom="FLOC’H")
    autre = FoyerFactory(logement__immeuble=ailleurs, nom="BIHAN")
    PersonneFactory(foyer=autre, prenom="Rose", nom="Floc’h")
    services.foyers_recherche_recalculer()
    return {"salaun": salaun, "floch": floch}


def _connexion(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("benevole")
    page.locator("#id_password").fill("mot-de-passe-test")
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/accueil/")


def _chercher(page, q) -> list[str]:
    page.locator("#recherche-q").fill(q)
    page.locator(f'#resultats-contenu[data-q="{q}"]').wait_for()
    return page.locator("#resultats a.resultat .fw-semibold").all_inner_texts()


def _parcours(page, live_server, foyers):
    _connexion(page, live_server)
    assert _chercher(page, "salaun")[0] == "SALAÜN"
    assert _chercher(page, "floch")[:2] == ["FLOC’H", "BIHAN"]
    assert _chercher(page, "floc'h")[0] == "FLOC’H"

    # Opened with a tap or a click, then an opt-in: the cursor is back in the search box for the next one.
    page.locator("#resultats a.resultat").first.click()
    page.wait_for_url(f"{live_server.url}/accueil/foyers/{foyers['floch'].pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer l’adhésion").click()
    expect(page.get_by_text("Adhésion enregistrée pour « FLOC’H ».")).to_be_visible()
    expect(page.locator("#recherche-q")).to_be_focused()
    assert Adhesion.objects.filter(foyer=foyers["floch"], type=Adhesion.Type.ADHESION).exists()


def test_breton_names_at_the_desk(live_server, page, ville_bretonne):
    _parcours(page, live_server, ville_bretonne)
    # With a mouse and a keyboard, the keyboard hints are shown.
    expect(page.locator("#recherche-aide")).to_be_visible()
    expect(page.locator("#personne-suivante kbd")).to_be_visible()


def test_breton_names_on_a_phone(live_server, phone, ville_bretonne):
    _parcours(phone, live_server, ville_bretonne)
    # The search box takes the whole width of the page's content; no keyboard hint on a touch screen.
    largeur_champ = phone.locator("#recherche-q").bounding_box()["width"]
    largeur_contenu = phone.locator("#barre-accueil").bounding_box()["width"]
    assert largeur_champ >= largeur_contenu - 1
    assert not phone.locator("#recherche-aide").is_visible()
    assert not phone.locator("#personne-suivante kbd").is_visible()
    # Nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def _luminance(rgb: str) -> float:
    def canal(c):
        c = int(c) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (canal(c) for c in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contraste(a: str, b: str) -> float:
    clair, sombre = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (clair + 0.05) / (sombre + 0.05)


def _anneau(element) -> tuple[str, float, str]:
    assert element.evaluate("e => e === document.activeElement")
    style, largeur, couleur = element.evaluate(
        "e => { const s = getComputedStyle(e); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    return style, float(largeur.removesuffix("px")), couleur


def test_buttons_and_links_show_where_the_keyboard_is(live_server, page, ville_bretonne):
    """A visible focus ring (WCAG 2.4.7) that stands out of the white page by 3:1 at least (WCAG 1.4.11)."""
    _connexion(page, live_server)
    fond = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.goto(f"{live_server.url}/accueil/foyers/{ville_bretonne['salaun'].pk}/")
    page.locator("#id_note").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Enregistrer l’adhésion")).to_be_focused()
    style, largeur, couleur = _anneau(page.get_by_role("button", name="Enregistrer l’adhésion"))
    assert style == "solid" and largeur >= 2 and _contraste(couleur, fond) >= 3, couleur
    # A result of the search, reached with ↓.
    _chercher(page, "salaun")
    page.locator("#recherche-q").press("ArrowDown")
    expect(page.locator("#resultats a.resultat").first).to_be_focused()
    style, largeur, couleur = _anneau(page.locator("#resultats a.resultat").first)
    assert style == "solid" and largeur >= 2 and _contraste(couleur, fond) >= 3, couleur
    # "Next person", a link styled as a button.
    page.locator("#recherche-q").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#personne-suivante")).to_be_focused()
    style, largeur, couleur = _anneau(page.locator("#personne-suivante"))
    assert style == "solid" and largeur >= 2 and _contraste(couleur, fond) >= 3, couleur
