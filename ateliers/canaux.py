"""The channels' backends: how an SMS or an email actually leaves, chosen in the settings.

``IPT_SMS_BACKEND`` and ``IPT_EMAIL_BACKEND`` name a class of this module (or any importable one) with a
method ``envoyer(destination, objet, texte) -> str`` that returns the provider's reference (maybe "") or
raises :class:`EchecEnvoi` with a French message:

- :class:`Console` (the default, the embedded demo): writes the message to ``IPT_MESSAGES_FICHIER`` if set,
  else to the log (standard output of the server);
- :class:`CourrielDjango`: Django's mail with the project's ``EMAIL_*`` settings (SMTP when ``EMAIL_HOST``
  is set — the default email backend then);
- :class:`SmsHttp`: an SMS provider over HTTP: ``POST IPT_SMS_URL`` with a JSON body
  ``{"to": "+33612345678", "from": IPT_SMS_EXPEDITEUR, "text": ...}`` and the header
  ``Authorization: Bearer IPT_SMS_TOKEN``; any 2xx answer is delivered (its JSON ``id``, if any, kept as
  the reference), anything else a failure with the provider's answer.

Letters have no backend: they wait to be printed in a batch (:mod:`ateliers.lettres`).
"""

import json
import logging
import re
import threading
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

_verrou_fichier = threading.Lock()


class EchecEnvoi(Exception):  # noqa: N818 — an outcome recorded on the message
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


def backend(canal: str):
    """The backend instance of ``canal`` (``"sms"`` or ``"courriel"``) from the settings."""
    chemin = settings.IPT_SMS_BACKEND if canal == "sms" else settings.IPT_EMAIL_BACKEND
    return import_string(chemin)()


def numero_international(telephone: str) -> str:
    """``06 12 34 56 78`` → ``+33612345678``; numbers already international keep their country code."""
    chiffres = re.sub(r"\D", "", telephone)
    if telephone.strip().startswith("+"):
        return "+" + chiffres
    if chiffres.startswith("00"):
        return "+" + chiffres[2:]
    if chiffres.startswith("0") and len(chiffres) == 10:
        return "+33" + chiffres[1:]
    return "+" + chiffres


class Console:
    """Writes each message (to a file if ``IPT_MESSAGES_FICHIER`` is set, else to the log)."""

    def envoyer(self, destination: str, objet: str, texte: str) -> str:
        bloc = f"À : {destination}\nObjet : {objet}\n\n{texte}\n{'-' * 40}\n"
        fichier = settings.IPT_MESSAGES_FICHIER
        if fichier:
            with _verrou_fichier, open(fichier, "a", encoding="utf-8") as sortie:
                sortie.write(bloc)
        else:
            logger.info("Message (console backend):\n%s", bloc)
        return ""


class CourrielDjango:
    """Django's mail, with the project's EMAIL settings (SMTP in production)."""

    def envoyer(self, destination: str, objet: str, texte: str) -> str:
        courriel = EmailMessage(subject=objet, body=texte, to=[destination])
        try:
            courriel.send(fail_silently=False)
        except Exception as erreur:  # SMTP refusal, connection refused, timeout…
            raise EchecEnvoi(
                _("The mail server refused or did not answer: %(erreur)s") % {"erreur": str(erreur)[:300]}
            ) from erreur
        return ""


class SmsHttp:
    """An SMS provider's HTTP API, configured by the environment (URL, token, sender name)."""

    def envoyer(self, destination: str, objet: str, texte: str) -> str:
        if not settings.IPT_SMS_URL:
            raise EchecEnvoi(_("No SMS provider is configured (IPT_SMS_URL)."))
        corps = json.dumps(
            {"to": numero_international(destination), "from": settings.IPT_SMS_EXPEDITEUR, "text": texte}
        ).encode()
        requete = urllib.request.Request(  # noqa: S310 — the provider's URL, from the settings
            settings.IPT_SMS_URL,
            data=corps,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {settings.IPT_SMS_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(requete, timeout=settings.IPT_SMS_TIMEOUT) as reponse:  # noqa: S310
                contenu = reponse.read(10_000)
        except urllib.error.HTTPError as erreur:
            detail = erreur.read(300).decode("utf-8", "replace")
            raise EchecEnvoi(
                _("The SMS provider refused the message (HTTP %(code)s): %(detail)s")
                % {"code": erreur.code, "detail": detail}
            ) from erreur
        except (urllib.error.URLError, TimeoutError, OSError) as erreur:
            raise EchecEnvoi(
                _("The SMS provider did not answer: %(erreur)s") % {"erreur": str(erreur)[:300]}
            ) from erreur
        try:
            return str(json.loads(contenu or b"{}").get("id", ""))[:100]
        except (ValueError, AttributeError):
            return ""
