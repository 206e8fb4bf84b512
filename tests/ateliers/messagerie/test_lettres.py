"""The batch of letters: a background PDF job, one page per letter with the window-envelope address, read
back; each letter in one batch only, and a volunteer prints only their centre's."""

import pytest
from django.urls import reverse

from ateliers.messagerie import message_creer, messages_envoyer
from ateliers.models import Message
from ipt.models import Travail
from tests.ateliers.messagerie.conftest import joignable
from tests.factories import (
    CentreSocialFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    QuartierFactory,
)
from tests.pdf import pdf_texte

pytestmark = pytest.mark.django_db


def _lettre(personne, cle):
    message, _ = message_creer(
        personne, objet="Atelier annulé", texte="L’atelier du 10 décembre est annulé.", cle=cle
    )
    messages_envoyer([message.pk])
    message.refresh_from_db()
    assert message.canal == "courrier"
    return message


def test_the_letters_waiting_are_printed_in_one_pdf_and_counted_sent(
    client, ville_user, console, django_capture_on_commit_callbacks
):
    yann = joignable("courrier", prenom="Yann", telephone="", email="")
    lettre = _lettre(yann, "avis:annulation:1")
    client.force_login(ville_user)
    assert "Imprimer le 1 courrier en attente" in client.get(reverse("ateliers:messages")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("ateliers:lettres_imprimer"))
    travail = Travail.objects.get(nature="ateliers.lettres")
    assert reponse.url.startswith(reverse("travail", args=[travail.pk]))
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.TERMINE, travail.message
    texte = pdf_texte(travail.fichier.read())
    assert f"Yann {yann.nom}" in texte
    assert yann.foyer.logement.immeuble.adresse.split(",")[0] in texte
    assert "Atelier annulé" in texte and "est annulé" in texte

    lettre.refresh_from_db()
    assert (lettre.statut, lettre.lot_id) == ("envoye", travail.pk)
    reponse = client.post(reverse("ateliers:lettres_imprimer"), follow=True)
    assert "Aucun courrier n’attend d’être imprimé." in reponse.content.decode()


def test_a_volunteer_prints_only_the_letters_of_their_centre(
    client, accueil_user, quartier, console, django_capture_on_commit_callbacks
):
    ici = joignable(
        "courrier",
        telephone="",
        email="",
        foyer=FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory(quartier=quartier))),
    )
    ailleurs_quartier = QuartierFactory(
        nom="Bellevue", centre_social=CentreSocialFactory(nom="Centre de Bellevue")
    )
    ailleurs = joignable(
        "courrier",
        telephone="",
        email="",
        foyer=FoyerFactory(logement=LogementFactory(immeuble=ImmeubleFactory(quartier=ailleurs_quartier))),
    )
    _lettre(ici, "a")
    _lettre(ailleurs, "b")
    client.force_login(accueil_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ateliers:lettres_imprimer"))

    assert Message.objects.get(cle="a").statut == "envoye"
    assert Message.objects.get(cle="b").statut == "en_attente"
