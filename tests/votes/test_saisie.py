"""Entering ballots through the pages: caretakers (their buildings), the desk (its quartiers), city staff."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CentreSocialFactory, UserFactory
from tests.votes.conftest import code_de, creer_scrutin
from votes import codes, services
from votes.models import Bulletin

HTMX = {"HTTP_HX_REQUEST": "true"}


def url_saisie(scrutin, canal="gardien"):
    return f"/votes/{scrutin.pk}/saisie/{canal}/"


def poster(client, scrutin, code, choix="oui", canal="gardien", **extra):
    return client.post(url_saisie(scrutin, canal), {"code": code, "choix": choix}, **HTMX, **extra)


def test_the_caretaker_page_shows_the_entry_form_in_a_fixed_number_of_queries(
    client, gardien_user, scrutin, django_assert_num_queries
):
    client.force_login(gardien_user)
    with django_assert_num_queries(7):  # session, user, 2 permissions, vote, buildings, voters
        reponse = client.get(url_saisie(scrutin))
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert 'name="code"' in page and "autofocus" in page
    assert "0 réponse sur 12 logements pour l’instant." in page
    assert "Encore 3 réponses pour atteindre le seuil (3)." in page  # 25 % of 12


def test_a_caretaker_enters_a_ballot_in_eight_queries_and_gets_a_fresh_form(
    client, gardien_user, scrutin, logements_immeuble, django_assert_num_queries
):
    client.force_login(gardien_user)
    client.get(url_saisie(scrutin))  # the page is open on the phone
    code = codes.afficher(code_de(scrutin, logements_immeuble[3]))
    # session, user, 2 permissions, lock the vote, the dwelling and its ballot if any, insert, the voters:
    # 8 queries, plus the SAVEPOINT and RELEASE that stand for BEGIN and COMMIT inside the test's transaction.
    with django_assert_num_queries(8 + 2):
        reponse = poster(client, scrutin, code, "non")
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Bulletin enregistré" in page and logements_immeuble[3].emplacement in page
    assert 'value=""' not in page or code not in page  # the code field is empty for the next one
    assert 'name="code"' in page and "autofocus" in page
    assert "1 logement sur 8 a voté" in page
    bulletin = Bulletin.objects.get()
    assert (bulletin.logement, bulletin.choix, bulletin.canal, bulletin.saisi_par) == (
        logements_immeuble[3],
        "non",
        "gardien",
        gardien_user,
    )


def test_the_entry_count_of_queries_does_not_grow_with_the_voters(
    client, gardien_user, scrutin, logements_immeuble, django_assert_num_queries
):
    client.force_login(gardien_user)
    for logement in logements_immeuble[:6]:
        poster(client, scrutin, code_de(scrutin, logement))
    code = code_de(scrutin, logements_immeuble[6])
    with django_assert_num_queries(8 + 2):
        reponse = poster(client, scrutin, code)
    assert "7 logements sur 8 ont voté" in reponse.content.decode()


def test_the_building_list_says_who_voted_not_how(client, gardien_user, scrutin, logements_immeuble):
    client.force_login(gardien_user)
    poster(client, scrutin, code_de(scrutin, logements_immeuble[0]), "non")
    poster(client, scrutin, code_de(scrutin, logements_immeuble[1]), "blanc")
    page = client.get(url_saisie(scrutin)).content.decode()
    liste = page.split('class="list-group list-group-flush small votants"')[1].split("</ul>")[0]
    assert logements_immeuble[0].emplacement in liste and logements_immeuble[1].emplacement in liste
    assert "non" not in liste.lower().replace("Résidence", "") and "blanc" not in liste.lower()
    assert "2 réponses sur 12 logements" in page
    assert "Encore 1 réponse pour atteindre le seuil" in page


def test_a_second_entry_is_refused_with_409_naming_who_entered_the_first(
    client, gardien_user, accueil_user, scrutin, logements_immeuble
):
    code = code_de(scrutin, logements_immeuble[0])
    client.force_login(gardien_user)
    poster(client, scrutin, code, "oui")
    client.force_login(accueil_user)
    reponse = poster(client, scrutin, code, "non", canal="accueil")
    page = reponse.content.decode()
    assert reponse.status_code == 409
    assert "Ce logement a déjà voté : son bulletin a été saisi par Prénom Fictif" in page
    assert "(gardien)" in page
    assert Bulletin.objects.get().choix == "oui"


def test_a_caretaker_on_another_building_s_dwelling_gets_404(client, gardien_user, scrutin, autre_immeuble):
    client.force_login(gardien_user)
    code = code_de(scrutin, autre_immeuble.logements.first())
    reponse = poster(client, scrutin, code)
    assert reponse.status_code == 404
    assert "Aucun logement dont vous vous occupez dans ce scrutin n’a le code" in reponse.content.decode()
    assert not Bulletin.objects.exists()
    # nor can the QR link of that ballot show whose it is
    assert client.get(url_saisie(scrutin), {"code": codes.afficher(code)}).status_code == 404


def test_a_caretaker_without_a_building_in_the_vote_gets_404(client, scrutin, db):
    autre = UserFactory(role="gardien")
    client.force_login(autre)
    assert client.get(url_saisie(scrutin)).status_code == 404


def test_a_malformed_code_answers_422_and_keeps_what_was_typed(client, gardien_user, scrutin):
    client.force_login(gardien_user)
    reponse = poster(client, scrutin, "AB0-1234")
    page = reponse.content.decode()
    assert reponse.status_code == 422
    assert "ne contient jamais 0, O, 1 ni I" in page
    assert 'value="AB0-1234"' in page


def test_a_missing_choice_answers_422(client, gardien_user, scrutin, logements_immeuble):
    client.force_login(gardien_user)
    reponse = client.post(url_saisie(scrutin), {"code": code_de(scrutin, logements_immeuble[0])}, **HTMX)
    assert reponse.status_code == 422
    assert "Choisissez oui, non ou blanc." in reponse.content.decode()


def test_no_entry_after_the_close_answers_409(client, gardien_user, ville_user, scrutin, logements_immeuble):
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    client.force_login(gardien_user)
    reponse = poster(client, scrutin, code_de(scrutin, logements_immeuble[0]))
    assert reponse.status_code == 409
    assert "plus aucun bulletin ne peut être saisi" in reponse.content.decode()


def test_the_page_says_when_the_vote_opens_and_shows_no_form_before(
    client, gardien_user, quartier, logements_immeuble
):
    demain = timezone.now() + datetime.timedelta(days=1)
    scrutin = creer_scrutin(quartier, ouvre_le=demain, ferme_le=demain + datetime.timedelta(days=2))
    client.force_login(gardien_user)
    page = client.get(url_saisie(scrutin)).content.decode()
    assert "Ce scrutin ouvre le" in page
    assert 'name="choix"' not in page


def test_without_htmx_the_whole_page_comes_back(client, gardien_user, scrutin, logements_immeuble):
    client.force_login(gardien_user)
    reponse = client.post(
        url_saisie(scrutin), {"code": code_de(scrutin, logements_immeuble[0]), "choix": "oui"}
    )
    assert reponse.status_code == 200
    assert "<html" in reponse.content.decode() and "Bulletin enregistré" in reponse.content.decode()


def test_the_enter_key_cannot_vote(client, gardien_user, scrutin):
    client.force_login(gardien_user)
    page = client.get(url_saisie(scrutin)).content.decode()
    formulaire = page.split('id="zone-saisie"')[1]
    premier_bouton = formulaire.split("<button")[1]
    assert "disabled" in premier_bouton.split(">")[0]


def test_the_qr_link_opens_the_entry_page_with_the_dwelling_shown(
    client, gardien_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    code = codes.afficher(code_de(scrutin, logements_immeuble[2]))
    reponse = client.get(f"/votes/{scrutin.pk}/b/", {"code": code})
    assert reponse.status_code == 302 and reponse.url.startswith(url_saisie(scrutin))
    page = client.get(reponse.url).content.decode()
    assert "Bulletin de :" in page and logements_immeuble[2].emplacement in page
    assert f'value="{code}"' in page


def test_the_desk_enters_ballots_for_its_quartiers(
    client, accueil_user, scrutin, logements_immeuble, autre_immeuble
):
    client.force_login(accueil_user)
    assert client.get(url_saisie(scrutin, "accueil")).status_code == 200
    reponse = poster(client, scrutin, code_de(scrutin, autre_immeuble.logements.first()), canal="accueil")
    assert reponse.status_code == 200
    assert Bulletin.objects.get().canal == "accueil"


def test_another_centre_s_desk_gets_404(client, scrutin, logements_immeuble, db):
    benevole = UserFactory(role="accueil")
    CentreSocialFactory().membres.add(benevole)
    client.force_login(benevole)
    assert client.get(url_saisie(scrutin, "accueil")).status_code == 404
    assert (
        poster(client, scrutin, code_de(scrutin, logements_immeuble[0]), canal="accueil").status_code == 404
    )


@pytest.mark.parametrize(
    ("role", "canal"),
    [
        ("bailleur", "gardien"),
        ("bailleur", "accueil"),
        ("gardien", "accueil"),
        ("gardien", "ville"),
        ("accueil", "ville"),
    ],
)
def test_a_channel_is_open_only_to_its_role(client, scrutin, role, canal, request):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert client.get(url_saisie(scrutin, canal)).status_code == 403


def test_the_caretaker_lands_on_the_entry_of_the_open_vote(client, gardien_user, scrutin):
    client.force_login(gardien_user)
    reponse = client.get("/")
    assert reponse.url == "/votes/gardien/"
    assert client.get("/votes/gardien/").url == url_saisie(scrutin)


def test_the_caretaker_home_without_an_open_vote_lists_their_buildings(client, gardien_user, immeuble):
    client.force_login(gardien_user)
    page = client.get("/votes/gardien/").content.decode()
    assert "Aucun scrutin n’est ouvert sur vos immeubles." in page
    assert immeuble.adresse in page


def test_the_desk_lists_the_open_votes_of_its_quartiers(client, accueil_user, scrutin):
    client.force_login(accueil_user)
    page = client.get("/votes/accueil/").content.decode()
    assert scrutin.intitule in page and url_saisie(scrutin, "accueil") in page


def test_the_qr_link_takes_city_staff_to_their_own_channel(client, ville_user, scrutin, logements_immeuble):
    client.force_login(ville_user)
    reponse = client.get(f"/votes/{scrutin.pk}/b/", {"code": code_de(scrutin, logements_immeuble[0])})
    assert reponse.url.startswith(url_saisie(scrutin, "ville"))


def test_posting_on_a_vote_outside_one_s_buildings_is_404_whatever_the_input(client, scrutin, db):
    autre = UserFactory(role="gardien")
    client.force_login(autre)
    assert poster(client, scrutin, "pas un code").status_code == 404
    assert poster(client, scrutin, "").status_code == 404


def test_odd_digits_in_the_building_parameter_do_not_break_the_page(client, gardien_user, scrutin):
    client.force_login(gardien_user)
    assert client.get(url_saisie(scrutin) + "?immeuble=²").status_code == 200
