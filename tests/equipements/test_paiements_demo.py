"""The demo's PC payments: the demo sales paid on their days, one overdue, one waived, and today's cash book
of the demo volunteer's centre; the year's balance adds up; a second run changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from equipements import paiements
from equipements import selectors_paiements as selectors
from equipements.models import Abandon, Paiement, Vente


@pytest.mark.django_db
def test_the_demo_has_payments_one_overdue_one_waived_and_a_cash_book(settings, client):
    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "1200", "--mois-releves", "0", verbosity=0)
    aujourdhui = timezone.localdate()
    assert Paiement.objects.count() >= 14
    assert Abandon.objects.count() == 1
    en_retard = [v for v in Vente.objects.all() if paiements.situation(v).en_retard > 0]
    assert len(en_retard) == 1
    benevole = get_user_model().objects.get(username="accueil")
    centre = en_retard[0].centre
    assert centre.membres.filter(pk=benevole.pk).exists()  # on the demo volunteer's desk
    du_jour = Paiement.objects.filter(date=aujourdhui)
    assert du_jour.count() >= 2 and len({p.mode for p in du_jour}) >= 2
    ville = get_user_model().objects.get(username="ville")
    client.force_login(ville)
    page = client.get("/equipements/caisse/", {"centre": du_jour[0].centre_id})
    assert page.status_code == 200
    assert len(page.context["journal"].lignes) == du_jour.filter(centre=du_jour[0].centre_id).count()
    for annee in {v.date.year for v in Vente.objects.all()}:
        assert selectors.bilan_annuel(ville, annee)[-1].equilibre
    entrees = Paiement.objects.count()
    call_command("seed_demo", "--dwellings", "1200", "--mois-releves", "0", verbosity=0)
    assert Paiement.objects.count() == entrees
