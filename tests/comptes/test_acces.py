"""Who reaches the accounts pages: city staff only; other roles 403, anonymous users to the login."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES_GET = ["comptes:liste", "comptes:creer", "comptes:detail", "comptes:modifier", "comptes:lien"]
PAGES_POST = ["comptes:desactiver", "comptes:reactiver", "comptes:lien_emettre"]


def _url(nom, cible):
    return reverse(nom) if nom in ("comptes:liste", "comptes:creer") else reverse(nom, args=[cible.pk])


@pytest.mark.parametrize("user_of_role", ["accueil", "gardien", "bailleur"], indirect=True)
def test_other_roles_are_refused_every_accounts_page(client, user_of_role):
    cible = UserFactory(username="cible", role="accueil")
    client.force_login(user_of_role)
    for nom in PAGES_GET:
        assert client.get(_url(nom, cible)).status_code == 403, nom
    for nom in PAGES_POST + ["comptes:creer", "comptes:modifier"]:
        assert client.post(_url(nom, cible), {"username": "x", "role": "ville"}).status_code == 403, nom
    cible.refresh_from_db()
    assert cible.is_active and cible.username == "cible"


def test_a_user_without_role_is_refused(client):
    client.force_login(UserFactory(username="sans-role"))
    assert client.get(reverse("comptes:liste")).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client):
    cible = UserFactory(username="cible")
    for nom in PAGES_GET + PAGES_POST:
        reponse = client.get(_url(nom, cible)) if nom in PAGES_GET else client.post(_url(nom, cible))
        assert reponse.status_code == 302, nom
        assert reponse.url.startswith(reverse("login") + "?next="), nom


def test_city_staff_reach_the_pages(client, ville_user):
    cible = UserFactory(username="cible", role="accueil")
    client.force_login(ville_user)
    assert client.get(reverse("comptes:liste")).status_code == 200
    assert client.get(reverse("comptes:creer")).status_code == 200
    assert client.get(reverse("comptes:detail", args=[cible.pk])).status_code == 200
    assert client.get(reverse("comptes:modifier", args=[cible.pk])).status_code == 200
    # The printable link page without a link to show sends back to the account.
    assert client.get(reverse("comptes:lien", args=[cible.pk])).url == reverse(
        "comptes:detail", args=[cible.pk]
    )
    assert client.get(reverse("comptes:detail", args=[999999])).status_code == 404
    # Actions are POST only.
    assert client.get(reverse("comptes:desactiver", args=[cible.pk])).status_code == 405


@pytest.mark.parametrize(
    ("user_of_role", "voit"),
    [("ville", True), ("accueil", False), ("gardien", False), ("bailleur", False)],
    indirect=["user_of_role"],
)
def test_the_navigation_shows_accounts_to_city_staff_only(client, user_of_role, voit):
    client.force_login(user_of_role)
    reponse = client.get(reverse("accueil_role"), follow=True)
    entrees = [entree["libelle"] for entree in reponse.context["navigation"]]
    assert ("Comptes" in entrees) is voit
