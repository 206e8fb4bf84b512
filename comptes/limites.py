""" "Forgotten password" sends at most so many emails: per email address (else anyone who knows an address
could fill its mailbox) and per client address (else one client could mail every address it tries).

Fixed one-hour windows counted in Django's cache (Redis in production, so every server process shares
them; the process's own memory otherwise). Beyond a limit the page gives the same answer and sends
nothing, so it never tells whether an account has that address; a warning is logged.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from ipt.securite import adresse_client

logger = logging.getLogger(__name__)

FENETRE_SECONDES = 60 * 60


def _compter(cle: str) -> int:
    """This request counted in the window of ``cle``; returns the count so far (1 for the first)."""
    cache.add(cle, 0, timeout=FENETRE_SECONDES)  # starts the window; a no-op while it runs
    try:
        return cache.incr(cle)
    except ValueError:  # the window ended between add and incr
        cache.add(cle, 1, timeout=FENETRE_SECONDES)
        return 1


def reinitialisation_autorisee(request, email: str) -> bool:
    """Counts this request for ``email`` and for the client; False past either hourly limit.

    Without the cache (Redis unreachable), the request is let through and the failure logged: a person
    locked out of their account is worse than a few extra emails for the time of the outage."""
    # The address is hashed: no email address in the cache's keys (nor in Redis's key listing).
    empreinte = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    client = adresse_client(request) or "inconnu"
    try:
        par_adresse = _compter(f"ipt:mdp-oublie:adresse:{empreinte}")
        par_client = _compter(f"ipt:mdp-oublie:client:{client}")
    except Exception:
        logger.exception("Forgotten password: the cache did not answer; the request is not limited")
        return True
    if par_adresse > settings.MOT_DE_PASSE_OUBLIE_PAR_ADRESSE:
        logger.warning(
            "Forgotten password: limit reached for one email address (%s requests this hour, client %s);"
            " no email sent",
            par_adresse,
            client,
        )
        return False
    if par_client > settings.MOT_DE_PASSE_OUBLIE_PAR_CLIENT:
        logger.warning(
            "Forgotten password: limit reached for client %s (%s requests this hour); no email sent",
            client,
            par_client,
        )
        return False
    return True
