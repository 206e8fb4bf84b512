"""The read log (issue 15, point 5): each sensitive page writes one entry when it is opened; the log is
append-only in PostgreSQL (only its retention purge removes old rows); city staff answer "who looked at
this household?"; no one else sees anyone's reads."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from donnees.lectures import noter_lecture
from donnees.models import Lecture
from tests.factories import FoyerFactory, PersonneFactory, UserFactory
from tests.scenario import scenario_creer

pytestmark = pytest.mark.django_db


@pytest.fixture
def foyer(immeuble):
    return FoyerFactory(logement__immeuble=immeuble, nom="Famille Kerbrat")


@pytest.fixture
def foyer_profil(immeuble):
    """A household whose profile was recorded with its consent."""
    return FoyerFactory(
        logement__immeuble=immeuble,
        nom="Famille Quéré",
        consentement_profil_le=timezone.now(),
        minima_sociaux=True,
        personne_isolee=False,
    )


@pytest.fixture
def delegue(ville_user):
    """City staff holding the right to see sensitive data (the data protection officer)."""
    ville_user.user_permissions.add(Permission.objects.get(codename="voir_donnees_sensibles"))
    return ville_user


def _inserts_du_journal(contexte) -> int:
    return sum(1 for q in contexte.captured_queries if q["sql"].startswith('INSERT INTO "donnees_lecture"'))


def _roles(lecture) -> set[str]:
    return set(lecture.role.split(","))


# --- Each sensitive page writes its entry -------------------------------------------------------------


def test_opening_a_household_page_at_the_desk_writes_one_read_of_the_household(client, accueil_user, foyer):
    client.force_login(accueil_user)
    with CaptureQueriesContext(connection) as contexte:
        assert client.get(reverse("logements:foyer", args=[foyer.pk])).status_code == 200
    assert _inserts_du_journal(contexte) == 1
    lecture = Lecture.objects.get()
    assert (lecture.par, lecture.par_nom, lecture.quoi) == (accueil_user, "benevole", Lecture.Quoi.FOYER)
    assert (lecture.foyer, lecture.personne) == (foyer, None)
    assert _roles(lecture) == {"accueil"}
    assert timezone.now() - lecture.quand < datetime.timedelta(minutes=1)


def test_the_desk_never_reads_the_profile_on_the_household_page_so_only_the_page_is_logged(
    client, accueil_user, foyer_profil
):
    client.force_login(accueil_user)
    client.get(reverse("logements:foyer", args=[foyer_profil.pk]))
    assert list(Lecture.objects.values_list("quoi", flat=True)) == [Lecture.Quoi.FOYER]


def test_opening_a_household_page_that_shows_the_profile_reads_both_in_one_insert(
    client, delegue, foyer_profil
):
    ville_user = delegue
    client.force_login(ville_user)
    with CaptureQueriesContext(connection) as contexte:
        reponse = client.get(reverse("logements:foyer", args=[foyer_profil.pk]))
    assert "Bénéficie des minima sociaux" in reponse.content.decode()  # the profile is on the page
    assert _inserts_du_journal(contexte) == 1
    lectures = list(Lecture.objects.order_by("pk"))
    assert [lec.quoi for lec in lectures] == [Lecture.Quoi.FOYER, Lecture.Quoi.PROFIL]
    assert all(lec.par == ville_user and lec.foyer == foyer_profil for lec in lectures)
    assert all("ville" in _roles(lec) for lec in lectures)


def test_city_staff_without_the_right_see_no_profile_so_read_only_the_page(client, ville_user, foyer_profil):
    client.force_login(ville_user)
    client.get(reverse("logements:foyer", args=[foyer_profil.pk]))
    client.get(reverse("logements:foyer_profil", args=[foyer_profil.pk]))
    assert list(Lecture.objects.values_list("quoi", flat=True)) == [Lecture.Quoi.FOYER]


def test_a_household_page_without_a_profile_is_one_read_for_city_staff_too(client, ville_user, foyer):
    client.force_login(ville_user)
    client.get(reverse("logements:foyer", args=[foyer.pk]))
    assert list(Lecture.objects.values_list("quoi", flat=True)) == [Lecture.Quoi.FOYER]


def test_each_opening_is_a_new_entry(client, accueil_user, foyer):
    client.force_login(accueil_user)
    for _ in range(3):
        client.get(reverse("logements:foyer", args=[foyer.pk]))
    assert Lecture.objects.filter(foyer=foyer, quoi=Lecture.Quoi.FOYER).count() == 3


def test_a_household_out_of_scope_is_a_404_and_no_read(client, accueil_user):
    ailleurs = FoyerFactory()
    client.force_login(accueil_user)
    assert client.get(reverse("logements:foyer", args=[ailleurs.pk])).status_code == 404
    assert not Lecture.objects.exists()


def test_opening_the_profile_page_with_the_right_writes_one_read_of_the_profile(
    client, delegue, foyer_profil
):
    ville_user = delegue
    client.force_login(ville_user)
    with CaptureQueriesContext(connection) as contexte:
        assert client.get(reverse("logements:foyer_profil", args=[foyer_profil.pk])).status_code == 200
    assert _inserts_du_journal(contexte) == 1
    lecture = Lecture.objects.get()
    assert (lecture.par, lecture.quoi, lecture.foyer, lecture.personne) == (
        ville_user,
        Lecture.Quoi.PROFIL,
        foyer_profil,
        None,
    )
    assert "ville" in _roles(lecture)


def test_the_desk_profile_form_is_blank_so_opening_or_saving_it_reads_nothing(client, accueil_user, foyer):
    client.force_login(accueil_user)
    url = reverse("logements:foyer_profil", args=[foyer.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"consentement": "on", "minima_sociaux": "oui"})
    assert reponse.status_code == 302
    foyer.refresh_from_db()
    assert foyer.minima_sociaux is True  # recorded, never read back at the desk
    assert not Lecture.objects.exists()


def test_opening_a_person_training_record_writes_one_read_tied_to_their_household(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    scenario = scenario_creer(tmp_path)
    animateur, personne = scenario.utilisateurs["animateur"], scenario.objets["personne"]
    client.force_login(animateur)
    with CaptureQueriesContext(connection) as contexte:
        assert client.get(reverse("ateliers:visa_personne", args=[personne.pk])).status_code == 200
    assert _inserts_du_journal(contexte) == 1
    lecture = Lecture.objects.get()
    assert (lecture.par, lecture.quoi, lecture.personne, lecture.foyer) == (
        animateur,
        Lecture.Quoi.PARCOURS,
        personne,
        personne.foyer,
    )
    assert _roles(lecture) == {"animateur"}


def test_a_training_record_of_someone_from_outside_the_programme_is_logged_without_household(
    client, ville_user
):
    personne = PersonneFactory(foyer=None)
    client.force_login(ville_user)
    assert client.get(reverse("ateliers:visa_personne", args=[personne.pk])).status_code == 200
    lecture = Lecture.objects.get()
    assert (lecture.quoi, lecture.personne, lecture.foyer) == (Lecture.Quoi.PARCOURS, personne, None)


def test_a_read_names_a_household_or_a_person(ville_user):
    with pytest.raises(ValueError):
        noter_lecture(par=ville_user, quoi=Lecture.Quoi.FOYER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lecture.objects.create(par=ville_user, par_nom="x", quoi=Lecture.Quoi.FOYER)


# --- Append-only ---------------------------------------------------------------------------------------


@pytest.fixture
def lecture(ville_user, foyer):
    return noter_lecture(par=ville_user, quoi=Lecture.Quoi.FOYER, foyer=foyer)


def test_the_log_refuses_an_update_from_the_orm(lecture):
    lecture.par_nom = "quelqu-un-d-autre"
    with pytest.raises(IntegrityError), transaction.atomic():
        lecture.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Lecture.objects.filter(pk=lecture.pk).update(quand=timezone.now() - datetime.timedelta(days=800))
    lecture.refresh_from_db()
    assert lecture.par_nom == "agent-ville"


def test_the_log_refuses_an_update_in_raw_sql(lecture):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE donnees_lecture SET par_nom = 'x' WHERE id = %s", [lecture.pk])
    # Even inside the purge's transaction: the purge deletes, it never rewrites.
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ipt.purge_lectures = 'on'")
        cursor.execute("SET LOCAL ipt.purge_lectures_avant = %s", [timezone.now().isoformat()])
        cursor.execute("UPDATE donnees_lecture SET par_nom = 'x' WHERE id = %s", [lecture.pk])
    assert Lecture.objects.get(pk=lecture.pk).par_nom == "agent-ville"


def test_the_log_refuses_a_delete_from_the_orm_and_in_raw_sql(lecture):
    with pytest.raises(IntegrityError), transaction.atomic():
        lecture.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Lecture.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM donnees_lecture WHERE id = %s", [lecture.pk])
    assert Lecture.objects.filter(pk=lecture.pk).exists()


def _vieille(par, foyer, jours):
    return Lecture.objects.create(
        par=par,
        par_nom=par.username,
        quoi=Lecture.Quoi.FOYER,
        foyer=foyer,
        quand=timezone.now() - datetime.timedelta(days=jours),
    )


def _purger(*, marque: str | None, avant: datetime.datetime | None, pks) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        if marque is not None:
            cursor.execute("SET LOCAL ipt.purge_lectures = %s", [marque])
        if avant is not None:
            cursor.execute("SET LOCAL ipt.purge_lectures_avant = %s", [avant.isoformat()])
        cursor.execute("DELETE FROM donnees_lecture WHERE id = ANY(%s)", [list(pks)])
        return cursor.rowcount


@pytest.mark.parametrize(
    ("marque", "avec_limite"), [(None, False), ("on", False), (None, True), ("off", True), ("oui", True)]
)
def test_old_rows_stay_without_both_settings_of_the_purge(ville_user, foyer, settings, marque, avec_limite):
    vieille = _vieille(ville_user, foyer, settings.CONSERVATION_LECTURES_JOURS + 30)
    limite = timezone.now() - datetime.timedelta(days=settings.CONSERVATION_LECTURES_JOURS)
    with pytest.raises(IntegrityError):
        _purger(marque=marque, avant=limite if avec_limite else None, pks=[vieille.pk])
    assert Lecture.objects.filter(pk=vieille.pk).exists()


def test_the_purge_deletes_rows_older_than_its_limit_and_only_those(ville_user, foyer, settings):
    jours = settings.CONSERVATION_LECTURES_JOURS
    vieille = _vieille(ville_user, foyer, jours + 1)
    recente = _vieille(ville_user, foyer, jours - 1)
    limite = timezone.now() - datetime.timedelta(days=jours)
    # A recent row in the batch: the whole DELETE is refused (nothing half-done).
    with pytest.raises(IntegrityError):
        _purger(marque="on", avant=limite, pks=[vieille.pk, recente.pk])
    assert Lecture.objects.filter(pk__in=[vieille.pk, recente.pk]).count() == 2
    assert _purger(marque="on", avant=limite, pks=[vieille.pk]) == 1
    assert list(Lecture.objects.values_list("pk", flat=True)) == [recente.pk]


def test_the_purge_settings_end_with_their_transaction(ville_user, foyer, settings):
    vieille = _vieille(ville_user, foyer, settings.CONSERVATION_LECTURES_JOURS + 30)
    limite = timezone.now() - datetime.timedelta(days=settings.CONSERVATION_LECTURES_JOURS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ipt.purge_lectures = 'on'")
        cursor.execute("SET LOCAL ipt.purge_lectures_avant = %s", [limite.isoformat()])
        transaction.set_rollback(True)  # the purge's transaction ends (rolled back to its savepoint)
    with pytest.raises(IntegrityError), transaction.atomic():
        vieille.delete()
    assert Lecture.objects.filter(pk=vieille.pk).exists()


# --- Who may see the log ---------------------------------------------------------------------------------


def test_the_household_page_links_to_its_log_for_city_staff_only(client, ville_user, accueil_user, foyer):
    url = reverse("logements:foyer", args=[foyer.pk])
    lien = reverse("donnees:lectures_foyer", args=[foyer.pk])
    client.force_login(ville_user)
    assert lien in client.get(url).content.decode()
    client.force_login(accueil_user)
    assert lien not in client.get(url).content.decode()


@pytest.mark.parametrize("user_of_role", ["accueil", "gardien", "bailleur", "animateur"], indirect=True)
def test_no_one_but_city_staff_opens_the_log(client, user_of_role, foyer):
    personne = PersonneFactory(foyer=foyer)
    noter_lecture(par=user_of_role, quoi=Lecture.Quoi.FOYER, foyer=foyer)
    client.force_login(user_of_role)
    for url in (
        reverse("donnees:lectures"),
        reverse("donnees:lectures_foyer", args=[foyer.pk]),
        reverse("donnees:lectures_personne", args=[personne.pk]),
    ):
        assert client.get(url).status_code == 403


def test_the_navigation_shows_the_log_to_city_staff_only(client, ville_user, accueil_user):
    client.force_login(ville_user)
    assert reverse("donnees:lectures") in client.get(reverse("logements:accueil")).content.decode()
    client.force_login(accueil_user)
    assert reverse("donnees:lectures") not in client.get(reverse("logements:accueil")).content.decode()


# --- "Who looked at this household?" ----------------------------------------------------------------------


def _ecrire(par, quoi, quand, *, foyer=None, personne=None):
    from ipt.roles import roles_de

    return Lecture.objects.create(
        par=par,
        par_nom=par.username,
        role=",".join(r.value for r in roles_de(par)),
        quoi=quoi,
        foyer=foyer,
        personne=personne,
        quand=quand,
    )


def _paris(*args):
    return datetime.datetime(*args, tzinfo=ZoneInfo("Europe/Paris"))


def test_staff_see_who_looked_at_a_household_and_its_people_newest_first(
    client, ville_user, accueil_user, animateur_user, foyer
):
    personne = PersonneFactory(foyer=foyer, prenom="Nolwenn", nom="Kerbrat")
    ailleurs = FoyerFactory(nom="Famille Ailleurs")
    _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 3, 2, 9, 15), foyer=foyer)
    _ecrire(animateur_user, Lecture.Quoi.PARCOURS, _paris(2026, 3, 3, 14, 0), foyer=foyer, personne=personne)
    _ecrire(ville_user, Lecture.Quoi.PROFIL, _paris(2026, 3, 4, 10, 30), foyer=foyer)
    _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 3, 5, 11, 0), foyer=ailleurs)
    client.force_login(ville_user)
    reponse = client.get(reverse("donnees:lectures_foyer", args=[foyer.pk]))
    assert reponse.status_code == 200
    lignes = [(lec.par_nom, lec.quoi) for lec in reponse.context["page"]]
    assert lignes == [("agent-ville", "profil"), ("animatrice-test", "parcours"), ("benevole", "foyer")]
    html = reponse.content.decode()
    assert "Qui a consulté ce foyer ?" in html
    assert "02/03/2026 09:15" in html  # local time
    assert "<td>Accueil</td>" in html and "<td>Animateur d’ateliers</td>" in html
    assert "Famille Ailleurs" not in html
    assert reverse("donnees:lectures_personne", args=[personne.pk]) in html


def test_a_present_occupant_read_before_moving_in_is_on_the_household_log(client, ville_user, foyer):
    personne = PersonneFactory(foyer=None)
    noter_lecture(par=ville_user, quoi=Lecture.Quoi.PARCOURS, personne=personne)
    personne.foyer = foyer
    personne.save()
    client.force_login(ville_user)
    reponse = client.get(reverse("donnees:lectures_foyer", args=[foyer.pk]))
    assert [lec.personne for lec in reponse.context["page"]] == [personne]


def test_the_household_log_filters_by_period_in_local_days(client, ville_user, accueil_user, foyer):
    _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 2, 28, 23, 30), foyer=foyer)
    dedans = _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 3, 1, 0, 10), foyer=foyer)
    dedans_aussi = _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 3, 31, 23, 50), foyer=foyer)
    _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 4, 1, 0, 5), foyer=foyer)
    client.force_login(ville_user)
    url = reverse("donnees:lectures_foyer", args=[foyer.pk])
    reponse = client.get(url, {"du": "2026-03-01", "au": "2026-03-31"})
    assert [lec.pk for lec in reponse.context["page"]] == [dedans_aussi.pk, dedans.pk]
    assert "du=2026-03-01" in reponse.context["parametres"]


def test_a_wrong_period_is_said_in_french_and_filters_nothing(client, ville_user, accueil_user, foyer):
    _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 3, 1, 10, 0), foyer=foyer)
    client.force_login(ville_user)
    url = reverse("donnees:lectures_foyer", args=[foyer.pk])
    reponse = client.get(url, {"du": "2026-04-01", "au": "2026-03-01"})
    assert reponse.status_code == 200
    assert "Le début de la période est après sa fin." in reponse.content.decode()
    assert reponse.context["page"].paginator.count == 1
    reponse = client.get(url, {"du": "1900-01-01", "au": "9999-12-31"})
    assert "Choisissez une date entre 2000 et 2100." in reponse.content.decode()


def test_the_household_log_is_paginated(client, ville_user, accueil_user, foyer):
    Lecture.objects.bulk_create(
        Lecture(par=accueil_user, par_nom="benevole", role="accueil", quoi="foyer", foyer=foyer)
        for _ in range(55)
    )
    client.force_login(ville_user)
    url = reverse("donnees:lectures_foyer", args=[foyer.pk])
    assert len(client.get(url).context["page"]) == 50
    assert len(client.get(url, {"page": 2}).context["page"]) == 5


@pytest.mark.parametrize("n", [3, 30])
def test_the_household_log_takes_the_same_queries_whatever_its_length(
    client, ville_user, accueil_user, foyer, django_assert_num_queries, n
):
    personnes = PersonneFactory.create_batch(3, foyer=foyer)
    for i in range(n):
        noter_lecture(par=accueil_user, quoi=Lecture.Quoi.FOYER, foyer=foyer)
        noter_lecture(par=ville_user, quoi=Lecture.Quoi.PARCOURS, foyer=foyer, personne=personnes[i % 3])
    client.force_login(ville_user)
    # session, user, permissions (2); the household, its occupants; the count and the page of reads
    with django_assert_num_queries(8):
        reponse = client.get(reverse("donnees:lectures_foyer", args=[foyer.pk]))
    assert reponse.context["page"].paginator.count == 2 * n


def test_staff_see_who_looked_at_a_person(
    client, ville_user, animateur_user, foyer, django_assert_num_queries
):
    personne = PersonneFactory(foyer=foyer, prenom="Nolwenn", nom="Kerbrat")
    autre = PersonneFactory(foyer=foyer)
    noter_lecture(par=animateur_user, quoi=Lecture.Quoi.PARCOURS, foyer=foyer, personne=personne)
    noter_lecture(par=animateur_user, quoi=Lecture.Quoi.PARCOURS, foyer=foyer, personne=autre)
    noter_lecture(par=ville_user, quoi=Lecture.Quoi.FOYER, foyer=foyer)
    client.force_login(ville_user)
    # session, user, permissions (2); the person; the count and the page of reads
    with django_assert_num_queries(7):
        reponse = client.get(reverse("donnees:lectures_personne", args=[personne.pk]))
    assert [(lec.par_nom, lec.personne) for lec in reponse.context["page"]] == [("animatrice-test", personne)]
    html = reponse.content.decode()
    assert "Qui a consulté cette personne ?" in html
    assert reverse("donnees:lectures_foyer", args=[foyer.pk]) in html


def test_the_visa_page_links_to_the_person_log_for_city_staff_only(client, ville_user):
    personne = PersonneFactory(foyer=None)
    client.force_login(ville_user)
    html = client.get(reverse("ateliers:visa_personne", args=[personne.pk])).content.decode()
    assert reverse("donnees:lectures_personne", args=[personne.pk]) in html


# --- Who read what, staff-wide ----------------------------------------------------------------------------


def test_the_staff_wide_log_filters_by_login_kind_and_period_and_ranks_readers(
    client, ville_user, accueil_user, animateur_user, foyer, django_assert_num_queries
):
    curieux = UserFactory(username="curieux", role="accueil")
    autres = FoyerFactory.create_batch(4)
    for f in autres:
        _ecrire(curieux, Lecture.Quoi.FOYER, _paris(2026, 3, 10, 22, 0), foyer=f)
    _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 3, 10, 9, 0), foyer=foyer)
    _ecrire(ville_user, Lecture.Quoi.PROFIL, _paris(2026, 3, 11, 9, 0), foyer=foyer)
    _ecrire(accueil_user, Lecture.Quoi.FOYER, _paris(2026, 1, 10, 9, 0), foyer=foyer)
    client.force_login(ville_user)
    url = reverse("donnees:lectures")
    # session, user, permissions (2); the count, the page of reads, the readers' ranking
    with django_assert_num_queries(7):
        reponse = client.get(url, {"du": "2026-03-01", "au": "2026-03-31"})
    assert reponse.context["page"].paginator.count == 6
    classement = [(ligne["par_nom"], ligne["n"], ligne["foyers"]) for ligne in reponse.context["lecteurs"]]
    assert classement == [("curieux", 4, 4), ("agent-ville", 1, 1), ("benevole", 1, 1)]
    assert "qui=curieux" in reponse.context["lecteurs"][0]["filtre"]

    reponse = client.get(url, {"qui": "curieux"})
    assert {lec.par_nom for lec in reponse.context["page"]} == {"curieux"}
    reponse = client.get(url, {"quoi": "profil"})
    assert [lec.par_nom for lec in reponse.context["page"]] == ["agent-ville"]
    reponse = client.get(url, {"quoi": "n-importe-quoi"})
    assert reponse.context["page"].paginator.count == 7
    assert "filtre-erreurs" in reponse.content.decode()
