"""The facilitator on her phone (Debian's Chromium at 390 × 844): her participants → a person's skills on
one screen → tap "acquise" for each → save → issue the certificate; then anyone checks its code on the
public page. No horizontal scrolling, no console error (CSP: no inline script or style)."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ateliers.models import Atelier, Certificat, Cycle, Inscription, Referentiel, Seance, Structure
from tests.factories import PersonneFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_the_facilitator_assesses_and_issues_on_a_phone_and_the_code_checks(
    live_server, phone, quartier, settings
):
    settings.SITE_URL = live_server.url
    animatrice = UserFactory(username="animatrice", role="animateur")
    structure = Structure.objects.create(nom="Association Clic (fictive)")
    structure.membres.add(animatrice)
    atelier = Atelier.objects.create(titre="Préparer le Visa Internet", structure=structure)
    cycle = Cycle.objects.create(atelier=atelier, capacite=10)
    seance = Seance.objects.create(
        atelier=atelier,
        cycle=cycle,
        quartier=quartier,
        debut=timezone.now(),
        duree=datetime.timedelta(hours=2),
        lieu="Salle informatique",
        capacite=10,
    )
    seance.animateurs.add(animatrice)
    personne = PersonneFactory(prenom="Nolwenn", nom="Le Bihan")
    Inscription.objects.create(personne=personne, cycle=cycle)
    nb_competences = Referentiel.objects.courant().competences.count()

    erreurs = []
    phone.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("animatrice")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    with phone.expect_navigation():
        phone.get_by_label("Mot de passe").press("Enter")
    phone.goto(f"{live_server.url}/ateliers/visa/")
    expect(phone.locator("#visa-personnes")).to_contain_text("0 / 15")
    phone.get_by_role("link", name="Nolwenn Le Bihan").click()
    phone.wait_for_url(re.compile(r"/ateliers/visa/personne/\d+/$"))

    # One tap per skill on "acquise" (the radio buttons are toggles), then one save.
    acquises = phone.locator("label.btn-outline-success")
    assert acquises.count() == nb_competences
    for i in range(nb_competences):
        acquises.nth(i).tap()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    with phone.expect_navigation():
        phone.get_by_role("button", name="Enregistrer l’évaluation").click()
    expect(phone.locator("#visa-avancement")).to_contain_text("15 sur 15 compétences requises acquises")

    with phone.expect_navigation():
        phone.get_by_role("button", name="Délivrer le certificat").click()
    certificat = Certificat.objects.get(personne=personne)
    expect(phone.locator("#certificats")).to_contain_text(certificat.numero)

    # Anyone, without logging in, types the code printed on the certificate.
    public = phone.context.browser.new_context(locale="fr-FR").new_page()
    public.goto(f"{live_server.url}/visa/")
    public.get_by_label("Code imprimé sur le certificat").fill(certificat.code_affiche.lower())
    with public.expect_navigation():
        public.get_by_role("button", name="Vérifier").click()
    expect(public.locator("#resultat")).to_contain_text("Ce certificat est valide.")
    expect(public.locator("#resultat")).to_contain_text("N. L.")
    public.context.close()
    assert erreurs == []
