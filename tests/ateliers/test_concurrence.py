"""The last seats under concurrency, on PostgreSQL with real parallel connections (one per thread).

- 50 sign-ups at once for the last 10 seats: exactly 10 signed up and 40 waiting, in ranks 1 to 40, no error;
- a cancellation racing sign-ups: never more signed up than seats, the freed seat goes to one person;
- the same for a cycle (the seats are the cycle's).
"""

import pytest

from ateliers import services_inscriptions as services
from ateliers.models import Inscription
from tests.ateliers.conftest import nouvelle_seance, occupant
from tests.votes.test_concurrence import en_parallele

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_sign_ups_at_once_for_the_last_ten_seats(roles, atelier, quartier, immeuble, accueil_user):
    seance = nouvelle_seance(atelier, quartier, capacite=12)
    for i in range(2):
        services.inscription_creer(personne=occupant(immeuble, f"Déjà {i}"), seance=seance, par=accueil_user)
    gens = [occupant(immeuble, f"Famille {i}") for i in range(50)]

    def inscrire(i, depart):
        depart.wait()
        return services.inscription_creer(personne=gens[i], seance=seance, par=accueil_user).statut

    resultats = en_parallele(50, inscrire)
    assert sorted(resultats) == ["attente"] * 40 + ["inscrite"] * 10, resultats
    assert Inscription.objects.filter(seance=seance, statut="inscrite").count() == 12
    rangs = sorted(
        Inscription.objects.filter(seance=seance, statut="attente").values_list("rang_attente", flat=True)
    )
    assert rangs == list(range(1, 41))


def test_a_cancellation_racing_sign_ups_overbooks_nothing(roles, atelier, quartier, immeuble, accueil_user):
    seance = nouvelle_seance(atelier, quartier, capacite=5)
    assis = [
        services.inscription_creer(personne=occupant(immeuble, f"Assis {i}"), seance=seance, par=accueil_user)
        for i in range(5)
    ]
    gens = [occupant(immeuble, f"Famille {i}") for i in range(9)]

    def agir(i, depart):
        depart.wait()
        if i == 0:
            promue = services.inscription_annuler(inscription=assis[0], par=accueil_user)
            return "annulee" if promue is None else "annulee+promue"
        return services.inscription_creer(personne=gens[i - 1], seance=seance, par=accueil_user).statut

    resultats = en_parallele(10, agir)
    assert not [r for r in resultats if isinstance(r, Exception)], resultats
    assert Inscription.objects.filter(seance=seance, statut="inscrite").count() == 5
    assert resultats[1:].count("inscrite") + resultats[1:].count("attente") == 9
    # The one seat freed went to exactly one newcomer: signed up after the cancellation, or first waiting.
    nouveaux = Inscription.objects.filter(seance=seance, personne__in=gens)
    assert nouveaux.filter(statut="inscrite").count() == 1 and nouveaux.filter(statut="attente").count() == 8
    assert resultats[1:].count("inscrite") + (resultats[0] == "annulee+promue") == 1


def test_twenty_sign_ups_at_once_for_a_cycle(roles, cycle, immeuble, accueil_user):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(20)]
    seances = list(cycle.seances.order_by("debut"))

    def inscrire(i, depart):
        depart.wait()
        return services.inscription_creer(personne=gens[i], seance=seances[i % 3], par=accueil_user).statut

    resultats = en_parallele(20, inscrire)
    assert sorted(resultats) == ["attente"] * 18 + ["inscrite"] * 2, resultats
    assert Inscription.objects.filter(cycle=cycle, statut="inscrite").count() == 2
