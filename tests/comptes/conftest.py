import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from ipt.models import Evenement

User = get_user_model()


@pytest.fixture(autouse=True)
def mot_de_passe_oublie_compteurs_a_zero():
    """The hourly counters of "forgotten password" live in the cache, Redis when the run has one (it outlives
    the test and the run): every test starts from zero."""
    if settings.REDIS_URL:
        serveur = redis.Redis.from_url(settings.REDIS_URL)
        for cle in serveur.scan_iter("*ipt:mdp-oublie:*"):
            serveur.delete(cle)
    else:
        cache.clear()


@pytest.fixture
def connecter(client):
    """Log in through the login page (django-axes needs the request), return the response."""

    def _connecter(username, password):
        return client.post(reverse("login"), {"username": username, "password": password})

    return _connecter


def donnees(**champs):
    """The account form's POST data: a volunteer of no centre unless told otherwise."""
    base = {
        "username": "nouvelle",
        "first_name": "Nina",
        "last_name": "Fictive",
        "email": "",
        "role": "accueil",
    }
    base.update(champs)
    return {cle: valeur for cle, valeur in base.items() if valeur is not None}


def evenements(action):
    return list(Evenement.objects.filter(action=action).order_by("pk"))


def compte(username):
    return User.objects.get(username=username)


@pytest.fixture
def unused_port():
    """A local TCP port nobody listens on."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
