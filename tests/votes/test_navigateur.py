"""Ballot entry on a phone, in a real browser (Debian's Chromium): type the code, see the door, tap the
choice; undo a mis-tap; the next one is ready at once; building tabs stay on one line at 390 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CentreSocialFactory, ImmeubleFactory, QuartierFactory, UserFactory
from tests.votes.conftest import creer_scrutin, logements
from votes import codes
from votes.models import Bulletin

# The cursor is in the code field.
# A function, not an expression: Playwright evaluates an expression with eval(), which the CSP refuses.
CODE_A_LA_MAIN = "() => document.activeElement && document.activeElement.name === 'code'"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


@pytest.fixture
def vote(roles):
    quartier = QuartierFactory(centre_social=CentreSocialFactory())
    immeuble = ImmeubleFactory(quartier=quartier, nom="Les Embruns", adresse="1 rue de l’Océan, 29200 Brest")
    lgts = logements(immeuble, 6)
    gardien = UserFactory(username="gardien-tel", role="gardien")
    immeuble.gardiens.add(gardien)
    for nom in ("Résidence des Quatre Vents", "Résidence du Grand Large", "Les Hauts de Keredern"):
        autre = ImmeubleFactory(quartier=quartier, nom=nom)
        logements(autre, 2)
        autre.gardiens.add(gardien)
    scrutin = creer_scrutin(quartier)
    return scrutin, lgts


def _connecter(phone, live_server):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("gardien-tel")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    phone.get_by_role("button", name="Se connecter").tap()


def test_a_caretaker_sees_the_door_taps_yes_then_undoes_it_on_a_phone(live_server, phone, vote):
    scrutin, lgts = vote
    _connecter(phone, live_server)
    phone.wait_for_url(f"{live_server.url}/votes/{scrutin.pk}/saisie/gardien/")
    phone.wait_for_function(CODE_A_LA_MAIN)  # ready to type

    # Building tabs: one line, scrolled sideways, never wider than the screen.
    onglets = phone.locator("nav[aria-label=Immeubles] li")
    assert onglets.count() == 4
    assert len({round(b["y"]) for b in (onglets.nth(i).bounding_box() for i in range(4))}) == 1
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("link", name="Les Embruns").tap()
    phone.wait_for_url(re.compile(rf"/votes/{scrutin.pk}/saisie/gardien/\?immeuble=\d+$"))  # its own page
    phone.wait_for_function(CODE_A_LA_MAIN)
    expect(phone.get_by_text("Les Embruns : encore 6 logements à collecter sur 6")).to_be_visible()

    premier, second = (codes.afficher(scrutin.inscrits.get(logement=lg).code) for lg in lgts[:2])
    phone.keyboard.type(premier.lower().replace("-", ""))  # the 7th character shows the door
    porte = phone.locator("#etape-saisie .porte")
    expect(porte).to_have_text("Les Embruns", use_inner_text=True)
    expect(phone.locator("#etape-saisie .emplacement")).to_have_text(lgts[0].emplacement, use_inner_text=True)
    assert not Bulletin.objects.exists()  # nothing recorded before the choice

    phone.get_by_role("button", name="Oui", exact=True).tap()
    phone.get_by_text("Bulletin enregistré").wait_for()
    expect(phone.get_by_text("Les Embruns : encore 5 logements à collecter sur 6")).to_be_visible()
    phone.get_by_role("button", name="Annuler ce bulletin (erreur de saisie)").tap()  # a mis-tap
    phone.get_by_text("Bulletin annulé").wait_for()
    # The same door again.
    expect(phone.locator("#etape-saisie .porte")).to_have_text("Les Embruns", use_inner_text=True)
    expect(phone.get_by_text("Les Embruns : encore 6 logements à collecter sur 6")).to_be_visible()
    phone.get_by_role("button", name="Non", exact=True).tap()
    phone.get_by_text("Bulletin enregistré").wait_for()
    phone.wait_for_function(CODE_A_LA_MAIN)  # the next one, at once
    expect(phone.locator("input[name=code]")).to_have_value("")

    phone.keyboard.type(second)
    phone.keyboard.press("Enter")  # Enter shows the door too (the code was already complete)
    phone.locator("#etape-saisie .porte").wait_for()
    phone.get_by_role("button", name="Oui", exact=True).tap()
    phone.get_by_text("encore 4 logements à collecter sur 6").wait_for()
    # The tab follows, once htmx has settled the swap (a moment after the text shows): waited for.
    expect(phone.locator("nav[aria-label=Immeubles] .active .badge")).to_have_text("2/6")

    phone.wait_for_function(CODE_A_LA_MAIN)
    phone.keyboard.type(premier)  # the same ballot again: refused at once, said in French
    phone.get_by_text("Ce logement a déjà voté").wait_for()
    expect(phone.get_by_role("button", name="Oui", exact=True)).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    bulletins = list(Bulletin.objects.order_by("pk"))
    assert [(b.choix, b.annule, b.motif_annulation) for b in bulletins] == [
        ("oui", True, "annulé par le gardien (erreur de saisie)"),
        ("non", False, ""),
        ("oui", False, ""),
    ]
