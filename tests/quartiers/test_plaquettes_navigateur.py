"""Leaflets under ``make run`` (no Redis) in a real browser: the request answers at once, the campaign page
shows the job advancing, then offers the download — the job runs in the server's background queue."""

import threading
import time

import pytest
from playwright.sync_api import expect

from ipt.models import Travail
from quartiers import pdf
from tests.pdf import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


def test_city_staff_see_the_leaflets_advance_then_download_them_without_redis(
    live_server, page, settings, ville_user, campagne, immeubles, monkeypatch
):
    settings.TACHES_LOCALES = True  # as under make run: no broker, the server's own background queue
    libere = threading.Event()
    produire = pdf.plaquettes_pdf

    def plaquettes_retenues(*args, **kwargs):
        libere.wait(15)  # the job holds until the test has seen the page answer
        return produire(*args, **kwargs)

    monkeypatch.setattr(pdf, "plaquettes_pdf", plaquettes_retenues)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nom d’utilisateur").fill(ville_user.username)
    page.get_by_label("Mot de passe").fill("mot-de-passe-test")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/pilotage/")
    page.goto(f"{live_server.url}/quartiers/campagnes/{campagne.pk}/")

    debut = time.monotonic()
    page.get_by_role("button", name="Produire les plaquettes").click()
    page.wait_for_url(f"**/quartiers/campagnes/{campagne.pk}/#documents")
    assert time.monotonic() - debut < 5  # the request did not wait for the job
    bloc = page.locator(".travail").first
    expect(bloc).to_contain_text("Plaquettes, une par immeuble")
    assert "Télécharger" not in bloc.inner_text()  # the job is held: it cannot have finished
    assert Travail.objects.get().statut in (Travail.Statut.EN_ATTENTE, Travail.Statut.EN_COURS)

    libere.set()
    lien = bloc.get_by_role("link", name="Télécharger")
    lien.wait_for()  # htmx polls the job's status: no reload
    with page.expect_download() as telechargement:
        lien.click()
    assert len(pdf_pages(telechargement.value.path().read_bytes())) == 3
