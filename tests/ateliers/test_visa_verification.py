"""The public verification page of a Visa Internet certificate: open to all, it says only whether the code
is valid, the date and the holder's initials; a revoked code says so; a forged one is unknown; and it
answers a limited number of lookups per client address (a French 429 page beyond)."""

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ateliers import services_visa
from tests.scenario import CODE_VISA, scenario_creer

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return scenario_creer(tmp_path)


def adresse_neuve() -> str:
    """An address of this test alone: the counters live in the run's real cache (Redis)."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def verifier(code: str, adresse: str | None = None, client=None):
    client = client or Client()
    return client.get(reverse("visa_verifier", args=[code]), REMOTE_ADDR=adresse or adresse_neuve())


def test_a_valid_code_gives_the_date_and_the_initials_and_nothing_else(scenario):
    certificat = scenario.objets["certificat"]
    reponse = verifier("scen-ar23-4567")  # as typed from the paper: lower case, dashes
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Ce certificat est valide." in page
    assert "H. D." in page
    assert f"Délivré le {certificat.emis_le.day}" in page
    # Nothing else about the holder or the certificate.
    for secret in ("Hélène", "Dupont", certificat.numero, "Association Clic", "Kerourien"):
        assert secret not in page
    assert reponse["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in reponse["Cache-Control"] or "max-age=0" in reponse["Cache-Control"]


def test_a_revoked_code_says_so(scenario):
    services_visa.certificat_revoquer(
        certificat=scenario.objets["certificat"],
        motif="Délivré par erreur",
        par=scenario.utilisateurs["ville"],
    )
    page = verifier(CODE_VISA).content.decode()
    assert "Ce certificat a été révoqué : il n’est plus valide." in page
    assert "H. D." not in page and "Délivré par erreur" not in page


@pytest.mark.parametrize(
    "code", ["ABCDEFGHJKMN", "SCENAR234568", "SCENAR23456", "'; drop table--", "0" * 500]
)
def test_a_forged_code_is_unknown(scenario, code):
    reponse = verifier(code)
    assert reponse.status_code == 404
    page = reponse.content.decode()
    assert "Aucun certificat ne porte ce code." in page
    assert "H. D." not in page


def test_the_form_sends_to_the_page_of_the_code(scenario):
    client = Client(REMOTE_ADDR=adresse_neuve())
    reponse = client.get(reverse("visa_verification"), {"code": " scen ar23 4567 "})
    assert reponse.status_code == 302 and reponse.url == reverse("visa_verifier", args=[CODE_VISA])
    assert "Ce certificat est valide." in client.get(reponse.url).content.decode()


def test_lookups_are_limited_per_client_address_with_a_french_429(scenario, settings):
    settings.VISA_VERIFICATIONS_PAR_CLIENT = 3
    adresse, autre = adresse_neuve(), adresse_neuve()
    statuts = [verifier(code, adresse).status_code for code in ["AAAAAAAAAAAA", "BBBBBBBBBBBB", CODE_VISA]]
    assert statuts == [404, 404, 200]
    bloque = verifier(CODE_VISA, adresse)
    assert bloque.status_code == 429
    assert "Trop de certificats ont été vérifiés depuis votre connexion" in bloque.content.decode()
    assert "H. D." not in bloque.content.decode()
    # Another client is not held up.
    assert verifier(CODE_VISA, autre).status_code == 200


def test_behind_a_proxy_the_limit_is_on_the_client_not_on_the_proxy(scenario, settings):
    settings.VISA_VERIFICATIONS_PAR_CLIENT = 2
    settings.AXES_IPWARE_PROXY_COUNT = 1
    proxy = adresse_neuve()
    client_a, client_b = "198.51.100.1", "198.51.100.2"
    cache.delete_many([f"ipt:visa-verification:{a}" for a in (client_a, client_b)])
    client = Client()

    def par(adresse):
        return client.get(
            reverse("visa_verifier", args=[CODE_VISA]), REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=adresse
        ).status_code

    assert [par(client_a), par(client_a), par(client_a)] == [200, 200, 429]
    assert par(client_b) == 200
