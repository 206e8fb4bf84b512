import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from logements.models import Bailleur, Immeuble
from quartiers.models import CentreSocial, Quartier


def _counts():
    return tuple(m.objects.count() for m in (CentreSocial, Quartier, Bailleur, Immeuble, get_user_model()))


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first


@pytest.mark.django_db
def test_seed_demo_creates_the_four_demo_logins_with_debug(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    for login, home in [
        ("ville", "/quartiers/pilotage/"),
        ("accueil", "/accueil/"),
        ("gardien", "/gardien/"),
        ("bailleur", "/bailleur/"),
    ]:
        client.logout()
        response = client.post(
            "/accounts/login/", {"username": login, "password": "demo"}, REMOTE_ADDR="192.0.2.50"
        )
        assert response.status_code == 302, login
        assert client.get("/").url == home


@pytest.mark.django_db
def test_seed_demo_creates_no_login_in_production_unless_asked(settings):
    settings.DEBUG = False
    call_command("seed_demo", verbosity=0)
    assert not get_user_model().objects.exists()
    call_command("seed_demo", "--utilisateurs-demo", verbosity=0)
    assert (
        get_user_model().objects.filter(username__in=["ville", "accueil", "gardien", "bailleur"]).count() == 4
    )


@pytest.mark.django_db
def test_demo_logins_are_plainly_fictitious(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    for user in get_user_model().objects.all():
        assert "démo" in user.last_name
