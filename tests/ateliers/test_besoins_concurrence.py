"""Inviting the people who asked, clicked by several staff at once (PostgreSQL, real parallel
connections): each person is told once, and each invitation marked once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ateliers import services_besoins as services
from ateliers.models import Invitation, Seance, Structure, Theme
from ipt.models import Evenement
from tests.factories import FoyerFactory, ImmeubleFactory, LogementFactory, PersonneFactory, UserFactory
from tests.votes.test_concurrence import en_parallele

pytestmark = pytest.mark.django_db(transaction=True)


def test_five_staff_inviting_at_once_tell_each_person_once(roles):
    immeuble = ImmeubleFactory()
    agent = UserFactory(username="agent-ville", role="ville")
    theme = Theme.objects.get(code="securite")
    for i in range(6):
        personne = PersonneFactory(
            foyer=FoyerFactory(logement=LogementFactory(immeuble=immeuble)), prenom=f"Personne{i}"
        )
        services.besoin_enregistrer(personne=personne, themes=[theme], par=agent)
    atelier = services.atelier_brouillon_creer(
        theme=theme,
        quartier=immeuble.quartier,
        titre="Sécurité sur internet",
        structure=Structure.objects.create(nom="Clic (fictive)"),
        par=agent,
    )
    atelier.actif = True
    atelier.save()
    Seance.objects.create(
        atelier=atelier,
        quartier=immeuble.quartier,
        debut=timezone.now() + datetime.timedelta(days=5),
        duree=datetime.timedelta(hours=2),
        lieu="Salle",
        capacite=8,
    )

    def inviter(i, depart):
        depart.wait()
        try:
            return services.invitations_envoyer(atelier=atelier, par=agent)
        except ValidationError as erreur:
            return erreur

    resultats = en_parallele(5, inviter)
    assert sorted(resultats) == [0, 0, 0, 0, 6]
    cles = list(Evenement.objects.filter(action="ateliers.avis").values_list("details__cle", flat=True))
    assert len(cles) == len(set(cles)) == 6
    assert Invitation.objects.filter(atelier=atelier, invitee_le__isnull=False).count() == 6
