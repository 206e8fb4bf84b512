"""``prevenir``, the one entry point: recorded once by key, sent after the caller's transaction commits, by
the channel the person chose and consented to, or not at all."""

import pytest
from django.db import transaction

from ateliers.avis import prevenir
from ateliers.models import Consentement, Message
from ipt.models import Evenement
from tests.ateliers.messagerie.conftest import joignable

pytestmark = pytest.mark.django_db


def _prevenir(personne, cle="avis:promotion:1", **options):
    return prevenir(
        personne, objet="Place obtenue", texte="Une place s’est libérée pour vous.", cle=cle, **options
    )


def test_a_notice_is_sent_once_the_transaction_commits_and_never_twice(
    console, django_capture_on_commit_callbacks
):
    personne = joignable("sms")
    with django_capture_on_commit_callbacks(execute=True):
        message = _prevenir(personne)
        assert message.statut == "en_attente" and console.nombre() == 0  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        _prevenir(personne)  # the same notice again: nothing more

    assert console.nombre() == 1
    message.refresh_from_db()
    assert (message.statut, message.canal) == ("envoye", "sms")
    assert Evenement.objects.filter(action="ateliers.avis").count() == 1


def test_a_notice_in_a_transaction_rolled_back_is_neither_recorded_nor_sent(
    console, django_capture_on_commit_callbacks
):
    personne = joignable("sms")

    class Abandon(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Abandon), transaction.atomic():
        _prevenir(personne)
        raise Abandon

    assert Message.objects.count() == 0 and console.nombre() == 0


def test_without_a_consent_in_force_nothing_is_sent(console, django_capture_on_commit_callbacks):
    personne = joignable("sms")
    Consentement.objects.filter(personne=personne).update(retire_le=Consentement.objects.get().donne_le)
    with django_capture_on_commit_callbacks(execute=True):
        message = _prevenir(personne)

    message.refresh_from_db()
    assert message.statut == "echec" and "consentement" in message.erreur
    assert console.nombre() == 0


def test_the_chosen_channel_without_its_detail_falls_back_to_another_consented_one(
    console, django_capture_on_commit_callbacks
):
    personne = joignable("courriel", "sms", email="")
    with django_capture_on_commit_callbacks(execute=True):
        message = _prevenir(personne)
    message.refresh_from_db()
    assert (message.statut, message.canal, message.destination) == ("envoye", "sms", personne.telephone)


def test_a_person_with_neither_phone_nor_email_gets_a_letter_to_print(
    console, django_capture_on_commit_callbacks
):
    personne = joignable("courrier", telephone="", email="")
    with django_capture_on_commit_callbacks(execute=True):
        message = _prevenir(personne)
    message.refresh_from_db()
    assert (message.statut, message.canal) == ("en_attente", "courrier")
    assert message.destination.splitlines()[0] == f"{personne.prenom} {personne.nom}"
    assert console.nombre() == 0


def test_a_channel_asked_for_is_used_only_with_its_consent(console, django_capture_on_commit_callbacks):
    consent_courrier = joignable("sms", "courrier")
    sans_courrier = joignable("sms")
    with django_capture_on_commit_callbacks(execute=True):
        lettre = _prevenir(consent_courrier, cle="invitation:1", canal="courrier")
        refus = _prevenir(sans_courrier, cle="invitation:2", canal="courrier")
    lettre.refresh_from_db()
    refus.refresh_from_db()
    assert (lettre.canal, lettre.statut) == ("courrier", "en_attente")
    assert refus.statut == "echec" and console.nombre() == 0
