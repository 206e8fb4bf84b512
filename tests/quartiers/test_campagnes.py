"""Campaign pages: list, timeline, public meeting, milestones; who may see and edit them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from quartiers.models import Campagne, Jalon
from tests.factories import (
    CampagneFactory,
    CentreSocialFactory,
    ImmeubleFactory,
    JalonFactory,
    QuartierFactory,
    UserFactory,
)


@pytest.fixture
def autre_campagne(db):
    """A campaign of a quartier of another centre social."""
    return CampagneFactory(quartier=QuartierFactory(centre_social=CentreSocialFactory()))


@pytest.fixture
def benevole_ailleurs(db):
    user = UserFactory(role="accueil")
    CentreSocialFactory().membres.add(user)
    return user


PAGES_LECTURE = ["campagne", "couverture"]
PAGES_VILLE = ["campagne_reunion", "jalon_ajouter"]


def test_a_volunteer_gets_404_on_a_campaign_of_another_centre(client, accueil_user, autre_campagne):
    client.force_login(accueil_user)
    for nom in PAGES_LECTURE:
        assert client.get(reverse(f"quartiers:{nom}", args=[autre_campagne.pk])).status_code == 404, nom
    immeuble = ImmeubleFactory(quartier=autre_campagne.quartier)
    url = reverse("quartiers:visites_saisie", args=[autre_campagne.pk, immeuble.pk])
    assert client.get(url).status_code == 404
    assert client.post(reverse("quartiers:plaquettes", args=[autre_campagne.pk])).status_code == 404
    assert client.post(reverse("quartiers:feuilles", args=[autre_campagne.pk])).status_code == 404


@pytest.mark.parametrize("user_of_role", ["gardien", "bailleur"], indirect=True)
def test_caretakers_and_landlord_staff_are_refused_campaign_pages(client, user_of_role, campagne, immeuble):
    client.force_login(user_of_role)
    assert client.get(reverse("quartiers:campagnes")).status_code == 403
    for nom in PAGES_LECTURE + PAGES_VILLE:
        assert client.get(reverse(f"quartiers:{nom}", args=[campagne.pk])).status_code == 403, nom
    assert client.get(reverse("quartiers:visites_saisie", args=[campagne.pk, immeuble.pk])).status_code == 403
    assert client.post(reverse("quartiers:plaquettes", args=[campagne.pk])).status_code == 403


def test_a_volunteer_sees_its_quartiers_campaigns_but_cannot_edit_them(client, accueil_user, campagne):
    client.force_login(accueil_user)
    page = client.get(reverse("quartiers:campagne", args=[campagne.pk]))
    assert page.status_code == 200
    assert reverse("quartiers:jalon_ajouter", args=[campagne.pk]) not in page.content.decode()
    for nom in PAGES_VILLE:
        assert client.get(reverse(f"quartiers:{nom}", args=[campagne.pk])).status_code == 403, nom
    reponse = client.post(
        reverse("quartiers:jalon_ajouter", args=[campagne.pk]), {"type": "vote", "date_prevue": "2026-12-01"}
    )
    assert reponse.status_code == 403
    assert campagne.jalons.count() == 2


def test_the_list_shows_each_user_the_campaigns_it_covers_in_a_fixed_number_of_queries(
    client, ville_user, accueil_user, campagne, autre_campagne, django_assert_num_queries
):
    client.force_login(accueil_user)
    html = client.get(reverse("quartiers:campagnes")).content.decode()
    assert campagne.intitule in html
    assert autre_campagne.intitule not in html

    client.force_login(ville_user)
    # session, user, user's and groups' permissions, campaigns, their milestones, their quartiers' votes,
    # dwellings per building, dwellings told per campaign and building
    with django_assert_num_queries(9):
        client.get(reverse("quartiers:campagnes"))
    html = client.get(reverse("quartiers:campagnes")).content.decode()
    assert campagne.intitule in html and autre_campagne.intitule in html
    for _ in range(5):
        JalonFactory(campagne=CampagneFactory())
    with django_assert_num_queries(9):
        client.get(reverse("quartiers:campagnes"))


def test_the_list_flags_late_milestones_and_the_next_one(client, ville_user, quartier):
    aujourd_hui = timezone.localdate()
    jours = datetime.timedelta
    campagne = CampagneFactory(quartier=quartier)
    JalonFactory(campagne=campagne, type=Jalon.Type.PARTENAIRES, date_prevue=aujourd_hui - jours(days=3))
    JalonFactory(campagne=campagne, type=Jalon.Type.REUNION, date_prevue=aujourd_hui + jours(days=9))
    client.force_login(ville_user)
    html = client.get(reverse("quartiers:campagnes")).content.decode()
    assert "1 jalon en retard" in html
    # the next milestone not done yet: the late one, before the meeting
    assert "sensibilisation des partenaires" in html


def test_the_timeline_shows_planned_and_actual_dates_and_what_is_late(client, ville_user, campagne):
    aujourd_hui = timezone.localdate()
    jours = datetime.timedelta
    JalonFactory(
        campagne=campagne,
        type=Jalon.Type.PARTENAIRES,
        date_prevue=aujourd_hui - jours(days=30),
        date_reelle=aujourd_hui - jours(days=28),
    )
    JalonFactory(campagne=campagne, type=Jalon.Type.PORTE_A_PORTE, date_prevue=aujourd_hui - jours(days=5))
    JalonFactory(
        campagne=campagne,
        type=Jalon.Type.FORMATION,
        date_prevue=aujourd_hui - jours(days=2),
        date_fin_prevue=aujourd_hui + jours(days=2),
    )
    JalonFactory(campagne=campagne, type=Jalon.Type.RETARDATAIRES, date_prevue=aujourd_hui + jours(days=300))
    client.force_login(ville_user)
    html = client.get(reverse("quartiers:campagne", args=[campagne.pk])).content.decode()
    assert "fait avec 2 jours de retard" in html
    assert "en retard de 5 jours" in html
    assert "en cours" in html
    assert "à venir" in html
    assert "Prévu :" in html and "Réel :" in html
    # planned order: the partners first, the late-comers last (in the page's content: the menu names
    # the late-comers' pages too)
    contenu = html[html.index('id="contenu"') :]
    assert (
        contenu.index("Sensibilisation des partenaires")
        < contenu.index("Porte-à-porte")
        < contenu.index("Retardataires")
    )


def test_the_campaign_page_is_fetched_in_a_fixed_number_of_queries(
    client, ville_user, campagne, immeubles, django_assert_num_queries
):
    client.force_login(ville_user)
    url = reverse("quartiers:campagne", args=[campagne.pk])
    client.get(url)
    # session, user, 2 × permissions, campaign, the vote, dwellings per building, dwellings told,
    # milestones, tariff, buildings?, documents, the buildings' choice
    with django_assert_num_queries(14):  # + the handout days (equipements)
        client.get(url)
    for numero in range(4):
        JalonFactory(campagne=campagne, date_prevue=datetime.date(2026, 10, numero + 1))
    with django_assert_num_queries(14):  # + the handout days (equipements)
        client.get(url)


def test_city_staff_record_the_public_meeting(client, ville_user, campagne):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("quartiers:campagne_reunion", args=[campagne.pk]),
        {
            "reunion_debut": "2026-11-24T18:30",
            "reunion_lieu": "Maison de quartier",
            "reunion_participants": "62",
            "reunion_compte_rendu": "Questions sur le décodeur et les charges.",
        },
    )
    assert reponse.status_code == 302
    campagne.refresh_from_db()
    assert campagne.reunion_participants == 62
    assert campagne.reunion_lieu == "Maison de quartier"
    assert timezone.localtime(campagne.reunion_debut).hour == 18
    html = client.get(reverse("quartiers:campagne", args=[campagne.pk])).content.decode()
    assert "62 personnes" in html
    assert "Questions sur le décodeur et les charges." in html
    assert "mardi 24\xa0novembre 2026 à 18\xa0h\xa030" in html  # French typography, no-break spaces


def test_city_staff_add_edit_and_delete_a_milestone(client, ville_user, campagne):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("quartiers:jalon_ajouter", args=[campagne.pk]),
        {"type": "remise_decodeurs", "date_prevue": "2027-02-26", "note": "Salle polyvalente"},
    )
    assert reponse.status_code == 302
    jalon = campagne.jalons.get(type=Jalon.Type.REMISE_DECODEURS)
    assert jalon.date_prevue == datetime.date(2027, 2, 26)

    reponse = client.post(
        reverse("quartiers:jalon_modifier", args=[jalon.pk]),
        {"type": "remise_decodeurs", "date_prevue": "2027-02-26", "date_reelle": "2027-02-27", "note": ""},
    )
    assert reponse.status_code == 302
    jalon.refresh_from_db()
    assert jalon.date_reelle == datetime.date(2027, 2, 27)

    assert client.post(reverse("quartiers:jalon_supprimer", args=[jalon.pk])).status_code == 302
    assert not Jalon.objects.filter(pk=jalon.pk).exists()


def test_a_milestone_ending_before_it_starts_is_refused_in_french(client, ville_user, campagne):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("quartiers:jalon_ajouter", args=[campagne.pk]),
        {"type": "vote", "date_prevue": "2026-12-18", "date_fin_prevue": "2026-12-14"},
    )
    assert reponse.status_code == 200
    assert "La date de fin prévue ne peut pas précéder la date prévue." in reponse.content.decode()
    assert campagne.jalons.count() == 2


def test_city_staff_create_a_campaign(client, ville_user, quartier):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("quartiers:campagne_creer"), {"quartier": quartier.pk, "intitule": "Campagne 2027"}
    )
    campagne = Campagne.objects.get(intitule="Campagne 2027")
    assert reponse.headers["Location"] == campagne.get_absolute_url()
    assert campagne.quartier == quartier


def test_the_dashboard_links_to_the_campaigns(client, ville_user):
    client.force_login(ville_user)
    html = client.get(reverse("quartiers:tableau_de_bord")).content.decode()
    assert reverse("quartiers:campagnes") in html
