"""Entering ballots through the pages: caretakers (their buildings), the desk (its quartiers), city staff."""

import datetime
import re

import pytest
from django.utils import timezone

from ipt.models import Evenement
from ipt.templatetags.typo import date_heure
from tests.factories import BulletinFactory, CentreSocialFactory, FoyerFactory, UserFactory
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


def _champ_code(page: str) -> str:
    """The code field's tag."""
    return (
        "<input"
        + page.split('name="code"')[0].rsplit("<input", 1)[1]
        + 'name="code"'
        + (page.split('name="code"')[1].split(">")[0])
    )


def _a_collecter(page: str) -> list[str]:
    liste = page.split('class="list-group list-group-flush small a-collecter"')[1].split("</ul>")[0]
    return re.findall(r'<li class="list-group-item py-1">([^<]*)</li>', liste)


def test_a_caretaker_enters_a_ballot_in_eight_queries_and_gets_a_fresh_form(
    client, gardien_user, scrutin, logements_immeuble, django_assert_num_queries
):
    client.force_login(gardien_user)
    client.get(url_saisie(scrutin))  # the page is open on the phone
    code = codes.afficher(code_de(scrutin, logements_immeuble[3]))
    # session, user, 2 permissions, lock the vote, the dwelling's building (its doors, their ballots, the
    # vote), insert the ballot, its audit entry: 8 queries, plus the SAVEPOINT and RELEASE that stand for
    # BEGIN and COMMIT inside the test's transaction.
    with django_assert_num_queries(8 + 2):
        reponse = poster(client, scrutin, code, "non")
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Bulletin enregistré" in page and logements_immeuble[3].emplacement in page
    champ = _champ_code(page)  # the code field is empty for the next one, and has the focus
    assert 'value="' not in champ and "autofocus" in champ
    assert "Les Embruns" not in page  # (the fixture's building has no name: its address is shown)
    assert f"{gardien_user.immeubles_gardes.get().adresse} : encore 7 logements à collecter sur 8" in page
    assert logements_immeuble[3].emplacement not in _a_collecter(page)
    bulletin = Bulletin.objects.get()
    assert (bulletin.logement, bulletin.choix, bulletin.canal, bulletin.saisi_par) == (
        logements_immeuble[3],
        "non",
        "gardien",
        gardien_user,
    )
    evenement = Evenement.objects.get(action="bulletin.saisie")
    assert (evenement.par, evenement.details["bulletin"]) == (gardien_user, bulletin.pk)


def test_the_entry_count_of_queries_does_not_grow_with_the_voters(
    client, gardien_user, scrutin, logements_immeuble, django_assert_num_queries
):
    client.force_login(gardien_user)
    for logement in logements_immeuble[:6]:
        poster(client, scrutin, code_de(scrutin, logement))
    code = code_de(scrutin, logements_immeuble[6])
    with django_assert_num_queries(8 + 2):
        reponse = poster(client, scrutin, code)
    assert "encore 1 logement à collecter sur 8" in reponse.content.decode()


def test_the_building_lists_the_doors_still_to_collect_not_how_anyone_voted(
    client, gardien_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    poster(client, scrutin, code_de(scrutin, logements_immeuble[0]), "non")
    poster(client, scrutin, code_de(scrutin, logements_immeuble[1]), "blanc")
    page = client.get(url_saisie(scrutin)).content.decode()
    assert _a_collecter(page) == [lg.emplacement for lg in logements_immeuble[2:]]
    zone = page.split('id="zone-saisie"')[1]
    assert not re.search(r"\b(oui|non|blanc)\b", zone.lower().split("</form>")[-1])  # nothing says how
    assert "2 réponses sur 12 logements" in page
    assert "Encore 1 réponse pour atteindre le seuil" in page


def test_when_every_door_of_the_building_has_voted_the_page_says_so(
    client, gardien_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    for logement in logements_immeuble:
        reponse = poster(client, scrutin, code_de(scrutin, logement))
    page = reponse.content.decode()
    assert "encore 0 logement à collecter sur 8" in page
    assert "Tous les logements de cet immeuble ont voté." in page


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
    premier = Bulletin.objects.get()
    quand = date_heure(premier.saisi_le).replace("\xa0", " ")
    assert f"Ce logement a déjà voté : son bulletin a été saisi le {quand} par Prénom Fictif" in page.replace(
        "\xa0", " "
    )
    assert "— canal : gardien." in page
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


def test_the_code_field_s_form_shows_the_door_and_cannot_vote(client, gardien_user, scrutin):
    """Enter in the code field submits the code's own form: a GET that shows the door, never a vote."""
    client.force_login(gardien_user)
    page = client.get(url_saisie(scrutin)).content.decode()
    etape = page.split('id="etape-saisie"')[1]
    formulaire = etape.split("<form")[1].split("</form>")[0]
    assert 'method="get"' in formulaire.split(">")[0] and "hx-get=" in formulaire.split(">")[0]
    assert 'name="code"' in formulaire
    assert 'name="choix"' not in page  # no choice before a door is shown


def test_a_valid_code_shows_its_door_before_anything_is_recorded(
    client, gardien_user, scrutin, logements_immeuble, django_assert_num_queries
):
    logement = logements_immeuble[5]
    FoyerFactory(logement=logement, nom="Famille Kerhervé")
    client.force_login(gardien_user)
    code = code_de(scrutin, logement)
    # session, user, 2 permissions, the dwelling with its vote and its ballot if any
    with django_assert_num_queries(5):
        reponse = client.get(url_saisie(scrutin), {"code": code.lower()}, **HTMX)
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert page.lstrip().startswith('<div id="etape-saisie">')  # only the step, swapped in place
    assert logement.immeuble.adresse in page and logement.emplacement in page
    assert "Kerhervé" not in page  # the door, never a name
    assert f'name="code" value="{codes.afficher(code)}"' in page
    assert [v for v in re.findall(r'name="choix" value="(\w+)"', page)] == ["oui", "non", "blanc"]
    assert not Bulletin.objects.exists()


def test_the_preview_refuses_what_cannot_be_entered_with_the_reason(
    client, gardien_user, scrutin, logements_immeuble, autre_immeuble
):
    client.force_login(gardien_user)
    mal_forme = client.get(url_saisie(scrutin), {"code": "AB0-1234"}, **HTMX)
    assert mal_forme.status_code == 422 and "ne contient jamais 0, O, 1 ni I" in mal_forme.content.decode()
    ailleurs = client.get(
        url_saisie(scrutin), {"code": code_de(scrutin, autre_immeuble.logements.first())}, **HTMX
    )
    assert ailleurs.status_code == 404
    assert "Aucun logement dont vous vous occupez" in ailleurs.content.decode()
    code = code_de(scrutin, logements_immeuble[0])
    poster(client, scrutin, code)
    deja = client.get(url_saisie(scrutin), {"code": code}, **HTMX)
    assert deja.status_code == 409
    assert "Ce logement a déjà voté" in deja.content.decode() and 'name="choix"' not in deja.content.decode()


def test_the_preview_of_a_vote_one_does_not_cover_is_404(client, scrutin, db):
    autre = UserFactory(role="gardien")
    client.force_login(autre)
    assert client.get(url_saisie(scrutin), {"code": "AB0"}, **HTMX).status_code == 404


def test_the_qr_link_opens_the_entry_page_with_the_dwelling_shown(
    client, gardien_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    code = codes.afficher(code_de(scrutin, logements_immeuble[2]))
    reponse = client.get(f"/votes/{scrutin.pk}/b/", {"code": code})
    assert reponse.status_code == 302 and reponse.url.startswith(url_saisie(scrutin))
    page = client.get(reponse.url).content.decode()
    assert "<html" in page
    assert f'Bulletin <span class="font-monospace">{code}</span>, logement' in page
    assert logements_immeuble[2].emplacement in page
    assert f'name="code" value="{code}"' in page and 'name="choix"' in page


# --- Undoing a ballot one has just entered -------------------------------------------------------------


def url_defaire(scrutin, bulletin, canal="gardien"):
    return f"/votes/{scrutin.pk}/saisie/{canal}/defaire/{bulletin.pk}/"


def test_the_recorded_message_offers_to_undo_it_for_two_minutes(
    client, gardien_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    page = poster(client, scrutin, code_de(scrutin, logements_immeuble[0])).content.decode()
    bulletin = Bulletin.objects.get()
    assert f'action="{url_defaire(scrutin, bulletin)}"' in page
    assert 'data-defaire="120"' in page and "possible pendant 2 minutes" in page


def test_the_caretaker_undoes_a_ballot_just_entered_as_staff_cancel_one(
    client, gardien_user, ville_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    poster(client, scrutin, code_de(scrutin, logements_immeuble[0]), "oui")
    bulletin = Bulletin.objects.get()
    reponse = client.post(url_defaire(scrutin, bulletin), **HTMX)
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Bulletin annulé" in page and logements_immeuble[0].emplacement in page
    assert 'name="choix"' in page  # the same door again, ready for the right choice
    bulletin.refresh_from_db()
    assert bulletin.annule and bulletin.annule_par == gardien_user
    assert bulletin.motif_annulation == "annulé par le gardien (erreur de saisie)"
    evenement = Evenement.objects.get(action="bulletin.annulation")
    assert evenement.par == gardien_user and evenement.details["bulletin"] == bulletin.pk
    # the right choice is then entered; the history keeps both
    poster(client, scrutin, code_de(scrutin, logements_immeuble[0]), "non")
    assert [(b.choix, b.annule) for b in Bulletin.objects.order_by("pk")] == [("oui", True), ("non", False)]
    client.force_login(ville_user)
    historique = client.get(f"/votes/{scrutin.pk}/historique/").content.decode()
    assert "annulé par le gardien (erreur de saisie)" in historique


def test_after_the_undo_time_only_staff_can_cancel(client, gardien_user, scrutin, logements_immeuble):
    inscrit = scrutin.inscrits.get(logement=logements_immeuble[0])
    ancien = BulletinFactory(
        inscrit=inscrit, saisi_par=gardien_user, saisi_le=timezone.now() - datetime.timedelta(seconds=121)
    )
    client.force_login(gardien_user)
    reponse = client.post(url_defaire(scrutin, ancien), **HTMX)
    assert reponse.status_code == 409
    assert "il ne peut plus être annulé ici. Appelez l’équipe de la ville" in reponse.content.decode()
    ancien.refresh_from_db()
    assert not ancien.annule
    assert not Evenement.objects.filter(action="bulletin.annulation").exists()
    recent = BulletinFactory(
        inscrit=scrutin.inscrits.get(logement=logements_immeuble[1]),
        saisi_par=gardien_user,
        saisi_le=timezone.now() - datetime.timedelta(seconds=100),
    )
    assert client.post(url_defaire(scrutin, recent), **HTMX).status_code == 200


def test_no_one_undoes_a_ballot_someone_else_entered(
    client, gardien_user, accueil_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    poster(client, scrutin, code_de(scrutin, logements_immeuble[0]))
    bulletin = Bulletin.objects.get()
    client.force_login(accueil_user)
    assert client.post(url_defaire(scrutin, bulletin, "accueil"), **HTMX).status_code == 404
    sans_acteur = BulletinFactory(
        inscrit=scrutin.inscrits.get(logement=logements_immeuble[1]), sans_acteur=True
    )
    client.force_login(gardien_user)
    assert client.post(url_defaire(scrutin, sans_acteur), **HTMX).status_code == 404
    assert not Bulletin.objects.filter(annule_le__isnull=False).exists()


def test_a_ballot_cannot_be_undone_once_the_vote_is_closed(
    client, gardien_user, ville_user, scrutin, logements_immeuble
):
    client.force_login(gardien_user)
    poster(client, scrutin, code_de(scrutin, logements_immeuble[0]))
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    reponse = client.post(url_defaire(scrutin, Bulletin.objects.get()), **HTMX)
    assert reponse.status_code == 409
    assert not Bulletin.objects.get().annule


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


def test_the_desk_sees_the_door_too_and_undoes_with_its_own_reason(
    client, accueil_user, scrutin, autre_immeuble
):
    logement = autre_immeuble.logements.order_by("pk").first()
    code = code_de(scrutin, logement)
    client.force_login(accueil_user)
    apercu = client.get(url_saisie(scrutin, "accueil"), {"code": code}, **HTMX).content.decode()
    assert "Résidence Voisine" in apercu and logement.emplacement in apercu and 'name="choix"' in apercu
    poster(client, scrutin, code, "blanc", canal="accueil")
    bulletin = Bulletin.objects.get()
    assert client.post(url_defaire(scrutin, bulletin, "accueil"), **HTMX).status_code == 200
    bulletin.refresh_from_db()
    assert bulletin.motif_annulation == "annulé à l’accueil (erreur de saisie)"
