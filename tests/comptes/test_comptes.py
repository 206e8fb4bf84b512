"""Create, change, deactivate and reactivate accounts: role, scope, French validation, audit trail."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse

from ipt.models import Evenement
from ipt.perimetre import immeubles_couverts, quartiers_couverts
from tests.comptes.conftest import compte, donnees, evenements
from tests.factories import (
    BailleurFactory,
    CentreSocialFactory,
    ImmeubleFactory,
    QuartierFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def staff(client, ville_user):
    client.force_login(ville_user)
    return client


def _creer(client, **champs):
    return client.post(reverse("comptes:creer"), donnees(**champs))


def _rien_ecrit(nombre_comptes):
    assert User.objects.count() == nombre_comptes
    assert not Evenement.objects.filter(action__startswith="comptes.").exists()


def test_city_staff_create_a_volunteer_of_a_centre_who_then_covers_its_neighbourhoods(staff, ville_user):
    centre = CentreSocialFactory(nom="Centre social Horizons")
    quartier = QuartierFactory(centre_social=centre)
    QuartierFactory()  # another centre's

    reponse = _creer(staff, centres=[centre.pk], email="nina@exemple.org")

    nouvelle = compte("nouvelle")
    assert reponse.status_code == 302
    assert list(nouvelle.groups.values_list("name", flat=True)) == ["accueil"]
    assert list(nouvelle.centres_sociaux.all()) == [centre]
    assert not nouvelle.is_staff and nouvelle.is_active and not nouvelle.has_usable_password()
    assert list(quartiers_couverts(nouvelle)) == [quartier]
    (entree,) = evenements("comptes.creer")
    assert entree.par == ville_user and entree.objet_id == str(nouvelle.pk)
    assert entree.details == {
        "identifiant": "nouvelle",
        "role": "accueil",
        "perimetre": ["Centre social Horizons"],
        "actif": True,
        "admin": False,
    }


def test_a_city_staff_account_gets_the_administration(staff):
    _creer(staff, username="agent2", role="ville")
    assert compte("agent2").is_staff
    assert evenements("comptes.creer")[0].details["admin"] is True


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("accueil", "Un bénévole d’accueil a besoin de son centre social."),
        ("gardien", "Un gardien a besoin d’au moins un immeuble."),
        ("bailleur", "Un membre du personnel d’un bailleur a besoin de son bailleur."),
    ],
)
def test_a_scoped_role_without_its_scope_is_refused_in_french_and_nothing_is_written(staff, role, message):
    ImmeubleFactory(quartier=QuartierFactory())  # a centre, a building and a landlord to choose from
    avant = User.objects.count()
    reponse = _creer(staff, role=role)
    assert reponse.status_code == 400
    assert message in reponse.content.decode()
    _rien_ecrit(avant)


def test_a_caretaker_gets_the_buildings_chosen_and_a_landlord_user_their_landlord(staff):
    immeubles = ImmeubleFactory.create_batch(3)
    bailleur = BailleurFactory()
    _creer(staff, username="gardienne", role="gardien", immeubles=[immeubles[0].pk, immeubles[2].pk])
    _creer(staff, username="gestion", role="bailleur", bailleur=bailleur.pk)
    assert set(immeubles_couverts(compte("gardienne"))) == {immeubles[0], immeubles[2]}
    assert list(compte("gestion").bailleurs.all()) == [bailleur]
    assert list(compte("gestion").groups.values_list("name", flat=True)) == ["bailleur"]


def test_the_scope_of_another_role_is_ignored(staff):
    centre = CentreSocialFactory()
    immeuble = ImmeubleFactory()
    _creer(staff, username="gardienne", role="gardien", immeubles=[immeuble.pk], centres=[centre.pk])
    assert not compte("gardienne").centres_sociaux.exists()


@pytest.mark.parametrize("username", ["Benevole", "BENEVOLE", "benevole"])
def test_a_username_is_unique_whatever_its_case(staff, accueil_user, centre, username):
    avant = User.objects.count()
    reponse = _creer(staff, username=username, centres=[centre.pk])
    assert reponse.status_code == 400
    assert "Cet identifiant est déjà pris" in reponse.content.decode()
    _rien_ecrit(avant)


def test_the_database_refuses_two_logins_differing_only_by_case(db):
    UserFactory(username="Camille")
    with pytest.raises(IntegrityError):
        User.objects.create(username="camille")


@pytest.mark.parametrize("email", ["pas-une-adresse", "a@b", "x" * 300 + "@exemple.org"])
def test_an_invalid_email_is_refused(staff, centre, email):
    avant = User.objects.count()
    reponse = _creer(staff, centres=[centre.pk], email=email)
    assert reponse.status_code == 400
    _rien_ecrit(avant)


@pytest.mark.parametrize("username", ["", "a b", "x" * 151, "nul\x00", "<script>"])
def test_an_invalid_username_is_refused(staff, centre, username):
    avant = User.objects.count()
    assert _creer(staff, username=username, centres=[centre.pk]).status_code == 400
    _rien_ecrit(avant)


def test_changing_the_role_moves_the_scope_and_the_administration_and_is_recorded(staff, ville_user, centre):
    agent = UserFactory(username="agent2", role="ville", is_staff=True)
    immeuble = ImmeubleFactory(adresse="3 rue des Mouettes")

    reponse = staff.post(
        reverse("comptes:modifier", args=[agent.pk]),
        donnees(username="agent2", role="gardien", immeubles=[immeuble.pk], email="agent2@exemple.org"),
    )

    assert reponse.status_code == 302
    agent.refresh_from_db()
    assert list(agent.groups.values_list("name", flat=True)) == ["gardien"]
    assert not agent.is_staff
    assert list(agent.immeubles_gardes.all()) == [immeuble]
    (entree,) = evenements("comptes.modifier")
    assert entree.par == ville_user
    assert entree.details["modifications"] == {
        "role": {"avant": "ville", "apres": "gardien"},
        "perimetre": {"avant": [], "apres": ["3 rue des Mouettes"]},
        "admin": {"avant": True, "apres": False},
    }
    # Names and email changed: said, not copied into the trail.
    assert sorted(entree.details["champs_modifies"]) == ["email", "first_name", "last_name"]
    assert "agent2@exemple.org" not in str(entree.details)

    # A volunteer now: the buildings go, the centre comes.
    staff.post(reverse("comptes:modifier", args=[agent.pk]), donnees(username="agent2", centres=[centre.pk]))
    assert not agent.immeubles_gardes.exists()
    assert list(agent.centres_sociaux.all()) == [centre]


def test_saving_an_unchanged_account_records_nothing(staff, accueil_user, centre):
    reponse = staff.post(
        reverse("comptes:modifier", args=[accueil_user.pk]),
        donnees(
            username=accueil_user.username,
            first_name=accueil_user.first_name,
            last_name=accueil_user.last_name,
            centres=[centre.pk],
        ),
    )
    assert reponse.status_code == 302
    assert not evenements("comptes.modifier")


def test_the_form_shows_the_current_role_and_scope(staff, gardien_user, immeuble):
    form = staff.get(reverse("comptes:modifier", args=[gardien_user.pk])).context["form"]
    assert form.initial["role"] == "gardien"
    assert list(form.initial["immeubles"]) == [immeuble]


def test_a_user_cannot_remove_their_own_city_staff_role(staff, ville_user, centre):
    reponse = staff.post(
        reverse("comptes:modifier", args=[ville_user.pk]),
        donnees(username=ville_user.username, centres=[centre.pk]),
    )
    assert reponse.status_code == 400
    assert "Vous ne pouvez pas retirer votre propre rôle" in reponse.content.decode()
    assert ville_user.groups.filter(name="ville").exists()
    assert not evenements("comptes.modifier")


def test_a_user_cannot_deactivate_themselves(staff, ville_user):
    reponse = staff.post(reverse("comptes:desactiver", args=[ville_user.pk]), follow=True)
    assert "Vous ne pouvez pas désactiver votre propre compte" in reponse.content.decode()
    ville_user.refresh_from_db()
    assert ville_user.is_active
    assert not evenements("comptes.desactiver")


def test_city_staff_cannot_change_a_superuser(staff):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    staff.post(reverse("comptes:desactiver", args=[admin.pk]))
    reponse = staff.post(reverse("comptes:modifier", args=[admin.pk]), donnees(username="root", role="ville"))
    assert reponse.status_code == 400
    admin.refresh_from_db()
    assert admin.is_active and not admin.groups.exists()


def test_deactivation_keeps_the_account_and_its_trail_and_ends_its_sessions(
    client, ville_user, accueil_user, connecter
):
    benevole = client.__class__()
    benevole.force_login(accueil_user)
    assert benevole.get(reverse("logements:accueil")).status_code == 200

    client.force_login(ville_user)
    client.post(reverse("comptes:desactiver", args=[accueil_user.pk]))

    accueil_user.refresh_from_db()
    assert not accueil_user.is_active
    (entree,) = evenements("comptes.desactiver")
    assert entree.details["modifications"] == {"actif": {"avant": True, "apres": False}}
    assert entree.details["role"] == "accueil"
    # Its open session no longer works, nor does its password.
    assert benevole.get(reverse("logements:accueil")).status_code == 302
    client.logout()
    reponse = connecter("benevole", "mot-de-passe-test")
    assert reponse.status_code == 200 and not reponse.wsgi_request.user.is_authenticated

    client.force_login(ville_user)
    client.post(reverse("comptes:reactiver", args=[accueil_user.pk]))
    accueil_user.refresh_from_db()
    assert accueil_user.is_active
    assert evenements("comptes.reactiver")[0].details["modifications"]["actif"] == {
        "avant": False,
        "apres": True,
    }


def test_no_audit_entry_holds_a_password_or_a_token(staff, centre):
    _creer(staff, centres=[centre.pk])
    nouvelle = compte("nouvelle")
    staff.post(reverse("comptes:lien_emettre", args=[nouvelle.pk]))
    lien = staff.get(reverse("comptes:lien", args=[nouvelle.pk])).context["url"]
    jeton = lien.rstrip("/").rsplit("/", 1)[1]
    for entree in Evenement.objects.filter(action__startswith="comptes."):
        texte = f"{entree.message} {entree.details}"
        assert jeton not in texte and nouvelle.password not in texte


@pytest.mark.parametrize(
    "champs",
    [
        {"centres": ["9" * 40]},
        {"centres": ["\x00"]},
        {"centres": ["٣"]},
        {"role": "gardien", "immeubles": ["-1", "abc"]},
        {"role": "bailleur", "bailleur": "9" * 30},
        {"role": "\x00"},
        {"role": "animateur"},
        {"first_name": "x" * 5000},
        {"email": "nina@exemple.org\x00"},
    ],
)
def test_odd_input_is_refused_without_500_and_writes_nothing(staff, champs):
    avant = User.objects.count()
    assert _creer(staff, **champs).status_code == 400
    _rien_ecrit(avant)
