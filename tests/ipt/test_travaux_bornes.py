"""Background jobs stay bounded and never wait for ever (issue 8 points 4–5, issue 10 points 3 and 5), and
their documents follow the user's scope (issue 9 point 5)."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ipt import travaux
from ipt.models import Travail
from tests.factories import BailleurFactory, CentreSocialFactory, UserFactory

APPELS: list[int] = []
CHANGE = {"le": None}  # what the "tests.frais" document is made from last changed then
LIBERE = threading.Event()


@travaux.producteur("tests.simple", libelle="Test document")
def _simple(travail, suivi):
    APPELS.append(travail.pk)
    return travaux.Fichier(f"simple-{travail.pk}.pdf", b"%PDF-1.7 simple")


@travaux.producteur("tests.quartier_partage", libelle="Shared leaflet-like document", partage_quartier=True)
def _quartier_partage(travail, suivi):
    return travaux.Fichier(f"partage-{travail.pk}.pdf", b"%PDF-1.7 partage")


@travaux.producteur("tests.frais", libelle="Document with known inputs", modifie_le=lambda p: CHANGE["le"])
def _frais(travail, suivi):
    APPELS.append(travail.pk)
    return travaux.Fichier(f"frais-{travail.pk}.pdf", b"%PDF-1.7 frais")


@travaux.producteur("tests.attend", libelle="Slow document")
def _attend(travail, suivi):
    suivi.debuter(total=2)
    suivi.avancer()
    LIBERE.wait(10)
    suivi.avancer()
    return travaux.Fichier(f"lent-{travail.pk}.pdf", b"%PDF-1.7 lent")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    APPELS.clear()
    CHANGE["le"] = None
    LIBERE.clear()


def _demander(nature, demandeur, **parametres):
    """Ask for a job without running it (its queue message is "in flight")."""
    return travaux.travail_creer(nature=nature, parametres=parametres, demandeur=demandeur)


# --- The same document asked again is the same job -----------------------------------------------


def test_the_same_document_asked_again_while_waiting_or_running_is_the_same_job(ville_user):
    premier = _demander("tests.simple", ville_user, annee=2025, bailleur=3)
    assert premier.reutilise is False
    second = _demander("tests.simple", ville_user, bailleur=3, annee=2025)  # the order does not matter
    assert second.pk == premier.pk and second.reutilise is True
    Travail.objects.filter(pk=premier.pk).update(statut=Travail.Statut.EN_COURS, commence_le=timezone.now())
    assert _demander("tests.simple", ville_user, annee=2025, bailleur=3).pk == premier.pk
    assert Travail.objects.count() == 1
    # other parameters, or another kind, are another document
    assert _demander("tests.simple", ville_user, annee=2024, bailleur=3).pk != premier.pk
    assert Travail.objects.count() == 2


def test_a_failed_job_is_never_handed_out_again(ville_user):
    premier = _demander("tests.simple", ville_user, annee=2025)
    Travail.objects.filter(pk=premier.pk).update(statut=Travail.Statut.ECHEC, termine_le=timezone.now())
    assert _demander("tests.simple", ville_user, annee=2025).pk != premier.pk


def test_a_document_of_one_requester_is_not_handed_to_another_unless_shared(quartier, accueil_user, centre):
    collegue = UserFactory(role="accueil")
    centre.membres.add(collegue)
    # not shared (e.g. ballot papers): each requester their own
    a = _demander("tests.simple", accueil_user, quartier=quartier.pk)
    assert _demander("tests.simple", collegue, quartier=quartier.pk).pk != a.pk
    # shared with the quartier (leaflets): the colleague of the same centre gets the same job
    b = _demander("tests.quartier_partage", accueil_user, quartier=quartier.pk, campagne=1)
    c = _demander("tests.quartier_partage", collegue, quartier=quartier.pk, campagne=1)
    assert c.pk == b.pk and c.reutilise
    # but never a volunteer of another centre, who may not see it
    ailleurs = UserFactory(role="accueil")
    CentreSocialFactory().membres.add(ailleurs)
    assert _demander("tests.quartier_partage", ailleurs, quartier=quartier.pk, campagne=1).pk != b.pk


def test_a_done_document_is_handed_out_again_only_while_fresh_and_unchanged(
    ville_user, settings, django_capture_on_commit_callbacks
):
    settings.TRAVAUX_FRAIS_SECONDES = 600
    CHANGE["le"] = timezone.now() - datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        fait = _demander("tests.frais", ville_user, annee=2025)
    fait.refresh_from_db()
    assert fait.statut == Travail.Statut.TERMINE
    encore = _demander("tests.frais", ville_user, annee=2025)
    assert encore.pk == fait.pk and encore.reutilise and encore.statut == Travail.Statut.TERMINE
    # what it is made from changed after it was made: made again
    CHANGE["le"] = timezone.now()
    assert _demander("tests.frais", ville_user, annee=2025).pk != fait.pk
    # done too long ago: made again
    Travail.objects.all().delete()
    CHANGE["le"] = None
    with django_capture_on_commit_callbacks(execute=True):
        vieux = _demander("tests.frais", ville_user, annee=2025)
    Travail.objects.filter(pk=vieux.pk).update(termine_le=timezone.now() - datetime.timedelta(seconds=601))
    assert _demander("tests.frais", ville_user, annee=2025).pk != vieux.pk


def test_a_done_document_whose_inputs_cannot_be_dated_is_made_again(
    ville_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fait = _demander("tests.simple", ville_user, annee=2025)
    fait.refresh_from_db()
    assert fait.statut == Travail.Statut.TERMINE
    assert _demander("tests.simple", ville_user, annee=2025).pk != fait.pk


# --- A bounded number of jobs per user -------------------------------------------------------------


def test_each_user_has_a_bounded_number_of_jobs_waiting_or_running(ville_user, settings):
    settings.TRAVAUX_MAX_PAR_UTILISATEUR = 2
    premier = _demander("tests.simple", ville_user, annee=1)
    _demander("tests.simple", ville_user, annee=2)
    with pytest.raises(travaux.TropDeTravaux) as refus:
        _demander("tests.simple", ville_user, annee=3)
    assert "Vous avez déjà 2 documents en préparation" in refus.value.messages[0]
    assert Travail.objects.count() == 2
    # asking again for one already under way is not a new job: no refusal
    assert _demander("tests.simple", ville_user, annee=1).pk == premier.pk
    # another user is not held back by this one
    assert _demander("tests.simple", UserFactory(role="ville"), annee=3).reutilise is False
    # once one is done, there is room again
    Travail.objects.filter(pk=premier.pk).update(statut=Travail.Statut.TERMINE, termine_le=timezone.now())
    assert _demander("tests.simple", ville_user, annee=4).reutilise is False


def test_the_view_hands_back_the_document_under_way_and_refuses_past_the_bound(
    client, bailleur, bailleur_user, settings
):
    settings.TRAVAUX_MAX_PAR_UTILISATEUR = 1
    client.force_login(bailleur_user)
    annee = timezone.localdate().year
    url = reverse("charges:avis_lancer", args=[bailleur.pk, annee])
    # the job is not run: its queue message is in flight (no on_commit callbacks executed)
    premiere = client.post(url)
    travail = Travail.objects.get()
    assert premiere.url.startswith(reverse("travail", args=[travail.pk]))
    seconde = client.post(url, follow=True)
    assert seconde.redirect_chain[0][0] == premiere.url
    assert "Ce document est déjà en préparation" in seconde.content.decode()
    assert Travail.objects.count() == 1
    refus = client.post(reverse("charges:avis_lancer", args=[bailleur.pk, annee - 1]), follow=True)
    assert "Vous avez déjà 1 document en préparation" in refus.content.decode()
    assert Travail.objects.count() == 1


# --- Two requests at the same moment: one job ------------------------------------------------------


def _en_meme_temps(monkeypatch, *demandes):
    """Run each ``(nature, demandeur, parametres)`` in its own thread and database connection, all
    reading "is there one already?" at the same moment; the results (a job or the refusal)."""
    lire = travaux._reutilisable

    def lire_lentement(*args, **kwargs):
        trouve = lire(*args, **kwargs)
        time.sleep(0.3)  # wide open window between reading and writing
        return trouve

    monkeypatch.setattr(travaux, "_reutilisable", lire_lentement)
    monkeypatch.setattr(travaux, "_mettre_en_file", lambda pk: None)  # the jobs stay waiting
    depart = threading.Barrier(len(demandes))
    resultats: list = [None] * len(demandes)

    def demander(i, nature, demandeur, parametres):
        try:
            depart.wait(5)
            resultats[i] = travaux.travail_creer(nature=nature, parametres=parametres, demandeur=demandeur)
        except Exception as erreur:  # noqa: BLE001 — the refusal is one of the outcomes compared
            resultats[i] = erreur
        finally:
            connection.close()

    fils = [threading.Thread(target=demander, args=(i, *d)) for i, d in enumerate(demandes)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(20)
    return resultats


@pytest.mark.usefixtures("roles")
def test_two_requests_at_the_same_moment_make_one_job(monkeypatch):
    assert connection.vendor == "postgresql"
    user = UserFactory(role="ville")
    a, b = _en_meme_temps(
        monkeypatch, ("tests.simple", user, {"annee": 2025}), ("tests.simple", user, {"annee": 2025})
    )
    assert isinstance(a, Travail) and isinstance(b, Travail)
    assert a.pk == b.pk
    assert sorted([a.reutilise, b.reutilise]) == [False, True]
    assert Travail.objects.count() == 1


@pytest.mark.usefixtures("roles")
def test_two_requests_at_the_same_moment_never_pass_the_bound(monkeypatch, settings):
    settings.TRAVAUX_MAX_PAR_UTILISATEUR = 1
    user = UserFactory(role="ville")
    resultats = _en_meme_temps(
        monkeypatch, ("tests.simple", user, {"annee": 2024}), ("tests.simple", user, {"annee": 2025})
    )
    assert sum(isinstance(r, Travail) for r in resultats) == 1
    assert sum(isinstance(r, travaux.TropDeTravaux) for r in resultats) == 1
    assert Travail.objects.count() == 1


# --- Jobs that would wait for ever -------------------------------------------------------------------


def _en_attente_depuis(demandeur, minutes, **champs):
    travail = Travail.objects.create(nature="tests.simple", demandeur=demandeur, **champs)
    Travail.objects.filter(pk=travail.pk).update(cree_le=timezone.now() - datetime.timedelta(minutes=minutes))
    travail.refresh_from_db()
    return travail


def test_a_job_waiting_too_long_is_queued_once_more_and_then_runs(
    ville_user, settings, django_capture_on_commit_callbacks
):
    settings.TRAVAUX_ATTENTE_MAX_SECONDES = 20 * 60
    perdu = _en_attente_depuis(ville_user, 25)  # its queue message was lost
    recent = _en_attente_depuis(ville_user, 5)
    with django_capture_on_commit_callbacks(execute=True):
        travaux.travail_verifier_perdu(perdu)
        travaux.travail_verifier_perdu(recent)
    perdu.refresh_from_db()
    assert perdu.relance_le is not None
    assert perdu.statut == Travail.Statut.TERMINE  # queued again, it ran
    assert APPELS == [perdu.pk]
    recent.refresh_from_db()
    assert recent.statut == Travail.Statut.EN_ATTENTE and recent.relance_le is None


def test_a_job_still_waiting_after_being_queued_again_is_failed_in_french(client, ville_user, settings):
    settings.TRAVAUX_ATTENTE_MAX_SECONDES = 20 * 60
    travail = _en_attente_depuis(ville_user, 60, relance_le=timezone.now() - datetime.timedelta(minutes=21))
    client.force_login(ville_user)
    page = client.get(reverse("travail", args=[travail.pk])).content.decode()
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.ECHEC
    assert "n’a jamais démarré" in travail.message
    assert "n’a jamais démarré" in page
    assert "En attente de son tour" not in page


def test_the_beat_task_catches_lost_jobs_without_anyone_reading_them(
    ville_user, settings, django_capture_on_commit_callbacks
):
    from ipt.celery import app
    from ipt.tasks import travaux_surveiller

    entree = next(e for e in app.conf.beat_schedule.values() if e["task"] == "ipt.travaux_surveiller")
    assert entree["task"] in app.tasks
    settings.TRAVAUX_ATTENTE_MAX_SECONDES = 20 * 60
    a_relancer = _en_attente_depuis(ville_user, 25)
    a_abandonner = _en_attente_depuis(ville_user, 60, relance_le=timezone.now() - datetime.timedelta(hours=1))
    mort = Travail.objects.create(
        nature="tests.simple",
        demandeur=ville_user,
        statut=Travail.Statut.EN_COURS,
        commence_le=timezone.now() - datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 120),
    )
    vivant = Travail.objects.create(
        nature="tests.simple",
        demandeur=ville_user,
        statut=Travail.Statut.EN_COURS,
        commence_le=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        travaux_surveiller()
    etats = dict(Travail.objects.values_list("pk", "statut"))
    assert etats[a_relancer.pk] == Travail.Statut.TERMINE
    assert etats[a_abandonner.pk] == Travail.Statut.ECHEC
    assert etats[mort.pk] == Travail.Statut.ECHEC
    assert etats[vivant.pk] == Travail.Statut.EN_COURS
    assert "interrompu" in Travail.objects.get(pk=mort.pk).message


# --- Without Redis, the job runs in the server's background queue ---------------------------------


@pytest.mark.usefixtures("roles")
def test_without_redis_the_request_returns_at_once_and_the_progress_page_shows(client, settings):
    settings.TACHES_LOCALES = True
    user = UserFactory(role="ville")
    client.force_login(user)
    travail = travaux.travail_creer(nature="tests.attend", parametres={}, demandeur=user)
    # the caller is back while the job runs in the background thread
    limite = time.monotonic() + 10
    while Travail.objects.get(pk=travail.pk).fait < 1 and time.monotonic() < limite:
        time.sleep(0.05)
    page = client.get(reverse("travail_statut", args=[travail.pk])).content.decode()
    assert "1 sur 2 faits" in page
    LIBERE.set()
    while not Travail.objects.get(pk=travail.pk).fini and time.monotonic() < limite:
        time.sleep(0.05)
    assert Travail.objects.get(pk=travail.pk).statut == Travail.Statut.TERMINE
    assert client.get(reverse("travail_telecharger", args=[travail.pk])).status_code == 200


# --- Landlord documents follow the landlord ---------------------------------------------------------


def test_landlord_documents_stay_with_the_landlord_the_user_still_covers(
    client, bailleur, bailleur_user, ville_user, django_capture_on_commit_callbacks
):
    from charges.tasks import NATURE_AVIS

    with django_capture_on_commit_callbacks(execute=True):
        travail = _demander("tests.simple", bailleur_user, bailleur=bailleur.pk, annee=2025)
    avis = _demander(NATURE_AVIS, bailleur_user, bailleur=bailleur.pk, annee=2025)  # listed on their page
    url = reverse("travail_telecharger", args=[travail.pk])
    client.force_login(bailleur_user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("charges:bailleur")).context["travaux"] == [avis]
    # moved to another landlord: the former landlord's documents are gone, from the list too
    autre = BailleurFactory()
    bailleur.membres.remove(bailleur_user)
    autre.membres.add(bailleur_user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("travail", args=[travail.pk])).status_code == 404
    assert client.get(reverse("travail", args=[avis.pk])).status_code == 404
    assert client.get(reverse("charges:bailleur")).context["travaux"] == []
    # back with the landlord, but without the role any more: still nothing
    bailleur.membres.add(bailleur_user)
    bailleur_user.groups.clear()
    assert client.get(url).status_code == 404
    # city staff see every landlord's documents
    client.force_login(ville_user)
    assert client.get(url).status_code == 200


def test_another_user_of_the_same_landlord_does_not_get_a_colleague_s_document(
    client, bailleur, bailleur_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        travail = _demander("tests.simple", bailleur_user, bailleur=bailleur.pk, annee=2025)
    collegue = UserFactory(role="bailleur")
    bailleur.membres.add(collegue)
    client.force_login(collegue)
    assert client.get(reverse("travail_telecharger", args=[travail.pk])).status_code == 404
