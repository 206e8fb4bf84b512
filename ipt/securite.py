"""HTTP-level protections every request and response shares: who the client is behind the proxy, no NUL
character in query strings, and no cache of private pages. (The Content-Security-Policy and
Permissions-Policy headers come from django-csp and django-permissions-policy, set in the settings.)
"""

import ipaddress

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _


def adresse_client(request) -> str | None:
    """The client's address, for the login lockouts (``AXES_CLIENT_IP_CALLABLE``).

    Behind ``AXES_IPWARE_PROXY_COUNT`` trusted proxies, each appends the address it received the request
    from to ``X-Forwarded-For``: the client is the N-th address from the right. Anything left of it was
    written by the client and is ignored (else anyone could pick the address to lock, or dodge a lock).
    Without proxies, or with a header too short or malformed, the connection's address.
    (django-ipware's ``proxy_count`` expects exactly N + 1 addresses and gives up on a client-sent header.)
    """
    remote = request.META.get("REMOTE_ADDR")
    nombre = settings.AXES_IPWARE_PROXY_COUNT or 0
    if nombre <= 0:
        return remote
    adresses = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(adresses) < nombre:
        return remote
    try:
        return str(ipaddress.ip_address(adresses[-nombre]))
    except ValueError:
        return remote


class PagesPriveesSansCacheMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user, so that Back after a
    logout on a shared desk PC shows no household. Static files (served by whitenoise before this
    middleware) keep their long public cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response


class RefuserCaracteresNulsMiddleware:
    """A NUL character in the query string is never meant (PostgreSQL refuses it in any text): the
    request is answered 400 with a French message before any view parses it. Form fields are checked
    by Django's forms (``ProhibitNullCharactersValidator`` on every CharField)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in cle or "\x00" in valeur for cle, valeurs in request.GET.lists() for valeur in valeurs
        ):
            return HttpResponseBadRequest(_("The address contains an invalid character."))
        return self.get_response(request)
