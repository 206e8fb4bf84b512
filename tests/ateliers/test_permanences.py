"""Individual help: opening a series of slots, booking one at the desk (race-safe), the record of the help
session on one screen, and who may do what."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ateliers import permanences as services
from ateliers.models import Accompagnement, Permanence, Theme
from ipt.models import Evenement


def test_staff_open_a_series_of_slots_in_one_go_and_twice_changes_nothing(client, atelier_monde):
    client.force_login(atelier_monde.ville)
    lundi = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    donnees = {
        "quartier": atelier_monde.quartier.pk,
        "lieu": "Centre social, bureau 2",
        "structure": atelier_monde.structure.pk,
        "jour": lundi.isoformat(),
        "heure": "14:00",
        "duree_minutes": "30",
        "nombre": "4",
        "semaines": "2",
    }
    reponse = client.post(reverse("ateliers:permanences_ouvrir"), donnees)
    assert reponse.status_code == 302
    debuts = [timezone.localtime(d) for d in Permanence.objects.values_list("debut", flat=True)]
    assert len(debuts) == 8
    assert [d.strftime("%H:%M") for d in debuts[:4]] == ["14:00", "14:30", "15:00", "15:30"]
    assert {d.date() for d in debuts} == {lundi, lundi + datetime.timedelta(days=7)}
    client.post(reverse("ateliers:permanences_ouvrir"), donnees)
    assert Permanence.objects.count() == 8
    page = client.get(reverse("ateliers:permanences")).content.decode()
    assert page.count('class="list-group-item d-flex flex-wrap align-items-center gap-2 permanence"') == 8


def test_a_series_keeps_its_local_hour_across_the_change_of_time(atelier_monde):
    # The last Sunday of March 2027 moves clocks forward: the slots stay at 10:00 local time.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: datetime.datetime(2027, 3, 1, tzinfo=datetime.UTC))
        creees = services.permanences_ouvrir(
            quartier=atelier_monde.quartier,
            lieu="Bureau",
            structure=None,
            jour=datetime.date(2027, 3, 22),
            heure=datetime.time(10),
            duree_minutes=30,
            semaines=2,
            par=None,
        )
    assert [timezone.localtime(p.debut).hour for p in creees] == [10, 10]
    assert [p.debut.astimezone(datetime.UTC).hour for p in creees] == [9, 8]


def test_opening_slots_is_for_city_staff_and_checks_its_input(client, atelier_monde):
    client.force_login(atelier_monde.accueil)
    assert client.get(reverse("ateliers:permanences_ouvrir")).status_code == 403
    client.force_login(atelier_monde.ville)
    reponse = client.post(
        reverse("ateliers:permanences_ouvrir"),
        {
            "quartier": atelier_monde.quartier.pk,
            "lieu": "Bureau",
            "jour": "2020-01-06",
            "heure": "14:00",
            "duree_minutes": "30",
            "nombre": "40",
            "semaines": "1",
        },
    )
    assert reponse.status_code == 422
    assert "inférieure ou égale à 16" in reponse.content.decode()
    assert not Permanence.objects.exists()


def test_the_desk_books_a_slot_for_an_occupant_from_the_household(client, atelier_monde, creneau):
    personne = atelier_monde.gens["legoff"]
    client.force_login(atelier_monde.accueil)
    url = reverse("ateliers:permanence_reserver", args=[personne.pk])
    page = client.get(url).content.decode()
    assert "Centre social, bureau 2" in page
    reponse = client.post(url, {"permanence": creneau.pk, "motif": "Créer une adresse mail"})
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("logements:foyer", args=[atelier_monde.foyer.pk])
    creneau.refresh_from_db()
    assert (creneau.statut, creneau.personne, creneau.motif) == (
        "reservee",
        personne,
        "Créer une adresse mail",
    )
    assert creneau.reservee_par == atelier_monde.accueil
    # Booked: no longer offered; a second booking of it is refused in French.
    reponse = client.post(url, {"permanence": creneau.pk})
    assert reponse.status_code == 422
    assert "Ce créneau n’est plus libre" in reponse.content.decode()


def test_a_volunteer_of_another_centre_sees_neither_the_person_nor_the_slots(client, atelier_monde, creneau):
    client.force_login(atelier_monde.accueil_hors)
    url = reverse("ateliers:permanence_reserver", args=[atelier_monde.gens["legoff"].pk])
    assert client.get(url).status_code == 404
    page = client.get(reverse("ateliers:permanences")).content.decode()
    assert "bureau 2" not in page
    assert client.get(reverse("ateliers:permanence_compte_rendu", args=[creneau.pk])).status_code == 404
    client.force_login(atelier_monde.animateur)
    assert client.get(reverse("ateliers:permanences")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_desks_booking_the_last_slot_at_once_give_one_booking(roles):
    from tests.factories import PersonneFactory, QuartierFactory

    quartier = QuartierFactory()
    creneau = Permanence.objects.create(
        quartier=quartier,
        lieu="Bureau",
        debut=timezone.now() + datetime.timedelta(days=1),
        duree=datetime.timedelta(minutes=30),
    )
    personnes = [PersonneFactory(), PersonneFactory()]
    depart = threading.Barrier(2)
    resultats = []

    def reserver(personne):
        try:
            depart.wait()
            services.permanence_reserver(
                permanence=Permanence.objects.get(pk=creneau.pk), personne=personne, par=None
            )
            resultats.append("reservee")
        except ValidationError:
            resultats.append("refusee")
        finally:
            connection.close()

    fils = [threading.Thread(target=reserver, args=(p,)) for p in personnes]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sorted(resultats) == ["refusee", "reservee"]
    creneau.refresh_from_db()
    assert creneau.statut == "reservee" and creneau.personne in personnes


def _reserve(creneau, personne, *, il_y_a=datetime.timedelta(minutes=10)):
    Permanence.objects.filter(pk=creneau.pk).update(
        debut=timezone.now() - il_y_a, statut="reservee", personne=personne, reservee_le=timezone.now()
    )
    creneau.refresh_from_db()
    return creneau


def test_the_help_session_is_recorded_on_one_screen(client, atelier_monde, creneau):
    creneau = _reserve(creneau, atelier_monde.gens["legoff"])
    client.force_login(atelier_monde.accueil)
    url = reverse("ateliers:permanence_compte_rendu", args=[creneau.pk])
    page = client.get(url).content.decode()
    assert "Annaïg Le Goff" in page
    assert 'value="30" autocomplete="off" checked' in page  # the slot's duration, by default
    assert 'value="aucune" autocomplete="off" checked' in page  # not referred, by default
    assert '<option value="CLCV">' in page
    courriel, demarches = Theme.objects.get(code="courriel"), Theme.objects.get(code="demarches")
    reponse = client.post(
        url,
        {
            "autonomie": "partielle",
            "duree_minutes": "45",
            "themes": [courriel.pk, demarches.pk],
            "realise": "Adresse mail créée, mot de passe noté dans son carnet.",
            "orientation": "association",
            "orientation_vers": "CLCV",
        },
    )
    assert reponse.status_code == 302
    a = Accompagnement.objects.get()
    assert (a.personne, a.duree_minutes, a.autonomie, a.orientation, a.orientation_vers) == (
        atelier_monde.gens["legoff"],
        45,
        "partielle",
        "association",
        "CLCV",
    )
    assert set(a.themes.values_list("code", flat=True)) == {"courriel", "demarches"}
    assert a.saisi_par == atelier_monde.accueil
    assert Evenement.objects.filter(action="ateliers.accompagnement").count() == 1
    # On the household page, in the person's history.
    page = client.get(reverse("logements:foyer", args=[atelier_monde.foyer.pk])).content.decode()
    assert "Partiellement autonome" in page and "orientée vers CLCV" in page
    # Corrected: the same record, not a second one.
    client.post(url, {"autonomie": "autonome", "duree_minutes": "30", "orientation": "aucune"})
    a.refresh_from_db()
    assert (Accompagnement.objects.count(), a.autonomie, a.orientation_vers) == (1, "autonome", "")


def test_a_referral_without_whom_and_a_missing_autonomy_are_refused_in_french(client, atelier_monde, creneau):
    creneau = _reserve(creneau, atelier_monde.gens["legoff"])
    client.force_login(atelier_monde.accueil)
    url = reverse("ateliers:permanence_compte_rendu", args=[creneau.pk])
    reponse = client.post(url, {"duree_minutes": "30", "orientation": "service"})
    assert reponse.status_code == 422
    page = reponse.content.decode()
    assert "Touchez le degré d’autonomie de la personne." in page
    assert "Indiquez vers qui la personne a été orientée." in page
    assert not Accompagnement.objects.exists()


def test_a_free_or_future_slot_has_no_record(atelier_monde, creneau):
    with pytest.raises(ValidationError):
        services.accompagnement_enregistrer(
            permanence=creneau, duree_minutes=30, themes=[], autonomie="autonome", par=None
        )
    services.permanence_reserver(permanence=creneau, personne=atelier_monde.gens["morvan"], par=None)
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.accompagnement_enregistrer(
            permanence=creneau, duree_minutes=30, themes=[], autonomie="autonome", par=None
        )


def test_a_booking_is_cancelled_unless_recorded(client, atelier_monde, creneau):
    services.permanence_reserver(permanence=creneau, personne=atelier_monde.gens["morvan"], par=None)
    client.force_login(atelier_monde.accueil)
    client.post(reverse("ateliers:permanence_liberer", args=[creneau.pk]))
    creneau.refresh_from_db()
    assert (creneau.statut, creneau.personne) == ("libre", None)
    creneau = _reserve(creneau, atelier_monde.gens["morvan"])
    services.accompagnement_enregistrer(
        permanence=creneau, duree_minutes=20, themes=[], autonomie="accompagnee", par=None
    )
    reponse = client.post(reverse("ateliers:permanence_liberer", args=[creneau.pk]), follow=True)
    assert "déjà enregistré" in reponse.content.decode()
    assert Permanence.objects.get(pk=creneau.pk).statut == "reservee"


def test_the_slots_list_answers_in_a_fixed_number_of_queries(
    client, atelier_monde, django_assert_num_queries
):
    demain = timezone.now() + datetime.timedelta(days=1)
    for n in range(12):
        p = Permanence.objects.create(
            quartier=atelier_monde.quartier,
            lieu="Bureau",
            debut=demain + n * datetime.timedelta(minutes=30),
            duree=datetime.timedelta(minutes=30),
        )
        if n % 2:
            _reserve(p, atelier_monde.gens["legoff"], il_y_a=-datetime.timedelta(days=1, minutes=30 * n))
    client.force_login(atelier_monde.accueil)
    # session, user, its permissions and its groups', the slots (with their person and record).
    with django_assert_num_queries(5):
        reponse = client.get(reverse("ateliers:permanences"))
    assert reponse.content.decode().count("Annaïg Le Goff") == 6
