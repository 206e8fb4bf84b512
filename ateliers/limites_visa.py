"""The public verification page answers so many lookups per client address (else anyone could try
codes by the million). Fixed windows counted in Django's cache: Redis in production, shared by every
server process. Without the cache (Redis down) lookups are let through and the failure logged: the page
then still only says valid or not for a code of 59 bits."""

import logging

from django.conf import settings
from django.core.cache import cache

from ipt.securite import adresse_client

logger = logging.getLogger(__name__)


def verification_autorisee(request) -> bool:
    """Counts this lookup for the client; False past ``VISA_VERIFICATIONS_PAR_CLIENT`` in the window."""
    fenetre = settings.VISA_VERIFICATIONS_FENETRE
    cle = f"ipt:visa-verification:{adresse_client(request) or 'inconnu'}"
    try:
        cache.add(cle, 0, timeout=fenetre)  # starts the window; a no-op while it runs
        try:
            nombre = cache.incr(cle)
        except ValueError:  # the window ended between add and incr
            cache.add(cle, 1, timeout=fenetre)
            nombre = 1
    except Exception:
        logger.exception("Visa verification: the cache did not answer; the lookup is not limited")
        return True
    if nombre > settings.VISA_VERIFICATIONS_PAR_CLIENT:
        if nombre == settings.VISA_VERIFICATIONS_PAR_CLIENT + 1:
            logger.warning("Visa verification: limit reached for client %s", adresse_client(request))
        return False
    return True
