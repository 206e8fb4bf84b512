"""Sign-ups: seats, the waiting list in order, promotion on cancellation (the person is told), paid modules
(17 and over, free for opted-in households), cancelling and moving a session tells everyone, cycles."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ateliers import services_inscriptions as services
from ateliers.models import Inscription, Seance
from ipt.models import Evenement
from logements.models import Personne
from tests.ateliers.conftest import nouvelle_seance, occupant

pytestmark = pytest.mark.django_db


def avis(personne=None):
    qs = Evenement.objects.filter(action="ateliers.avis").order_by("pk")
    if personne is not None:
        qs = qs.filter(objet_id=str(personne.pk))
    return list(qs)


def test_seats_then_waiting_list_in_order(seance, immeuble, accueil_user):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(5)]
    inscriptions = [services.inscription_creer(personne=p, seance=seance, par=accueil_user) for p in gens]
    assert [i.statut for i in inscriptions] == ["inscrite", "inscrite", "attente", "attente", "attente"]
    assert [i.rang_attente for i in inscriptions] == [None, None, 1, 2, 3]
    assert all(i.prix == Decimal("0.00") for i in inscriptions)


def test_a_cancellation_promotes_the_first_waiting_at_once_and_tells_them(seance, immeuble, accueil_user):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(4)]
    premiere, _, attend1, attend2 = [
        services.inscription_creer(personne=p, seance=seance, par=accueil_user) for p in gens
    ]
    promue = services.inscription_annuler(inscription=premiere, par=accueil_user)
    assert promue.pk == attend1.pk
    attend1.refresh_from_db()
    assert attend1.statut == "inscrite" and attend1.rang_attente is None and attend1.promue_le
    assert Inscription.objects.get(pk=attend2.pk).rang_attente == 2
    (message,) = avis(gens[2])
    assert message.message == "Vous avez une place"
    assert (
        "Premiers pas" in message.details["texte"]
        and message.details["cle"] == f"inscription-{attend1.pk}-promue"
    )
    assert avis(gens[3]) == []


def test_leaving_the_waiting_list_promotes_nobody(seance, immeuble, accueil_user):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(4)]
    inscriptions = [services.inscription_creer(personne=p, seance=seance, par=accueil_user) for p in gens]
    assert services.inscription_annuler(inscription=inscriptions[2], par=accueil_user) is None
    assert Inscription.objects.get(pk=inscriptions[3].pk).statut == "attente"
    # the one behind keeps their order and gets the next seat
    assert (
        services.inscription_annuler(inscription=inscriptions[0], par=accueil_user).pk == inscriptions[3].pk
    )


def test_twice_the_same_person_is_refused_in_french(seance, immeuble, accueil_user):
    personne = occupant(immeuble, "Le Gall")
    services.inscription_creer(personne=personne, seance=seance, par=accueil_user)
    with pytest.raises(ValidationError) as erreur:
        services.inscription_creer(personne=personne, seance=seance, par=accueil_user)
    assert erreur.value.code == "deja_inscrite" and "déjà inscrite" in erreur.value.messages[0]


def test_cancelled_or_started_sessions_take_no_sign_up(seance, immeuble, accueil_user, ville_user):
    personne = occupant(immeuble, "Le Gall")
    Seance.objects.filter(pk=seance.pk).update(debut=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(ValidationError, match="déjà commencé"):
        services.inscription_creer(personne=personne, seance=seance, par=accueil_user)
    autre = nouvelle_seance(seance.atelier, seance.quartier)
    services.seance_annuler(seance=autre, motif="Salle indisponible", par=ville_user)
    with pytest.raises(ValidationError, match="annulée"):
        services.inscription_creer(personne=personne, seance=autre, par=accueil_user)


def test_a_free_workshop_is_for_opted_in_households(seance, immeuble, accueil_user):
    with pytest.raises(ValidationError) as erreur:
        services.inscription_creer(
            personne=occupant(immeuble, "Sans adhésion", adherent=False), seance=seance, par=accueil_user
        )
    assert erreur.value.code == "hors_programme"


def test_a_paid_module_costs_its_price_outside_and_nothing_for_opted_in(
    module_payant, quartier, immeuble, accueil_user
):
    seance = nouvelle_seance(module_payant, quartier)
    dehors = Personne.objects.create(prenom="Yann", nom="Extérieur", annee_naissance=1990)
    voisin = occupant(immeuble, "Non adhérent", adherent=False)
    adherente = occupant(immeuble, "Adhérente")
    assert services.inscription_creer(personne=dehors, seance=seance, par=accueil_user).prix == Decimal(
        "30.00"
    )
    assert services.inscription_creer(personne=voisin, seance=seance, par=accueil_user).prix == Decimal(
        "30.00"
    )
    assert services.inscription_creer(personne=adherente, seance=seance, par=accueil_user).prix == Decimal(
        "0.00"
    )


def test_a_paid_module_is_for_17_and_over(module_payant, quartier, accueil_user):
    seance = nouvelle_seance(module_payant, quartier)
    annee = timezone.localtime(seance.debut).year
    trop_jeune = Personne.objects.create(prenom="Léo", nom="Jeune", annee_naissance=annee - 16)
    sans_age = Personne.objects.create(prenom="Léa", nom="Sans âge")
    juste = Personne.objects.create(prenom="Lou", nom="Dix-sept", annee_naissance=annee - 17)
    with pytest.raises(ValidationError, match="à partir de 17 ans"):
        services.inscription_creer(personne=trop_jeune, seance=seance, par=accueil_user)
    with pytest.raises(ValidationError, match="année de naissance"):
        services.inscription_creer(personne=sans_age, seance=seance, par=accueil_user)
    assert services.inscription_creer(personne=juste, seance=seance, par=accueil_user).statut == "inscrite"


def test_a_cycle_is_joined_as_a_whole_from_any_of_its_sessions(cycle, immeuble, accueil_user):
    seances = list(cycle.seances.order_by("debut"))
    gens = [occupant(immeuble, f"Famille {i}") for i in range(3)]
    a = services.inscription_creer(personne=gens[0], seance=seances[0], par=accueil_user)
    b = services.inscription_creer(personne=gens[1], seance=seances[2], par=accueil_user)
    c = services.inscription_creer(personne=gens[2], cycle=cycle, par=accueil_user)
    assert (a.cycle_id, a.seance_id, b.cycle_id) == (cycle.pk, None, cycle.pk)
    assert c.statut == "attente"
    with pytest.raises(ValidationError):
        services.inscription_creer(personne=gens[0], seance=seances[1], par=accueil_user)
    assert services.inscription_annuler(inscription=b, par=accueil_user).pk == c.pk


def test_cancelling_a_session_tells_everyone_signed_up_or_waiting(seance, immeuble, accueil_user, ville_user):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(3)]
    for p in gens:
        services.inscription_creer(personne=p, seance=seance, par=accueil_user)
    services.seance_annuler(seance=seance, motif="Animatrice malade", par=ville_user)
    messages = avis()
    assert sorted(int(m.objet_id) for m in messages) == sorted(p.pk for p in gens)
    assert all("Animatrice malade" in m.details["texte"] and m.message == "Séance annulée" for m in messages)
    with pytest.raises(ValidationError):
        services.seance_annuler(seance=seance, motif="encore", par=ville_user)


def test_moving_a_session_tells_everyone_and_more_seats_promote(seance, immeuble, accueil_user, ville_user):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(3)]
    inscriptions = [services.inscription_creer(personne=p, seance=seance, par=accueil_user) for p in gens]
    nouveau = seance.debut + datetime.timedelta(days=1)
    services.seance_modifier(
        seance=seance,
        debut=nouveau,
        duree=seance.duree,
        lieu="Grande salle",
        capacite=3,
        animateurs=[],
        par=ville_user,
    )
    deplacees = [m for m in avis() if m.message == "Séance déplacée"]
    assert len(deplacees) == 3 and all("Grande salle" in m.details["texte"] for m in deplacees)
    assert Inscription.objects.get(pk=inscriptions[2].pk).statut == "inscrite"
    assert [m.message for m in avis(gens[2])] == ["Séance déplacée", "Vous avez une place"]
    with pytest.raises(ValidationError, match="au moins autant de places"):
        services.seance_modifier(
            seance=seance,
            debut=nouveau,
            duree=seance.duree,
            lieu="Grande salle",
            capacite=2,
            animateurs=[],
            par=ville_user,
        )


def test_a_cycle_is_planned_weekly_at_the_same_local_hour_across_dst(atelier, quartier, ville_user):
    # 18 October 2027, 14:00 in Paris: the clocks go back on 31 October.
    debut = datetime.datetime(2027, 10, 18, 14, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    cycle = services.cycle_creer(
        atelier=atelier,
        intitule="Visa Internet — automne",
        quartier=quartier,
        premier_debut=debut,
        nombre=6,
        intervalle_jours=7,
        duree=datetime.timedelta(hours=2),
        lieu="Salle informatique",
        capacite=10,
        animateurs=[],
        par=ville_user,
    )
    seances = list(cycle.seances.order_by("debut"))
    assert len(seances) == 6
    assert {timezone.localtime(s.debut).strftime("%A %H:%M") for s in seances} == {"Monday 14:00"}
    assert timezone.localtime(seances[-1].debut).date() == datetime.date(2027, 11, 22)
    assert {s.capacite for s in seances} == {10}


def test_more_seats_on_a_session_of_a_cycle_are_the_cycles_and_promote(
    cycle, immeuble, accueil_user, ville_user
):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(3)]
    inscriptions = [services.inscription_creer(personne=p, cycle=cycle, par=accueil_user) for p in gens]
    seance = cycle.seances.order_by("debut").last()
    services.seance_modifier(
        seance=seance,
        debut=seance.debut,
        duree=seance.duree,
        lieu=seance.lieu,
        capacite=3,
        animateurs=[],
        par=ville_user,
    )
    cycle.refresh_from_db()
    assert cycle.capacite == 3 and set(cycle.seances.values_list("capacite", flat=True)) == {3}
    assert Inscription.objects.get(pk=inscriptions[2].pk).statut == "inscrite"
    assert [m.message for m in avis()] == ["Vous avez une place"]  # not moved: nobody else told
