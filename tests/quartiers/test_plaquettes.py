"""Leaflets: the text read back from the PDF, one page per building, made by a background job."""

import pytest
from django.urls import reverse

import quartiers.pdf
from ipt.models import Travail
from quartiers import pdf
from quartiers.models import Jalon
from quartiers.services import NATURE_PLAQUETTES
from tests.factories import UserFactory
from tests.pdf import pdf_pages, pdf_texte


def test_the_leaflet_states_the_offer_the_dates_and_how_to_vote(campagne, immeubles):
    texte = pdf_texte(pdf.plaquettes_pdf(campagne), layout=False)
    # the offer, in plain French, with the amount formatted by Django's localisation
    assert "1,18 € par mois et par logement" in texte
    assert "facturé à tous les logements du quartier, avec les charges locatives" in texte
    assert "que le foyer se connecte ou non" in texte
    assert "décodeur" in texte
    assert "ordinateurs reconditionnés à 40 € ou 70 €" in texte
    assert "ateliers gratuits" in texte and "permanences" in texte
    # the public meeting (the milestone's date, the record's time and place) and the vote
    assert "jeudi 1er décembre" not in texte
    assert "mardi 24 novembre 2026 à 18 h 30" in texte
    assert "Salle Jean-Moulin, place de Kerourien" in texte
    assert "Du lundi 14 décembre 2026 au vendredi 18 décembre 2026" in texte
    # how to vote, and the centre social
    assert "Un bulletin par logement." in texte
    assert "Centre social Les Amarres" in texte
    assert "12 rue de Kerourien, 29200 Brest" in texte
    assert "du lundi au vendredi, 9 h – 12 h et 14 h – 18 h" in texte
    assert "02 98 00 00 00" in texte


def test_one_leaflet_page_per_building_each_naming_its_caretaker_and_ballot_drop(
    campagne, immeubles, monkeypatch
):
    rendus = []
    rendre = quartiers.pdf.render_document

    def compter(gabarit, contexte):
        rendus.append(contexte["immeuble"].pk)
        return rendre(gabarit, contexte)

    monkeypatch.setattr(quartiers.pdf, "render_document", compter)
    pages = pdf_pages(pdf.plaquettes_pdf(campagne), layout=False)
    # 3 buildings of 4 dwellings: rendered 3 times, not 12
    assert rendus == [imm.pk for imm in immeubles]
    assert len(pages) == 3
    for numero, page in enumerate(pages, start=1):
        assert f"Remettez votre bulletin à votre gardien : Yann Le Gall{numero}." in page
        assert f"Où le déposer dans votre immeuble : Loge du gardien, bâtiment {numero}." in page
        assert f"{numero} rue Anatole-France" in page
        assert "1,18 €" in page
        assert "1/1" in page  # the footer's page number


def test_a_building_with_two_caretakers_names_both(campagne, immeubles):
    immeubles[0].gardiens.add(UserFactory(first_name="Maïwenn", last_name="Le Bihan", role="gardien"))
    page = pdf_pages(pdf.plaquettes_pdf(campagne), layout=False)[0]
    assert "Maïwenn Le Bihan et Yann Le Gall1" in page


def test_a_one_day_vote_without_caretaker_still_says_how_to_vote(campagne, immeubles):
    campagne.jalons.filter(type=Jalon.Type.VOTE).update(date_fin_prevue=None)
    immeubles[0].gardiens.clear()
    page = pdf_pages(pdf.plaquettes_pdf(campagne), layout=False)[0]
    assert "Le lundi 14 décembre 2026" in page
    assert "Remettez votre bulletin au gardien de votre immeuble." in page


def test_city_staff_make_the_leaflets_by_a_job_and_download_them(
    client, ville_user, campagne, immeubles, django_capture_on_commit_callbacks
):
    client.force_login(ville_user)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("quartiers:plaquettes", args=[campagne.pk]))
    assert reponse.status_code == 302
    assert reponse.headers["Location"].endswith("#documents")
    travail = Travail.objects.get(nature=NATURE_PLAQUETTES)
    assert travail.statut == Travail.Statut.TERMINE
    assert (travail.fait, travail.total) == (3, 3)  # progress counted per building
    assert travail.parametres == {"campagne": campagne.pk, "quartier": campagne.quartier_id}
    assert travail.demandeur == ville_user

    page = client.get(reverse("quartiers:campagne", args=[campagne.pk])).content.decode()
    assert "Plaquettes, une par immeuble" in page
    assert reverse("travail_telecharger", args=[travail.pk]) in page

    telechargement = client.get(reverse("travail_telecharger", args=[travail.pk]))
    contenu = b"".join(telechargement.streaming_content)
    assert len(pdf_pages(contenu)) == 3
    assert "Yann Le Gall2" in pdf_texte(contenu)


def test_a_volunteer_of_the_quartier_makes_and_downloads_the_leaflets(
    client, accueil_user, campagne, immeubles, django_capture_on_commit_callbacks
):
    client.force_login(accueil_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quartiers:plaquettes", args=[campagne.pk]))
    travail = Travail.objects.get(nature=NATURE_PLAQUETTES)
    assert client.get(reverse("travail_telecharger", args=[travail.pk])).status_code == 200


def test_leaflets_without_the_vote_dates_are_refused_with_a_french_message(
    client, ville_user, campagne, immeubles, django_capture_on_commit_callbacks
):
    campagne.jalons.filter(type=Jalon.Type.VOTE).delete()
    client.force_login(ville_user)
    page = client.get(reverse("quartiers:campagne", args=[campagne.pk])).content.decode()
    assert "Les plaquettes ne peuvent pas encore être produites." in page
    assert "les dates du vote" in page
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("quartiers:plaquettes", args=[campagne.pk]), follow=True)
    assert not Travail.objects.exists()
    assert "ajoutez le jalon « vote des locataires »" in reponse.content.decode()


def test_the_leaflet_job_fails_clearly_when_the_campaign_lost_its_meeting(
    ville_user, campagne, immeubles, django_capture_on_commit_callbacks
):
    from quartiers.services import plaquettes_demander

    with django_capture_on_commit_callbacks(execute=False) as rappels:
        travail = plaquettes_demander(campagne=campagne, demandeur=ville_user)
    campagne.jalons.filter(type=Jalon.Type.REUNION).delete()
    campagne.reunion_debut = None
    campagne.save()
    for rappel in rappels:
        rappel()
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.ECHEC
    assert "la date de la réunion publique" in travail.message


@pytest.mark.parametrize("user_of_role", ["gardien", "bailleur"], indirect=True)
def test_caretakers_and_landlords_cannot_start_leaflets(client, user_of_role, campagne):
    client.force_login(user_of_role)
    assert client.post(reverse("quartiers:plaquettes", args=[campagne.pk])).status_code == 403
    assert not Travail.objects.exists()
