""" "Forgotten password" sends at most MOT_DE_PASSE_OUBLIE_PAR_ADRESSE emails an hour to one address and
answers at most MOT_DE_PASSE_OUBLIE_PAR_CLIENT requests an hour with an email per client address; beyond,
the same answer, no email, a warning in the log. The counters are in the run's real cache (Redis)."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_configure(settings):
    """An SMTP server is configured; the test's mail goes to Django's in-memory outbox."""
    settings.EMAIL_HOST = "smtp.exemple.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# The CSRF token is masked afresh in every page: left out of the comparison.
JETON_CSRF = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')


def _demander(client, email, **entetes):
    """The form posted, the answer followed: (redirect, status, the page shown)."""
    reponse = client.post(reverse("password_reset"), {"email": email}, **entetes)
    page = client.get(reponse.url)
    return reponse.status_code, reponse.url, page.status_code, JETON_CSRF.sub(r"\1…", page.content.decode())


def test_the_fourth_request_for_one_address_sends_no_email_and_answers_the_same(
    client, smtp_configure, mailoutbox, caplog
):
    UserFactory(username="camille", email="camille@exemple.org", role="accueil")
    UserFactory(username="yann", email="yann@exemple.org", role="accueil")

    reponses = [_demander(client, "camille@exemple.org") for _ in range(3)]
    assert [m.to for m in mailoutbox] == [["camille@exemple.org"]] * 3
    with caplog.at_level(logging.WARNING, logger="comptes.limites"):
        # The 4th, whatever the case of the address: the same answer, word for word, and no email.
        quatrieme = _demander(client, "Camille@Exemple.org")
    assert quatrieme == reponses[0]
    assert quatrieme[:3] == (302, reverse("password_reset_done"), 200)
    assert len(mailoutbox) == 3
    assert "limit reached for one email address" in caplog.text
    assert "camille" not in caplog.text  # the log does not keep the address either

    # Another address, from the same client, still gets its link.
    assert _demander(client, "yann@exemple.org") == reponses[0]
    assert mailoutbox[-1].to == ["yann@exemple.org"]
    assert len(mailoutbox) == 4


def test_one_client_gets_ten_answers_an_hour_whatever_the_addresses(
    settings, smtp_configure, mailoutbox, caplog
):
    """Behind one proxy, the client is the address the proxy appended to X-Forwarded-For."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    UserFactory(username="camille", email="camille@exemple.org", role="accueil")
    curieux = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    voisin = {"HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    # Ten addresses tried by one client (no account has them: no email, but they count).
    for i in range(10):
        _demander(Client(), f"essai-{i}@exemple.org", **curieux)
    assert mailoutbox == []

    with caplog.at_level(logging.WARNING, logger="comptes.limites"):
        onzieme = _demander(Client(), "camille@exemple.org", **curieux)
    assert onzieme[:3] == (302, reverse("password_reset_done"), 200)
    assert mailoutbox == []
    assert "limit reached for client 203.0.113.7" in caplog.text

    # Another client behind the same proxy asks for the same address: sent.
    assert _demander(Client(), "camille@exemple.org", **voisin) == onzieme
    assert [m.to for m in mailoutbox] == [["camille@exemple.org"]]


def test_the_limits_are_settings(settings, client, smtp_configure, mailoutbox):
    settings.MOT_DE_PASSE_OUBLIE_PAR_ADRESSE = 1
    UserFactory(username="camille", email="camille@exemple.org", role="accueil")
    _demander(client, "camille@exemple.org")
    _demander(client, "camille@exemple.org")
    assert len(mailoutbox) == 1


def test_without_the_cache_the_link_still_goes_and_the_failure_is_logged(
    settings, client, smtp_configure, mailoutbox, caplog
):
    """Redis unreachable (nothing listens on port 1): no 500, the email is sent, the failure logged."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    UserFactory(username="camille", email="camille@exemple.org", role="accueil")
    with caplog.at_level(logging.ERROR, logger="comptes.limites"):
        reponse = client.post(reverse("password_reset"), {"email": "camille@exemple.org"})
    assert (reponse.status_code, reponse.url) == (302, reverse("password_reset_done"))
    assert [m.to for m in mailoutbox] == [["camille@exemple.org"]]
    assert "the cache did not answer" in caplog.text
