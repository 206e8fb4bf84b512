"""The retention purge on frozen time: each rule the day before, on and after its duration; run twice;
the legal holds; the read log's purge; the dry run; the beat entry, the command and the staff page."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ateliers.modeles_besoins import TentativeContact
from ateliers.modeles_messages import Consentement, Message
from donnees import conservation
from donnees.conservation import purger
from donnees.models import Lecture
from equipements import paiements, services
from equipements.modeles_paiements import Paiement
from equipements.models import Decodeur, Recu, Remise, Restitution
from ipt.journal import journaliser
from ipt.models import Evenement, Travail
from logements.models import Adhesion, Foyer, Personne
from logements.services import foyers_recherche_recalculer
from quartiers.models import Visite
from tests.equipements.conftest import PNG_1PX
from tests.equipements.outils_paiements import vente_creer
from tests.factories import AdhesionFactory, FoyerFactory, PersonneFactory, UserFactory, VisiteFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
JOUR = datetime.date(2026, 11, 30)
UN = datetime.timedelta(days=1)
PARTI = datetime.date(2023, 3, 1)  # moved out; due on PARTI + 730 days
ECHEANCE = PARTI + datetime.timedelta(days=730)


def a_midi(jour: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(jour, datetime.time(12), tzinfo=PARIS)


@pytest.fixture
def horloge(monkeypatch):
    """Freeze Django's clock (``timezone.now``, hence auto_now fields too) at noon on a given day."""

    def figer(jour: datetime.date):
        instant = a_midi(jour)
        monkeypatch.setattr(timezone, "now", lambda: instant)
        return instant

    figer(JOUR)
    return figer


def foyer_parti(horloge, demenage_le=PARTI, **kwargs) -> Foyer:
    """A household recorded long ago, opted in, with one person, that moved out on ``demenage_le``."""
    horloge(datetime.date(2015, 3, 1))
    foyer = FoyerFactory(email="famille@example.org", demenage_le=demenage_le, **kwargs)
    AdhesionFactory(foyer=foyer, note="Appeler Mme Fictive après 18 h")
    PersonneFactory(foyer=foyer, prenom="Hélène", telephone="06 11 22 33 44", email="helene@example.org")
    foyers_recherche_recalculer([foyer.pk])
    horloge(JOUR)
    return foyer


def anonymise(foyer: Foyer) -> bool:
    foyer.refresh_from_db()
    return foyer.nom == "Foyer anonymisé"


# --- Households gone --------------------------------------------------------------------------------


def test_a_household_gone_is_anonymised_on_the_day_its_duration_is_reached(horloge):
    foyer = foyer_parti(horloge)
    nom = foyer.nom

    assert purger(jour=ECHEANCE - UN).nombres["foyers"] == 0
    assert Foyer.objects.get(pk=foyer.pk).nom == nom

    assert purger(jour=ECHEANCE).nombres["foyers"] == 1
    foyer.refresh_from_db()
    assert (foyer.nom, foyer.telephone, foyer.email, foyer.recherche) == ("Foyer anonymisé", "", "", "")
    personne = foyer.occupants.get()
    assert (personne.prenom, personne.nom, personne.telephone, personne.email) == (
        "Personne",
        "anonymisée",
        "",
        "",
    )
    # The opt-in stays (statistics), without its note.
    adhesion = Adhesion.objects.get(foyer=foyer)
    assert (adhesion.type, adhesion.date, adhesion.note) == (
        Adhesion.Type.ADHESION,
        datetime.date(2015, 4, 1),
        "",
    )

    assert purger(jour=ECHEANCE + UN).nombres["foyers"] == 0


def test_the_audit_entries_about_a_household_gone_lose_its_name_and_keep_what_was_done(horloge, ville_user):
    foyer = foyer_parti(horloge)
    autre = FoyerFactory(nom="Voisin")
    horloge(datetime.date(2015, 4, 1))
    sur_le_foyer = journaliser(
        par=ville_user, action="logements.foyer", message=f"Foyer {foyer.nom} créé.", objet=foyer
    )
    sur_l_adhesion = journaliser(
        par=ville_user,
        action="logements.adhesion",
        message=f"Adhésion de {foyer.nom}.",
        objet=Adhesion.objects.get(foyer=foyer),
    )
    sur_la_personne = journaliser(
        par=ville_user, action="ateliers.contact", message="Hélène rappelée.", objet=foyer.occupants.get()
    )
    sur_l_autre = journaliser(par=ville_user, action="logements.foyer", message="Foyer Voisin.", objet=autre)
    horloge(JOUR)

    purger(jour=ECHEANCE)

    for entree in (sur_le_foyer, sur_l_adhesion, sur_la_personne):
        avant = (entree.action, entree.quand, entree.par_nom, entree.type_objet_id, entree.objet_id)
        entree.refresh_from_db()
        assert (entree.objet_libelle, entree.message) == ("(anonymisé)", "(anonymisé)")
        assert (entree.action, entree.quand, entree.par_nom, entree.type_objet_id, entree.objet_id) == avant
    sur_l_autre.refresh_from_db()
    assert (sur_l_autre.objet_libelle, sur_l_autre.message) == ("Voisin", "Foyer Voisin.")


def test_a_household_still_there_or_gone_recently_is_kept(horloge):
    present = foyer_parti(horloge, demenage_le=None)
    recent = foyer_parti(horloge, demenage_le=JOUR - 729 * UN)

    assert purger(jour=JOUR).nombres["foyers"] == 0
    assert not anonymise(present) and not anonymise(recent)


def test_a_contact_after_moving_out_postpones_it_and_an_unanswered_call_does_not(horloge):
    foyer = foyer_parti(horloge)
    appel = datetime.date(2024, 1, 10)
    TentativeContact.objects.create(
        foyer=foyer, le=a_midi(appel), canal="telephone", issue=TentativeContact.Issue.INTERESSE
    )
    TentativeContact.objects.create(
        foyer=foyer, le=a_midi(appel + 100 * UN), canal="telephone", issue=TentativeContact.Issue.INJOIGNABLE
    )
    report = appel + 730 * UN

    assert purger(jour=ECHEANCE).nombres["foyers"] == 0
    assert purger(jour=report - UN).nombres["foyers"] == 0
    assert purger(jour=report).nombres["foyers"] == 1
    assert anonymise(foyer)


def test_a_household_that_owes_part_of_a_pc_is_kept_and_its_payments_are_never_touched(horloge, accueil_user):
    du = foyer_parti(horloge)
    solde = foyer_parti(horloge)
    horloge(datetime.date(2022, 5, 2))
    vente_creer(du, prix="70.00", nb=3, date=datetime.date(2022, 5, 2), par=accueil_user)
    vente = vente_creer(solde, prix="40.00", nb=1, date=datetime.date(2022, 5, 2), par=accueil_user)
    paiements.encaisser(
        vente=vente, montant=Decimal("40.00"), mode="especes", par=accueil_user, rendre_pdf=False
    )
    horloge(JOUR)
    avant = list(Paiement.objects.values())

    assert list(conservation.foyers_retenus(JOUR)) == [du]
    assert purger(jour=JOUR).nombres["foyers"] == 1
    assert anonymise(solde) and not anonymise(du)
    assert list(Paiement.objects.values()) == avant
    vente.refresh_from_db()
    assert (vente.prix, vente.par_nom) == (Decimal("40.00"), accueil_user.username)


def test_a_household_that_still_holds_an_equipment_is_kept(horloge, accueil_user):
    foyer = foyer_parti(horloge, demenage_le=None)
    horloge(datetime.date(2016, 6, 1))
    services.remise_enregistrer(
        foyer=foyer,
        numeros=[],
        autres=["Câble Ethernet"],
        date=datetime.date(2016, 6, 1),
        signe_sur_papier=True,
        par=accueil_user,
        rendre_pdf=False,
    )
    horloge(JOUR)
    Foyer.objects.filter(pk=foyer.pk).update(demenage_le=PARTI)

    assert purger(jour=JOUR).nombres["foyers"] == 0
    assert not anonymise(foyer)
    assert conservation.foyers_retenus(JOUR).count() == 1
    assert Remise.objects.filter(foyer=foyer).count() == 1


def test_the_signatures_of_a_household_gone_go_with_its_record_and_its_receipts_stay(horloge, accueil_user):
    """The register keeps a handover's and a return's signature "as long as the household's record": the
    purge erases them with it (once, through their trigger), and leaves the receipts (legal hold)."""
    foyer = foyer_parti(horloge, demenage_le=None)
    horloge(datetime.date(2016, 6, 1))
    Decodeur.objects.create(numero_serie="ZB0001", modele="Box 4K")
    remise = services.remise_enregistrer(
        foyer=foyer, numeros=["ZB0001"], signature=PNG_1PX, par=accueil_user, rendre_pdf=False
    )
    restitution = services.restitution_enregistrer(
        foyer=foyer,
        lignes=list(remise.lignes.all()),
        motif=Restitution.Motif.DEMENAGEMENT,
        etat=Restitution.Etat.BON,
        note="Rendu par Hélène",
        signature=PNG_1PX,
        par=accueil_user,
        rendre_pdf=False,
    )
    horloge(JOUR)
    Foyer.objects.filter(pk=foyer.pk).update(demenage_le=PARTI)
    par_nom = remise.par_nom
    assert par_nom
    des_recus = Recu.objects.filter(pk__in=[remise.recu_id, restitution.recu_id])
    recus = sorted(des_recus.values_list("numero", "emis_le", "sha256", "pdf"))
    assert len(recus) == 2

    assert purger(jour=ECHEANCE).nombres["foyers"] == 1

    remise.refresh_from_db()
    restitution.refresh_from_db()
    assert remise.signature_png is None and remise.efface_le is not None
    assert restitution.signature_png is None and restitution.note == "" and restitution.efface_le is not None
    assert (remise.date, remise.par_nom, restitution.motif) == (
        datetime.date(2016, 6, 1),
        par_nom,
        Restitution.Motif.DEMENAGEMENT,
    )
    assert sorted(des_recus.values_list("numero", "emis_le", "sha256", "pdf")) == recus
    assert purger(jour=ECHEANCE + UN).total == 0


# --- People -----------------------------------------------------------------------------------------


def personne_seule(horloge, jour, **kwargs) -> Personne:
    horloge(jour)
    personne = PersonneFactory(foyer=None, prenom="Yann", telephone="07 00 00 00 01", **kwargs)
    horloge(JOUR)
    return personne


def test_a_person_without_household_is_anonymised_three_years_after_their_last_dealing(horloge):
    personne = personne_seule(horloge, datetime.date(2020, 1, 6))
    consentement = Consentement.objects.create(
        personne=personne, canal="sms", donne_le=a_midi(datetime.date(2022, 9, 1))
    )
    echeance = datetime.date(2022, 9, 1) + 1095 * UN

    assert purger(jour=echeance - UN).nombres["personnes"] == 0
    assert purger(jour=echeance).nombres["personnes"] == 1
    personne.refresh_from_db()
    assert (personne.prenom, personne.nom, personne.telephone) == ("Personne", "anonymisée", "")
    # Their records stay, tied to the anonymous person.
    assert Consentement.objects.get(pk=consentement.pk).personne_id == personne.pk
    assert purger(jour=echeance + UN).nombres["personnes"] == 0


def test_the_people_of_a_household_stay_while_it_stays_even_gone(horloge):
    """People of a household go with it, by the households' rule and its holds: not the night after it
    moved out, even when they never came to a workshop (recorded in 2015, over three years ago)."""
    present = foyer_parti(horloge, demenage_le=None)
    parti = foyer_parti(horloge, demenage_le=JOUR - 10 * UN)  # gone, but not for two years yet

    assert purger(jour=JOUR).total == 0
    assert present.occupants.get().prenom == "Hélène"
    assert parti.occupants.get().prenom == "Hélène"
    parti.refresh_from_db()
    assert "helene" in parti.recherche

    # Two years after it left, the household and its person go together, counted as a household.
    bilan = purger(jour=JOUR - 10 * UN + 730 * UN)
    assert (bilan.nombres["foyers"], bilan.nombres["personnes"]) == (1, 0)
    assert anonymise(parti) and parti.occupants.get().prenom == "Personne"
    assert present.occupants.get().prenom == "Hélène"


# --- Messages, read log, job files, door notes -----------------------------------------------------


def test_a_message_is_erased_six_months_after_it_was_sent_its_status_and_dates_stay(horloge):
    personne = personne_seule(horloge, JOUR)
    envoye = datetime.date(2026, 3, 2)
    message = Message.objects.create(
        personne=personne,
        canal="sms",
        cle="test-1",
        objet="Rappel",
        texte="Bonjour Yann, atelier jeudi.",
        destination="+33700000001",
        statut=Message.Statut.ENVOYE,
        envoye_le=a_midi(envoye),
    )
    echeance = envoye + 183 * UN

    assert purger(jour=echeance - UN).nombres["messages"] == 0
    assert purger(jour=echeance).nombres["messages"] == 1
    message.refresh_from_db()
    assert (message.objet, message.texte, message.destination) == ("", "", "")
    assert (message.statut, message.envoye_le) == (Message.Statut.ENVOYE, a_midi(envoye))
    assert purger(jour=echeance + UN).nombres["messages"] == 0


def test_the_read_log_purge_deletes_only_rows_older_than_a_year(horloge, ville_user):
    foyer = foyer_parti(horloge, demenage_le=None)

    def lu(jour):
        return Lecture.objects.create(
            par=ville_user,
            par_nom=ville_user.username,
            quoi=Lecture.Quoi.FOYER,
            foyer=foyer,
            quand=a_midi(jour),
        )

    lu(JOUR - 365 * UN)
    recente = lu(JOUR - 364 * UN)

    assert purger(jour=JOUR - UN).nombres["lectures"] == 0
    assert purger(jour=JOUR).nombres["lectures"] == 1
    assert list(Lecture.objects.values_list("pk", flat=True)) == [recente.pk]
    assert purger(jour=JOUR).nombres["lectures"] == 0
    assert purger(jour=JOUR + UN).nombres["lectures"] == 1
    assert not Lecture.objects.exists()
    lu(JOUR)
    # Outside the purge, the log still refuses a deletion.
    with pytest.raises(IntegrityError), transaction.atomic():
        Lecture.objects.all().delete()


def test_a_job_file_is_deleted_from_storage_after_ninety_days(horloge, django_capture_on_commit_callbacks):
    travail = Travail.objects.create(nature="quartiers.plaquettes", cle="x", statut=Travail.Statut.TERMINE)
    travail.fichier.save("lettres.pdf", ContentFile(b"%PDF Mme Fictive"), save=True)
    Travail.objects.filter(pk=travail.pk).update(termine_le=a_midi(datetime.date(2026, 8, 1)))
    nom = travail.fichier.name
    stockage = travail.fichier.storage
    echeance = datetime.date(2026, 8, 1) + 90 * UN

    assert purger(jour=echeance - UN).nombres["fichiers"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert purger(jour=echeance).nombres["fichiers"] == 1
    travail.refresh_from_db()
    assert travail.fichier.name == "" and travail.statut == Travail.Statut.TERMINE
    assert not stockage.exists(nom)
    assert purger(jour=echeance + UN).nombres["fichiers"] == 0


def test_a_door_note_is_erased_two_years_after_the_visit_and_the_visit_stays(horloge):
    visite = VisiteFactory(date=datetime.date(2024, 5, 14), note="Mme X. revient en juin")
    echeance = datetime.date(2024, 5, 14) + 730 * UN

    assert purger(jour=echeance - UN).nombres["visites"] == 0
    assert purger(jour=echeance).nombres["visites"] == 1
    visite.refresh_from_db()
    assert (visite.note, visite.resultat) == ("", Visite.Resultat.DEPOSE)


# --- The run ----------------------------------------------------------------------------------------


def _etat():
    return (
        list(Foyer.objects.order_by("pk").values()),
        list(Personne.objects.order_by("pk").values()),
        list(Adhesion.objects.order_by("pk").values()),
        list(Visite.objects.order_by("pk").values()),
        Lecture.objects.count(),
    )


def _de_tout(horloge, ville_user):
    for _ in range(3):
        foyer_parti(horloge)
    personne_seule(horloge, datetime.date(2019, 1, 1))
    VisiteFactory(date=datetime.date(2020, 1, 1), note="Revenir")
    Lecture.objects.create(
        par=ville_user,
        par_nom="x",
        quoi=Lecture.Quoi.FOYER,
        foyer=Foyer.objects.first(),
        quand=a_midi(datetime.date(2024, 1, 1)),
    )


def test_run_twice_the_second_run_changes_nothing(horloge, ville_user):
    _de_tout(horloge, ville_user)

    premier = purger(jour=JOUR, taille_lot=2)
    assert premier.nombres == {
        "foyers": 3,
        "personnes": 1,  # the one without a household; the households' people go with them
        "messages": 0,
        "lectures": 1,
        "fichiers": 0,
        "visites": 1,
    }
    assert premier.lots["foyers"] == 2
    etat = _etat()
    second = purger(jour=JOUR, taille_lot=2)
    assert second.total == 0 and sum(second.lots.values()) == 0
    assert _etat() == etat


def test_a_dry_run_counts_what_is_due_and_changes_nothing(horloge, ville_user):
    _de_tout(horloge, ville_user)
    etat = _etat()
    evenements = Evenement.objects.count()

    essai = purger(jour=JOUR, essai=True, taille_lot=2)
    assert _etat() == etat and Evenement.objects.count() == evenements
    assert purger(jour=JOUR, taille_lot=2).nombres == essai.nombres


def test_each_run_records_its_counts_per_rule_in_the_audit_trail(horloge, ville_user):
    _de_tout(horloge, ville_user)
    purger(jour=JOUR)

    evenement = Evenement.objects.get(action="donnees.purge")
    assert evenement.par is None
    assert evenement.details["regles"]["foyers"] == 3
    assert evenement.details["jour"] == "2026-11-30"
    assert "Foyers partis, sans contact depuis : 3" in evenement.message


def test_the_nightly_purge_is_in_the_beat_schedule_and_runs_as_a_task(horloge):
    from donnees.tasks import purger as tache
    from ipt.celery import app

    entrees = [e for e in app.conf.beat_schedule.values() if e["task"] == "donnees.purger"]
    assert len(entrees) == 1
    visite = VisiteFactory(date=JOUR - 800 * UN, note="Revenir")
    assert tache.apply().get()["visites"] == 1
    assert Visite.objects.get(pk=visite.pk).note == ""


def test_the_command_dry_run_lists_what_is_due(horloge, ville_user):
    _de_tout(horloge, ville_user)
    sortie = io.StringIO()
    call_command("purger_donnees", "--dry-run", "--date", "2026-11-30", stdout=sortie)
    texte = sortie.getvalue()
    assert "30/11/2026" in texte and ": 3 " in texte
    assert Foyer.objects.filter(nom="Foyer anonymisé").count() == 0

    call_command("purger_donnees", "--date", "2026-11-30", stdout=io.StringIO())
    assert Foyer.objects.filter(nom="Foyer anonymisé").count() == 3


def test_the_command_refuses_a_malformed_date_in_french():
    with pytest.raises(CommandError, match="n’est pas une date"):
        call_command("purger_donnees", "--date", "30/11/2026")


# --- The staff page ---------------------------------------------------------------------------------


def test_the_staff_page_lists_by_name_what_goes_in_the_next_30_days(
    horloge, client, ville_user, django_assert_num_queries
):
    bientot = foyer_parti(horloge, demenage_le=JOUR - 720 * UN)  # due in 10 days
    for _ in range(3):
        foyer_parti(horloge)  # due now
    plus_tard = foyer_parti(horloge, demenage_le=JOUR - 600 * UN)
    personne_seule(horloge, datetime.date(2019, 1, 1))  # due now: the people's list is read too
    purger(jour=datetime.date(2020, 1, 1))  # a run with nothing to do yet
    client.force_login(ville_user)

    # 20 reads, and per transaction without JIT its savepoint, release and SET LOCAL (2 × 3).
    with django_assert_num_queries(26):
        reponse = client.get(reverse("donnees:conservation"))
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert bientot.nom in texte and "10/12/2026" in texte  # the day it becomes due
    prevision = next(p for p in reponse.context["previsions"] if p.regle.code == "foyers")
    assert (prevision.dus, prevision.a_venir) == (3, 4)
    assert [ligne["nom"] for ligne in prevision.liste][-1] == bientot.nom
    assert plus_tard.nom not in {ligne["nom"] for ligne in prevision.liste}
    assert len(reponse.context["passages"]) == 1


def test_the_staff_page_is_for_city_staff_only(client):
    client.force_login(UserFactory(username="benevole-x", role="accueil"))
    assert client.get(reverse("donnees:conservation")).status_code == 403
