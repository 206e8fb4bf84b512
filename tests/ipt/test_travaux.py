"""The background-job mechanism (ipt.travaux, ipt.tasks) and the shared PDF renderer (ipt.pdf)."""

import datetime
import hashlib
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from ipt import pdf, travaux
from ipt.models import Travail
from ipt.tasks import travail_executer
from tests.factories import CentreSocialFactory, QuartierFactory, UserFactory
from tests.pdf import pdf_pages

# Producers used by these tests only (the registry is global; the names say where they come from).
APPELS = []
PROGRES = []


@travaux.producteur("tests.reussite", libelle="Test document")
def _reussite(travail, suivi):
    APPELS.append(travail.pk)
    suivi.debuter(total=3)
    for _ in range(3):
        suivi.avancer()
        PROGRES.append(Travail.objects.values_list("statut", "fait", "total").get(pk=travail.pk))
    return travaux.Fichier(f"essai-{travail.pk}.pdf", b"%PDF-1.7 contenu de test")


@travaux.producteur("tests.partage", libelle="Leaflet-like document", partage_quartier=True)
def _partage(travail, suivi):
    return travaux.Fichier(f"partage-{travail.pk}.pdf", b"%PDF-1.7 contenu de test")


@travaux.producteur("tests.panne", libelle="Broken document")
def _panne(travail, suivi):
    suivi.debuter(total=2)
    suivi.avancer()
    raise RuntimeError("disk on fire")


@travaux.producteur("tests.impossible", libelle="Impossible document")
def _impossible(travail, suivi):
    raise travaux.TravailImpossible("Il manque la date du vote.")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    APPELS.clear()
    PROGRES.clear()
    return settings.MEDIA_ROOT


def _creer(nature, demandeur, django_capture_on_commit_callbacks, **parametres):
    with django_capture_on_commit_callbacks(execute=True):
        travail = travaux.travail_creer(nature=nature, parametres=parametres, demandeur=demandeur)
    travail.refresh_from_db()
    return travail


# --- The job's life -----------------------------------------------------------------------------


def test_a_job_is_queued_after_commit_and_runs_in_process_without_redis(
    ville_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        travail = travaux.travail_creer(nature="tests.reussite", parametres={}, demandeur=ville_user)
    assert Travail.objects.get(pk=travail.pk).statut == Travail.Statut.EN_ATTENTE
    assert APPELS == []  # nothing runs before the commit
    assert len(rappels) == 1
    rappels[0]()
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.TERMINE
    assert APPELS == [travail.pk]


def test_a_done_job_stores_its_file_with_its_sha256(ville_user, django_capture_on_commit_callbacks, media):
    travail = _creer("tests.reussite", ville_user, django_capture_on_commit_callbacks)
    assert travail.statut == Travail.Statut.TERMINE
    assert (travail.fait, travail.total) == (3, 3)
    assert travail.commence_le is not None and travail.termine_le is not None
    contenu = travail.fichier.read()
    assert contenu == b"%PDF-1.7 contenu de test"
    assert travail.sha256 == hashlib.sha256(contenu).hexdigest()
    assert str(media) in travail.fichier.path
    assert travail.fichier.name.endswith(f"essai-{travail.pk}.pdf")


def test_progress_is_written_as_the_job_runs(ville_user):
    travail = Travail.objects.create(nature="tests.reussite", demandeur=ville_user)
    travaux.travail_executer(travail.pk)
    assert PROGRES == [("en_cours", 1, 3), ("en_cours", 2, 3), ("en_cours", 3, 3)]


def test_running_a_finished_job_again_does_nothing(ville_user, django_capture_on_commit_callbacks):
    travail = _creer("tests.reussite", ville_user, django_capture_on_commit_callbacks)
    avant = (travail.fichier.name, travail.sha256, travail.termine_le)
    travail_executer(travail.pk)  # the Celery task, run a second time (e.g. redelivered)
    travaux.travail_executer(travail.pk)
    travail.refresh_from_db()
    assert APPELS == [travail.pk]
    assert (travail.fichier.name, travail.sha256, travail.termine_le) == avant


def test_an_unknown_job_is_ignored(db):
    travail_executer(987654)  # a stale message for a job that no longer exists: no error


def test_a_failing_job_is_marked_failed_with_a_french_message_never_left_running(
    ville_user, django_capture_on_commit_callbacks
):
    travail = _creer("tests.panne", ville_user, django_capture_on_commit_callbacks)
    assert travail.statut == Travail.Statut.ECHEC
    assert "erreur interne" in travail.message
    assert f"n° {travail.pk}" in travail.message
    assert "disk on fire" not in travail.message  # technical details go to the log, not to users
    assert not travail.fichier
    assert travail.termine_le is not None


def test_a_job_that_cannot_be_made_says_why(ville_user, django_capture_on_commit_callbacks):
    travail = _creer("tests.impossible", ville_user, django_capture_on_commit_callbacks)
    assert travail.statut == Travail.Statut.ECHEC
    assert travail.message == "Il manque la date du vote."


@pytest.fixture
def broker_injoignable():
    """The enqueuing side on a broker where nothing listens (port 1), not in-process."""
    from ipt.celery import app

    cles = ("task_always_eager", "broker_url", "task_publish_retry", "broker_transport_options")
    avant = {cle: app.conf[cle] for cle in cles}

    def oublier_connexions():
        app._pool = None
        if "amqp" in app.__dict__:
            app.amqp._producer_pool = None

    app.conf.update(
        task_always_eager=False,
        broker_url="redis://127.0.0.1:1/0",
        task_publish_retry=False,
        broker_transport_options={**avant["broker_transport_options"], "max_retries": 1},
    )
    oublier_connexions()
    yield
    app.conf.update(avant)
    oublier_connexions()


def test_a_job_with_an_unreachable_broker_is_marked_failed(
    ville_user, django_capture_on_commit_callbacks, broker_injoignable
):
    travail = _creer("tests.reussite", ville_user, django_capture_on_commit_callbacks)
    assert travail.statut == Travail.Statut.ECHEC
    assert "ne répond pas" in travail.message
    assert APPELS == []


def test_a_job_running_past_the_time_limit_is_reported_lost(ville_user, settings):
    travail = Travail.objects.create(
        nature="tests.reussite",
        demandeur=ville_user,
        statut=Travail.Statut.EN_COURS,
        commence_le=timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120),
    )
    travaux.travail_verifier_perdu(travail)
    assert travail.statut == Travail.Statut.ECHEC
    assert "interrompu" in travail.message


def test_an_unknown_kind_of_job_is_refused_at_once(ville_user):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        travaux.travail_creer(nature="tests.inconnu", parametres={}, demandeur=ville_user)
    assert not Travail.objects.exists()


# --- The status partial and the download ---------------------------------------------------------


def test_the_status_of_a_running_job_shows_an_accessible_progress_bar_and_keeps_polling(client, ville_user):
    travail = Travail.objects.create(
        nature="tests.reussite",
        demandeur=ville_user,
        statut=Travail.Statut.EN_COURS,
        commence_le=timezone.now(),
        fait=1,
        total=4,
    )
    client.force_login(ville_user)
    page = client.get(reverse("travail", args=[travail.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert f'hx-get="{reverse("travail_statut", args=[travail.pk])}"' in page
    reponse = client.get(reverse("travail_statut", args=[travail.pk]), HTTP_HX_REQUEST="true")
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="25"' in html and 'aria-valuemin="0"' in html and 'aria-valuemax="100"' in html
    assert "1 sur 4 faits" in html


def test_the_status_of_a_done_job_offers_the_download_and_stops_polling(
    client, ville_user, django_capture_on_commit_callbacks
):
    travail = _creer("tests.reussite", ville_user, django_capture_on_commit_callbacks)
    client.force_login(ville_user)
    reponse = client.get(reverse("travail_statut", args=[travail.pk]), HTTP_HX_REQUEST="true")
    assert reponse.status_code == 286  # htmx stops polling
    assert reverse("travail_telecharger", args=[travail.pk]) in reponse.content.decode()
    assert "Télécharger" in reponse.content.decode()
    page = client.get(reverse("travail", args=[travail.pk])).content.decode()
    assert "hx-trigger" not in page


def test_the_status_of_a_failed_job_says_so(client, ville_user, django_capture_on_commit_callbacks):
    travail = _creer("tests.impossible", ville_user, django_capture_on_commit_callbacks)
    client.force_login(ville_user)
    html = client.get(reverse("travail_statut", args=[travail.pk])).content.decode()
    assert "Le travail a échoué." in html
    assert "Il manque la date du vote." in html
    assert reverse("travail_telecharger", args=[travail.pk]) not in html


def test_the_requester_downloads_the_file(client, accueil_user, django_capture_on_commit_callbacks):
    travail = _creer("tests.reussite", accueil_user, django_capture_on_commit_callbacks)
    client.force_login(accueil_user)
    reponse = client.get(reverse("travail_telecharger", args=[travail.pk]))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == b"%PDF-1.7 contenu de test"
    assert reponse["Content-Disposition"].startswith("attachment")
    assert f"essai-{travail.pk}.pdf" in reponse["Content-Disposition"]


def test_who_may_download_a_campaign_document(
    client,
    quartier,
    ville_user,
    accueil_user,
    gardien_user,
    bailleur_user,
    django_capture_on_commit_callbacks,
):
    demandeur = UserFactory(role="ville")
    travail = _creer(
        "tests.partage", demandeur, django_capture_on_commit_callbacks, quartier=quartier.pk, campagne=1
    )
    autre_centre = CentreSocialFactory()
    QuartierFactory(centre_social=autre_centre)
    benevole_ailleurs = UserFactory(role="accueil")
    autre_centre.membres.add(benevole_ailleurs)
    url = reverse("travail_telecharger", args=[travail.pk])
    attendu = {
        demandeur: 200,
        ville_user: 200,  # city staff
        accueil_user: 200,  # a volunteer covering that quartier
        benevole_ailleurs: 404,  # a volunteer of another centre
        gardien_user: 404,  # a caretaker of a building of that quartier: never campaign documents
        bailleur_user: 404,
    }
    for user, statut in attendu.items():
        client.force_login(user)
        assert client.get(url).status_code == statut, user.username
        assert client.get(reverse("travail_statut", args=[travail.pk])).status_code == statut
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_quartier_document_not_shared_stays_with_its_requester_and_city_staff(
    client, quartier, ville_user, accueil_user, django_capture_on_commit_callbacks
):
    # e.g. ballot papers: they carry every dwelling's code, so the quartier's volunteers never get them
    demandeur = UserFactory(role="ville")
    travail = _creer("tests.reussite", demandeur, django_capture_on_commit_callbacks, quartier=quartier.pk)
    url = reverse("travail_telecharger", args=[travail.pk])
    client.force_login(accueil_user)
    assert client.get(url).status_code == 404
    client.force_login(ville_user)
    assert client.get(url).status_code == 200


def test_a_requester_who_left_the_centre_no_longer_sees_its_documents(
    client, quartier, centre, accueil_user, django_capture_on_commit_callbacks
):
    travail = _creer("tests.partage", accueil_user, django_capture_on_commit_callbacks, quartier=quartier.pk)
    url = reverse("travail_telecharger", args=[travail.pk])
    client.force_login(accueil_user)
    assert client.get(url).status_code == 200
    centre.membres.remove(accueil_user)
    assert client.get(url).status_code == 404


def test_a_job_without_quartier_is_seen_by_its_requester_and_city_staff_only(
    client, accueil_user, ville_user, django_capture_on_commit_callbacks
):
    demandeur = UserFactory(role="accueil")
    travail = _creer("tests.reussite", demandeur, django_capture_on_commit_callbacks)
    client.force_login(accueil_user)
    assert client.get(reverse("travail", args=[travail.pk])).status_code == 404
    client.force_login(ville_user)
    assert client.get(reverse("travail", args=[travail.pk])).status_code == 200


def test_a_failed_or_running_job_has_nothing_to_download(client, ville_user):
    for statut in (Travail.Statut.EN_ATTENTE, Travail.Statut.EN_COURS, Travail.Statut.ECHEC):
        travail = Travail.objects.create(nature="tests.reussite", demandeur=ville_user, statut=statut)
        client.force_login(ville_user)
        assert client.get(reverse("travail_telecharger", args=[travail.pk])).status_code == 404


# --- The PDF renderer ---------------------------------------------------------------------------


def test_the_fetcher_serves_static_files_only():
    fetcher = pdf.FetcherStatique()
    reponse = fetcher.fetch(pdf.ORIGINE + "/static/css/pdf.css")
    assert b"@page" in reponse.read()
    assert reponse.content_type == "text/css"
    refusees = [
        "https://example.org/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        pdf.ORIGINE + "/static/../../ipt/settings.py",
        pdf.ORIGINE + "/static/%2e%2e/%2e%2e/ipt/settings.py",
        pdf.ORIGINE + "/media/travaux/secret.pdf",
        pdf.ORIGINE + "/static/css/absent.css",
    ]
    for url in refusees:
        with pytest.raises(pdf.RessourceRefusee):
            fetcher.fetch(url)


@pytest.fixture
def gabarit_essai(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": settings.TEMPLATES[0]["DIRS"],
            "APP_DIRS": False,
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "essai.html": (
                                '{% extends "pdf/base.html" %}{% block content %}'
                                '<div class="pied">Pied de page d’essai</div>'
                                '<img src="https://example.org/traceur.png" alt="">'
                                '<h1>Première page</h1><h1 class="saut-avant">Deuxième page</h1>'
                                "{% endblock %}"
                            )
                        },
                    ),
                    "django.template.loaders.filesystem.Loader",
                ]
            },
        }
    ]


def test_render_pdf_numbers_pages_in_the_footer_and_never_reaches_the_network(gabarit_essai, monkeypatch):
    connexions = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, adresse: connexions.append(adresse))
    contenu = pdf.render_pdf("essai.html", {})
    assert contenu.startswith(b"%PDF")
    assert connexions == []
    pages = pdf_pages(contenu, layout=False)
    assert "Première page" in pages[0] and "1/2" in pages[0] and "Pied de page d’essai" in pages[0]
    assert "Deuxième page" in pages[1] and "2/2" in pages[1]
