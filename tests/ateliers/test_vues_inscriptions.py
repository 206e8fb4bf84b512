"""The pages of the catalogue, the sessions and the sign-ups through the client: what each role sees and does,
French errors, and the number of queries of each list."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers import services_inscriptions as services
from ateliers.models import Atelier, Inscription, Seance
from logements.models import Personne
from tests.ateliers.conftest import nouvelle_seance, occupant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_city_staff_create_a_paid_module_with_its_price_and_age(client, ville_user, structure):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("ateliers:atelier_creer"),
        {
            "titre": "Bureautique",
            "niveau": "debutant",
            "structure": structure.pk,
            "payant": "on",
            "actif": "on",
        },
    )
    assert reponse.status_code == 200
    assert "Un module payant a besoin de son prix." in reponse.content.decode()
    reponse = client.post(
        reverse("ateliers:atelier_creer"),
        {
            "titre": "Bureautique",
            "niveau": "debutant",
            "structure": structure.pk,
            "payant": "on",
            "prix": "25,00",
            "actif": "on",
        },
    )
    assert reponse.status_code == 302
    atelier = Atelier.objects.get(titre="Bureautique")
    assert (atelier.prix, atelier.age_minimum) == (Decimal("25.00"), 17)
    page = client.get(reverse("ateliers:catalogue")).content.decode()
    assert "Bureautique" in page and "25,00" in page and "dès 17 ans" in page


def test_city_staff_plan_a_cycle_of_six_weekly_sessions_in_one_go(client, ville_user, atelier, quartier):
    animatrice = UserFactory(username="animatrice", role="animateur")
    client.force_login(ville_user)
    jour = timezone.localdate() + datetime.timedelta(days=10)
    reponse = client.post(
        reverse("ateliers:seance_creer"),
        {
            "atelier": atelier.pk,
            "quartier": quartier.pk,
            "date": jour.isoformat(),
            "heure": "14:00",
            "duree": "120",
            "lieu": "Centre social, salle informatique",
            "capacite": "12",
            "nombre": "6",
            "intervalle": "7",
            "intitule": "Visa Internet — printemps",
            "animateurs": [animatrice.pk],
        },
    )
    assert reponse.status_code == 302
    seances = list(Seance.objects.order_by("debut"))
    assert len(seances) == 6 and len({s.cycle_id for s in seances}) == 1
    assert seances[-1].debut.date() - seances[0].debut.date() == datetime.timedelta(days=35)
    assert list(seances[0].animateurs.all()) == [animatrice]
    assert reponse["Location"] == reverse("ateliers:seance", args=[seances[0].pk])


def test_planning_in_the_past_is_refused_in_french(client, ville_user, atelier, quartier):
    client.force_login(ville_user)
    reponse = client.post(
        reverse("ateliers:seance_creer"),
        {
            "atelier": atelier.pk,
            "quartier": quartier.pk,
            "date": "2020-01-06",
            "heure": "14:00",
            "duree": "120",
            "lieu": "Salle",
            "capacite": "12",
            "nombre": "1",
        },
    )
    assert reponse.status_code == 200 and "Une séance se planifie dans le futur." in reponse.content.decode()
    assert not Seance.objects.exists()


def test_the_sessions_list_shows_seats_left_in_fixed_queries(
    client, accueil_user, atelier, quartier, immeuble, django_assert_num_queries
):
    seance = nouvelle_seance(atelier, quartier, capacite=12)
    for i in range(5):
        services.inscription_creer(personne=occupant(immeuble, f"F{i}"), seance=seance, par=accueil_user)
    for _ in range(6):
        nouvelle_seance(atelier, quartier, capacite=8)
    client.force_login(accueil_user)
    with django_assert_num_queries(5):  # session, user, permissions ×2 (role + nav), the sessions with seats
        page = client.get(reverse("ateliers:seances")).content.decode()
    assert "7 / 12" in page and page.count("8 / 8") == 6


def test_a_volunteer_signs_a_person_up_then_the_session_is_full_and_waiting(
    client, accueil_user, atelier, quartier, immeuble
):
    seance = nouvelle_seance(atelier, quartier, capacite=1)
    premiere, seconde = occupant(immeuble, "Kerhervé"), occupant(immeuble, "Le Goff")
    client.force_login(accueil_user)
    page = client.get(reverse("ateliers:seance", args=[seance.pk]), {"q": "kerh"}).content.decode()
    assert "Kerhervé" in page and "Le Goff" not in page
    reponse = client.post(
        reverse("ateliers:seance_inscrire", args=[seance.pk]), {"personne": premiere.pk}, follow=True
    )
    assert "Inscription enregistrée : Anne Kerhervé." in reponse.content.decode()
    reponse = client.post(
        reverse("ateliers:seance_inscrire", args=[seance.pk]), {"personne": seconde.pk}, follow=True
    )
    page = reponse.content.decode()
    assert "La séance est complète : Anne Le Goff passe en liste d’attente (n° 1)." in page
    assert "0 / 1" in page


def test_a_facilitator_signs_up_an_inhabitant_outside_the_programme_to_a_paid_module(
    client, module_payant, quartier, accueil_user
):
    seance = nouvelle_seance(module_payant, quartier)
    animatrice = UserFactory(username="animatrice", role="animateur")
    seance.animateurs.add(animatrice)
    client.force_login(animatrice)
    formulaire = {
        "nouvelle-prenom": "Yann",
        "nouvelle-nom": "Morvan",
        "nouvelle-annee_naissance": str(timezone.localdate().year - 15),
        "nouvelle-telephone": "06 12 34 56 78",
        "nouvelle-email": "",
    }
    reponse = client.post(reverse("ateliers:seance_inscrire", args=[seance.pk]), formulaire)
    assert reponse.status_code == 400
    assert "Ce module payant est ouvert à partir de 17 ans." in reponse.content.decode()
    assert not Personne.objects.filter(nom="Morvan").exists()  # nothing half-written
    formulaire["nouvelle-annee_naissance"] = "1980"
    reponse = client.post(reverse("ateliers:seance_inscrire", args=[seance.pk]), formulaire, follow=True)
    assert "Tarif : 30,00" in reponse.content.decode()
    inscription = Inscription.objects.get(personne__nom="Morvan")
    assert inscription.prix == Decimal("30.00") and inscription.par == animatrice


def test_a_facilitator_does_not_find_households_by_name(client, seance, immeuble, animateur_user):
    occupant(immeuble, "Kerhervé")
    client.force_login(animateur_user)
    page = client.get(reverse("ateliers:seance", args=[seance.pk]), {"q": "Kerhervé"}).content.decode()
    assert "Aucune personne trouvée à ce nom." in page


def test_cancelling_from_the_session_page_promotes_and_says_so(client, seance, immeuble, accueil_user):
    gens = [occupant(immeuble, f"Famille {i}") for i in range(3)]
    inscriptions = [services.inscription_creer(personne=p, seance=seance, par=accueil_user) for p in gens]
    client.force_login(accueil_user)
    reponse = client.post(reverse("ateliers:inscription_annuler", args=[inscriptions[0].pk]), follow=True)
    page = reponse.content.decode()
    assert "La place revient à Anne Famille 2, en tête de la liste d’attente" in page
    assert Inscription.objects.get(pk=inscriptions[2].pk).statut == "inscrite"


def test_the_session_page_in_fixed_queries(client, seance, immeuble, accueil_user, django_assert_num_queries):
    for i in range(6):
        services.inscription_creer(personne=occupant(immeuble, f"F{i}"), seance=seance, par=accueil_user)
    client.force_login(accueil_user)
    # the same 7 queries whatever the number of people signed up
    with django_assert_num_queries(7):
        page = client.get(reverse("ateliers:seance", args=[seance.pk])).content.decode()
    assert page.count("Annuler") >= 6


def test_from_the_household_page_a_volunteer_signs_an_occupant_up(
    client, accueil_user, atelier, quartier, immeuble, django_assert_num_queries
):
    seance = nouvelle_seance(atelier, quartier, capacite=12)
    personne = occupant(immeuble, "Kerhervé")
    foyer = personne.foyer
    client.force_login(accueil_user)
    page = client.get(reverse("logements:foyer", args=[foyer.pk])).content.decode()
    assert "Aucun atelier à venir." in page and reverse("ateliers:foyer_inscrire", args=[foyer.pk]) in page
    page = client.get(reverse("ateliers:foyer_inscrire", args=[foyer.pk])).content.decode()
    assert "12 / 12 places restantes" in page
    reponse = client.post(
        reverse("ateliers:foyer_inscrire", args=[foyer.pk]), {"personne": personne.pk, "seance": seance.pk}
    )
    assert reponse.status_code == 302 and reponse["Location"] == reverse("logements:foyer", args=[foyer.pk])
    page = client.get(reverse("logements:foyer", args=[foyer.pk])).content.decode()
    assert "Premiers pas" in page and "Ateliers : inscriptions à venir" in page


def test_a_session_out_of_the_volunteers_quartiers_cannot_be_chosen(client, accueil_user, atelier, immeuble):
    from tests.factories import QuartierFactory

    ailleurs = nouvelle_seance(atelier, QuartierFactory(nom="Ailleurs"), capacite=12)
    personne = occupant(immeuble, "Kerhervé")
    client.force_login(accueil_user)
    reponse = client.post(
        reverse("ateliers:foyer_inscrire", args=[personne.foyer_id]),
        {"personne": personne.pk, "seance": ailleurs.pk},
    )
    assert reponse.status_code == 200 and not Inscription.objects.exists()


def test_moving_a_session_from_its_page_tells_the_people(client, ville_user, seance, immeuble, accueil_user):
    services.inscription_creer(personne=occupant(immeuble, "Kerhervé"), seance=seance, par=accueil_user)
    client.force_login(ville_user)
    local = timezone.localtime(seance.debut) + datetime.timedelta(days=1)
    reponse = client.post(
        reverse("ateliers:seance_modifier", args=[seance.pk]),
        {
            "date": local.date().isoformat(),
            "heure": "10:00",
            "duree": "120",
            "lieu": "Grande salle",
            "capacite": "2",
        },
    )
    assert reponse.status_code == 302
    from ipt.models import Evenement

    assert Evenement.objects.filter(action="ateliers.avis", message="Séance déplacée").count() == 1
    reponse = client.post(
        reverse("ateliers:seance_annuler", args=[seance.pk]), {"motif": "Salle inondée"}, follow=True
    )
    assert "Séance annulée ; toutes les personnes inscrites sont prévenues." in reponse.content.decode()
    assert Evenement.objects.filter(action="ateliers.avis", message="Séance annulée").count() == 1


def test_a_sign_up_through_the_http_stack_takes_a_fixed_number_of_queries(
    client, seance, immeuble, accueil_user, django_assert_num_queries
):
    """The bench's request (bench/ateliers.py): the same count for a seat and for the waiting list."""
    gens = [occupant(immeuble, f"F{i}") for i in range(4)]
    client.force_login(accueil_user)
    url = reverse("ateliers:seance_inscrire", args=[seance.pk])
    client.post(url, {"personne": gens[0].pk})  # the first one caches the content type of the audit log
    for personne in gens[1:]:
        # session, user, permissions ×2, the session in scope, the person in scope; savepoint, the lock
        # (with the workshop), already signed up?, opted in?, the seats and the last waiting rank, the
        # sign-up, the audit entry, release
        with django_assert_num_queries(14):
            reponse = client.post(url, {"personne": personne.pk})
        assert reponse.status_code == 302
    assert list(Inscription.objects.order_by("pk").values_list("statut", flat=True)) == [
        "inscrite",
        "inscrite",
        "attente",
        "attente",
    ]


def test_cancelling_from_the_household_page_comes_back_to_it(client, seance, immeuble, accueil_user):
    personne = occupant(immeuble, "Kerhervé")
    inscription = services.inscription_creer(personne=personne, seance=seance, par=accueil_user)
    client.force_login(accueil_user)
    fiche = reverse("logements:foyer", args=[personne.foyer_id])
    page = client.get(fiche).content.decode()
    assert reverse("ateliers:inscription_annuler", args=[inscription.pk]) in page
    reponse = client.post(reverse("ateliers:inscription_annuler", args=[inscription.pk]), {"suite": fiche})
    assert reponse["Location"] == fiche
    reponse = client.post(
        reverse("ateliers:inscription_annuler", args=[inscription.pk]), {"suite": "https://ailleurs.example/"}
    )
    assert reponse["Location"] == reverse("ateliers:seance", args=[seance.pk])  # never sent off-site
    assert "Aucun atelier à venir." in client.get(fiche).content.decode()


@pytest.mark.parametrize("n", [1, 12])
def test_the_catalogue_takes_the_same_queries_whatever_its_size(
    client, ville_user, structure, quartier, n, django_assert_num_queries
):
    from ateliers.models import Theme

    themes = list(Theme.objects.all()[:2])
    for i in range(n):
        atelier = Atelier.objects.create(titre=f"Atelier {i}", structure=structure)
        atelier.themes.set(themes)
        nouvelle_seance(atelier, quartier)
    client.force_login(ville_user)
    with django_assert_num_queries(6):  # session, user, permissions ×2, the workshops, their themes
        page = client.get(reverse("ateliers:catalogue")).content.decode()
    assert page.count("Modifier<span") == n
