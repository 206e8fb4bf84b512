"""Refurbished PCs: the offer in force, the instalments' rounding, reservations and sales (issue 12)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from equipements import services_ordinateurs as services
from equipements.models import Echeance, Offre, Ordinateur, Reservation, Vente, ajouter_mois, plan_echeances
from equipements.tasks import reservations_pc_expirer
from ipt.models import Evenement
from tests.equipements.conftest import foyer_adherent
from tests.equipements.ordinateurs import offre, ordinateurs
from tests.factories import FoyerFactory, LogementFactory

pytestmark = pytest.mark.django_db
JOUR = datetime.date(2026, 3, 12)
D = Decimal


@pytest.mark.parametrize(
    "prix, n, montants",
    [
        ("40.00", 3, ["13.33", "13.33", "13.34"]),
        ("70.00", 4, ["17.50", "17.50", "17.50", "17.50"]),
        ("70.00", 3, ["23.33", "23.33", "23.34"]),
        ("40.00", 1, ["40.00"]),
        ("40.00", 2, ["20.00", "20.00"]),
        ("70.00", 2, ["35.00", "35.00"]),
        ("40.00", 4, ["10.00", "10.00", "10.00", "10.00"]),
        ("39.99", 4, ["9.99", "9.99", "9.99", "10.02"]),
    ],
)
def test_instalments_are_rounded_down_to_the_cent_and_the_remainder_goes_on_the_last(prix, n, montants):
    plan = plan_echeances(D(prix), n, JOUR)
    assert [m for _r, _d, m in plan] == [D(m) for m in montants]
    assert all(isinstance(m, Decimal) for _r, _d, m in plan)
    assert sum(m for _r, _d, m in plan) == D(prix)
    assert [r for r, _d, _m in plan] == list(range(1, n + 1))
    assert plan[0][1] == JOUR


def test_monthly_due_dates_keep_the_day_or_take_the_months_last():
    assert [d for _r, d, _m in plan_echeances(D("40"), 4, datetime.date(2026, 11, 30))] == [
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 30),
        datetime.date(2027, 1, 30),
        datetime.date(2027, 2, 28),
    ]
    assert ajouter_mois(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)


def test_the_offer_in_force_is_the_latest_applicable_that_day():
    ancienne = offre(datetime.date(2026, 1, 1))
    nouvelle = offre(datetime.date(2026, 6, 1), portable="80.00")
    assert Offre.objects.en_vigueur(datetime.date(2026, 5, 31)) == ancienne
    assert Offre.objects.en_vigueur(datetime.date(2026, 6, 1)) == nouvelle
    assert Offre.objects.en_vigueur(datetime.date(2025, 12, 31)) is None


@pytest.fixture(autouse=True)
def sans_offre_migree(db):
    Offre.objects.all().delete()


@pytest.fixture
def pcs(db):
    return ordinateurs(3)


@pytest.fixture
def offre_2026(db):
    return offre()


def test_a_sale_at_the_price_of_the_day_in_three_instalments(foyer, pcs, offre_2026, accueil_user):
    vente = services.vente_enregistrer(
        foyer=foyer, ordinateur=pcs[0], nb_echeances=3, par=accueil_user, jour=JOUR
    )
    assert vente.prix == D("70.00") and vente.offre == offre_2026
    assert vente.centre == foyer.logement.immeuble.quartier.centre_social
    lignes = list(Echeance.objects.filter(vente=vente).order_by("rang").values_list("due_le", "montant"))
    assert lignes == [
        (JOUR, D("23.33")),
        (datetime.date(2026, 4, 12), D("23.33")),
        (datetime.date(2026, 5, 12), D("23.34")),
    ]
    assert sum(m for _d, m in lignes) == vente.prix
    pcs[0].refresh_from_db()
    assert pcs[0].statut == Ordinateur.Statut.VENDU
    assert Evenement.objects.filter(action="equipements.pc_vente").count() == 1


def test_the_price_follows_the_offer_in_force_that_day(foyer, pcs, offre_2026, accueil_user):
    offre(datetime.date(2026, 3, 1), portable="75.00")
    vente = services.vente_enregistrer(
        foyer=foyer, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=JOUR
    )
    assert vente.prix == D("75.00")
    assert list(vente.echeances.values_list("montant", flat=True)) == [D("75.00")]


def test_a_kind_outside_the_offer_or_no_offer_is_refused(foyer, accueil_user):
    tablette = ordinateurs(1, prefixe="TAB-", type="tablette")[0]
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=tablette, nb_echeances=1, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "pas_d_offre"
    offre(tablette=None)
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=tablette, nb_echeances=1, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "type_hors_offre"
    assert not Vente.objects.exists()


@pytest.mark.parametrize("n", [0, 5, "x"])
def test_one_to_four_instalments_only(foyer, pcs, offre_2026, accueil_user, n):
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=pcs[0], nb_echeances=n, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "echeances"


def test_only_opted_in_households_may_buy(immeuble, adopte, pcs, offre_2026, accueil_user):
    sans_adhesion = FoyerFactory(logement=LogementFactory(immeuble=immeuble), nom="Sans adhésion")
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=sans_adhesion, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "non_adherent"
    with pytest.raises(ValidationError):
        services.reservation_creer(foyer=sans_adhesion, ordinateur=pcs[0], par=accueil_user, jour=JOUR)


def test_one_pc_per_household_unless_staff_allow_a_second_with_a_reason(
    foyer, pcs, offre_2026, accueil_user, ville_user
):
    services.vente_enregistrer(foyer=foyer, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=JOUR)
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=pcs[1], nb_echeances=1, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "deja_equipe"
    with pytest.raises(ValidationError):
        services.derogation_accorder(foyer=foyer, motif="  ", par=ville_user)
    derogation = services.derogation_accorder(foyer=foyer, motif="Deux lycéens au foyer", par=ville_user)
    seconde = services.vente_enregistrer(
        foyer=foyer, ordinateur=pcs[1], nb_echeances=2, par=accueil_user, jour=JOUR
    )
    assert seconde.derogation == derogation
    # The second PC allowed is used: a third one is refused.
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=pcs[2], nb_echeances=1, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "deja_equipe"


def test_the_database_refuses_a_second_live_sale_of_a_pc_and_a_second_pc_without_allowance(
    foyer, immeuble, pcs, offre_2026, accueil_user
):
    vente = services.vente_enregistrer(
        foyer=foyer, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=JOUR
    )
    autre = foyer_adherent(immeuble, "Autre")
    champs = {"offre": offre_2026, "prix": D("70"), "date": JOUR, "par_nom": "x"}
    with pytest.raises(IntegrityError, match="vente_ordinateur_vendu_une_fois"), transaction.atomic():
        Vente.objects.create(foyer=autre, ordinateur=pcs[0], **champs)
    with pytest.raises(IntegrityError, match="vente_un_ordinateur_par_foyer"), transaction.atomic():
        Vente.objects.create(foyer=foyer, ordinateur=pcs[1], **champs)
    # A cancelled sale frees the PC.
    Vente.objects.filter(pk=vente.pk).update(statut="annulee", annulee_le=JOUR, motif_annulation="Erreur")
    Vente.objects.create(foyer=autre, ordinateur=pcs[0], **champs)


def test_sold_returned_or_scrapped_pcs_are_refused(foyer, pcs, offre_2026, accueil_user):
    Ordinateur.objects.filter(pk=pcs[0].pk).update(statut="rebut")
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "hors_stock"


def test_a_reservation_holds_the_pc_for_its_household_only(foyer, immeuble, pcs, offre_2026, accueil_user):
    reservation = services.reservation_creer(foyer=foyer, ordinateur=pcs[0], par=accueil_user, jour=JOUR)
    assert reservation.jusqu_au == JOUR + datetime.timedelta(days=4)  # 5 days, today included
    pcs[0].refresh_from_db()
    assert pcs[0].statut == Ordinateur.Statut.RESERVE
    autre = foyer_adherent(immeuble, "Autre")
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=autre, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "reserve"
    with pytest.raises(ValidationError) as refus:
        services.reservation_creer(foyer=autre, ordinateur=pcs[0], par=accueil_user, jour=JOUR)
    assert refus.value.code == "reserve"
    vente = services.vente_enregistrer(
        foyer=foyer,
        ordinateur=pcs[0],
        nb_echeances=2,
        par=accueil_user,
        jour=JOUR + datetime.timedelta(days=4),
    )
    reservation.refresh_from_db()
    assert reservation.statut == Reservation.Statut.VENDUE and vente.ordinateur_id == pcs[0].pk


def test_a_reservation_past_its_date_frees_the_pc_even_before_the_beat(
    foyer, immeuble, pcs, offre_2026, accueil_user
):
    from equipements.selectors_ordinateurs import disponibles

    reservation = services.reservation_creer(foyer=foyer, ordinateur=pcs[0], par=accueil_user, jour=JOUR)
    fin = reservation.jusqu_au
    autre = foyer_adherent(immeuble, "Autre")
    assert pcs[0] not in disponibles(fin, foyer=autre)
    assert pcs[0] in disponibles(fin, foyer=foyer)
    lendemain = fin + datetime.timedelta(days=1)
    assert pcs[0] in disponibles(lendemain, foyer=autre)
    vente = services.vente_enregistrer(
        foyer=autre, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=lendemain
    )
    reservation.refresh_from_db()
    assert reservation.statut == Reservation.Statut.EXPIREE and vente.foyer == autre


def test_the_beat_task_puts_expired_reservations_back_in_stock(
    foyer, pcs, offre_2026, accueil_user, monkeypatch
):
    from django.utils import timezone

    garde = services.reservation_creer(foyer=foyer, ordinateur=pcs[0], par=accueil_user, jour=JOUR)
    echue = services.reservation_creer(
        foyer=foyer, ordinateur=pcs[1], par=accueil_user, jour=JOUR - datetime.timedelta(days=10)
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: JOUR)
    assert reservations_pc_expirer.apply().get() == 1
    echue.refresh_from_db()
    garde.refresh_from_db()
    assert echue.statut == Reservation.Statut.EXPIREE and garde.statut == Reservation.Statut.ACTIVE
    assert dict(Ordinateur.objects.values_list("reference", "statut")) == {
        "REC-0000": "reserve",
        "REC-0001": "en_stock",
        "REC-0002": "en_stock",
    }
    assert reservations_pc_expirer.apply().get() == 0
    assert Evenement.objects.filter(action="equipements.pc_reservations_expirees").count() == 1


def test_the_beat_schedule_runs_the_expiry_every_night():
    from ipt.celery import app

    assert any(e["task"] == "equipements.reservations_pc_expirer" for e in app.conf.beat_schedule.values())


def test_cancelling_a_reservation_puts_the_pc_back(foyer, pcs, offre_2026, accueil_user):
    reservation = services.reservation_creer(foyer=foyer, ordinateur=pcs[0], par=accueil_user, jour=JOUR)
    services.reservation_annuler(reservation=reservation, par=accueil_user)
    pcs[0].refresh_from_db()
    assert pcs[0].statut == "en_stock"
    with pytest.raises(ValidationError):
        services.reservation_annuler(reservation=reservation, par=accueil_user)


def test_a_sale_in_the_future_is_refused(foyer, pcs, offre_2026, accueil_user):
    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=pcs[0], nb_echeances=1, par=accueil_user, jour=datetime.date(2099, 1, 1)
        )
    assert refus.value.code == "futur"


def test_the_sale_and_its_first_payment_are_recorded_together_or_not_at_all(
    foyer, pcs, offre_2026, accueil_user
):
    from equipements import paiements
    from equipements.models import Paiement

    with pytest.raises(ValidationError) as refus:
        services.vente_enregistrer(
            foyer=foyer, ordinateur=pcs[0], nb_echeances=3, mode="tiers", par=accueil_user, jour=JOUR
        )
    assert refus.value.code == "tiers"
    assert not Vente.objects.exists() and not Echeance.objects.exists()
    assert Ordinateur.objects.get(pk=pcs[0].pk).statut == "en_stock"
    vente = services.vente_enregistrer(
        foyer=foyer,
        ordinateur=pcs[0],
        nb_echeances=4,
        mode="cheque",
        par=accueil_user,
        jour=JOUR,
        rendre_pdf=False,
    )
    assert vente.premier_paiement.montant == D("17.50") and vente.premier_paiement.date == JOUR
    assert Paiement.objects.get().recu.numero == "PAI-2026-00001"
    assert paiements.reste_du(vente) == D("52.50")
