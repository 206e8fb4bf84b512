"""Production settings, checked in fresh processes so that the environment is exactly the one given."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "ipt.settings",
    "SECRET_KEY": "p" * 20 + "-a-long-random-production-key-" + "q" * 30,
    "ALLOWED_HOSTS": "ipt.example.org",
    "DEBUG": "false",
}


def _run(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _run("manage.py", "check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = _run("manage.py", "check", **{**PRODUCTION, "SECRET_KEY": "court"})
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_without_configuration_the_app_uses_sqlite_and_in_process_jobs():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "ipt.settings", "DEBUG": "true", "DATABASE_URL": "", "REDIS_URL": ""}
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"], result.stderr


def test_with_redis_url_jobs_go_through_celery_and_redis():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "ipt.settings", "DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/3"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["redis://127.0.0.1:6379/3", "False"], result.stderr


def _ecrire_env_de_developpement(dossier: Path) -> Path:
    """What `make run` does on a fresh checkout: the Makefile's own `.env` rule, in a scratch folder."""
    (dossier / "Makefile").write_text((ROOT / "Makefile").read_text())
    subprocess.run(["make", "-s", ".env"], cwd=dossier, check=True, capture_output=True, timeout=60)
    return dossier / ".env"


def test_make_run_writes_a_development_env_once(tmp_path):
    fichier = _ecrire_env_de_developpement(tmp_path)
    contenu = fichier.read_text()
    assert "DEBUG=true" in contenu.splitlines()
    cle = next(ligne for ligne in contenu.splitlines() if ligne.startswith("SECRET_KEY="))
    assert cle.startswith("SECRET_KEY=dev-only-") and len(cle) > 60
    subprocess.run(["make", "-s", ".env"], cwd=tmp_path, check=True, capture_output=True, timeout=60)
    assert fichier.read_text() == contenu


def test_manage_py_runs_on_a_development_checkout_without_typing_debug(tmp_path):
    fichier = _ecrire_env_de_developpement(tmp_path)
    code = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)"
    result = _run("-c", code, DJANGO_SETTINGS_MODULE="ipt.settings", IPT_ENV_FILE=str(fichier))
    assert result.stdout.split() == ["True"], result.stderr


def test_production_refuses_the_development_key_of_a_local_env(tmp_path):
    fichier = _ecrire_env_de_developpement(tmp_path)
    result = _run(
        "manage.py", "check", DJANGO_SETTINGS_MODULE="ipt.settings", DEBUG="false", IPT_ENV_FILE=str(fichier)
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_git_and_docker_ignore_the_local_env():
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
