"""The outreach list ("les réticents"): opted-in households of whom nobody has signed up or attended for
N months, their last contact, the call list, the attempts recorded and the invitation letters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers import selectors_besoins as lectures
from ateliers import services_besoins as services
from ateliers.models import Atelier, Inscription, Presence, Seance, Structure, TentativeContact
from ipt.models import Travail
from tests.factories import (
    AdhesionFactory,
    FoyerFactory,
    ImmeubleFactory,
    LogementFactory,
    PersonneFactory,
    QuartierFactory,
)
from tests.pdf import pdf_pages, pdf_texte

IL_Y_A_UN_AN = timezone.localdate() - datetime.timedelta(days=365)


def _foyer(immeuble, nom, *, adhesion=IL_Y_A_UN_AN, telephone="06 11 22 33 44"):
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom=nom, telephone=telephone)
    if adhesion:
        AdhesionFactory(foyer=foyer, date=adhesion)
    PersonneFactory(foyer=foyer, prenom="Anne", nom=nom)
    return foyer


def _seance(quartier, *, jours):
    atelier = Atelier.objects.create(
        titre="Premiers pas", structure=Structure.objects.get_or_create(nom="Clic (fictive)")[0]
    )
    return Seance.objects.create(
        atelier=atelier,
        quartier=quartier,
        debut=timezone.now() + datetime.timedelta(days=jours),
        duree=datetime.timedelta(hours=2),
        lieu="Salle",
        capacite=10,
    )


@pytest.fixture
def foyers(immeuble):
    quartier = immeuble.quartier
    f = {nom: _foyer(immeuble, nom) for nom in ("Silencieux", "Inscrit", "Present", "Ancien")}
    # Signed up last month; attended two months ago; attended eight months ago (quiet for six).
    Inscription.objects.create(personne=f["Inscrit"].occupants.get(), seance=_seance(quartier, jours=10))
    Presence.objects.create(
        seance=_seance(quartier, jours=-60), personne=f["Present"].occupants.get(), etat="present"
    )
    Presence.objects.create(
        seance=_seance(quartier, jours=-240), personne=f["Ancien"].occupants.get(), etat="present"
    )
    # Not on the list: opted in last month, opted out, never opted in, moved out.
    f["Nouveau"] = _foyer(immeuble, "Nouveau", adhesion=timezone.localdate() - datetime.timedelta(days=30))
    f["Parti"] = _foyer(immeuble, "Parti")
    AdhesionFactory(
        foyer=f["Parti"], type="desistement", date=timezone.localdate() - datetime.timedelta(days=100)
    )
    f["Jamais"] = _foyer(immeuble, "Jamais", adhesion=None)
    f["Demenage"] = _foyer(immeuble, "Demenage")
    f["Demenage"].demenage_le = timezone.localdate()
    f["Demenage"].save()
    return f


def test_the_list_holds_the_opted_in_households_quiet_for_n_months(ville_user, foyers):
    assert {f.nom for f in lectures.reticents(ville_user)} == {"Silencieux", "Ancien"}
    assert {f.nom for f in lectures.reticents(ville_user, mois=12)} == {"Silencieux"}
    assert {f.nom for f in lectures.reticents(ville_user, mois=1)} == {"Silencieux", "Ancien", "Present"}


def test_a_volunteer_sees_the_list_of_their_centre_only(client, accueil_user, foyers):
    ailleurs = _foyer(ImmeubleFactory(quartier=QuartierFactory(nom="Bellevue")), "Ailleurs")
    client.force_login(accueil_user)
    page = client.get(reverse("ateliers:reticents")).content.decode()
    assert "Silencieux" in page and "Ancien" in page
    assert "Ailleurs" not in page and "Nouveau" not in page
    assert client.get(reverse("ateliers:reticent_foyer", args=[ailleurs.pk])).status_code == 404


def test_a_call_is_recorded_from_a_phone_and_becomes_the_last_contact(client, accueil_user, foyers):
    foyer = foyers["Silencieux"]
    client.force_login(accueil_user)
    reponse = client.post(
        reverse("ateliers:reticent_foyer", args=[foyer.pk]),
        {
            "canal": "telephone",
            "issue": "refus",
            "motif": "garde_enfants",
            "note": "Rappeler en juin",
            "retour": "appels",
        },
    )
    assert reponse.headers["Location"] == reverse("ateliers:reticents_appels")
    tentative = TentativeContact.objects.get()
    assert (tentative.foyer, tentative.par, tentative.motif) == (foyer, accueil_user, "garde_enfants")
    page = client.get(reverse("ateliers:reticents_appels")).content.decode()
    assert "garde des enfants" in page
    assert 'href="tel:0611223344"' in page


def test_an_unanswered_call_with_a_reason_is_refused_in_french_and_nothing_is_written(
    client, accueil_user, foyers
):
    client.force_login(accueil_user)
    reponse = client.post(
        reverse("ateliers:reticent_foyer", args=[foyers["Silencieux"].pk]),
        {"canal": "telephone", "issue": "injoignable", "motif": "sante"},
    )
    assert reponse.status_code == 200
    assert "Personne n’a répondu" in reponse.content.decode()
    assert not TentativeContact.objects.exists()


def test_the_call_list_keeps_the_households_with_a_phone(ville_user, immeuble, foyers):
    sans = _foyer(immeuble, "Sanstel", telephone="")
    sans.occupants.update(telephone="")
    joignables = {f.nom for f in lectures.avec_telephone(lectures.reticents(ville_user))}
    assert joignables == {"Silencieux", "Ancien"}


def test_the_call_list_keeps_a_household_without_a_phone_whose_occupant_has_one(ville_user, immeuble, foyers):
    par_occupant = _foyer(immeuble, "Paroccupant", telephone="")
    par_occupant.occupants.update(telephone="07 00 00 00 01")
    PersonneFactory(foyer=None, prenom="Sans", nom="Foyer", telephone="07 00 00 00 02")
    joignables = {f.nom for f in lectures.avec_telephone(lectures.reticents(ville_user))}
    assert joignables == {"Silencieux", "Ancien", "Paroccupant"}


def test_the_list_and_the_call_list_answer_in_a_fixed_number_of_queries(
    client, accueil_user, immeuble, foyers, django_assert_num_queries
):
    client.force_login(accueil_user)
    # session, user, 2 permission sets; the quartiers of the filter, the count, the page's households,
    # their figures and last contact, their occupants
    with django_assert_num_queries(9):
        client.get(reverse("ateliers:reticents"))
    with django_assert_num_queries(9):
        client.get(reverse("ateliers:reticents_appels"))
    for i in range(20):
        foyer = _foyer(immeuble, f"Foyer{i}")
        TentativeContact.objects.create(foyer=foyer, canal="porte", issue="rappeler", motif="pas_le_temps")
    with django_assert_num_queries(9):
        page = client.get(reverse("ateliers:reticents")).content.decode()
    assert "Foyer19" in page and "pas le temps" in page
    with django_assert_num_queries(9):
        client.get(reverse("ateliers:reticents_appels"))


def test_the_invitation_letters_are_made_by_a_job_one_page_per_household_and_recorded(
    client, accueil_user, immeuble, foyers, django_capture_on_commit_callbacks
):
    prochaine = _seance(immeuble.quartier, jours=12)
    client.force_login(accueil_user)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("ateliers:reticents_courriers"), {"mois": 6})
    travail = Travail.objects.get(nature=services.NATURE_COURRIERS)
    assert reponse.headers["Location"].startswith(reverse("travail", args=[travail.pk]))
    assert travail.statut == Travail.Statut.TERMINE, travail.message
    contenu = b"".join(client.get(reverse("travail_telecharger", args=[travail.pk])).streaming_content)
    pages = pdf_pages(contenu, layout=False)
    assert len(pages) == 2
    assert "Silencieux" in pages[0] + pages[1] and "Ancien" in pages[0] + pages[1]
    assert immeuble.adresse.split(",")[0] in pdf_texte(contenu, layout=False)
    assert prochaine.atelier.titre in pages[0]
    lettres = TentativeContact.objects.filter(canal="courrier", issue="envoye", par=accueil_user)
    assert {t.foyer.nom for t in lettres} == {"Silencieux", "Ancien"}


def test_no_letters_for_an_empty_list_says_so_in_french(
    client, accueil_user, immeuble, django_capture_on_commit_callbacks
):
    client.force_login(accueil_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ateliers:reticents_courriers"), {"mois": 6})
    travail = Travail.objects.get(nature=services.NATURE_COURRIERS)
    assert travail.statut == Travail.Statut.ECHEC
    assert "la liste est vide" in travail.message
