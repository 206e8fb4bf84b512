"""The channels' backends against real servers: an SMS provider over HTTP (a local http.server standing in
for it) and email through a real SMTP server (aiosmtpd on loopback), each message read back."""

import email
import json
import socket
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from aiosmtpd.controller import Controller

from ateliers.avis import prevenir
from ateliers.canaux import numero_international
from ateliers.models import Message
from tests.ateliers.messagerie.conftest import joignable

pytestmark = pytest.mark.django_db


_capturer = None


class Fournisseur(BaseHTTPRequestHandler):
    """The SMS provider: answers 201 with an id, or the status the test sets."""

    recus: list = []
    statut = 201

    def do_POST(self):  # noqa: N802 — http.server's naming
        longueur = int(self.headers["Content-Length"])
        Fournisseur.recus.append(
            {"auth": self.headers["Authorization"], "corps": json.loads(self.rfile.read(longueur))}
        )
        self.send_response(Fournisseur.statut)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if Fournisseur.statut < 300:
            self.wfile.write(json.dumps({"id": f"sms-{len(Fournisseur.recus)}"}).encode())
        else:
            self.wfile.write(b'{"error": "quota exceeded"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def fournisseur_sms(settings):
    Fournisseur.recus, Fournisseur.statut = [], 201
    serveur = HTTPServer(("127.0.0.1", 0), Fournisseur)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    settings.IPT_SMS_BACKEND = "ateliers.canaux.SmsHttp"
    settings.IPT_SMS_URL = f"http://127.0.0.1:{serveur.server_port}/v1/sms"
    settings.IPT_SMS_TOKEN = "jeton-de-test"
    settings.IPT_SMS_EXPEDITEUR = "IPT Brest"
    yield Fournisseur
    serveur.shutdown()
    serveur.server_close()


class Boite:
    def __init__(self):
        self.enveloppes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's naming
        self.enveloppes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def serveur_smtp(settings):
    boite = Boite()
    with socket.socket() as libre:
        libre.bind(("127.0.0.1", 0))
        port = libre.getsockname()[1]
    controleur = Controller(boite, hostname="127.0.0.1", port=port, server_hostname="localhost")
    controleur.start()
    settings.IPT_EMAIL_BACKEND = "ateliers.canaux.CourrielDjango"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.DEFAULT_FROM_EMAIL = "Internet Pour Tous <ne-pas-repondre@ville.example>"
    yield boite
    controleur.stop()


@pytest.fixture(autouse=True)
def _apres_commit(django_capture_on_commit_callbacks):
    global _capturer
    _capturer = django_capture_on_commit_callbacks


def _prevenir(personne, cle="avis:1"):
    with _capturer(execute=True):  # sent once the transaction commits
        prevenir(
            personne,
            objet="Place obtenue : Premiers pas",
            texte="Bonjour, une place s’est libérée pour vous à l’atelier Premiers pas.",
            cle=cle,
        )
    return Message.objects.get(cle=cle)


def test_an_sms_goes_to_the_provider_over_http_with_the_token_and_is_recorded_delivered(fournisseur_sms):
    personne = joignable("sms", telephone="06 12 34 56 78")
    message = _prevenir(personne)

    (recu,) = fournisseur_sms.recus
    assert recu["auth"] == "Bearer jeton-de-test"
    assert recu["corps"] == {
        "to": "+33612345678",
        "from": "IPT Brest",
        "text": "Bonjour, une place s’est libérée pour vous à l’atelier Premiers pas.",
    }
    assert (message.statut, message.canal, message.reference) == ("envoye", "sms", "sms-1")


def test_a_provider_refusal_is_recorded_as_a_failure_with_its_answer_and_retried_once_asked(fournisseur_sms):
    fournisseur_sms.statut = 503
    personne = joignable("sms")
    message = _prevenir(personne)
    assert message.statut == "echec"
    assert "HTTP 503" in message.erreur and "quota exceeded" in message.erreur
    assert message.envoye_le is None

    fournisseur_sms.statut = 201
    message = _prevenir(personne)  # the same key again: the failed message is tried again, not duplicated
    assert message.statut == "envoye" and message.tentatives == 2
    assert Message.objects.count() == 1


def test_a_provider_that_does_not_answer_is_a_failure(settings):
    settings.IPT_SMS_BACKEND = "ateliers.canaux.SmsHttp"
    settings.IPT_SMS_URL = "http://127.0.0.1:9/v1/sms"  # discard port: nothing listens
    settings.IPT_SMS_TIMEOUT = 2
    message = _prevenir(joignable("sms"))
    assert message.statut == "echec"
    assert "Le prestataire SMS n’a pas répondu" in message.erreur


def test_an_email_goes_through_a_real_smtp_server_and_reads_back(serveur_smtp):
    personne = joignable("courriel", email="helene.fictive@exemple.org")
    message = _prevenir(personne)

    (enveloppe,) = serveur_smtp.enveloppes
    assert enveloppe.rcpt_tos == ["helene.fictive@exemple.org"]
    assert enveloppe.mail_from == "ne-pas-repondre@ville.example"
    courriel = email.message_from_bytes(enveloppe.original_content, policy=policy.default)
    assert courriel["Subject"] == "Place obtenue : Premiers pas"
    assert "une place s’est libérée" in courriel.get_body(preferencelist=("plain",)).get_content()
    assert (message.statut, message.canal, message.destination) == (
        "envoye",
        "courriel",
        "helene.fictive@exemple.org",
    )


def test_a_refused_smtp_connection_is_a_failure(settings):
    settings.IPT_EMAIL_BACKEND = "ateliers.canaux.CourrielDjango"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        9,
        False,
        2,
    )
    message = _prevenir(joignable("courriel"))
    assert message.statut == "echec"
    assert "Le serveur de courriel a refusé ou n’a pas répondu" in message.erreur


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+262 692 12 34 56", "+262692123456"),
        ("0033 6 12 34 56 78", "+33612345678"),
    ],
)
def test_phone_numbers_are_sent_in_international_form(saisi, attendu):
    assert numero_international(saisi) == attendu
