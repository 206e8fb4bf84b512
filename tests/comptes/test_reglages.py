"""Which email backend the settings pick, in fresh processes with exactly the environment given."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"SECRET_KEY": "p" * 60, "ALLOWED_HOSTS": "ipt.example.org", "DEBUG": "false"}
LIRE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "from comptes.services import envoi_par_courriel_possible, reinitialisation_possible; "
    "print(json.dumps([settings.EMAIL_BACKEND.rsplit('.', 2)[-2], envoi_par_courriel_possible(), "
    "reinitialisation_possible(), settings.DEFAULT_FROM_EMAIL]))"
)


def _reglages(**env):
    base = {
        k: v for k, v in os.environ.items() if not k.startswith("EMAIL_") and k not in {"SECRET_KEY", "DEBUG"}
    }
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    resultat = subprocess.run(
        [sys.executable, "-c", LIRE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "ipt.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert resultat.returncode == 0, resultat.stderr
    return json.loads(resultat.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "attendu"),
    [
        # Production without a server: nothing sent, links printed, "forgotten password" hidden.
        (PRODUCTION, ["dummy", False, False]),
        # Production with a server: SMTP for both.
        ({**PRODUCTION, "EMAIL_HOST": "smtp.example.org"}, ["smtp", True, True]),
        # Development: the console shows the "forgotten password" emails; invitations are printed.
        ({"DEBUG": "true"}, ["console", False, True]),
    ],
)
def test_the_email_backend_follows_email_host_and_debug(env, attendu):
    assert _reglages(**env)[:3] == attendu


def test_an_empty_sender_from_compose_falls_back_to_the_default():
    assert (
        _reglages(**PRODUCTION, DEFAULT_FROM_EMAIL="")[3] == "Internet Pour Tous <ne-pas-repondre@localhost>"
    )
