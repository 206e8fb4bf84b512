"""The facilitator takes attendance on a phone, in a real browser (Debian's Chromium at phone size)."""

import pytest
from playwright.sync_api import expect

from ateliers.models import Presence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_the_facilitator_takes_attendance_on_a_phone(live_server, phone, atelier_monde):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("animatrice")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    phone.get_by_role("button", name="Se connecter").tap()
    phone.wait_for_url(f"{live_server.url}/ateliers/animateur/")
    # Today's session comes first on the landing page.
    phone.get_by_role("link", name="Saisir les présences").first.tap()
    phone.wait_for_url(f"{live_server.url}/ateliers/seances/{atelier_monde.seance.pk}/presences/")
    expect(phone.get_by_role("group", name="Annaïg Le Goff")).to_be_visible()
    # Everyone present in one tap, then the one exception; the buttons are big enough for a thumb.
    phone.get_by_role("button", name="Tous ceux qui restent : présents").tap()
    excuse = phone.get_by_role("group", name="Yann Morvan").get_by_text("Excusé")
    assert excuse.bounding_box()["height"] >= 44
    excuse.tap()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("button", name="Enregistrer les présences").tap()
    expect(phone.get_by_role("alert")).to_contain_text("2 présent(s), 1 excusé(s), 0 absent(s)")
    etats = dict(Presence.objects.values_list("personne__nom", "etat"))
    assert etats == {"Abgrall": "present", "Le Goff": "present", "Morvan": "excuse"}
    # Back on the page, the entry shows what was saved.
    expect(phone.get_by_role("group", name="Yann Morvan").get_by_role("radio", name="Excusé")).to_be_checked()


def test_a_volunteer_records_a_help_session_on_a_phone_in_a_few_taps(
    live_server, phone, atelier_monde, creneau
):
    import datetime

    from django.utils import timezone

    from ateliers.models import Accompagnement, Permanence

    Permanence.objects.filter(pk=creneau.pk).update(
        debut=timezone.now() - datetime.timedelta(minutes=40),
        statut="reservee",
        personne=atelier_monde.gens["morvan"],
        reservee_le=timezone.now(),
    )
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("Nom d’utilisateur").fill("benevole")
    phone.get_by_label("Mot de passe").fill("mot-de-passe-test")
    phone.get_by_role("button", name="Se connecter").tap()
    phone.wait_for_url(f"{live_server.url}/accueil/")
    phone.goto(f"{live_server.url}/ateliers/permanences/")
    phone.get_by_role("link", name="Enregistrer la permanence").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Yann Morvan")
    phone.get_by_text("Partiellement autonome").tap()
    phone.get_by_text("Courrier électronique").tap()
    phone.get_by_label("Ce qui a été fait").fill("Adresse mail créée.")
    phone.get_by_text("Association de consommateurs (contrat opérateur)").tap()
    phone.get_by_label("Orientée vers").fill("CSF")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("button", name="Enregistrer").tap()
    expect(phone.get_by_role("alert")).to_contain_text("Permanence de Yann Morvan enregistrée.")
    a = Accompagnement.objects.get()
    assert (a.autonomie, a.duree_minutes, a.orientation_vers) == ("partielle", 30, "CSF")
    assert list(a.themes.values_list("code", flat=True)) == ["courriel"]
