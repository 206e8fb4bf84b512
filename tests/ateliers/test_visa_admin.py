"""City staff change the Visa Internet list in the admin: a new draft from the version in force, then
publish it; a published version is read-only."""

import pytest
from django.urls import reverse

from ateliers.models import Competence, Referentiel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ville(client):
    user = UserFactory(username="agent-ville", role="ville", is_staff=True)
    client.force_login(user)
    return user


def test_staff_make_a_draft_edit_it_and_publish_it(client, ville):
    v1 = Referentiel.objects.courant()
    liste = reverse("admin:ateliers_referentiel_changelist")
    reponse = client.post(liste, {"action": "nouvelle_version", "_selected_action": [v1.pk]})
    assert reponse.status_code == 302
    brouillon = Referentiel.objects.get(version=2)
    assert brouillon.publie_le is None and brouillon.competences.count() == v1.competences.count()

    # The draft's skills may change; the published version's may not.
    Competence.objects.filter(referentiel=brouillon, code="favoris").update(obligatoire=True)
    page_v1 = client.get(reverse("admin:ateliers_referentiel_change", args=[v1.pk])).content.decode()
    assert 'name="competences-0-libelle"' not in page_v1
    page_v2 = client.get(reverse("admin:ateliers_referentiel_change", args=[brouillon.pk])).content.decode()
    assert 'name="competences-0-libelle"' in page_v2

    assert Referentiel.objects.courant() == v1
    client.post(liste, {"action": "publier", "_selected_action": [brouillon.pk]})
    assert Referentiel.objects.courant() == brouillon
    assert brouillon.competences.filter(obligatoire=True).count() == 16

    # Publishing a published version again is refused in French.
    reponse = client.post(liste, {"action": "publier", "_selected_action": [v1.pk]}, follow=True)
    assert "Cette version est déjà publiée." in reponse.content.decode()
