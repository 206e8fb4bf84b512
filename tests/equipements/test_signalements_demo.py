"""The demo's provider incidents: in adopted neighbourhoods, realistic delays, a few overdue, idempotent."""

import pytest
from django.core.management import call_command

from demo.signalements import STATUTS
from equipements import selectors_signalements as selectors
from equipements.models import Signalement


@pytest.mark.django_db
def test_the_demo_has_incidents_with_a_few_overdue_and_a_second_run_changes_nothing(settings, ville_user):
    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "1200", "--mois-releves", "0", verbosity=0)
    premiers = list(Signalement.objects.order_by("pk").values_list("pk", "statut", "resolu_le"))
    assert len(premiers) >= 20
    assert not Signalement.objects.exclude(immeuble__quartier__statut__in=STATUTS).exists()
    resolus = Signalement.objects.filter(statut=Signalement.Statut.RESOLU)
    assert resolus.count() > len(premiers) // 2
    en_retard = selectors.signalements_en_retard(ville_user)
    assert 0 < len(en_retard) < len(premiers) // 4
    [ligne, *_] = selectors.statistiques(ville_user)
    call_command("seed_demo", "--dwellings", "1200", "--mois-releves", "0", verbosity=0)
    assert list(Signalement.objects.order_by("pk").values_list("pk", "statut", "resolu_le")) == premiers
