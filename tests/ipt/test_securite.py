"""HTTP protections: no cache of private pages, the Content-Security-Policy, the Permissions-Policy, and
login lockouts keyed on the client's address behind the proxy."""

import pytest
from django.urls import reverse


def test_every_page_behind_login_is_private_and_never_stored(client, accueil_user):
    client.force_login(accueil_user)
    response = client.get(reverse("logements:accueil"), {"q": "dupont"})
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


def test_a_page_of_the_admin_is_private_and_never_stored(client, ville_user):
    client.force_login(ville_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}


def test_every_page_carries_a_content_security_policy_of_our_own_files_only(client, accueil_user):
    client.force_login(accueil_user)
    for url in (reverse("login"), reverse("logements:accueil")):
        politique = dict(
            (d.split()[0], d.split()[1:]) for d in client.get(url)["Content-Security-Policy"].split(";")
        )
        assert politique["default-src"] == ["'self'"]
        assert politique["script-src"] == ["'self'"]
        assert politique["style-src"] == ["'self'"]
        assert politique["frame-ancestors"] == ["'none'"]
        assert politique["object-src"] == ["'none'"]


def test_every_page_carries_a_permissions_policy_with_the_camera_for_this_site_only(client, db):
    politique = client.get(reverse("login"))["Permissions-Policy"]
    assert "camera=(self)" in politique
    assert "geolocation=()" in politique
    assert "microphone=()" in politique


@pytest.mark.parametrize("gabarit", ["base.html", "votes/saisie.html", "registration/login.html"])
def test_templates_hold_no_inline_script_or_style(gabarit):
    from django.conf import settings

    texte = (settings.BASE_DIR / "templates" / gabarit).read_text()
    assert "<script>" not in texte
    assert "<style" not in texte
    assert "style=" not in texte


# --- Lockouts behind the proxy -------------------------------------------------------------------
PROXY = "172.18.0.5"  # the TLS proxy in front, the only peer gunicorn sees


def _connexion(client, mot_de_passe, client_reel, envoye_par_le_client=""):
    # The proxy appends the address it received the request from to whatever the client sent.
    xff = f"{envoye_par_le_client}, {client_reel}" if envoye_par_le_client else client_reel
    return client.post(
        reverse("login"),
        {"username": "agent-ville", "password": mot_de_passe},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=xff,
    )


def test_behind_one_proxy_a_lockout_keys_on_the_forwarded_client_address(client, ville_user, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    for _ in range(5):
        _connexion(client, "faux", "203.0.113.66")
    assert _connexion(client, "mot-de-passe-test", "203.0.113.66").status_code == 429
    # The city's own agent, from another address, still logs in.
    response = _connexion(client, "mot-de-passe-test", "198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ville_user.pk)


def test_behind_one_proxy_a_forged_forwarded_header_neither_locks_nor_frees_another_address(
    client, ville_user, settings
):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    # The attacker writes the victim's address in X-Forwarded-For: the proxy appends the real one.
    for _ in range(5):
        _connexion(client, "faux", "203.0.113.66", envoye_par_le_client="198.51.100.20")
    assert _connexion(client, "mot-de-passe-test", "198.51.100.20").status_code == 302
    client.logout()
    # Nor can the locked attacker escape by writing another address.
    response = _connexion(client, "mot-de-passe-test", "203.0.113.66", envoye_par_le_client="192.0.2.1")
    assert response.status_code == 429


def test_without_the_proxy_count_every_client_behind_the_proxy_shares_one_lockout(
    client, ville_user, settings
):
    # What compose did before it passed AXES_IPWARE_PROXY_COUNT: anyone could lock the city out.
    settings.AXES_IPWARE_PROXY_COUNT = 0
    for _ in range(5):
        _connexion(client, "faux", "203.0.113.66")
    assert _connexion(client, "mot-de-passe-test", "198.51.100.20").status_code == 429


def test_a_malformed_forwarded_address_falls_back_to_the_connection(rf, settings):
    from ipt.securite import adresse_client

    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert adresse_client(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="pas-une-adresse")) == PROXY
    assert adresse_client(rf.get("/", REMOTE_ADDR=PROXY)) == PROXY


def test_compose_trusts_one_proxy_by_default():
    from tests.ipt.test_compose import _compose

    assert _compose()["x-app"]["environment"]["AXES_IPWARE_PROXY_COUNT"] == "${AXES_IPWARE_PROXY_COUNT:-1}"
