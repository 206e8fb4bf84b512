from django.urls import reverse

from tests.factories import UserFactory


def _login(client, username, password, ip):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_that_login_from_that_address(client, accueil_user):
    for _ in range(5):
        _login(client, "benevole", "faux", "198.51.100.7")
    response = _login(client, "benevole", "mot-de-passe-test", "198.51.100.7")
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_locked_login_does_not_lock_the_other_volunteers_of_the_same_centre(client, accueil_user):
    UserFactory(username="collegue", role="accueil")
    for _ in range(5):
        _login(client, "benevole", "faux", "198.51.100.7")
    response = _login(client, "collegue", "mot-de-passe-test", "198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_a_wrong_password_says_so_in_french(client, accueil_user):
    response = _login(client, "benevole", "faux", "198.51.100.8")
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()
