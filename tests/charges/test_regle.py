"""The rule (connected on the first day of the month), months in the city's time zone, tariffs."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from charges import selectors, services
from charges.models import Charge, Execution, Tarif
from charges.mois import MoisInvalide, lire_mois, mois_a_facturer
from logements.models import Logement
from tests.charges.conftest import OCTOBRE, PARIS, logements
from tests.factories import BailleurFactory, LogementFactory

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("maintenant", "attendu"),
    [
        # 1 November 00:30 in Paris is still 31 October in UTC: the month before is October.
        (datetime.datetime(2026, 10, 31, 23, 30, tzinfo=UTC), datetime.date(2026, 10, 1)),
        (datetime.datetime(2026, 11, 1, 0, 30, tzinfo=PARIS), datetime.date(2026, 10, 1)),
        # 31 October 23:30 in Paris: still October, so the month before is September.
        (datetime.datetime(2026, 10, 31, 22, 30, tzinfo=UTC), datetime.date(2026, 9, 1)),
        # Summer time: 1 April 01:30 in Paris is 31 March 23:30 UTC.
        (datetime.datetime(2026, 3, 31, 23, 30, tzinfo=UTC), datetime.date(2026, 3, 1)),
        # New year.
        (datetime.datetime(2026, 12, 31, 23, 15, tzinfo=UTC), datetime.date(2026, 12, 1)),
        (datetime.datetime(2027, 1, 1, 3, 30, tzinfo=PARIS), datetime.date(2026, 12, 1)),
    ],
)
def test_the_month_billed_is_the_month_before_in_the_citys_time_zone(maintenant, attendu):
    assert mois_a_facturer(maintenant) == attendu


def test_a_month_is_read_as_yyyy_mm_or_mm_yyyy():
    assert lire_mois("2026-10") == OCTOBRE
    assert lire_mois(" 10/2026 ") == OCTOBRE
    for mauvais in ["2026-13", "octobre", "", "2026-1-1", "1899-01"]:
        with pytest.raises(MoisInvalide, match="n’est pas un mois"):
            lire_mois(mauvais)


@pytest.mark.parametrize(
    ("connecte_depuis", "sorti_le", "facture"),
    [
        (datetime.date(2026, 10, 1), None, True),  # connected on the 1st: charged
        (datetime.date(2026, 9, 30), None, True),
        (datetime.date(2026, 10, 2), None, False),  # connected on the 2nd: from November
        (None, None, False),  # never connected
        (datetime.date(2014, 1, 1), datetime.date(2026, 10, 1), False),  # out from the 1st: not charged
        (datetime.date(2014, 1, 1), datetime.date(2026, 10, 15), True),
        (datetime.date(2014, 1, 1), datetime.date(2026, 9, 30), False),  # left the day before
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 1), False),
    ],
)
def test_the_rule_at_the_months_boundaries(tarifs, connecte_depuis, sorti_le, facture):
    logement = LogementFactory(connecte_depuis=connecte_depuis, sorti_le=sorti_le)
    assert selectors.logements_factures(OCTOBRE).filter(pk=logement.pk).exists() is facture
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"))
    assert Charge.objects.filter(logement=logement, mois=OCTOBRE).exists() is facture


def test_the_orm_path_charges_exactly_what_the_sql_path_charges(tarifs):
    bailleur = BailleurFactory()
    dedans = logements(bailleur, 5)
    dehors = logements(bailleur, 2, connecte_depuis=datetime.date(2026, 10, 2))
    logements(bailleur, 1, connecte_depuis=datetime.date(2014, 1, 1), sorti_le=datetime.date(2026, 9, 30))
    novembre = datetime.date(2026, 11, 1)
    assert services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"), taille_lot=3, sql=False) == 5
    assert services.charges_generer(mois=novembre, montant=Decimal("1.18"), taille_lot=3, sql=True) == 7
    assert services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"), sql=False) == 0
    octobre = set(Charge.objects.filter(mois=OCTOBRE).values_list("logement_id", flat=True))
    assert octobre == {lg.pk for lg in dedans}
    assert set(Charge.objects.filter(mois=novembre).values_list("logement_id", flat=True)) == octobre | {
        lg.pk for lg in dehors
    }


@pytest.mark.parametrize(
    ("mois", "montant"),
    [
        (datetime.date(2009, 1, 1), "1.00"),
        (datetime.date(2013, 12, 1), "1.00"),
        (datetime.date(2014, 1, 1), "1.10"),
        (datetime.date(2018, 12, 1), "1.10"),
        (datetime.date(2019, 1, 1), "1.18"),
        (datetime.date(2026, 10, 1), "1.18"),
    ],
)
def test_a_month_costs_the_tariff_in_force_on_its_first_day(tarifs, mois, montant):
    assert selectors.tarif_du_mois(mois).montant == Decimal(montant)


def test_a_tariff_starting_mid_month_applies_from_the_next_month(tarifs):
    Tarif.objects.create(applicable_du=datetime.date(2027, 3, 15), montant=Decimal("1.25"))
    assert selectors.tarif_du_mois(datetime.date(2027, 3, 1)).montant == Decimal("1.18")
    assert selectors.tarif_du_mois(datetime.date(2027, 4, 1)).montant == Decimal("1.25")


def test_the_run_charges_each_month_its_own_tariff(tarifs):
    logement = LogementFactory(connecte_depuis=datetime.date(2013, 1, 1))
    for mois in (datetime.date(2013, 12, 1), datetime.date(2014, 1, 1), datetime.date(2019, 1, 1)):
        execution = Execution.objects.create(mois=mois)
        services.execution_executer(execution_pk=execution.pk, documents_en_file=False)
    assert list(
        Charge.objects.filter(logement=logement).order_by("mois").values_list("montant", flat=True)
    ) == [
        Decimal("1.00"),
        Decimal("1.10"),
        Decimal("1.18"),
    ]


def test_without_a_tariff_the_run_fails_with_a_clear_message_and_charges_nothing(db):
    LogementFactory()
    execution = Execution.objects.create(mois=OCTOBRE)
    execution = services.execution_executer(execution_pk=execution.pk, documents_en_file=False)
    assert execution.statut == Execution.Statut.ECHEC
    assert "Aucun tarif ne s’applique au 1er octobre 2026" in execution.message
    assert not Charge.objects.exists()


def test_one_charge_per_dwelling_and_month_in_the_database(tarifs):
    logement = LogementFactory()
    Charge.objects.create(
        logement=logement, bailleur=logement.bailleur, mois=OCTOBRE, montant=Decimal("1.18")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.create(
            logement=logement, bailleur=logement.bailleur, mois=OCTOBRE, montant=Decimal("1.18")
        )


def test_a_charge_is_never_negative_and_always_on_the_first_day(tarifs):
    logement = LogementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.create(
            logement=logement, bailleur=logement.bailleur, mois=OCTOBRE, montant=Decimal("-1")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.create(
            logement=logement,
            bailleur=logement.bailleur,
            mois=datetime.date(2026, 10, 2),
            montant=Decimal("1"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Tarif.objects.create(applicable_du=datetime.date(2030, 1, 1), montant=Decimal("-0.01"))


def test_a_charge_is_never_changed_in_the_database(tarifs):
    logement = LogementFactory()
    charge = Charge.objects.create(
        logement=logement, bailleur=logement.bailleur, mois=OCTOBRE, montant=Decimal("1.18")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.filter(pk=charge.pk).update(montant=Decimal("0.50"))


@pytest.mark.parametrize("sql", [True, False], ids=["sql", "orm"])
@pytest.mark.parametrize(
    ("connecte_depuis", "sorti_le", "facture"),
    [
        (datetime.date(2026, 9, 1), datetime.date(2026, 10, 1), False),  # leaves on the 1st: out that day
        (datetime.date(2026, 9, 1), datetime.date(2026, 10, 2), True),  # leaves on the 2nd: in on the 1st
        (datetime.date(2026, 10, 1), None, True),  # connected on the 1st
        (datetime.date(2026, 10, 2), None, False),  # connected on the 2nd: from November
        (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30), False),
    ],
    ids=["leaves-on-1st", "leaves-on-2nd", "connected-on-1st", "connected-on-2nd", "left-before"],
)
def test_the_run_charges_exactly_the_dwellings_connected_on_the_1st(
    tarifs, sql, connecte_depuis, sorti_le, facture
):
    logement = LogementFactory(connecte_depuis=connecte_depuis, sorti_le=sorti_le)
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"), sql=sql)
    assert Charge.objects.filter(logement=logement, mois=OCTOBRE).exists() is facture
    assert (logement in Logement.objects.connectes(OCTOBRE)) is facture


def test_the_runs_sql_selects_what_the_rules_queryset_selects(tarifs):
    """The set-based path and the QuerySet agree on every combination of dates around the 1st."""
    dates = [None, datetime.date(2026, 9, 30), OCTOBRE, datetime.date(2026, 10, 2)]
    for connecte_depuis in dates:
        for sorti_le in dates:
            if sorti_le is not None and (connecte_depuis is None or sorti_le < connecte_depuis):
                continue  # refused by the dwelling's own constraint
            LogementFactory(connecte_depuis=connecte_depuis, sorti_le=sorti_le)
    services.charges_generer(mois=OCTOBRE, montant=Decimal("1.18"), sql=True)
    factures = set(Charge.objects.filter(mois=OCTOBRE).values_list("logement_id", flat=True))
    assert factures == set(Logement.objects.connectes(OCTOBRE).values_list("pk", flat=True))
    assert factures  # the fixture has connected dwellings
