import importlib
import os

import pytest
from django.apps import apps
from playwright.sync_api import expect, sync_playwright

from tests.factories import (
    BailleurFactory,
    CentreSocialFactory,
    ImmeubleFactory,
    QuartierFactory,
    UserFactory,
)


@pytest.fixture
def ville_user(db):
    return UserFactory(username="agent-ville", role="ville", is_staff=True)


@pytest.fixture
def centre(db):
    return CentreSocialFactory()


@pytest.fixture
def quartier(centre):
    return QuartierFactory(centre_social=centre)


@pytest.fixture
def bailleur(db):
    return BailleurFactory()


@pytest.fixture
def immeuble(quartier, bailleur):
    return ImmeubleFactory(quartier=quartier, bailleur=bailleur)


@pytest.fixture
def accueil_user(centre):
    user = UserFactory(username="benevole", role="accueil")
    centre.membres.add(user)
    return user


@pytest.fixture
def gardien_user(immeuble):
    user = UserFactory(username="gardien-test", role="gardien")
    immeuble.gardiens.add(user)
    return user


@pytest.fixture
def bailleur_user(bailleur):
    user = UserFactory(username="gestionnaire", role="bailleur")
    bailleur.membres.add(user)
    return user


@pytest.fixture
def animateur_user(db):
    from ateliers.models import Structure

    user = UserFactory(username="animatrice-test", role="animateur")
    Structure.objects.create(nom="Association Clic (fictive)").membres.add(user)
    return user


@pytest.fixture
def user_of_role(request, ville_user, accueil_user, gardien_user, bailleur_user, animateur_user):
    """Parametrise with indirect=True and a role name."""
    return {
        "ville": ville_user,
        "accueil": accueil_user,
        "gardien": gardien_user,
        "bailleur": bailleur_user,
        "animateur": animateur_user,
    }[request.param]


@pytest.fixture
def roles(transactional_db):
    """Transactional tests empty every table, the role groups of the data migration too: recreate them."""
    importlib.import_module("ipt.migrations.0001_roles").creer_roles(apps, None)
    importlib.import_module("ipt.migrations.0003_roles_logements_campagnes").accorder(apps, None)
    importlib.import_module("votes.migrations.0003_roles").accorder(apps, None)
    importlib.import_module("charges.migrations.0003_roles").accorder(apps, None)
    importlib.import_module("ipt.migrations.0006_ville_lit_le_journal").accorder(apps, None)
    importlib.import_module("equipements.migrations.0006_roles_signalements").accorder(apps, None)
    importlib.import_module("equipements.migrations.0002_roles_remises").accorder(apps, None)
    importlib.import_module("equipements.migrations.0009_roles_offre_ordinateurs").accorder(apps, None)
    importlib.import_module("equipements.migrations.0012_roles_paiements").accorder(apps, None)
    ateliers_roles = importlib.import_module("ateliers.migrations.0002_roles")
    ateliers_roles.accorder(apps, None)
    ateliers_roles.themes(apps, None)
    visa = importlib.import_module("ateliers.migrations.0005_visa_referentiel_roles")
    visa.accorder(apps, None)
    visa.referentiel_defaut(apps, None)


# --- Browser tests: Debian's Chromium driven by Playwright ---------------------------------------
CHROMIUM = "/usr/bin/chromium"
# Waits sized for a loaded 2-core machine (other suites running): an action or a navigation may take
# long, an assertion retries until its condition holds (Playwright's defaults: 30 s and 5 s). A test that
# works waits far less; one that does not fails after these.
ATTENTE_ACTION_MS = 60_000
ATTENTE_ASSERTION_MS = 20_000
expect.set_options(timeout=ATTENTE_ASSERTION_MS)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls that fixtures make here
    # (and the flush of transactional tests) are safe. Subprocess tests strip this variable.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def nouvelle_page(browser):
    """``nouvelle_page(**options)``: a page in a fresh context (its own cookies: another person), in French,
    with the waits above; closed after the test."""
    contextes = []

    def _nouvelle_page(**options):
        context = browser.new_context(locale="fr-FR", **options)
        context.set_default_timeout(ATTENTE_ACTION_MS)
        context.set_default_navigation_timeout(ATTENTE_ACTION_MS)
        contextes.append(context)
        return context.new_page()

    yield _nouvelle_page
    for context in contextes:
        context.close()


@pytest.fixture
def page(nouvelle_page):
    return nouvelle_page()


@pytest.fixture
def phone(nouvelle_page):
    return nouvelle_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)


# --- Real Celery workers on Redis ----------------------------------------------------------------


@pytest.fixture
def file_redis():
    """This process sends jobs to Redis instead of running them in-process; the queues start and end empty,
    with no message a killed worker left unacknowledged."""
    import redis

    from ipt.celery import app
    from tests.worker import redis_url, vider_files

    connexion = redis.Redis.from_url(redis_url())
    vider_files(connexion)
    avant = {cle: app.conf[cle] for cle in ("task_always_eager", "broker_url")}

    def oublier_connexions():
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    app.conf.update(task_always_eager=False, broker_url=redis_url())
    oublier_connexions()
    yield
    app.conf.update(avant)
    oublier_connexions()
    vider_files(connexion)
