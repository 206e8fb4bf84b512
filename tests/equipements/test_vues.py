"""The handout desk through HTTP: scan + Enter adds, confirm records; refusals on the page; scope; queries."""

import datetime
import html

import pytest
from django.contrib.contenttypes.models import ContentType

from equipements import services
from equipements.models import Decodeur, Recu, Remise
from logements.models import Adhesion
from tests.equipements.conftest import PNG_1PX, decodeurs, foyer_adherent
from tests.factories import AdhesionFactory, CentreSocialFactory, FoyerFactory, LogementFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(foyer):
    return f"/equipements/foyers/{foyer.pk}/remise/"


def test_the_household_page_offers_the_handover_and_the_serial_field_adds_on_enter(
    client, foyer, stock, accueil_user
):
    client.force_login(accueil_user)
    page = client.get(f"/accueil/foyers/{foyer.pk}/").content.decode()
    assert url(foyer) in page and "Remettre un décodeur" in page
    # A scanner types the serial and Enter: the form is posted with its first button, "Add".
    reponse = client.post(url(foyer), {"numero": "sn00001\n", "ajouter": "1"})
    assert reponse.status_code == 200
    assert reponse.context["numeros"] == ["SN00001"]
    reponse = client.post(url(foyer), {"numeros": ["SN00001"], "numero": "SN-00002", "autre": "Câble"})
    assert reponse.context["numeros"] == ["SN00001", "SN00002"] and reponse.context["autres"] == ["Câble"]
    assert Remise.objects.count() == 0
    reponse = client.post(
        url(foyer),
        {
            "numeros": ["SN00001", "SN00002"],
            "autres": ["Câble"],
            "date": "2026-02-26",
            "signature": PNG_1PX,
            "confirmer": "1",
        },
    )
    assert reponse.status_code == 302
    remise = Remise.objects.get()
    assert bytes(remise.signature_png).startswith(b"\x89PNG")
    page = client.get(f"/accueil/foyers/{foyer.pk}/").content.decode()
    assert "REM-2026-00001" in page and "SN00002" in page
    pdf = client.get(f"/equipements/recus/{remise.recu_id}/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == client.get(f"/equipements/recus/{remise.recu_id}/").content
    assert pdf.content == Recu.objects.get().pdf.open("rb").read()


def test_an_unknown_serial_is_refused_on_the_page_in_french(client, foyer, stock, accueil_user):
    client.force_login(accueil_user)
    reponse = client.post(url(foyer), {"numero": "XX1", "ajouter": "1"})
    assert reponse.status_code == 400
    assert "Le numéro de série XX1 n’est pas dans le stock de décodeurs." in reponse.content.decode()


def test_a_serial_with_another_household_is_refused_on_confirm_and_nothing_is_written(
    client, foyer, stock, accueil_user
):
    autre = foyer_adherent(foyer.logement.immeuble, "Famille Le Gall")
    services.remise_enregistrer(
        foyer=autre, numeros=["SN00001"], signe_sur_papier=True, par=accueil_user, rendre_pdf=False
    )
    client.force_login(accueil_user)
    reponse = client.post(
        url(foyer), {"numeros": ["SN00001"], "date": "2026-02-26", "signe_sur_papier": "on", "confirmer": "1"}
    )
    assert reponse.status_code == 400
    assert "déjà chez un autre foyer" in reponse.content.decode()
    assert Remise.objects.count() == 1


def test_unsigned_is_refused(client, foyer, stock, accueil_user):
    client.force_login(accueil_user)
    reponse = client.post(url(foyer), {"numeros": ["SN00001"], "date": "2026-02-26", "confirmer": "1"})
    assert reponse.status_code == 400 and "signé sur papier" in reponse.content.decode()
    assert Remise.objects.count() == 0


def test_a_household_not_opted_in_is_offered_the_opt_in(client, adopte, immeuble, stock, accueil_user):
    foyer = FoyerFactory(logement=LogementFactory(immeuble=immeuble))
    client.force_login(accueil_user)
    page = client.get(url(foyer)).content.decode()
    assert "enregistrez d’abord son adhésion" in page
    assert f'href="/accueil/foyers/{foyer.pk}/#form-adhesion"' in page
    reponse = client.post(url(foyer), {"numeros": ["SN00001"], "signe_sur_papier": "on", "confirmer": "1"})
    assert reponse.status_code == 200 and Remise.objects.count() == 0


def test_scope_volunteer_of_another_centre_404_caretaker_and_landlord_403(
    client, foyer, stock, gardien_user, bailleur_user
):
    hors = UserFactory(username="benevole-ailleurs", role="accueil")
    CentreSocialFactory().membres.add(hors)
    remise = services.remise_enregistrer(
        foyer=foyer, numeros=["SN00001"], signe_sur_papier=True, par=None, rendre_pdf=False
    )
    for user, attendu in [(hors, 404), (gardien_user, 403), (bailleur_user, 403)]:
        client.force_login(user)
        for adresse in [
            url(foyer),
            f"/equipements/foyers/{foyer.pk}/restitution/",
            f"/equipements/recus/{remise.recu_id}/",
        ]:
            assert client.get(adresse).status_code == attendu, (user, adresse)
        assert (
            client.post(
                url(foyer), {"numeros": ["SN00002"], "signe_sur_papier": "on", "confirmer": "1"}
            ).status_code
            == attendu
        )
    assert Remise.objects.count() == 1


def test_move_out_page_warns_and_return_then_the_list_to_recover(client, foyer, stock, accueil_user):
    remise = services.remise_enregistrer(
        foyer=foyer,
        numeros=["SN00001", "SN00002"],
        signe_sur_papier=True,
        par=accueil_user,
        rendre_pdf=False,
        date=datetime.date(2026, 2, 26),
    )
    client.force_login(accueil_user)
    page = client.get(f"/accueil/foyers/{foyer.pk}/").content.decode()
    assert 'id="demenagement-equipement"' in page and "détient encore 2 objets" in page
    assert "SN00001" not in client.get("/equipements/a-recuperer/").content.decode()
    client.post(f"/accueil/foyers/{foyer.pk}/demenagement/", {"demenage_le": "2026-03-01"})
    assert "SN00001" in client.get("/equipements/a-recuperer/").content.decode()
    premiere = remise.lignes.get(decodeur__numero_serie="SN00001")
    reponse = client.post(
        f"/equipements/foyers/{foyer.pk}/restitution/",
        {
            "lignes": [premiere.pk],
            "date": "2026-03-02",
            "motif": "demenagement",
            "etat": "bon",
            "signature": PNG_1PX,
        },
    )
    assert reponse.status_code == 302, reponse.content.decode()[-3000:]
    liste = client.get("/equipements/a-recuperer/").content.decode()
    assert "SN00001" not in liste and "SN00002" in liste
    assert Decodeur.objects.get(numero_serie="SN00001").statut == Decodeur.Statut.RESTITUE


@pytest.mark.parametrize("n", [2, 12])
def test_the_list_to_recover_and_the_household_page_take_fixed_queries(
    client, adopte, immeuble, accueil_user, django_assert_num_queries, n
):
    stock = decodeurs(2 * n, prefixe="Q")
    for i in range(n):
        foyer = foyer_adherent(immeuble, f"Famille {i}")
        numeros = [stock[2 * i].numero_serie]
        if i == n - 1:  # the last household holds n decoders
            numeros += [stock[2 * j + 1].numero_serie for j in range(n - 1)]
        services.remise_enregistrer(
            foyer=foyer, numeros=numeros, signe_sur_papier=True, par=accueil_user, rendre_pdf=False
        )
        AdhesionFactory(foyer=foyer, type=Adhesion.Type.DESISTEMENT, date=datetime.date(2026, 1, 1))
    client.force_login(accueil_user)
    with django_assert_num_queries(5):  # session, user, permissions (2), the lines
        reponse = client.get("/equipements/a-recuperer/")
    assert len(reponse.context["lignes"]) == 2 * n - 1
    with django_assert_num_queries(19):  # as tests/logements/test_accueil_recherche.py counts (+ read log)
        client.get(f"/accueil/foyers/{foyer.pk}/")


def test_handout_days_planned_by_city_staff_appear_on_the_campaign_timeline(client, ville_user, journee):
    from tests.factories import CampagneFactory

    campagne = CampagneFactory(quartier=journee.quartier)
    client.force_login(ville_user)
    page = client.get(f"/quartiers/campagnes/{campagne.pk}/").content.decode()
    assert 'id="journees-remise"' in page
    page = " ".join(html.unescape(page).replace("\xa0", " ").replace("\u202f", " ").split())
    assert "9 h 30 – 17 h" in page and "Centre social de Keredern" in page


@pytest.mark.parametrize("n", [1, 4])
def test_a_handover_through_http_takes_a_fixed_number_of_queries(
    client, adopte, immeuble, accueil_user, journee, django_assert_num_queries, n
):
    foyer = foyer_adherent(immeuble)
    stock = decodeurs(n)
    client.force_login(accueil_user)
    donnees = {
        "numeros": [d.numero_serie for d in stock],
        "autres": ["Câble"],
        "date": "2026-02-26",
        "journee": journee.pk,
        "signature": PNG_1PX,
        "confirmer": "1",
    }
    # session, user, permissions (2), household, its PCs bought to hand over, handout days (form), household's
    # checks (opt-in), then the
    # handover: lock the household, lock the decoders, check them (decoders, open lines), the counter
    # (insert-or-skip, lock, update), receipt, handover, items, statuses, audit (its content type);
    # then the receipt's PDF: receipt, handover, items, lock, attach; the receipt again; the message.
    ContentType.objects.clear_cache()  # the audit's content type: looked up once per process, here each time
    with django_assert_num_queries(QUERIES_REMISE):
        reponse = client.post(url(foyer), donnees)
    assert reponse.status_code == 302
    assert Remise.objects.get().lignes.count() == n + 1


QUERIES_REMISE = 34


def test_control_characters_in_the_serial_or_the_item_are_dropped(client, foyer, stock, accueil_user):
    client.force_login(accueil_user)
    reponse = client.post(url(foyer), {"numero": "SN\x0000001", "autre": "Câ\x00ble", "ajouter": "1"})
    assert reponse.status_code == 200
    assert reponse.context["numeros"] == ["SN00001"] and reponse.context["autres"] == ["Câble"]
    assert client.post(url(foyer), {"numero": "\x00" * 10_000, "ajouter": "1"}).status_code == 200
