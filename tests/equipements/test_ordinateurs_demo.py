"""The demo's refurbished PCs: a recyclerie stock, past sales (some at once, some in instalments) handed over
on equipment receipts, reservations; seen by the demo volunteer; a second run changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from equipements.models import Echeance, Ordinateur, Reservation, Vente


@pytest.mark.django_db
def test_the_demo_has_a_stock_and_past_sales_some_in_instalments(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "1200", "--mois-releves", "0", verbosity=0)
    ventes = list(Vente.objects.order_by("pk").values_list("pk", "nb_echeances", "prix", "remise_id"))
    assert len(ventes) == 14
    assert {n for _pk, n, _p, _r in ventes} == {1, 2, 3, 4}
    assert all(remise for *_x, remise in ventes)  # each handed over on an equipment receipt
    for vente in Vente.objects.prefetch_related("echeances"):
        assert sum(e.montant for e in vente.echeances.all()) == vente.prix
    assert Ordinateur.objects.filter(statut="en_stock").count() >= 15
    assert Reservation.objects.filter(statut="active").count() == 2
    # The demo volunteer's centres have sales on their households' pages.
    benevole = get_user_model().objects.get(username="accueil")
    client.force_login(benevole)
    vente = Vente.objects.filter(foyer__logement__immeuble__quartier__centre_social__membres=benevole).first()
    assert vente is not None
    page = client.get(f"/accueil/foyers/{vente.foyer_id}/").content.decode()
    assert vente.ordinateur.reference in page
    echeances = Echeance.objects.count()
    call_command("seed_demo", "--dwellings", "1200", "--mois-releves", "0", verbosity=0)
    assert list(Vente.objects.order_by("pk").values_list("pk", "nb_echeances", "prix", "remise_id")) == ventes
    assert Echeance.objects.count() == echeances
