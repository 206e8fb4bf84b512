"""Provider incidents through the HTTP stack: who reports what, scope per role, the staff's pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from equipements.models import Signalement
from equipements.signalements import signalement_creer, signalement_suivre
from tests.factories import ImmeubleFactory, LogementFactory, QuartierFactory
from tests.pdf import pdf_texte

pytestmark = pytest.mark.django_db

NOUVEAU = reverse("equipements:signalement_nouveau")


@pytest.fixture
def logement(immeuble):
    return LogementFactory(immeuble=immeuble, cage="B", etage=3, porte="32")


def _poster(client, immeuble, **champs):
    donnees = {"immeuble": immeuble.pk, "categorie": "prise", "cage": "", "etage": "", "porte": ""}
    return client.post(NOUVEAU, {**donnees, **champs})


def test_a_caretaker_reports_a_wall_socket_in_their_building(client, gardien_user, logement):
    client.force_login(gardien_user)
    reponse = _poster(
        client, logement.immeuble, cage="b", etage="3", porte="32", description="Prise arrachée"
    )
    assert reponse.status_code == 302 and reponse.url == NOUVEAU
    s = Signalement.objects.get()
    assert (s.logement, s.categorie, s.signale_par, s.signale_le) == (
        logement,
        "prise",
        gardien_user,
        timezone.localdate(),
    )


def test_a_caretaker_cannot_report_for_another_building(client, gardien_user, logement):
    autre = LogementFactory(cage="B", etage=3, porte="32")
    client.force_login(gardien_user)
    reponse = _poster(client, autre.immeuble, cage="B", etage="3", porte="32")
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Signalement.objects.exists()


def test_the_caretakers_form_lists_only_their_buildings_and_no_names(client, gardien_user, logement):
    autre = ImmeubleFactory(adresse="99 rue Ailleurs")
    client.force_login(gardien_user)
    page = client.get(NOUVEAU).content.decode()
    assert logement.immeuble.adresse in page and autre.adresse not in page


@pytest.mark.parametrize("url", ["equipements:signalements", "equipements:signalements_statistiques"])
def test_a_caretaker_cannot_open_the_staff_pages(client, gardien_user, url):
    client.force_login(gardien_user)
    assert client.get(reverse(url)).status_code == 403


def test_a_landlord_sees_nothing_of_the_incidents(client, bailleur_user, logement):
    client.force_login(bailleur_user)
    assert client.get(NOUVEAU).status_code == 403
    assert client.get(reverse("equipements:signalements")).status_code == 403


def test_an_unknown_dwelling_is_refused_in_french_and_nothing_written(client, gardien_user, logement):
    client.force_login(gardien_user)
    reponse = _poster(client, logement.immeuble, cage="Z", etage="9", porte="99")
    assert "Aucun logement de cet immeuble n’a cette cage" in reponse.content.decode()
    assert not Signalement.objects.exists()


def test_a_wall_socket_needs_the_dwelling(client, gardien_user, logement):
    client.force_login(gardien_user)
    reponse = _poster(client, logement.immeuble)
    assert "Indiquez la cage, l’étage ou la porte" in reponse.content.decode()
    assert not Signalement.objects.exists()


def test_a_building_outage_is_for_the_whole_building(client, gardien_user, logement):
    client.force_login(gardien_user)
    _poster(client, logement.immeuble, categorie="immeuble", cage="B", etage="3", porte="32")
    s = Signalement.objects.get()
    assert s.logement is None and s.immeuble == logement.immeuble


def test_a_volunteer_reports_from_the_household_page(client, accueil_user, logement):
    client.force_login(accueil_user)
    page = client.get(NOUVEAU, {"logement": logement.pk}).content.decode()
    assert 'value="32"' in page
    _poster(client, logement.immeuble, cage="B", etage="3", porte="32", categorie="decodeur")
    assert Signalement.objects.get().logement == logement


def test_a_volunteer_of_another_centre_gets_404_for_a_dwelling_out_of_scope(client, logement):
    from tests.factories import CentreSocialFactory, UserFactory

    autre_centre = CentreSocialFactory()
    QuartierFactory(centre_social=autre_centre)
    benevole = UserFactory(username="benevole-ailleurs", role="accueil")
    autre_centre.membres.add(benevole)
    client.force_login(benevole)
    assert client.get(NOUVEAU, {"logement": logement.pk}).status_code == 404
    assert _poster(client, logement.immeuble, cage="B", etage="3", porte="32").status_code == 200
    assert not Signalement.objects.exists()


def test_the_household_page_shows_the_incidents_of_its_dwelling(client, accueil_user, logement):
    from tests.factories import FoyerFactory

    foyer = FoyerFactory(logement=logement)
    signalement_creer(par=None, immeuble=logement.immeuble, logement=logement, categorie="signal")
    signalement_creer(par=None, immeuble=logement.immeuble, categorie="immeuble")
    signalement_creer(par=None, immeuble=ImmeubleFactory(), categorie="immeuble")  # another building
    client.force_login(accueil_user)
    page = client.get(reverse("logements:foyer", args=[foyer.pk])).content.decode()
    assert "Pas de signal" in page and "Panne d’immeuble" in page
    assert page.count("tout l’immeuble") == 1


# --- The staff's pages ------------------------------------------------------------------------------


def test_staff_see_open_incidents_oldest_first_with_the_overdue_marked(
    client, ville_user, logement, django_assert_num_queries
):
    aujourd_hui = timezone.localdate()
    ancien = signalement_creer(
        par=None,
        immeuble=logement.immeuble,
        logement=logement,
        categorie="prise",
        signale_le=aujourd_hui - datetime.timedelta(days=30),
    )
    recent = signalement_creer(par=None, immeuble=logement.immeuble, logement=logement, categorie="prise")
    client.force_login(ville_user)
    client.get(reverse("equipements:signalements"))
    with django_assert_num_queries(6):  # session, user, permissions (2), target times, incidents
        page = client.get(reverse("equipements:signalements")).content.decode()
    assert page.index(f'id="signalement-{ancien.pk}" class="table-danger"') < page.index(
        f'id="signalement-{recent.pk}">'
    )
    for _ in range(5):
        signalement_creer(par=None, immeuble=ImmeubleFactory(), categorie="immeuble")
    with django_assert_num_queries(6):
        client.get(reverse("equipements:signalements"))


def test_staff_record_the_follow_up(client, ville_user, logement):
    s = signalement_creer(
        par=None,
        immeuble=logement.immeuble,
        logement=logement,
        categorie="prise",
        signale_le=datetime.date(2026, 3, 2),
    )
    client.force_login(ville_user)
    reponse = client.post(
        reverse("equipements:signalement", args=[s.pk]),
        {
            "reference_fournisseur": "FO-123",
            "pris_en_compte_le": "2026-03-03",
            "resolu_le": "2026-03-13",
            "attente_locataire_jours": "2",
        },
    )
    assert reponse.status_code == 302
    s.refresh_from_db()
    assert (s.statut, s.reference_fournisseur, s.jours_resolution) == ("resolu", "FO-123", 7)


def test_a_follow_up_out_of_order_is_refused_in_french(client, ville_user, logement):
    s = signalement_creer(
        par=None, immeuble=logement.immeuble, categorie="immeuble", signale_le=datetime.date(2026, 3, 2)
    )
    client.force_login(ville_user)
    reponse = client.post(
        reverse("equipements:signalement", args=[s.pk]),
        {"reference_fournisseur": "", "pris_en_compte_le": "2026-03-01", "attente_locataire_jours": "0"},
    )
    assert "La prise en compte ne peut pas précéder le signalement" in reponse.content.decode()
    s.refresh_from_db()
    assert s.pris_en_compte_le is None


def test_the_statistics_page_shows_the_figures(client, ville_user, logement):
    s = signalement_creer(
        par=None,
        immeuble=logement.immeuble,
        logement=logement,
        categorie="prise",
        signale_le=datetime.date(2026, 3, 2),
    )
    signalement_suivre(
        par=None,
        signalement=s,
        reference_fournisseur="",
        pris_en_compte_le=datetime.date(2026, 3, 3),
        resolu_le=datetime.date(2026, 3, 20),
        attente_locataire_jours=0,
    )
    client.force_login(ville_user)
    url = reverse("equipements:signalements_statistiques")
    page = client.get(url, {"du": "2026-03", "au": "2026-03"}).content.decode()
    assert "mars 2026" in page and "14,0" in page and "0 %" in page


def test_the_escalation_letter_lists_the_overdue_incidents(client, ville_user, logement):
    aujourd_hui = timezone.localdate()
    s = signalement_creer(
        par=None,
        immeuble=logement.immeuble,
        logement=logement,
        categorie="prise",
        signale_le=aujourd_hui - datetime.timedelta(days=40),
    )
    Signalement.objects.filter(pk=s.pk).update(reference_fournisseur="FO-RETARD-1")
    a_l_heure = signalement_creer(par=None, immeuble=logement.immeuble, categorie="immeuble")
    Signalement.objects.filter(pk=a_l_heure.pk).update(reference_fournisseur="FO-A-L-HEURE")
    client.force_login(ville_user)
    reponse = client.get(reverse("equipements:signalements_relance"))
    assert reponse["Content-Type"] == "application/pdf"
    texte = pdf_texte(reponse.content, layout=False)  # the table cells in reading order
    assert "FO-RETARD-1" in texte and "FO-A-L-HEURE" not in texte
    assert "Opérateur Fibre Ouest" in texte and "12 quai de la Douane" in texte
    assert "Prise murale" in texte and "non pris en compte" in texte
    assert "Fait à Brest" in texte


def _signalement_resolu(logement, signale_le, resolu_le, categorie="prise"):
    s = signalement_creer(
        par=None, immeuble=logement.immeuble, logement=logement, categorie=categorie, signale_le=signale_le
    )
    signalement_suivre(
        par=None,
        signalement=s,
        reference_fournisseur="",
        pris_en_compte_le=signale_le,
        resolu_le=resolu_le,
        attente_locataire_jours=0,
    )
    return s


def test_the_statistics_show_the_last_12_months_by_default_and_filter(client, ville_user, logement):
    aujourd_hui = timezone.localdate()
    _signalement_resolu(logement, aujourd_hui, aujourd_hui)
    ancien = aujourd_hui.replace(day=1) - datetime.timedelta(days=366)  # 13 months ago or more
    _signalement_resolu(logement, ancien, ancien)
    client.force_login(ville_user)
    url = reverse("equipements:signalements_statistiques")
    reponse = client.get(url)
    assert 'id="synthese"' in reponse.content.decode()
    lignes = reponse.context["lignes"]
    assert [ligne.mois for ligne in lignes] == [aujourd_hui.replace(day=1)]
    reponse = client.get(url, {"du": f"{ancien:%Y-%m}", "au": f"{ancien:%Y-%m}"})
    assert [ligne.mois for ligne in reponse.context["lignes"]] == [ancien.replace(day=1)]
    assert [ligne.signales for ligne in reponse.context["synthese"]] == [1]
    reponse = client.get(url, {"categorie": "signal"})
    assert reponse.context["lignes"] == [] and reponse.context["synthese"] == []
    autre = QuartierFactory()
    reponse = client.get(url, {"quartier": autre.pk})
    assert reponse.context["lignes"] == []


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"du": "٣٤"}, "n’est pas un mois"),
        ({"du": "2026-05", "au": "2026-03"}, "Le premier mois est après le dernier"),
        ({"quartier": str(10**30)}, "Sélectionnez un choix valide"),
    ],
)
def test_a_bad_statistics_filter_gives_a_french_error(client, ville_user, parametres, message):
    client.force_login(ville_user)
    reponse = client.get(reverse("equipements:signalements_statistiques"), parametres)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert reponse.context["lignes"] is None


def test_the_statistics_page_takes_a_fixed_number_of_queries(client, ville_user, django_assert_num_queries):
    client.force_login(ville_user)
    url = reverse("equipements:signalements_statistiques")
    for n in (1, 20):
        quartier = QuartierFactory()
        for i in range(n):
            logement = LogementFactory(immeuble=ImmeubleFactory(quartier=quartier))
            jour = timezone.localdate() - datetime.timedelta(days=20 * i)
            _signalement_resolu(logement, jour, jour, categorie=("prise", "signal")[i % 2])
        # session, user, permissions (2), the quartier filtered on, target times, summary, details,
        # the quartiers of the form
        with django_assert_num_queries(9):
            client.get(url, {"quartier": quartier.pk})
