import pytest

from ipt.perimetre import bailleurs_couverts, immeubles_couverts, quartiers_couverts, restreindre
from logements.models import Immeuble, Logement
from quartiers.models import Quartier
from tests.factories import BailleurFactory, ImmeubleFactory, LogementFactory, QuartierFactory, UserFactory


def test_city_staff_cover_every_quartier_building_and_landlord(ville_user, immeuble):
    other = ImmeubleFactory()
    assert set(immeubles_couverts(ville_user)) == {immeuble, other}
    assert set(quartiers_couverts(ville_user)) == {immeuble.quartier, other.quartier}
    assert set(bailleurs_couverts(ville_user)) == {immeuble.bailleur, other.bailleur}


def test_a_volunteer_covers_the_quartiers_of_their_centre_only(accueil_user, quartier, immeuble):
    second = QuartierFactory(centre_social=quartier.centre_social)
    ImmeubleFactory(quartier=second)
    ImmeubleFactory(quartier=second)  # two buildings: the quartier must still come once
    elsewhere = ImmeubleFactory()
    assert list(quartiers_couverts(accueil_user).order_by("pk")) == [quartier, second]
    assert elsewhere not in immeubles_couverts(accueil_user)
    assert immeuble in immeubles_couverts(accueil_user)
    assert not bailleurs_couverts(accueil_user).exists()


def test_a_caretaker_covers_their_buildings_only(gardien_user, immeuble):
    neighbour = ImmeubleFactory(quartier=immeuble.quartier)
    assert list(immeubles_couverts(gardien_user)) == [immeuble]
    assert neighbour not in immeubles_couverts(gardien_user)
    assert list(quartiers_couverts(gardien_user)) == [immeuble.quartier]


def test_landlord_staff_cover_their_landlord_only(bailleur_user, bailleur, immeuble):
    other = BailleurFactory()
    ImmeubleFactory(bailleur=other, quartier=immeuble.quartier)
    assert list(bailleurs_couverts(bailleur_user)) == [bailleur]
    assert list(immeubles_couverts(bailleur_user)) == [immeuble]


def test_a_role_without_a_path_to_the_model_sees_nothing(gardien_user, immeuble):
    # Buildings reached only through their landlord: a caretaker has no landlord scope.
    qs = restreindre(Immeuble.objects.all(), gardien_user, bailleur="bailleur")
    assert not qs.exists()


def test_a_user_without_role_or_inactive_covers_nothing(immeuble, gardien_user):
    assert not immeubles_couverts(UserFactory()).exists()
    gardien_user.is_active = False
    gardien_user.save()
    assert not immeubles_couverts(gardien_user).exists()


def test_scoping_is_one_query(django_assert_num_queries, accueil_user, immeuble):
    accueil_user = type(accueil_user).objects.get(pk=accueil_user.pk)
    accueil_user.get_all_permissions()  # permissions are cached per user object, as in a request
    with django_assert_num_queries(1):
        list(immeubles_couverts(accueil_user))


@pytest.mark.parametrize("user_of_role", ["ville", "accueil", "gardien", "bailleur"], indirect=True)
def test_scoping_in_place_keeps_the_same_rows_as_the_sub_select(user_of_role, immeuble):
    LogementFactory(immeuble=immeuble)
    LogementFactory(immeuble=ImmeubleFactory())
    chemins = {"quartier": "immeuble__quartier", "immeuble": "immeuble", "bailleur": "immeuble__bailleur"}
    sous_select = restreindre(Logement.objects.all(), user_of_role, **chemins)
    en_place = restreindre(Logement.objects.all(), user_of_role, **chemins, en_place=True)
    assert '"logements_logement"."id" IN (SELECT' not in str(en_place.query)
    assert en_place.exists()
    assert sorted(en_place.values_list("pk", flat=True)) == sorted(sous_select.values_list("pk", flat=True))


def test_scoping_in_place_refuses_a_path_through_a_to_many_relation(accueil_user):
    with pytest.raises(ValueError, match="to-many"):
        restreindre(Quartier.objects.all(), accueil_user, quartier="immeubles__quartier", en_place=True)
