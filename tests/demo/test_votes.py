import pytest
from django.contrib.auth.models import Group

from demo import votes as demo
from demo.ville import construire_ville
from logements.models import Immeuble
from quartiers.models import Quartier
from tests.factories import UserFactory
from votes import selectors
from votes.models import Bulletin, Inscrit, Scrutin


@pytest.fixture
def ville(db):
    ville = construire_ville(1200)
    gardien = UserFactory(username="gardien", role="gardien")
    for immeuble in Immeuble.objects.filter(quartier=ville.quartier_en_campagne).order_by("reference")[:2]:
        immeuble.gardiens.add(gardien)
    UserFactory(username="ville", role="ville")
    return ville


def _comptes():
    return (Scrutin.objects.count(), Inscrit.objects.count(), Bulletin.objects.count())


def test_the_demo_votes_load_twice_to_the_same_result(ville):
    demo.charger()
    premier = _comptes()
    demo.charger()
    assert _comptes() == premier


def test_each_active_neighbourhood_has_its_past_vote_published_and_adopted_the_year_it_joined(ville):
    demo.charger()
    for quartier in ville.quartiers:
        scrutin = Scrutin.objects.get(quartier=quartier)
        assert (scrutin.statut, scrutin.resultat) == ("publie", "adopte")
        assert scrutin.ouvre_le.year == quartier.annee_adhesion
        assert scrutin.nb_inscrits == quartier.immeubles.values("logements").count()
        d = scrutin.decompte
        assert 0.3 < d["reponses"] / d["inscrits"] < 0.7
        assert d["rapprochement"]["conforme"]
        assert selectors.empreinte(selectors.lignes_canoniques(scrutin)) == scrutin.empreinte
        assert scrutin.date_debut_service.month == 10


def test_the_demo_caretaker_has_an_open_vote_on_their_two_buildings(ville, client):
    demo.charger()
    scrutin = Scrutin.objects.get(statut=Scrutin.Statut.OUVERT)
    gardien = Group.objects.get(name="gardien").user_set.get(username="gardien")
    assert scrutin.quartier == ville.quartier_en_campagne
    assert set(scrutin.inscrits.values_list("immeuble", flat=True).distinct()) == set(
        gardien.immeubles_gardes.values_list("pk", flat=True)
    )
    assert scrutin.accepte_bulletins()
    assert Bulletin.objects.filter(scrutin=scrutin, saisi_par=gardien).count() == 7
    scrutin.quartier.refresh_from_db()
    assert scrutin.quartier.statut == Quartier.Statut.VOTE
    client.force_login(gardien)
    page = client.get(client.get("/votes/gardien/").url).content.decode()
    assert "7 réponses sur" in page
