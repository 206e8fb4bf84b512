"""The list of accounts: search, filter by role and status, in a fixed number of queries."""

import pytest
from django.urls import reverse

from ateliers.models import Structure
from tests.factories import BailleurFactory, CentreSocialFactory, ImmeubleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _peupler(numeros):
    """An account of every role, each with its scope, for each number."""
    for i in numeros:
        centre = CentreSocialFactory()
        benevole = UserFactory(username=f"benevole{i}", role="accueil")
        centre.membres.add(benevole)
        gardien = UserFactory(username=f"gardien{i}", role="gardien")
        for immeuble in ImmeubleFactory.create_batch(2):
            immeuble.gardiens.add(gardien)
        bailleur = BailleurFactory()
        bailleur.membres.add(UserFactory(username=f"bailleur{i}", role="bailleur"))
        UserFactory(username=f"agent{i}", role="ville", is_staff=True)
        structure = Structure.objects.create(nom=f"Association n°{i}")
        structure.membres.add(UserFactory(username=f"animateur{i}", role="animateur"))


def _logins(reponse):
    return [ligne["compte"].username for ligne in reponse.context["lignes"]]


def test_the_list_takes_the_same_number_of_queries_for_6_or_46_accounts(
    client, ville_user, django_assert_num_queries
):
    client.force_login(ville_user)
    _peupler(range(1))
    client.get(reverse("comptes:liste"))  # content types and sessions warmed up
    # session, user, its permissions (2), count, page, then one query per prefetch: groups, centres,
    # buildings with their neighbourhood, landlords, structures.
    with django_assert_num_queries(11):
        petit = client.get(reverse("comptes:liste"))
    _peupler(range(1, 9))
    with django_assert_num_queries(11):
        grand = client.get(reverse("comptes:liste"))
    assert len(petit.context["lignes"]) == 6
    assert len(grand.context["lignes"]) == 46  # 45 accounts of the roles and the city staff user
    assert "Centre social n°" in grand.content.decode()


def test_search_matches_every_word_in_login_names_or_email(client, ville_user):
    UserFactory(username="jdupont", first_name="Jeanne", last_name="Dupont", email="jeanne@exemple.org")
    UserFactory(username="pmartin", first_name="Paul", last_name="Martin")
    client.force_login(ville_user)
    assert _logins(client.get(reverse("comptes:liste"), {"q": "jeanne DUPONT"})) == ["jdupont"]
    assert _logins(client.get(reverse("comptes:liste"), {"q": "exemple.org"})) == ["jdupont"]
    assert _logins(client.get(reverse("comptes:liste"), {"q": "martin"})) == ["pmartin"]


def test_filters_by_role_and_by_status(client, ville_user):
    _peupler(range(1))
    UserFactory(username="ancien", role="accueil", is_active=False)
    UserFactory(username="orphelin")
    client.force_login(ville_user)
    assert _logins(client.get(reverse("comptes:liste"), {"role": "accueil"})) == ["ancien", "benevole0"]
    assert _logins(client.get(reverse("comptes:liste"), {"role": "accueil", "actif": "oui"})) == ["benevole0"]
    assert _logins(client.get(reverse("comptes:liste"), {"actif": "non"})) == ["ancien"]
    assert _logins(client.get(reverse("comptes:liste"), {"role": "aucun"})) == ["orphelin"]
    assert _logins(client.get(reverse("comptes:liste"), {"role": "ville"})) == ["agent-ville", "agent0"]


@pytest.mark.parametrize(
    ("parametres", "statut"),
    [
        ({"q": "x" * 5000}, 200),
        ({"q": "\x00"}, 400),  # a NUL in a query string is refused before any view (ipt.securite)
        ({"role": "\x00"}, 400),
        ({"actif": "peut-être"}, 200),
        ({"page": "٣"}, 200),
        ({"page": "9" * 40}, 200),
    ],
)
def test_odd_parameters_never_answer_500(client, ville_user, parametres, statut):
    client.force_login(ville_user)
    assert client.get(reverse("comptes:liste"), parametres).status_code == statut


def test_the_pager_keeps_the_filter_from_page_to_page(client, ville_user):
    for i in range(55):
        UserFactory(username=f"benevole{i:02d}", role="accueil")
    client.force_login(ville_user)
    html = client.get(reverse("comptes:liste"), {"role": "accueil"}).content.decode()
    assert "Page 1 / 2" in html
    assert "role=accueil" in html and "page=2" in html
    suite = client.get(reverse("comptes:liste"), {"role": "accueil", "page": 2})
    assert _logins(suite) == [f"benevole{i:02d}" for i in range(50, 55)]
    assert "Précédent" in suite.content.decode()
