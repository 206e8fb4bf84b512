"""The demo's late-comers: slots to come and households at every step, the same after a second run."""

import pytest
from django.core.management import call_command

from equipements import selectors_retardataires as sel
from equipements.models import Creneau, Declin, EnvoiLettres, Lettre, RendezVous
from quartiers.models import Quartier


@pytest.mark.django_db
def test_the_demo_has_late_comers_at_every_step(settings):
    call_command("seed_demo", "--dwellings", "2000", "--mois-releves", "0", verbosity=0)
    etats = set()
    for quartier in Quartier.objects.filter(creneaux__isnull=False).distinct():
        etats |= {ligne.etat for ligne in sel.lignes(quartier.pk)}
    assert {
        sel.Etat.A_INVITER,
        sel.Etat.INVITE,
        sel.Etat.RELANCE,
        sel.Etat.RENDEZ_VOUS,
        sel.Etat.DECLINE,
    } <= etats
    assert Creneau.objects.exists() and EnvoiLettres.objects.filter(etape="relance").exists()
    comptes = [m.objects.count() for m in (Creneau, Lettre, RendezVous, Declin)]
    call_command("seed_demo", "--dwellings", "2000", "--mois-releves", "0", verbosity=0)
    assert [m.objects.count() for m in (Creneau, Lettre, RendezVous, Declin)] == comptes
