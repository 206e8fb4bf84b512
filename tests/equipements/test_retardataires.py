"""Late-comers: who they are, slots, bookings, declines, the letters (read back) and the pages by role."""

import datetime
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from equipements import selectors_retardataires as sel
from equipements import services, services_retardataires
from equipements.lettres import lettres_pdf
from equipements.models import Creneau, Declin, EnvoiLettres, JourneeRemise, Lettre, RendezVous
from ipt.models import Evenement, Travail
from tests.equipements.conftest import decodeurs, foyer_adherent
from tests.factories import AdhesionFactory, FoyerFactory, LogementFactory, UserFactory
from tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db

AUJOURD_HUI = timezone.localdate
Etat = sel.Etat


def jours(n: int) -> datetime.date:
    return AUJOURD_HUI() + datetime.timedelta(days=n)


@pytest.fixture
def journee_passee(adopte):
    return JourneeRemise.objects.create(
        quartier=adopte,
        date=jours(-30),
        lieu="Centre social",
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(17),
    )


@pytest.fixture
def creneau(adopte, ville_user):
    return services_retardataires.creneau_ouvrir(
        quartier=adopte,
        lieu="Centre social de Keredern, salle 2",
        date=jours(10),
        heure_debut=datetime.time(14),
        heure_fin=datetime.time(16, 30),
        capacite=2,
        par=ville_user,
    )


@pytest.fixture
def retardataires(adopte, immeuble, journee_passee):
    """Three late-comers, one household equipped on the handout day, one opted out, one moved out."""
    foyers = [foyer_adherent(immeuble, nom) for nom in ("Famille Abgrall", "Famille Bozec", "Famille Cadiou")]
    equipe = foyer_adherent(immeuble, "Famille Equipée")
    decodeurs(1)
    services.remise_enregistrer(
        foyer=equipe, numeros=["SN00000"], signe_sur_papier=True, par=None, rendre_pdf=False
    )
    desiste = foyer_adherent(immeuble, "Famille Désistée")
    AdhesionFactory(foyer=desiste, type="desistement", date=datetime.date(2026, 1, 2))
    parti = foyer_adherent(immeuble, "Famille Partie")
    parti.demenage_le = jours(-5)
    parti.save()
    FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom="Famille Sans Adhésion")
    return foyers


def etats(quartier) -> dict[str, str]:
    return {ligne.foyer.nom: ligne.etat for ligne in sel.lignes(quartier.pk)}


# --- Who the late-comers are, and their states ----------------------------------------------------


def test_late_comers_are_the_opted_in_households_present_without_a_decoder(adopte, retardataires):
    assert etats(adopte) == {
        "Famille Abgrall": Etat.A_INVITER,
        "Famille Bozec": Etat.A_INVITER,
        "Famille Cadiou": Etat.A_INVITER,
    }


def test_the_states_go_invited_reminded_appointment_equipped_or_declined(
    adopte, retardataires, creneau, ville_user, accueil_user
):
    abgrall, bozec, cadiou = retardataires
    creneau.capacite = 3
    creneau.save()
    services_retardataires.envoi_lettres(
        quartier=adopte, etape="invitation", creneaux=[creneau], par=ville_user, date=jours(-20)
    )
    assert set(etats(adopte).values()) == {Etat.INVITE}
    services_retardataires.envoi_lettres(
        quartier=adopte, etape="relance", invites_jusqu_au=jours(-14), par=ville_user, date=jours(-1)
    )
    assert set(etats(adopte).values()) == {Etat.RELANCE}
    services_retardataires.rendez_vous_prendre(foyer=bozec, creneau=creneau, par=accueil_user)
    services_retardataires.declin_enregistrer(
        foyer=cadiou, date=AUJOURD_HUI(), motif="autre_acces", note="Box d’un opérateur", par=accueil_user
    )
    assert etats(adopte) == {
        "Famille Abgrall": Etat.RELANCE,
        "Famille Bozec": Etat.RENDEZ_VOUS,
        "Famille Cadiou": Etat.DECLINE,
    }
    decodeurs(1, prefixe="RDV")
    services.remise_enregistrer(
        foyer=bozec, numeros=["RDV00000"], signe_sur_papier=True, par=accueil_user, rendre_pdf=False
    )
    assert etats(adopte)["Famille Bozec"] == Etat.EQUIPE
    # A second reminder round finds nobody: each household is reminded once.
    with pytest.raises(ValidationError) as erreur:
        services_retardataires.envoi_lettres(quartier=adopte, etape="relance", par=ville_user)
    assert "Aucun foyer à relancer" in erreur.value.messages[0]


def test_letters_wait_for_the_last_handout_day(adopte, immeuble, creneau, ville_user):
    foyer_adherent(immeuble)
    JourneeRemise.objects.create(
        quartier=adopte,
        date=jours(3),
        lieu="Salle",
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(12),
    )
    with pytest.raises(ValidationError) as erreur:
        services_retardataires.envoi_lettres(
            quartier=adopte, etape="invitation", creneaux=[creneau], par=ville_user
        )
    assert "après la dernière journée de remise" in erreur.value.messages[0]
    assert not EnvoiLettres.objects.exists()


def test_an_invitation_needs_a_free_seat_for_each_household(adopte, retardataires, creneau, ville_user):
    with pytest.raises(ValidationError) as erreur:
        services_retardataires.envoi_lettres(
            quartier=adopte, etape="invitation", creneaux=[creneau], par=ville_user
        )
    assert "3 foyer(s) à inviter, mais seulement 2 place(s) libre(s)" in erreur.value.messages[0]
    assert not Lettre.objects.exists() and not Travail.objects.exists()


def test_an_invitation_proposes_the_chosen_slots_in_order_and_records_each_letter(
    adopte, retardataires, creneau, ville_user
):
    autre = services_retardataires.creneau_ouvrir(
        quartier=adopte,
        lieu="Mairie de quartier",
        date=jours(12),
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(11),
        capacite=5,
        par=ville_user,
    )
    envoi, travaux = services_retardataires.envoi_lettres(
        quartier=adopte, etape="invitation", creneaux=[creneau, autre], par=ville_user
    )
    lettres = list(envoi.lettres.order_by("rang"))
    assert {lt.foyer.nom for lt in lettres} == {"Famille Abgrall", "Famille Bozec", "Famille Cadiou"}
    assert [lt.creneau_id for lt in lettres] == [creneau.pk, creneau.pk, autre.pk]
    assert len(travaux) == 1 and travaux[0].parametres == {
        "envoi": envoi.pk,
        "quartier": adopte.pk,
        "lot": 1,
        "lots": 1,
    }
    assert Evenement.objects.filter(action="equipements.lettres").count() == 1
    # Invited once: a second invitation round finds nobody.
    with pytest.raises(ValidationError):
        services_retardataires.envoi_lettres(
            quartier=adopte, etape="invitation", creneaux=[creneau, autre], par=ville_user
        )


def test_a_mailing_is_split_in_lots_for_two_workers():
    assert [services_retardataires.nombre_de_lots(n) for n in (1, 50, 51, 100, 1000, 1001, 1600)] == [
        1,
        1,
        2,
        2,
        2,
        3,
        4,
    ]
    assert services_retardataires.rang_du_lot(1000, 2, 2) == (501, 1000)
    assert services_retardataires.rang_du_lot(7, 2, 2) == (5, 7)


# --- The letters, read back -------------------------------------------------------------------------


def _fenetre(contenu: bytes, page: int) -> str:
    """The text in the window of a DL envelope (the right half of the page, 40 to 95 mm from the top)."""
    mm = 72 / 25.4
    sortie = subprocess.run(
        [
            shutil.which("pdftotext") or "pdftotext",
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            str(int(100 * mm)),
            "-y",
            str(int(35 * mm)),
            "-W",
            str(int(110 * mm)),
            "-H",
            str(int(45 * mm)),
            "-",
            "-",
        ],
        input=contenu,
        capture_output=True,
        check=True,
    )
    return " ".join(sortie.stdout.decode().split())


def test_the_invitation_letters_carry_the_address_and_the_proposed_slot(
    adopte, immeuble, retardataires, creneau, ville_user
):
    creneau.capacite = 3
    creneau.save()
    envoi, _travaux = services_retardataires.envoi_lettres(
        quartier=adopte, etape="invitation", creneaux=[creneau], par=ville_user
    )
    contenu = lettres_pdf(envoi)
    pages = pdf_pages(contenu)
    assert len(pages) == 3
    premier, dernier = (lt.foyer for lt in envoi.lettres.order_by("rang")[::2])
    assert premier.nom in pages[0]
    assert immeuble.adresse.split(",")[0] in pages[0]
    assert f"porte {premier.logement.porte}" in pages[0]
    assert "entre 14 h et 16 h 30" in pages[0] and "Centre social de Keredern, salle 2" in pages[0]
    assert creneau.date.strftime("%Y") in pages[0]
    assert dernier.nom in pages[2]
    # Through the window: the name and the address, nothing about the programme or the decoder.
    fenetre = _fenetre(contenu, 1)
    assert premier.nom in fenetre and "29200 Brest" in fenetre
    for mot in ("Internet", "décodeur", "rendez-vous", "Objet", "retard"):
        assert mot.lower() not in fenetre.lower(), fenetre


def test_the_reminder_recalls_the_invitation_date_and_lists_free_slots(
    adopte, retardataires, creneau, ville_user
):
    creneau.capacite = 3
    creneau.save()
    services_retardataires.envoi_lettres(
        quartier=adopte, etape="invitation", creneaux=[creneau], par=ville_user, date=jours(-20)
    )
    envoi, _travaux = services_retardataires.envoi_lettres(
        quartier=adopte, etape="relance", invites_jusqu_au=jours(-14), par=ville_user
    )
    pages = pdf_pages(lettres_pdf(envoi))
    assert len(pages) == 3
    from ipt.templatetags.typo import date_longue

    assert f"Nous vous avons écrit le {date_longue(jours(-20))}".replace("\xa0", " ") in pages[1]
    assert "Centre social de Keredern, salle 2" in pages[1]


# --- Slots and bookings ------------------------------------------------------------------------------


def test_a_full_slot_refuses_a_booking(adopte, retardataires, creneau, accueil_user):
    a, b, c = retardataires
    services_retardataires.rendez_vous_prendre(foyer=a, creneau=creneau, par=accueil_user)
    services_retardataires.rendez_vous_prendre(foyer=b, creneau=creneau, par=accueil_user)
    with pytest.raises(ValidationError) as erreur:
        services_retardataires.rendez_vous_prendre(foyer=c, creneau=creneau, par=accueil_user)
    assert erreur.value.code == "complet" and "complet" in erreur.value.messages[0]
    # Cancelling frees the seat.
    services_retardataires.rendez_vous_annuler(rendez_vous=a.rendez_vous.get(), par=accueil_user)
    services_retardataires.rendez_vous_prendre(foyer=c, creneau=creneau, par=accueil_user)
    assert RendezVous.objects.filter(creneau=creneau, statut="reserve").count() == 2


def test_booking_again_moves_the_appointment_and_withdraws_a_decline(
    adopte, retardataires, creneau, accueil_user
):
    a = retardataires[0]
    autre = Creneau.objects.create(
        quartier=adopte,
        lieu="Salle",
        date=jours(20),
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(10),
        capacite=1,
    )
    services_retardataires.rendez_vous_prendre(foyer=a, creneau=creneau, par=accueil_user)
    services_retardataires.declin_enregistrer(
        foyer=a, date=AUJOURD_HUI(), motif="plus_interesse", par=accueil_user
    )
    assert not RendezVous.objects.filter(foyer=a, statut="reserve").exists()
    services_retardataires.rendez_vous_prendre(foyer=a, creneau=autre, par=accueil_user)
    assert not Declin.objects.filter(foyer=a).exists()
    rdv = RendezVous.objects.get(foyer=a, statut="reserve")
    assert rdv.creneau == autre


def test_bookings_are_refused_in_french_for_the_wrong_household_or_slot(
    adopte, retardataires, creneau, accueil_user, quartier
):
    equipe_ = FoyerFactory(logement=LogementFactory(immeuble=retardataires[0].logement.immeuble))
    with pytest.raises(ValidationError) as erreur:
        services_retardataires.rendez_vous_prendre(foyer=equipe_, creneau=creneau, par=accueil_user)
    assert "pas adhéré" in erreur.value.messages[0]
    passe = Creneau.objects.create(
        quartier=adopte,
        lieu="Salle",
        date=jours(-1),
        heure_debut=datetime.time(9),
        heure_fin=datetime.time(10),
        capacite=3,
    )
    with pytest.raises(ValidationError) as erreur:
        services_retardataires.rendez_vous_prendre(foyer=retardataires[0], creneau=passe, par=accueil_user)
    assert "passé" in erreur.value.messages[0]
    with pytest.raises(ValidationError):
        services_retardataires.creneau_ouvrir(
            quartier=adopte,
            lieu="Salle",
            date=jours(2),
            heure_debut=datetime.time(10),
            heure_fin=datetime.time(9),
            capacite=3,
            par=None,
        )


# --- Pages ------------------------------------------------------------------------------------------


def test_the_quartier_page_lists_states_and_slots_in_a_fixed_number_of_queries(
    client, ville_user, adopte, retardataires, creneau, django_assert_num_queries, immeuble
):
    client.force_login(ville_user)
    url = f"/equipements/retardataires/{adopte.pk}/"
    client.get(url)
    with django_assert_num_queries(11) as contexte:
        reponse = client.get(url)
    premier = len(contexte.captured_queries)
    for i in range(5):
        foyer_adherent(immeuble, f"Famille en plus {i}")
    with django_assert_num_queries(premier):
        reponse = client.get(url)
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert "Famille Abgrall" in texte and "à inviter" in texte and "Préparer les lettres" in texte


def test_city_staff_open_a_slot_then_send_invitations_and_follow_the_jobs(
    client, ville_user, adopte, retardataires, journee_passee, django_capture_on_commit_callbacks
):
    client.force_login(ville_user)
    reponse = client.post(
        f"/equipements/retardataires/{adopte.pk}/creneau/",
        {
            "lieu": "Centre social",
            "date": jours(7).isoformat(),
            "heure_debut": "14:00",
            "heure_fin": "17:00",
            "capacite": "5",
        },
    )
    assert reponse.status_code == 302
    creneau = Creneau.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            f"/equipements/retardataires/{adopte.pk}/lettres/",
            {"etape": "invitation", "creneaux": [creneau.pk]},
        )
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    travail = Travail.objects.get(nature=services_retardataires.NATURE_LETTRES)
    assert travail.statut == Travail.Statut.TERMINE  # eager in the tests
    assert len(pdf_pages(travail.fichier.read())) == 3
    page = client.get(f"/equipements/retardataires/{adopte.pk}/").content.decode()
    assert f"/travaux/{travail.pk}/telecharger/" in page and "invité" in page


def test_a_bad_slot_is_refused_in_french_with_nothing_written(client, ville_user, adopte, journee_passee):
    client.force_login(ville_user)
    reponse = client.post(
        f"/equipements/retardataires/{adopte.pk}/creneau/",
        {
            "lieu": "Salle",
            "date": jours(-3).isoformat(),
            "heure_debut": "14:00",
            "heure_fin": "17:00",
            "capacite": "5",
        },
    )
    assert reponse.status_code == 400 and "ne peut pas être dans le passé" in reponse.content.decode()
    assert not Creneau.objects.exists()


def test_the_desk_books_the_proposed_slot_from_the_household_page(
    client, accueil_user, ville_user, adopte, retardataires, creneau
):
    foyer = retardataires[0]
    client.force_login(accueil_user)
    fiche = client.get(f"/accueil/foyers/{foyer.pk}/").content.decode()
    assert "Prendre un rendez-vous" in fiche and "data-etat" not in fiche.split('id="retardataire"')[1][:200]
    assert client.get(f"/equipements/foyers/{foyer.pk}/rendez-vous/").status_code == 200
    reponse = client.post(f"/equipements/foyers/{foyer.pk}/rendez-vous/", {"creneau": creneau.pk})
    assert reponse.status_code == 302
    fiche = client.get(f"/accueil/foyers/{foyer.pk}/").content.decode()
    assert 'data-etat="rendez_vous"' in fiche and "Centre social de Keredern, salle 2" in fiche
    rdv = RendezVous.objects.get(foyer=foyer)
    assert client.post(f"/equipements/rendez-vous/{rdv.pk}/annuler/").status_code == 302
    rdv.refresh_from_db()
    assert rdv.statut == "annule"
    reponse = client.post(
        f"/equipements/foyers/{foyer.pk}/declin/", {"date": AUJOURD_HUI().isoformat(), "motif": "sante"}
    )
    assert reponse.status_code == 302
    fiche = client.get(f"/accueil/foyers/{foyer.pk}/").content.decode()
    assert 'data-etat="decline"' in fiche and "santé ou mobilité" in fiche


def test_the_household_page_shows_its_letters_in_a_fixed_number_of_queries(
    client, accueil_user, ville_user, adopte, retardataires, creneau, django_assert_num_queries
):
    creneau.capacite = 3
    creneau.save()
    services_retardataires.envoi_lettres(
        quartier=adopte, etape="invitation", creneaux=[creneau], par=ville_user, date=jours(-20)
    )
    services_retardataires.envoi_lettres(
        quartier=adopte, etape="relance", invites_jusqu_au=jours(-14), par=ville_user
    )
    foyer = retardataires[0]
    services_retardataires.rendez_vous_prendre(foyer=foyer, creneau=creneau, par=accueil_user)
    client.force_login(accueil_user)
    # the household page's queries (its equipment, PCs, workshops, needs and messages: see
    # tests/logements/test_accueil_recherche.py), its letters, its appointments and its decline; the read
    # log's entry (one INSERT)
    with django_assert_num_queries(19):
        reponse = client.get(f"/accueil/foyers/{foyer.pk}/")
    texte = reponse.content.decode()
    assert "Lettre invitation du" in texte and "Lettre relance du" in texte
    assert 'data-etat="rendez_vous"' in texte


def test_a_volunteer_of_another_centre_gets_404(client, adopte, retardataires, creneau):
    autre = UserFactory(role="accueil")
    client.force_login(autre)
    assert client.get(f"/equipements/retardataires/{adopte.pk}/").status_code == 404
    assert client.get(f"/equipements/foyers/{retardataires[0].pk}/rendez-vous/").status_code == 404
    assert f"retardataires/{adopte.pk}/" not in client.get("/equipements/retardataires/").content.decode()


def test_volunteers_see_the_list_but_neither_send_letters_nor_open_slots(
    client, accueil_user, adopte, retardataires
):
    client.force_login(accueil_user)
    page = client.get(f"/equipements/retardataires/{adopte.pk}/").content.decode()
    assert "Famille Abgrall" in page and "Préparer les lettres" not in page
    assert (
        client.post(f"/equipements/retardataires/{adopte.pk}/lettres/", {"etape": "invitation"}).status_code
        == 403
    )
    assert client.post(f"/equipements/retardataires/{adopte.pk}/creneau/", {}).status_code == 403
