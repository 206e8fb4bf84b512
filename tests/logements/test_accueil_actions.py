"""What the reception desk records: opt-ins and opt-outs, move-ins and move-outs, occupants, the profile."""

import datetime
import threading

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ipt.models import Evenement
from logements import services
from logements.models import Adhesion, Foyer, Personne
from tests.factories import (
    AdhesionFactory,
    CentreSocialFactory,
    FoyerFactory,
    LogementFactory,
    PersonneFactory,
    UserFactory,
)

AUJOURD_HUI = timezone.localdate
DEMAIN = lambda: timezone.localdate() + datetime.timedelta(days=1)  # noqa: E731
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def foyer(immeuble):
    return FoyerFactory(
        logement__immeuble=immeuble, nom="Famille Kerhervé", emmenage_le=datetime.date(2015, 3, 1)
    )


@pytest.fixture
def guichet(client, accueil_user):
    client.force_login(accueil_user)
    return client


def _adhesion(client, foyer, type, date=None, **extra):
    donnees = {"type": type, "date": (date or AUJOURD_HUI()).isoformat(), **extra}
    return client.post(f"/accueil/foyers/{foyer.pk}/adhesion/", donnees)


def _html(response) -> str:
    return response.content.decode()


# --- Opt-in and opt-out -------------------------------------------------------------------------


def test_an_opt_in_is_recorded_with_who_and_when_then_back_to_the_household(guichet, foyer, accueil_user):
    response = _adhesion(guichet, foyer, "adhesion", note="Venue avec sa fille")
    assert response.status_code == 302
    assert response.url == f"/accueil/foyers/{foyer.pk}/"
    adhesion = foyer.adhesions.get()
    assert (adhesion.type, adhesion.date, adhesion.note) == ("adhesion", AUJOURD_HUI(), "Venue avec sa fille")
    assert adhesion.saisie_par == accueil_user
    assert adhesion.saisie_le is not None
    page = guichet.get(response.url)
    html = _html(page)
    assert "Adhésion enregistrée pour « Famille Kerhervé »." in html
    assert "Adhérent" in html and "Enregistrer le désistement" in html
    # after an action, the cursor is back in the search box for the next person
    assert 'id="recherche-q"' in html and " autofocus" in html


def test_the_opt_in_date_is_today_by_default(guichet, foyer):
    html = _html(guichet.get(f"/accueil/foyers/{foyer.pk}/"))
    assert f'name="date" value="{AUJOURD_HUI().isoformat()}"' in html
    assert "Enregistrer l’adhésion" in html


def test_a_second_opt_in_is_refused_with_a_clear_message_and_no_duplicate(guichet, foyer):
    _adhesion(guichet, foyer, "adhesion", date=datetime.date(2020, 5, 4))
    response = _adhesion(guichet, foyer, "adhesion")
    assert response.status_code == 200
    assert "Ce foyer est déjà adhérent, depuis le 04/05/2020." in _html(response)
    assert foyer.adhesions.count() == 1


def test_an_opt_in_in_the_future_is_refused(guichet, foyer):
    response = _adhesion(guichet, foyer, "adhesion", date=DEMAIN())
    assert "La date ne peut pas être dans le futur." in _html(response)
    assert not foyer.adhesions.exists()


def test_an_opt_in_before_the_move_in_is_refused(guichet, foyer):
    response = _adhesion(guichet, foyer, "adhesion", date=datetime.date(2015, 2, 28))
    assert "La date ne peut pas précéder l’emménagement (01/03/2015)." in _html(response)
    assert not foyer.adhesions.exists()


def test_a_malformed_date_is_refused_in_french(guichet, foyer):
    response = guichet.post(
        f"/accueil/foyers/{foyer.pk}/adhesion/", {"type": "adhesion", "date": "31/02/2020"}
    )
    assert "Saisissez une date valide." in _html(response)
    assert not foyer.adhesions.exists()


def test_an_opt_out_without_an_opt_in_is_refused(guichet, foyer):
    response = _adhesion(guichet, foyer, "desistement")
    assert "Ce foyer n’est pas adhérent : il n’y a pas d’adhésion à résilier." in _html(response)
    assert not foyer.adhesions.exists()


def test_opt_in_opt_out_and_opt_in_again_make_a_history(guichet, foyer):
    _adhesion(guichet, foyer, "adhesion", date=datetime.date(2016, 1, 10))
    response = _adhesion(guichet, foyer, "desistement", date=datetime.date(2018, 6, 1))
    assert response.status_code == 302
    _adhesion(guichet, foyer, "adhesion", date=datetime.date(2021, 9, 15))
    assert list(foyer.adhesions.values_list("type", "date")) == [
        ("adhesion", datetime.date(2021, 9, 15)),
        ("desistement", datetime.date(2018, 6, 1)),
        ("adhesion", datetime.date(2016, 1, 10)),
    ]
    html = _html(guichet.get(f"/accueil/foyers/{foyer.pk}/"))
    assert "depuis le 15 septembre 2021" in html
    assert html.count("<tr>") == 4  # the heading and three changes


def test_a_change_dated_before_the_last_one_is_refused(guichet, foyer):
    _adhesion(guichet, foyer, "adhesion", date=datetime.date(2020, 5, 4))
    response = _adhesion(guichet, foyer, "desistement", date=datetime.date(2020, 5, 3))
    assert "La date ne peut pas précéder le dernier changement enregistré (adhésion du 04/05/2020)." in _html(
        response
    )
    assert foyer.adhesions.count() == 1


def test_an_opt_in_of_a_household_that_moved_out_is_refused(guichet, foyer):
    foyer.demenage_le = datetime.date(2020, 1, 1)
    foyer.save()
    response = _adhesion(guichet, foyer, "adhesion", date=datetime.date(2019, 1, 1))
    assert "Ce foyer a déménagé le 01/01/2020 : son adhésion ne peut plus changer." in _html(response)
    assert not foyer.adhesions.exists()


def test_the_household_page_shows_the_opt_in_history_with_who_entered_it(guichet, foyer, accueil_user):
    _adhesion(guichet, foyer, "adhesion", date=datetime.date(2020, 5, 4))
    html = _html(guichet.get(f"/accueil/foyers/{foyer.pk}/"))
    assert "04/05/2020" in html
    assert accueil_user.get_full_name() in html
    assert 'id="statut-adhesion"' in html and "depuis le 4 mai 2020" in html


# --- Move-out -----------------------------------------------------------------------------------


def test_a_move_out_ends_the_household_and_its_opt_in_but_keeps_its_history(guichet, foyer, accueil_user):
    AdhesionFactory(foyer=foyer, date=datetime.date(2016, 1, 1))
    response = guichet.post(f"/accueil/foyers/{foyer.pk}/demenagement/", {"demenage_le": "2024-07-31"})
    assert response.status_code == 302
    foyer.refresh_from_db()
    assert foyer.demenage_le == datetime.date(2024, 7, 31)
    assert list(foyer.adhesions.values_list("type", "date", "saisie_par")) == [
        ("desistement", datetime.date(2024, 7, 31), accueil_user.pk),
        ("adhesion", datetime.date(2016, 1, 1), None),
    ]
    entree = Evenement.objects.get(objet_id=str(foyer.pk), action="foyer.demenagement")
    assert (entree.par, entree.par_nom) == (accueil_user, accueil_user.username)
    assert entree.message == "Déménagement le 31/07/2024."
    html = _html(guichet.get(response.url))
    assert "A déménagé le 31 juillet 2024" in html
    assert "Enregistrer l’adhésion" not in html  # nothing more to record for a former household


def test_a_move_out_before_the_move_in_or_in_the_future_is_refused(guichet, foyer):
    response = guichet.post(f"/accueil/foyers/{foyer.pk}/demenagement/", {"demenage_le": "2015-02-01"})
    assert "Le déménagement ne peut pas précéder l’emménagement (01/03/2015)." in _html(response)
    response = guichet.post(
        f"/accueil/foyers/{foyer.pk}/demenagement/", {"demenage_le": DEMAIN().isoformat()}
    )
    assert "La date ne peut pas être dans le futur." in _html(response)
    foyer.refresh_from_db()
    assert foyer.demenage_le is None
    assert not Evenement.objects.exists()


def test_a_move_out_before_the_last_opt_in_change_is_refused(guichet, foyer):
    AdhesionFactory(foyer=foyer, date=datetime.date(2020, 5, 4))
    response = guichet.post(f"/accueil/foyers/{foyer.pk}/demenagement/", {"demenage_le": "2020-05-01"})
    assert "Le déménagement ne peut pas précéder le dernier changement d’adhésion" in _html(response)
    foyer.refresh_from_db()
    assert foyer.demenage_le is None
    assert foyer.adhesions.count() == 1


def test_a_second_move_out_is_refused(foyer, accueil_user):
    services.foyer_demenager(foyer=foyer, demenage_le=datetime.date(2020, 1, 1), par=accueil_user)
    with pytest.raises(ValidationError, match="a déjà déménagé, le 01/01/2020"):
        services.foyer_demenager(foyer=foyer, demenage_le=datetime.date(2021, 1, 1), par=accueil_user)


def test_the_database_refuses_a_move_out_before_the_move_in(foyer):
    foyer.demenage_le = datetime.date(2000, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        foyer.save()


# --- Move-in ------------------------------------------------------------------------------------


def test_a_move_in_creates_the_household_and_its_occupants_findable_at_once(guichet, immeuble, accueil_user):
    logement = LogementFactory(immeuble=immeuble)
    response = guichet.post(
        f"/accueil/logements/{logement.pk}/emmenagement/",
        {
            "nom": "Famille Le Bris",
            "telephone": "06 98 76 54 32",
            "email": "",
            "emmenage_le": "2025-09-01",
            "occupants-TOTAL_FORMS": "3",
            "occupants-INITIAL_FORMS": "0",
            "occupants-0-prenom": "Aziliz",
            "occupants-0-nom": "Le Bris",
            "occupants-1-prenom": "",
            "occupants-1-nom": "",
            "occupants-2-prenom": "",
            "occupants-2-nom": "",
        },
    )
    foyer = Foyer.objects.get(logement=logement)
    assert response.status_code == 302 and response.url == f"/accueil/foyers/{foyer.pk}/"
    assert (foyer.nom, foyer.emmenage_le, foyer.demenage_le) == (
        "Famille Le Bris",
        datetime.date(2025, 9, 1),
        None,
    )
    assert [str(p) for p in foyer.occupants.all()] == ["Aziliz Le Bris"]
    assert Evenement.objects.get(objet_id=str(foyer.pk), action="foyer.emmenagement").par == accueil_user
    results = guichet.get("/accueil/recherche/", {"q": "aziliz"}, **HTMX).context["resultats"]
    assert results.foyers == [foyer]
    assert guichet.get("/accueil/recherche/", {"q": "0698765432"}, **HTMX).context["resultats"].foyers == [
        foyer
    ]


def _emmenagement(client, logement, nom="Famille Nouvelle", date="2025-09-01", occupants=()):
    donnees = {
        "nom": nom,
        "telephone": "",
        "email": "",
        "emmenage_le": date,
        "occupants-TOTAL_FORMS": str(len(occupants)),
        "occupants-INITIAL_FORMS": "0",
    }
    for i, (prenom, nom_occupant) in enumerate(occupants):
        donnees[f"occupants-{i}-prenom"] = prenom
        donnees[f"occupants-{i}-nom"] = nom_occupant
    return client.post(f"/accueil/logements/{logement.pk}/emmenagement/", donnees)


def test_a_move_in_into_an_occupied_dwelling_is_refused_suggesting_the_move_out(guichet, foyer):
    response = _emmenagement(guichet, foyer.logement, occupants=[("Yann", "Nouveau")])
    assert response.status_code == 200
    assert (
        "Ce logement est encore celui du foyer « Famille Kerhervé » : enregistrez d’abord son déménagement."
        in _html(response)
    )
    assert Foyer.objects.count() == 1
    assert not Personne.objects.exists()
    assert not Evenement.objects.exists()


def test_a_move_in_after_the_move_out_is_accepted_and_not_before_it(guichet, foyer, accueil_user):
    services.foyer_demenager(foyer=foyer, demenage_le=datetime.date(2024, 6, 30), par=accueil_user)
    response = _emmenagement(guichet, foyer.logement, date="2024-06-29")
    assert "L’emménagement ne peut pas précéder le déménagement du foyer précédent (30/06/2024)." in _html(
        response
    )
    assert Foyer.objects.count() == 1
    assert _emmenagement(guichet, foyer.logement, date="2024-06-30").status_code == 302
    assert (
        Foyer.objects.filter(logement=foyer.logement, demenage_le__isnull=True).get().nom
        == "Famille Nouvelle"
    )


def test_a_bad_occupant_row_writes_nothing(guichet, immeuble):
    logement = LogementFactory(immeuble=immeuble)
    response = _emmenagement(guichet, logement, occupants=[("Yann", "Nouveau"), ("Solenn", "")])
    assert "Indiquez le prénom et le nom de cet occupant." in _html(response)
    assert not Foyer.objects.exists()
    assert not Personne.objects.exists()


def test_a_move_in_in_the_future_is_refused(guichet, immeuble):
    logement = LogementFactory(immeuble=immeuble)
    response = _emmenagement(guichet, logement, date=DEMAIN().isoformat())
    assert "La date ne peut pas être dans le futur." in _html(response)
    assert not Foyer.objects.exists()


def test_the_database_refuses_two_current_households_in_one_dwelling(foyer):
    with pytest.raises(IntegrityError), transaction.atomic():
        FoyerFactory(logement=foyer.logement)


def test_the_dwelling_page_offers_a_move_in_only_when_empty(guichet, foyer, accueil_user):
    url = f"/accueil/logements/{foyer.logement_id}/"
    assert "Enregistrer un emménagement" not in _html(guichet.get(url))
    services.foyer_demenager(foyer=foyer, demenage_le=datetime.date(2024, 6, 30), par=accueil_user)
    html = _html(guichet.get(url))
    assert "Enregistrer un emménagement" in html
    assert "du 1 mars 2015 au 30 juin 2024" in html


def test_a_volunteer_of_another_centre_cannot_move_anyone_in_or_out(client, foyer):
    ailleurs = UserFactory(username="benevole-ailleurs", role="accueil")
    CentreSocialFactory().membres.add(ailleurs)
    client.force_login(ailleurs)
    assert (
        client.post(f"/accueil/foyers/{foyer.pk}/demenagement/", {"demenage_le": "2024-01-01"}).status_code
        == 404
    )
    assert _adhesion(client, foyer, "adhesion").status_code == 404
    vide = LogementFactory(immeuble=foyer.logement.immeuble)
    assert _emmenagement(client, vide).status_code == 404
    foyer.refresh_from_db()
    assert foyer.demenage_le is None
    assert Foyer.objects.count() == 1 and not Adhesion.objects.exists()


# --- Occupants and contact details --------------------------------------------------------------


def test_adding_editing_and_removing_an_occupant_keeps_the_search_up_to_date(guichet, foyer, accueil_user):
    def trouve(q):
        return guichet.get("/accueil/recherche/", {"q": q}, **HTMX).context["resultats"].foyers == [foyer]

    response = guichet.post(
        f"/accueil/foyers/{foyer.pk}/occupants/ajouter/",
        {"occupant-prenom": "Gwénaëlle", "occupant-nom": "Kerhervé", "occupant-annee_naissance": "1988"},
    )
    assert response.status_code == 302
    personne = foyer.occupants.get()
    assert trouve("gwenaelle")
    response = guichet.post(
        f"/accueil/personnes/{personne.pk}/modifier/",
        {"prenom": "Nolwenn", "nom": "Kerhervé", "annee_naissance": "1988", "telephone": "07 01 02 03 04"},
    )
    assert response.status_code == 302
    assert not trouve("gwenaelle") and trouve("nolwenn") and trouve("07 01 02 03 04")
    response = guichet.post(f"/accueil/personnes/{personne.pk}/retirer/")
    assert response.status_code == 302
    personne.refresh_from_db()
    assert personne.foyer is None  # still known, outside the household
    assert not trouve("nolwenn")
    assert list(
        Evenement.objects.filter(type_objet__model="personne").order_by("pk").values_list("action", "par")
    ) == [
        ("personne.ajout", accueil_user.pk),
        ("personne.modification", accueil_user.pk),
        ("personne.depart", accueil_user.pk),
    ]


def test_an_occupant_with_a_wrong_year_of_birth_is_refused(guichet, foyer):
    response = guichet.post(
        f"/accueil/foyers/{foyer.pk}/occupants/ajouter/",
        {"occupant-prenom": "Yann", "occupant-nom": "Kerhervé", "occupant-annee_naissance": "1850"},
    )
    assert response.status_code == 200
    assert "Saisissez une année de naissance entre 1900 et" in _html(response)
    assert not Personne.objects.exists()


def test_editing_the_household_phone_makes_it_findable_by_the_new_number(guichet, foyer):
    response = guichet.post(
        f"/accueil/foyers/{foyer.pk}/modifier/",
        {"nom": "Famille Kerhervé", "telephone": "02.98.00.00.00", "email": "kerherve@example.org"},
    )
    assert response.status_code == 302
    found = guichet.get("/accueil/recherche/", {"q": "0298000000"}, **HTMX).context["resultats"].foyers
    assert found == [foyer]


def test_a_phone_that_is_not_one_is_refused(guichet, foyer):
    response = guichet.post(
        f"/accueil/foyers/{foyer.pk}/modifier/", {"nom": "Famille Kerhervé", "telephone": "abc"}
    )
    assert "Saisissez un numéro de téléphone en chiffres" in _html(response)
    foyer.refresh_from_db()
    assert foyer.telephone != "abc"


def test_an_occupant_of_another_quartier_is_out_of_reach(guichet):
    personne = PersonneFactory()
    assert guichet.get(f"/accueil/personnes/{personne.pk}/modifier/").status_code == 404
    assert guichet.post(f"/accueil/personnes/{personne.pk}/retirer/").status_code == 404
    personne.refresh_from_db()
    assert personne.foyer is not None


# --- The profile: recorded with consent, read only with the right to sensitive data ---------------


def _profil(client, foyer, **donnees):
    return client.post(f"/accueil/foyers/{foyer.pk}/profil/", donnees)


def test_the_desk_records_the_profile_with_consent_but_does_not_read_it_back(guichet, foyer):
    response = _profil(guichet, foyer, consentement="on", minima_sociaux="oui", personne_isolee="non")
    assert response.status_code == 302
    foyer.refresh_from_db()
    assert foyer.consentement_profil_le is not None
    assert (foyer.minima_sociaux, foyer.personne_isolee, foyer.famille_monoparentale) == (True, False, None)
    html = _html(guichet.get(f"/accueil/foyers/{foyer.pk}/"))
    assert "Enregistré avec l’accord du foyer le" in html
    assert "Seules les personnes que la ville habilite aux données sensibles voient les réponses." in html
    assert "Bénéficie des minima sociaux" not in html
    # the form to record it again does not show the recorded answers either
    html = _html(guichet.get(f"/accueil/foyers/{foyer.pk}/profil/"))
    assert 'value="oui" selected' not in html and 'value="non" selected' not in html


def test_city_staff_without_the_right_do_not_read_the_profile(client, ville_user, foyer):
    services.foyer_profil_enregistrer(
        foyer=foyer, minima_sociaux=True, personne_isolee=None, famille_monoparentale=False, par=ville_user
    )
    client.force_login(ville_user)
    html = _html(client.get(f"/accueil/foyers/{foyer.pk}/"))
    assert "Enregistré avec l’accord du foyer le" in html
    assert "Bénéficie des minima sociaux" not in html
    html = _html(client.get(f"/accueil/foyers/{foyer.pk}/profil/"))
    assert 'value="oui" selected' not in html and 'value="non" selected' not in html


def test_whoever_holds_the_right_reads_and_corrects_the_profile(client, ville_user, foyer):
    services.foyer_profil_enregistrer(
        foyer=foyer, minima_sociaux=True, personne_isolee=None, famille_monoparentale=False, par=ville_user
    )
    ville_user.user_permissions.add(Permission.objects.get(codename="voir_donnees_sensibles"))
    client.force_login(ville_user)
    html = _html(client.get(f"/accueil/foyers/{foyer.pk}/"))
    assert "Bénéficie des minima sociaux" in html
    html = _html(client.get(f"/accueil/foyers/{foyer.pk}/profil/"))
    assert 'value="oui" selected' in html and 'value="non" selected' in html


def test_without_consent_no_profile_is_recorded(guichet, foyer):
    response = _profil(guichet, foyer, minima_sociaux="oui")
    assert response.status_code == 200
    assert "Sans l’accord du foyer, rien ne peut être enregistré." in _html(response)
    foyer.refresh_from_db()
    assert foyer.consentement_profil_le is None and foyer.minima_sociaux is None


def test_withdrawing_consent_erases_the_profile(guichet, foyer, accueil_user):
    services.foyer_profil_enregistrer(
        foyer=foyer, minima_sociaux=True, personne_isolee=True, famille_monoparentale=True, par=accueil_user
    )
    response = guichet.post(f"/accueil/foyers/{foyer.pk}/profil/effacer/")
    assert response.status_code == 302
    foyer.refresh_from_db()
    assert foyer.consentement_profil_le is None
    assert (foyer.minima_sociaux, foyer.personne_isolee, foyer.famille_monoparentale) == (None, None, None)
    messages = list(Evenement.objects.filter(objet_id=str(foyer.pk)).values_list("message", flat=True))
    assert "Accord retiré : profil effacé." in messages
    assert "Oui" not in " ".join(messages) and "True" not in " ".join(
        messages
    )  # answers stay out of the history


def test_the_database_refuses_a_profile_without_consent(foyer):
    foyer.minima_sociaux = True
    with pytest.raises(IntegrityError), transaction.atomic():
        foyer.save()


# --- Navigation ---------------------------------------------------------------------------------


def test_every_desk_page_has_the_search_and_one_click_to_the_next_person(guichet, foyer):
    for url in (f"/accueil/foyers/{foyer.pk}/", f"/accueil/logements/{foyer.logement_id}/"):
        html = _html(guichet.get(url))
        assert 'id="recherche-q"' in html
        assert 'id="personne-suivante"' in html and 'href="/accueil/"' in html
        assert "js/accueil.js" in html


def test_the_household_page_leaves_clean_blocks_for_what_later_issues_add(guichet, foyer):
    html = _html(guichet.get(f"/accueil/foyers/{foyer.pk}/"))
    for absent in ("Décodeur", "Ordinateur", "Lorem", "TODO", "À venir"):  # the workshops card is built
        assert absent not in html


# --- Two volunteers at the same moment ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_opt_ins_at_the_same_moment_make_one(immeuble):
    """The second waits for the first (a row lock on the household), then sees it and is refused."""
    foyer = FoyerFactory(logement__immeuble=immeuble)
    premier, second = UserFactory(username="premier"), UserFactory(username="second")
    resultat = {}

    def au_second_guichet():
        try:
            services.adhesion_enregistrer(foyer=foyer, type="adhesion", date=AUJOURD_HUI(), par=second)
        except ValidationError as erreur:
            resultat["erreur"] = erreur.messages
        finally:
            connection.close()

    with transaction.atomic():
        services.adhesion_enregistrer(foyer=foyer, type="adhesion", date=AUJOURD_HUI(), par=premier)
        fil = threading.Thread(target=au_second_guichet)
        fil.start()
        fil.join(timeout=0.5)
        assert fil.is_alive()  # waiting for the first volunteer's transaction
    fil.join(timeout=10)
    assert resultat["erreur"] == [f"Ce foyer est déjà adhérent, depuis le {AUJOURD_HUI():%d/%m/%Y}."]
    assert list(foyer.adhesions.values_list("saisie_par__username", flat=True)) == ["premier"]
