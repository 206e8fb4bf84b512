"""The demo's workshops: a catalogue, past and coming sessions with sign-ups, a full one with a waiting list
in the demo desk's quartier, run by the demo facilitator; seeding twice changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from ateliers import services_inscriptions as services
from ateliers.models import Atelier, Inscription, Seance
from ateliers.selectors_inscriptions import avec_places


@pytest.mark.django_db
def test_the_demo_has_a_full_workshop_with_a_waiting_list_at_the_desk(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--dwellings", "600", "--mois-releves", "0", verbosity=0)
    avant = (Atelier.objects.count(), Seance.objects.count(), Inscription.objects.count())
    call_command("seed_demo", "--dwellings", "600", "--mois-releves", "0", verbosity=0)
    assert (Atelier.objects.count(), Seance.objects.count(), Inscription.objects.count()) == avant
    assert Atelier.objects.filter(payant=True, age_minimum=17).exists()
    maintenant = timezone.now()
    assert Seance.objects.filter(debut__lt=maintenant, inscriptions__isnull=False).exists()
    pleines = [
        s
        for s in avec_places(Seance.objects.filter(debut__gt=maintenant, quartier__nom="Kerourien"))
        if s.restantes == 0 and s.nb_attente == 3
    ]
    assert len(pleines) == 1
    (plein,) = pleines
    assert plein.animateurs.filter(username="animateur").exists()
    # the desk's journey: a cancellation gives the seat to the first waiting person
    premiere = plein.inscriptions.filter(statut="inscrite").first()
    attend = plein.inscriptions.get(statut="attente", rang_attente=1)
    assert services.inscription_annuler(inscription=premiere, par=None).pk == attend.pk
    # people from outside the programme pay the open module
    assert Inscription.objects.filter(personne__foyer__isnull=True, prix=30).count() == 3
