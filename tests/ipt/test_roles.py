import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory

HOMES = {
    "ville": "/pilotage/",
    "accueil": "/accueil/",
    "gardien": "/votes/gardien/",
    "bailleur": "/charges/bailleur/",
    "animateur": "/ateliers/animateur/",
}
ROLES = list(HOMES)


def test_the_five_role_groups_exist_with_their_permission(db):
    expected = {
        "ville": "piloter_programme",
        "accueil": "tenir_accueil",
        "gardien": "saisir_bulletins",
        "bailleur": "consulter_releves",
        "animateur": "animer_ateliers",
    }
    for name, codename in expected.items():
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename=codename).exists()


def test_caretakers_write_only_ballots_and_landlords_nothing(db):
    def writes(name):
        codenames = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        return {c for c in codenames if c.startswith(("add_", "change_", "delete_"))}

    assert writes("gardien") == {"add_bulletin"}
    assert writes("bailleur") == set()
    assert writes("animateur") == set()


@pytest.mark.parametrize("user_of_role", ROLES, indirect=True)
def test_each_role_logs_in_on_the_login_page_and_lands_on_its_home(client, user_of_role):
    response = client.post(
        reverse("login"),
        {"username": user_of_role.username, "password": "mot-de-passe-test"},
        follow=True,
        REMOTE_ADDR="192.0.2.10",
    )
    role = user_of_role.groups.get().name
    assert response.redirect_chain[-1][0] == HOMES[role]
    assert response.status_code == 200


@pytest.mark.parametrize("user_of_role", ROLES, indirect=True)
def test_navigation_shows_only_what_the_role_may_open(client, user_of_role):
    client.force_login(user_of_role)
    role = user_of_role.groups.get().name
    html = client.get(HOMES[role]).content.decode()
    for other, url in HOMES.items():
        link = f'href="{url}"'
        if other == role:
            assert link in html
        elif role != "ville" or other in ("gardien", "bailleur", "animateur"):
            assert link not in html, f"{role} sees a link to {other}"


@pytest.mark.parametrize("user_of_role", ["accueil", "gardien", "bailleur", "animateur"], indirect=True)
def test_a_role_is_refused_the_pages_of_the_other_roles(client, user_of_role):
    client.force_login(user_of_role)
    role = user_of_role.groups.get().name
    for other, url in HOMES.items():
        if other != role:
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert "Accès refusé" in response.content.decode()


@pytest.mark.parametrize("user_of_role", ["accueil", "gardien", "bailleur", "animateur"], indirect=True)
def test_only_city_staff_reach_the_admin(client, user_of_role):
    client.force_login(user_of_role)
    assert client.get("/admin/").status_code == 302


def test_city_staff_reach_the_admin(client, ville_user):
    client.force_login(ville_user)
    assert client.get("/admin/quartiers/quartier/").status_code == 200


def test_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/accueil/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/accueil/")


def test_login_page_is_in_french(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="fr">' in html
    assert "Se connecter" in html
    assert "Nom d’utilisateur" in html or "Nom d'utilisateur" in html


def test_a_user_without_role_is_told_so(client, db):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 403
    assert "pas encore de rôle" in response.content.decode()


def test_a_session_lasts_a_working_day_and_ends_with_the_browser(client, accueil_user):
    client.post(
        reverse("login"), {"username": "benevole", "password": "mot-de-passe-test"}, REMOTE_ADDR="192.0.2.1"
    )
    assert client.session.get_expiry_age() == 10 * 3600
    assert client.session.get_expire_at_browser_close()
    cookie = client.cookies["sessionid"]
    assert not cookie["expires"] and not cookie["max-age"]


def test_the_admin_stays_closed_to_a_volunteer_given_the_staff_flag(client, accueil_user):
    accueil_user.is_staff = True
    accueil_user.save()
    client.force_login(accueil_user)
    response = client.get("/admin/logements/foyer/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
