"""Attendance: the sheet to sign (read back), the entry in one POST, who may take it, and the training
history on the household page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers import presences as services
from ateliers.models import Presence, Seance
from ipt.models import Evenement
from tests.pdf import pdf_texte


def _url(seance):
    return reverse("ateliers:seance_presences", args=[seance.pk])


def test_the_people_expected_are_those_signed_up_to_the_session_or_its_cycle(atelier_monde):
    noms = [p.nom for p in services.attendus(atelier_monde.seance)]
    assert noms == ["Abgrall", "Le Goff", "Morvan"]  # not the waiting Tanguy, not the cancelled Quéré
    # The next session of the cycle: the cycle's people only.
    assert [p.nom for p in services.attendus(atelier_monde.suivante)] == ["Le Goff", "Morvan"]


def test_the_attendance_sheet_names_the_people_expected_with_a_signature_column(client, atelier_monde):
    client.force_login(atelier_monde.animateur)
    reponse = client.get(reverse("ateliers:seance_emargement", args=[atelier_monde.seance.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    texte = pdf_texte(reponse.content)
    assert "Feuille d’émargement" in texte
    assert "Premiers pas sur un ordinateur" in texte
    assert "Centre social, salle informatique" in texte
    assert "Signature" in texte
    assert "Claire Animatrice" in texte
    for nom in ("ABGRALL Soizic", "LE GOFF Annaïg", "MORVAN Yann"):
        assert nom in texte
    assert "TANGUY" not in texte and "QUÉRÉ" not in texte
    # Numbered lines, then empty lines for people without a sign-up.
    assert texte.index("ABGRALL") < texte.index("LE GOFF") < texte.index("MORVAN")
    lignes = texte.split("Signature", 1)[1].split("Chaque personne", 1)[0]
    assert "7" in lignes.split() and "8" not in lignes.split()


def test_the_facilitator_enters_attendance_in_one_post(client, atelier_monde):
    g = atelier_monde.gens
    client.force_login(atelier_monde.animateur)
    reponse = client.post(
        _url(atelier_monde.seance),
        {
            f"etat-{g['legoff'].pk}": "present",
            f"etat-{g['morvan'].pk}": "excuse",
            f"etat-{g['abgrall'].pk}": "absent",
        },
    )
    assert reponse.status_code == 302
    etats = dict(Presence.objects.values_list("personne__nom", "etat"))
    assert etats == {"Le Goff": "present", "Morvan": "excuse", "Abgrall": "absent"}
    assert set(Presence.objects.values_list("saisie_par", flat=True)) == {atelier_monde.animateur.pk}
    assert Evenement.objects.filter(action="ateliers.presences").count() == 1
    page = client.get(reponse["Location"]).content.decode()
    assert "Présences enregistrées : 1 présent(s), 1 excusé(s), 1 absent(s)." in page

    # Corrected later: one row changes, the others stay (a row left blank keeps what it had).
    client.post(_url(atelier_monde.seance), {f"etat-{g['morvan'].pk}": "present"})
    etats = dict(Presence.objects.values_list("personne__nom", "etat"))
    assert etats == {"Le Goff": "present", "Morvan": "present", "Abgrall": "absent"}
    assert Presence.objects.count() == 3


def test_someone_not_expected_or_an_unknown_state_is_refused_and_nothing_written(client, atelier_monde):
    g = atelier_monde.gens
    client.force_login(atelier_monde.animateur)
    with pytest.raises(Exception, match="pas attendu"):
        services.presences_enregistrer(
            seance=atelier_monde.seance,
            etats={g["legoff"].pk: "present", g["tanguy"].pk: "present"},
            par=atelier_monde.animateur,
        )
    reponse = client.post(_url(atelier_monde.seance), {f"etat-{g['legoff'].pk}": "peut-etre"})
    assert reponse.status_code == 422
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Presence.objects.exists()


def test_attendance_is_refused_for_a_later_day_or_a_cancelled_session(client, atelier_monde):
    g = atelier_monde.gens
    client.force_login(atelier_monde.animateur)
    reponse = client.post(_url(atelier_monde.suivante), {f"etat-{g['legoff'].pk}": "present"})
    assert reponse.status_code == 422
    assert "Les présences se saisissent le jour de la séance" in reponse.content.decode()
    Seance.objects.filter(pk=atelier_monde.seance.pk).update(
        statut="annulee", motif_annulation="Salle fermée"
    )
    reponse = client.post(_url(atelier_monde.seance), {f"etat-{g['legoff'].pk}": "present"})
    assert reponse.status_code == 422
    assert "Cette séance a été annulée" in reponse.content.decode()
    assert not Presence.objects.exists()


def test_a_person_who_came_then_cancelled_stays_on_the_list(atelier_monde):
    g = atelier_monde.gens
    services.presences_enregistrer(
        seance=atelier_monde.seance, etats={g["abgrall"].pk: "present"}, par=atelier_monde.animateur
    )
    g["abgrall"].inscriptions.update(statut="annulee")
    assert "Abgrall" in [p.nom for p in services.attendus(atelier_monde.seance)]


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("animateur", 200),
        ("animateur_hors", 404),
        ("accueil", 200),
        ("accueil_hors", 404),
        ("ville", 200),
    ],
)
def test_who_may_take_attendance(client, atelier_monde, qui, statut):
    client.force_login(getattr(atelier_monde, qui))
    assert client.get(_url(atelier_monde.seance)).status_code == statut
    assert (
        client.get(reverse("ateliers:seance_emargement", args=[atelier_monde.seance.pk])).status_code
        == statut
    )
    g = atelier_monde.gens
    client.post(_url(atelier_monde.seance), {f"etat-{g['legoff'].pk}": "present"})
    assert Presence.objects.exists() is (statut == 200)


def test_caretakers_and_landlords_get_nothing(client, atelier_monde, gardien_user, bailleur_user):
    for user in (gardien_user, bailleur_user):
        client.force_login(user)
        assert client.get(_url(atelier_monde.seance)).status_code == 403


@pytest.mark.parametrize("n", [3, 30])
def test_the_attendance_screen_answers_in_a_fixed_number_of_queries(
    client, atelier_monde, django_assert_num_queries, n
):
    from ateliers.models import Inscription
    from tests.factories import PersonneFactory

    for _i in range(n - 3):
        Inscription.objects.create(personne=PersonneFactory(), cycle=atelier_monde.cycle)
    client.force_login(atelier_monde.animateur)
    # session, user, its permissions and its groups', the session (scoped), the people expected, their
    # attendance.
    with django_assert_num_queries(7):
        reponse = client.get(_url(atelier_monde.seance))
    assert reponse.content.decode().count('class="btn-check"') == 3 * n


def test_the_facilitators_landing_page_links_to_attendance(client, atelier_monde):
    client.force_login(atelier_monde.animateur)
    page = client.get(reverse("ateliers:animateur")).content.decode()
    assert _url(atelier_monde.suivante) in page


def test_the_household_page_shows_each_occupants_training_history(
    client, atelier_monde, django_assert_max_num_queries
):
    g = atelier_monde.gens
    services.presences_enregistrer(
        seance=atelier_monde.seance,
        etats={g["legoff"].pk: "present", g["morvan"].pk: "absent"},
        par=atelier_monde.animateur,
    )
    client.force_login(atelier_monde.accueil)
    page = client.get(reverse("logements:foyer", args=[atelier_monde.foyer.pk])).content.decode()
    section = page.split('id="formation"', 1)[1].split("</section>", 1)[0]
    legoff, morvan = section.split("Yann Morvan", 1)
    assert "Premiers pas — automne (1 séance suivie sur 2)" in legoff
    assert "1 séance suivie" in legoff and "Premiers pas sur un ordinateur (" in legoff
    assert "0 séance suivie sur 2" in morvan and "1 absence" in morvan
    assert reverse("ateliers:permanence_reserver", args=[g["legoff"].pk]) in legoff


def test_the_training_history_takes_four_queries_whatever_the_household(
    atelier_monde, creneau, django_assert_num_queries
):
    from ateliers.models import Permanence
    from ateliers.permanences import accompagnement_enregistrer

    Permanence.objects.filter(pk=creneau.pk).update(
        debut=timezone.now(),
        statut="reservee",
        personne=atelier_monde.gens["morvan"],
        reservee_le=timezone.now(),
    )
    accompagnement_enregistrer(
        permanence=creneau, duree_minutes=30, themes=[], autonomie="autonome", par=None
    )
    services.presences_enregistrer(
        seance=atelier_monde.seance, etats={atelier_monde.gens["legoff"].pk: "present"}, par=None
    )
    personnes = list(atelier_monde.foyer.occupants.all())
    with django_assert_num_queries(4):
        legoff, morvan = services.histoire_formation(personnes)
        assert [list(a.themes.all()) for a in morvan.accompagnements] == [[]]
    assert (legoff.personne.nom, len(legoff.seances), len(legoff.cycles), legoff.cycles[0].total) == (
        "Le Goff",
        1,
        1,
        2,
    )
    assert (morvan.personne.nom, morvan.accompagnements[0].duree_minutes) == ("Morvan", 30)


def test_a_session_started_today_is_open_to_entry_the_day_before_is_not(atelier_monde):
    assert services.saisie_ouverte(atelier_monde.seance) is None
    atelier_monde.seance.debut = timezone.now() + datetime.timedelta(days=1)
    assert services.saisie_ouverte(atelier_monde.seance)
