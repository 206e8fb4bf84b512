"""The fifth role: a facilitator lands on the sessions they run, and sees no one else's."""

import pytest
from django.urls import reverse

from ateliers.models import Seance
from ipt.perimetre import restreindre
from tests.scenario import scenario_creer


@pytest.fixture
def scenario(db, tmp_path):
    return scenario_creer(tmp_path)


def test_a_facilitator_lands_on_the_sessions_they_run_and_only_those(client, scenario):
    client.force_login(scenario.utilisateurs["animateur"])
    reponse = client.get("/", follow=True)
    assert reponse.redirect_chain[-1][0] == reverse("ateliers:animateur")
    page = reponse.content.decode()
    assert "Mes séances" in page
    assert "salle informatique" in page
    assert "Maison de quartier de Bellevue" not in page


def test_the_scope_of_sessions_per_role(scenario):
    u = scenario.utilisateurs
    seances = Seance.objects.all()

    def lieux(qui):
        return sorted(s.lieu for s in restreindre(seances, u[qui], quartier="quartier", seance="pk"))

    assert lieux("ville") == [
        "Centre social de Kerourien, salle informatique",
        "Maison de quartier de Bellevue",
    ]
    assert lieux("animateur") == ["Centre social de Kerourien, salle informatique"]
    assert lieux("animateur_hors") == ["Maison de quartier de Bellevue"]
    assert lieux("accueil") == ["Centre social de Kerourien, salle informatique"]
    assert lieux("gardien") == lieux("bailleur") == []
