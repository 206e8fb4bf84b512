"""docker-compose.yml checked offline against the Compose specification's JSON schema."""

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_follows_the_compose_specification():
    schema = json.loads((ROOT / "tests/data/compose_spec.json").read_text())
    jsonschema.Draft201909Validator.check_schema(schema)
    jsonschema.Draft201909Validator(schema).validate(_compose())


def test_compose_runs_the_six_services_each_with_a_healthcheck():
    services = _compose()["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "worker-releves", "beat"}
    for name, service in services.items():
        assert "test" in service.get("healthcheck", {}), name


def test_compose_keeps_the_database_and_the_pdfs_on_named_volumes():
    compose = _compose()
    assert {"postgres-data", "documents"} <= set(compose["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    for name in ("web", "worker", "worker-releves"):
        assert any(v.startswith("documents:") for v in compose["services"][name]["volumes"]), name


def test_web_serves_with_gunicorn_and_waits_for_healthy_services():
    web = _compose()["services"]["web"]
    assert (
        "gunicorn" in " ".join(web["command"])
        if isinstance(web["command"], list)
        else "gunicorn" in web["command"]
    )
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"


def test_the_dockerfile_builds_the_image_the_compose_file_names():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("FROM python:3.11")
    assert "collectstatic" in dockerfile
    assert _compose()["services"]["web"]["build"]["context"] == "."


def test_the_image_never_takes_local_secrets_databases_or_virtualenvs():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "db.sqlite3", "media", ".git"} <= set(ignored)


def test_the_statements_have_a_worker_of_their_own():
    """The monthly run and its statements go to the "releves" queue (CELERY_TASK_ROUTES): a worker
    serves it, so users' jobs on the default queue never starve them."""
    commande = _compose()["services"]["worker-releves"]["command"]
    assert commande[commande.index("-Q") + 1] == "releves"
    assert "-Q" not in _compose()["services"]["worker"]["command"]  # the default queue
