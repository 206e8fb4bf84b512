"""Ballot entry on a phone, in a real browser (Debian's Chromium): type, tap, the next one is ready."""

import pytest

from tests.factories import CentreSocialFactory, ImmeubleFactory, QuartierFactory, UserFactory
from tests.votes.conftest import creer_scrutin, logements
from votes import codes
from votes.models import Bulletin

# The cursor is in the code field.
CODE_A_LA_MAIN = "document.activeElement && document.activeElement.name === 'code'"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


@pytest.fixture
def vote(roles):
    quartier = QuartierFactory(centre_social=CentreSocialFactory())
    immeuble = ImmeubleFactory(quartier=quartier, nom="Les Embruns")
    lgts = logements(immeuble, 6)
    gardien = UserFactory(username="gardien-tel", role="gardien")
    immeuble.gardiens.add(gardien)
    scrutin = creer_scrutin(quartier)
    return scrutin, lgts


def _connecter(phone, live_server):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("gardien-tel")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    phone.get_by_role("button", name="Se connecter").tap()


def test_a_caretaker_enters_ballots_one_after_the_other_on_a_phone(live_server, phone, vote):
    scrutin, lgts = vote
    _connecter(phone, live_server)
    phone.wait_for_url(f"{live_server.url}/votes/{scrutin.pk}/saisie/gardien/")
    phone.wait_for_function(CODE_A_LA_MAIN)  # ready to type

    premier, second = (codes.afficher(scrutin.inscrits.get(logement=lg).code) for lg in lgts[:2])
    phone.keyboard.type(premier.lower())
    phone.keyboard.press("Enter")  # the Enter key does not vote
    phone.get_by_role("button", name="Non", exact=True).tap()
    phone.get_by_text("Bulletin enregistré").wait_for()
    phone.wait_for_function(CODE_A_LA_MAIN)  # the next one, at once
    assert phone.locator("input[name=code]").input_value() == ""
    assert phone.get_by_text("Les Embruns : 1 logement sur 6 a voté").is_visible()

    phone.wait_for_function(CODE_A_LA_MAIN)
    phone.keyboard.type(second)
    phone.get_by_role("button", name="Oui", exact=True).tap()
    phone.get_by_text("2 logements sur 6 ont voté").wait_for()

    phone.wait_for_function(CODE_A_LA_MAIN)
    phone.keyboard.type(premier)  # the same ballot again: refused, said in French
    phone.get_by_role("button", name="Oui", exact=True).tap()
    phone.get_by_text("Ce logement a déjà voté").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert sorted(Bulletin.objects.values_list("choix", flat=True)) == ["non", "oui"]
