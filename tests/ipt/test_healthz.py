import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import OperationalError, connection

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_ok_with_database_and_redis_up(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.REDIS_URL or "redis://127.0.0.1:6379/15"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "static": "ok"}


def test_healthz_answers_503_when_the_broker_is_down(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_the_database_refuses(client, db):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_healthz_reports_in_process_jobs_without_redis(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert client.get("/healthz").json()["broker"] == "in-process"


def test_healthz_answers_503_when_the_collected_static_files_have_no_manifest(client, db, settings, tmp_path):
    # What a DEBUG-off image built without the manifest did: /healthz said 200, every page said 500.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["static"] == "error"


@pytest.fixture
def serveur_muet():
    """A real TCP server that accepts connections and never answers: a hung PostgreSQL or Redis."""
    ecoute = socket.socket()
    ecoute.bind(("127.0.0.1", 0))
    ecoute.listen(16)
    ouvertes = []
    fini = threading.Event()

    def accepter():
        ecoute.settimeout(0.2)
        while not fini.is_set():
            try:
                ouvertes.append(ecoute.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    fil = threading.Thread(target=accepter, daemon=True)
    fil.start()
    yield ecoute.getsockname()[1]
    fini.set()
    fil.join()
    for connexion in ouvertes:
        connexion.close()
    ecoute.close()


_PRELUDE = (
    "import django\n"
    "django.setup()\n"
    "from django.test.utils import setup_test_environment\n"
    "setup_test_environment()\n"
)


def _dans_un_processus(code: str, **env) -> list[str]:
    """Runs code with the project's settings read from exactly this environment; returns what it printed."""
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    resultat = subprocess.run(
        [sys.executable, "-c", _PRELUDE + code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "ipt.settings_test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resultat.returncode == 0, resultat.stderr
    return resultat.stdout.split()


_HEALTHZ = (
    "import time\n"
    "from django.test import Client\n"
    "Client().get('/accounts/login/')\n"  # warm: the URLs, the middleware, the templates are loaded
    "debut = time.monotonic()\n"
    "r = Client().get('/healthz')\n"
    "print(r.status_code, r.json()['database'], r.json()['broker'], time.monotonic() - debut)\n"
)


def test_healthz_answers_503_within_seconds_when_the_database_hangs(serveur_muet):
    statut, base, broker, duree = _dans_un_processus(
        _HEALTHZ,
        DATABASE_URL=f"postgres://ipt@127.0.0.1:{serveur_muet}/ipt",
        DB_CONNECT_TIMEOUT="2",
        CELERY_TASK_ALWAYS_EAGER="true",
    )
    assert (statut, base, broker) == ("503", "error", "in-process")
    assert float(duree) < 8  # 2 s, twice at most (libpq tries with, then without TLS), on a busy machine


def test_healthz_answers_503_within_seconds_when_redis_hangs(serveur_muet, tmp_path):
    statut, base, broker, duree = _dans_un_processus(
        _HEALTHZ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'vide.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{serveur_muet}/0",
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    assert (statut, base, broker) == ("503", "ok", "error")
    assert float(duree) < 5


def test_the_cache_gives_up_within_seconds_when_redis_hangs(serveur_muet):
    code = (
        "import time\n"
        "from django.core.cache import cache\n"
        "debut = time.monotonic()\n"
        "try:\n    cache.get('cle')\nexcept Exception as e:\n    print(type(e).__name__)\n"
        "print(time.monotonic() - debut)\n"
    )
    erreur, duree = _dans_un_processus(
        code, REDIS_URL=f"redis://127.0.0.1:{serveur_muet}/0", REDIS_SOCKET_TIMEOUT="1"
    )
    assert erreur == "TimeoutError"
    assert float(duree) < 5


def test_postgresql_sessions_run_under_the_statement_timeout(db, settings):
    with connection.cursor() as cursor:
        cursor.execute("SELECT setting FROM pg_settings WHERE name = 'statement_timeout'")
        assert cursor.fetchone()[0] == str(settings.DB_STATEMENT_TIMEOUT)
    assert settings.DB_STATEMENT_TIMEOUT == 30_000


def test_the_container_healthcheck_renders_the_login_page_as_the_proxy_asks_for_it():
    from tests.ipt.test_compose import _compose

    commande = " ".join(_compose()["services"]["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/accounts/login/" in commande
    assert "X-Forwarded-Proto: https" in commande
    assert "Host: $${ALLOWED_HOSTS%%,*}" in commande


def test_the_image_collects_static_files_with_the_production_settings():
    dockerfile = (ROOT / "Dockerfile").read_text()
    collecte = dockerfile[dockerfile.index("DEBUG=false") : dockerfile.index("collectstatic")]
    assert "SECRET_KEY=" in collecte
    assert "DEBUG=true" not in collecte
    assert "staticfiles.json" in dockerfile
