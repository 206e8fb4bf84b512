"""The desk's journey in a real browser (Debian's Chromium) at phone size: a volunteer signs a person up to
a full workshop from the household's page → waiting list; another volunteer cancels a seat on the session's
page → the first waiting person is promoted at once and told."""

import re

import pytest
from playwright.sync_api import expect

from ateliers import services_inscriptions as services
from ateliers.models import Inscription
from ipt.models import Evenement
from logements import services as logements_services
from tests.ateliers.conftest import nouvelle_seance, occupant
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def _connecter(page, url, login):
    page.goto(f"{url}/accounts/login/")
    page.keyboard.type(login)
    page.keyboard.press("Tab")
    page.keyboard.type("mot-de-passe-test")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/accueil/")


def test_a_full_workshop_then_a_cancellation_promotes_the_first_waiting_at_phone_size(
    live_server, nouvelle_page, atelier, quartier, immeuble, centre, accueil_user
):
    seance = nouvelle_seance(atelier, quartier, capacite=2, lieu="Salle informatique")
    assis = [
        services.inscription_creer(personne=occupant(immeuble, nom), seance=seance, par=accueil_user)
        for nom in ("Le Goff", "Morvan")
    ]
    personne = occupant(immeuble, "Kerhervé")
    logements_services.foyers_recherche_recalculer()
    collegue = UserFactory(username="benevole-2", role="accueil")
    centre.membres.add(collegue)
    telephone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

    # Volunteer 1, at the desk on a phone: the household → sign its occupant up → the session is full.
    page = nouvelle_page(**telephone)
    erreurs = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    _connecter(page, live_server.url, "benevole")
    page.keyboard.type("kerherve")
    page.locator("#resultats a.resultat").first.click()
    page.wait_for_url(re.compile(r"/accueil/foyers/\d+/$"))
    page.get_by_role("link", name="Inscrire un occupant à un atelier").click()
    expect(page.get_by_text(re.compile("complet : liste d’attente"))).to_be_visible()
    page.get_by_label(re.compile("Premiers pas")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Inscrire").click()
    expect(
        page.get_by_text("La séance est complète : Anne Kerhervé passe en liste d’attente (n° 1).")
    ).to_be_visible()
    expect(page.locator("#foyer-inscriptions")).to_contain_text("liste d’attente")
    attente = Inscription.objects.get(personne=personne)
    assert (attente.statut, attente.rang_attente) == ("attente", 1)

    # Volunteer 2, on another phone: the session's page, cancels a seat.
    autre = nouvelle_page(**telephone)
    _connecter(autre, live_server.url, "benevole-2")
    autre.goto(f"{live_server.url}/ateliers/seances/{seance.pk}/")
    expect(autre.locator("#places")).to_contain_text("0 / 2")
    expect(autre.locator("#attente")).to_contain_text("Anne Kerhervé")
    with autre.expect_navigation():
        autre.get_by_role("button", name=f"Annuler {assis[0].personne}").click()
    expect(
        autre.get_by_text("La place revient à Anne Kerhervé, en tête de la liste d’attente")
    ).to_be_visible()
    expect(autre.locator("#inscrits")).to_contain_text("Anne Kerhervé")
    expect(autre.locator("#attente")).to_have_count(0)

    # Back at the first desk: the household's sign-up is now a seat; the person was told.
    page.reload()
    expect(page.locator("#foyer-inscriptions")).to_contain_text("Premiers pas")
    expect(page.locator("#foyer-inscriptions")).not_to_contain_text("liste d’attente")
    (avis,) = Evenement.objects.filter(action="ateliers.avis", objet_id=str(personne.pk))
    assert avis.message == "Vous avez une place"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert erreurs == []
