"""The invitation through a real SMTP server (aiosmtpd on loopback): the message received carries the
link, which sets the password, and the new volunteer logs in."""

import email
from email import policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.test import Client
from django.urls import reverse

from tests.comptes.conftest import compte, donnees

pytestmark = pytest.mark.django_db


class Boite:
    """An SMTP handler that keeps what it receives."""

    def __init__(self):
        self.enveloppes = []

    async def handle_DATA(self, server, session, envelope):
        self.enveloppes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def serveur_smtp(settings, unused_port):
    boite = Boite()
    controleur = Controller(boite, hostname="127.0.0.1", port=unused_port, server_hostname="localhost")
    controleur.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = unused_port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "Internet Pour Tous <ne-pas-repondre@ville.example>"
    yield boite
    controleur.stop()


def test_an_invitation_sent_through_a_real_smtp_server_lets_the_volunteer_set_a_password_and_log_in(
    client, ville_user, centre, quartier, serveur_smtp
):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("comptes:creer"), donnees(centres=[centre.pk], email="nina.fictive@exemple.org")
    )
    assert reponse.url == reverse("comptes:detail", args=[compte("nouvelle").pk])

    (enveloppe,) = serveur_smtp.enveloppes
    assert enveloppe.mail_from == "ne-pas-repondre@ville.example"
    assert enveloppe.rcpt_tos == ["nina.fictive@exemple.org"]
    message = email.message_from_bytes(enveloppe.original_content, policy=policy.default)
    assert message["Subject"] == "Votre compte Internet Pour Tous"
    corps = message.get_body(preferencelist=("plain",)).get_content()
    lien = next(ligne.strip() for ligne in corps.splitlines() if "/accounts/reset/" in ligne)

    visiteuse = Client()
    formulaire = visiteuse.get(urlsplit(lien).path, follow=True)
    assert formulaire.context["validlink"]
    fin = visiteuse.post(
        formulaire.redirect_chain[-1][0],
        {"new_password1": "Brest-Kerourien-2026", "new_password2": "Brest-Kerourien-2026"},
        follow=True,
    )
    assert "Votre mot de passe est enregistré" in fin.content.decode()

    arrivee = visiteuse.post(
        reverse("login"), {"username": "nouvelle", "password": "Brest-Kerourien-2026"}, follow=True
    )
    assert arrivee.redirect_chain[-1][0] == reverse("logements:accueil")
    assert arrivee.wsgi_request.user.username == "nouvelle"
    # The link is spent.
    assert Client().get(urlsplit(lien).path, follow=True).context["validlink"] is False
