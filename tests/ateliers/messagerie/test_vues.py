"""The pages: the staff's list of messages (filters, failures, queries pinned), a person's contact and
consent at the desk, and the household page's messages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.messagerie import message_creer, messages_envoyer
from ateliers.models import Consentement, PreferenceContact
from ipt.models import Evenement
from tests.ateliers.messagerie.conftest import joignable
from tests.factories import FoyerFactory, ImmeubleFactory, LogementFactory

pytestmark = pytest.mark.django_db


def _envoye(personne, cle, seance=None):
    message, _ = message_creer(personne, objet=f"Objet {cle}", texte="Texte", cle=cle, seance=seance)
    messages_envoyer([message.pk])
    message.refresh_from_db()
    return message


@pytest.fixture
def quelques_messages(console, creer_seance):
    seance = creer_seance(timezone.now() + datetime.timedelta(days=1))
    ok = [_envoye(joignable("sms"), f"sms-{n}", seance) for n in range(3)]
    ok.append(_envoye(joignable("courriel"), "courriel-1"))
    echec = _envoye(joignable(), "sans-consentement", seance)
    return seance, ok, echec


def test_staff_see_the_messages_and_the_failures_with_their_error(client, ville_user, quelques_messages):
    seance, ok, echec = quelques_messages
    client.force_login(ville_user)
    page = client.get(reverse("ateliers:messages")).content.decode()
    assert "5 messages" in page
    assert "1 message n’a pas pu être envoyé." in page
    assert "Aucun consentement enregistré" in page
    assert f'id="message-{echec.pk}" class="table-danger"' in page


@pytest.mark.parametrize(
    ("filtres", "attendus"),
    [
        ({"statut": "echec"}, {"sans-consentement"}),
        ({"canal": "courriel"}, {"courriel-1"}),
        ({"canal": "sms", "statut": "envoye"}, {"sms-0", "sms-1", "sms-2"}),
    ],
)
def test_the_list_filters_by_status_and_channel(client, ville_user, quelques_messages, filtres, attendus):
    client.force_login(ville_user)
    reponse = client.get(reverse("ateliers:messages"), filtres)
    assert {m.cle for m in reponse.context["page"]} == attendus


def test_the_list_filters_by_session(client, ville_user, quelques_messages):
    seance, ok, echec = quelques_messages
    client.force_login(ville_user)
    reponse = client.get(reverse("ateliers:messages"), {"seance": seance.pk})
    assert {m.cle for m in reponse.context["page"]} == {"sms-0", "sms-1", "sms-2", "sans-consentement"}


def test_the_list_is_read_in_a_fixed_number_of_queries(
    client, ville_user, quelques_messages, django_assert_num_queries
):
    client.force_login(ville_user)
    client.get(reverse("ateliers:messages"))
    # session, user, roles, sessions of the filter, count, page, failures, letters (and the navigation)
    with django_assert_num_queries(9):
        client.get(reverse("ateliers:messages"), {"canal": "sms"})
    for n in range(10):
        _envoye(joignable("sms"), f"plus-{n}")
    with django_assert_num_queries(9):
        client.get(reverse("ateliers:messages"), {"canal": "sms"})


def test_a_volunteer_sees_only_the_messages_of_their_centres_people(client, accueil_user, quartier, console):
    ici = joignable(
        "sms", foyer=FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory(quartier=quartier)))
    )
    _envoye(ici, "ici")
    _envoye(joignable("sms"), "ailleurs")
    client.force_login(accueil_user)
    assert {m.cle for m in client.get(reverse("ateliers:messages")).context["page"]} == {"ici"}


def test_a_failed_message_is_tried_again_from_the_list(
    client, ville_user, console, django_capture_on_commit_callbacks
):
    personne = joignable()
    echec = _envoye(personne, "rappel-x")
    Consentement.objects.create(personne=personne, canal="sms", donne_le=timezone.now())
    client.force_login(ville_user)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("ateliers:message_relancer", args=[echec.pk]), {"retour": "https://ailleurs.example/"}
        )
    assert reponse.url == reverse("ateliers:messages")  # never back to another site
    echec.refresh_from_db()
    assert echec.statut == "envoye" and console.nombre() == 1


def test_the_desk_records_the_chosen_channel_and_consents_with_date_and_who(client, accueil_user, quartier):
    personne = joignable(
        foyer=FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory(quartier=quartier)))
    )
    client.force_login(accueil_user)
    url = reverse("ateliers:contact", args=[personne.pk])
    reponse = client.post(url, {"canal": "sms", "consent_sms": "on", "consent_courrier": "on"})
    assert reponse.url == reverse("logements:foyer", args=[personne.foyer_id]) + "#messages"
    assert PreferenceContact.objects.get(personne=personne).canal == "sms"
    en_vigueur = {c.canal: c for c in Consentement.objects.en_vigueur().filter(personne=personne)}
    assert set(en_vigueur) == {"sms", "courrier"}
    assert en_vigueur["sms"].donne_par == accueil_user and en_vigueur["sms"].donne_le is not None

    client.post(url, {"canal": "sms", "consent_sms": "on"})  # the letter consent is withdrawn
    retire = Consentement.objects.get(personne=personne, canal="courrier")
    assert retire.retire_le is not None and retire.retire_par == accueil_user
    assert Evenement.objects.filter(action="ateliers.contact").count() == 2

    page = client.get(reverse("logements:foyer", args=[personne.foyer_id])).content.decode()
    assert "préfère : SMS" in page and "SMS : accord le" in page


def test_the_desk_form_refuses_a_channel_without_consent_or_without_its_detail(
    client, accueil_user, quartier
):
    personne = joignable(
        telephone="",
        foyer=FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory(quartier=quartier))),
    )
    client.force_login(accueil_user)
    url = reverse("ateliers:contact", args=[personne.pk])
    page = client.post(url, {"canal": "courriel", "consent_sms": "on"}).content.decode()
    assert "Cochez l’accord de la personne pour le moyen choisi" in page
    page = client.post(url, {"canal": "sms", "consent_sms": "on"}).content.decode()
    assert "Saisissez d’abord le téléphone portable" in page
    assert not Consentement.objects.filter(personne=personne).exists()


def test_the_household_page_shows_each_occupants_messages(client, accueil_user, quartier, console):
    personne = joignable(
        "sms", foyer=FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory(quartier=quartier)))
    )
    _envoye(personne, "rappel-1")
    client.force_login(accueil_user)
    page = client.get(reverse("logements:foyer", args=[personne.foyer_id])).content.decode()
    assert "Rappels et avis" in page and "Objet rappel-1" in page and "envoyé" in page
