"""City staff editing households and occupants in the admin: the desk still finds them."""

from logements.models import Foyer, Personne
from logements.services import foyers_recherche_recalculer
from tests.factories import FoyerFactory, PersonneFactory


def _recherche(foyer):
    return Foyer.objects.get(pk=foyer.pk).recherche


def test_renaming_a_household_in_the_admin_updates_its_search_text(client, ville_user):
    foyer = FoyerFactory(nom="Ancien")
    foyers_recherche_recalculer([foyer.pk])
    client.force_login(ville_user)
    data = {
        "logement": foyer.logement_id,
        "nom": "Kerbrat",
        "telephone": "",
        "email": "",
        "emmenage_le": "01/03/2015",
        "demenage_le": "",
        "occupants-TOTAL_FORMS": "0",
        "occupants-INITIAL_FORMS": "0",
        "adhesions-TOTAL_FORMS": "0",
        "adhesions-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/logements/foyer/{foyer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "kerbrat" in _recherche(foyer)
    assert "ancien" not in _recherche(foyer)


def test_moving_a_person_to_another_household_in_the_admin_updates_both(client, ville_user):
    personne = PersonneFactory(prenom="Soizic", nom="Quémener")
    ancien, nouveau = personne.foyer, FoyerFactory()
    foyers_recherche_recalculer([ancien.pk, nouveau.pk])
    assert "quemener" in _recherche(ancien)
    client.force_login(ville_user)
    data = {
        "prenom": "Soizic",
        "nom": "Quémener",
        "foyer": nouveau.pk,
        "annee_naissance": "",
        "telephone": "",
        "email": "",
    }
    response = client.post(f"/admin/logements/personne/{personne.pk}/change/", data)
    assert response.status_code == 302
    assert "quemener" not in _recherche(ancien)
    assert "quemener" in _recherche(nouveau)
    client.post(f"/admin/logements/personne/{personne.pk}/delete/", {"post": "yes"})
    assert not Personne.objects.filter(pk=personne.pk).exists()
    assert "quemener" not in _recherche(nouveau)
