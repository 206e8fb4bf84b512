"""A month's charges use the tariff in force on its first day, and a tariff charges used is final."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from charges import services
from charges.models import Charge, Execution, Regularisation, Releve, Tarif, TarifUtilise
from tests.charges.conftest import OCTOBRE, PARIS, logements
from tests.factories import BailleurFactory, LogementFactory

SEPTEMBRE = datetime.date(2026, 9, 1)
NOVEMBRE = datetime.date(2026, 11, 1)
EMISSION = datetime.datetime(2026, 11, 1, 3, 30, tzinfo=PARIS)


def executer(mois, maintenant=EMISSION) -> Execution:
    execution = Execution.objects.create(mois=mois)
    return services.execution_executer(
        execution_pk=execution.pk, maintenant=maintenant, documents_en_file=False
    )


@pytest.fixture
def octobre_facture(tarifs):
    """October 2026 charged at 1.18 EUR for 3 dwellings of one landlord."""
    bailleur = BailleurFactory(code="HOC")
    logements(bailleur, 3)
    executer(OCTOBRE)
    return bailleur


def test_catch_up_charges_of_an_earlier_month_use_that_months_tariff(octobre_facture):
    Tarif.objects.create(applicable_du=NOVEMBRE, montant=Decimal("1.25"))
    tardif = LogementFactory(bailleur=octobre_facture, connecte_depuis=datetime.date(2026, 8, 1))
    # September run late, after the tariff of November was recorded: September's own tariff.
    executer(SEPTEMBRE, maintenant=datetime.datetime(2026, 12, 2, 9, 0, tzinfo=PARIS))
    assert Charge.objects.get(logement=tardif, mois=SEPTEMBRE).montant == Decimal("1.18")
    # A missed October charge, caught up on a later statement: October's tariff, not today's.
    releve = Releve.objects.get(bailleur=octobre_facture, mois=OCTOBRE)
    regularisation = services.regularisation_creer(
        releve=releve, reference=tardif.reference, type=Regularisation.Type.RATTRAPAGE, motif="Oubli"
    )
    assert regularisation.montant == Decimal("1.18")
    assert Charge.objects.get(logement=tardif, mois=OCTOBRE).montant == Decimal("1.18")


def test_a_tariff_charges_used_cannot_be_changed_or_deleted(octobre_facture, tarifs):
    utilise = Tarif.objects.get(applicable_du=datetime.date(2019, 1, 1))
    assert utilise.utilise
    utilise.montant = Decimal("1.25")
    with pytest.raises(TarifUtilise):
        utilise.save()
    utilise.refresh_from_db()
    utilise.applicable_du = datetime.date(2026, 11, 1)
    with pytest.raises(TarifUtilise):
        utilise.save()
    with pytest.raises(TarifUtilise):
        Tarif.objects.filter(pk=utilise.pk).update(montant=Decimal("2.00"))
    with pytest.raises(TarifUtilise):
        utilise.delete()
    with pytest.raises(TarifUtilise):
        Tarif.objects.filter(pk=utilise.pk).delete()
    assert Tarif.objects.get(pk=utilise.pk).montant == Decimal("1.18")
    # Its note may still be written; a tariff no charge used stays free.
    Tarif.objects.filter(pk=utilise.pk).update(note="Délibération du conseil")
    ancien = Tarif.objects.get(applicable_du=datetime.date(2009, 1, 1))
    assert not ancien.utilise
    ancien.montant = Decimal("0.95")
    ancien.save()


def test_a_new_tariff_cannot_reach_back_to_a_charged_month(octobre_facture):
    with pytest.raises(TarifUtilise):
        Tarif.objects.create(applicable_du=datetime.date(2026, 6, 1), montant=Decimal("1.25"))
    Tarif.objects.create(applicable_du=NOVEMBRE, montant=Decimal("1.25"))
    assert Tarif.objects.en_vigueur(NOVEMBRE).montant == Decimal("1.25")


def test_the_database_refuses_changing_deleting_or_reaching_back_under_a_used_tariff(octobre_facture):
    utilise = Tarif.objects.get(applicable_du=datetime.date(2019, 1, 1))
    with connection.cursor() as cursor:
        for sql, params in [
            ("UPDATE charges_tarif SET montant = 1.25 WHERE id = %s", [utilise.pk]),
            ("UPDATE charges_tarif SET applicable_du = '2026-12-01' WHERE id = %s", [utilise.pk]),
            ("DELETE FROM charges_tarif WHERE id = %s", [utilise.pk]),
            (
                "INSERT INTO charges_tarif (montant, applicable_du, note, cree_le, modifie_le)"
                " VALUES (1.25, '2026-10-01', '', now(), now())",
                [],
            ),
        ]:
            with pytest.raises(IntegrityError), transaction.atomic():
                cursor.execute(sql, params)
        cursor.execute("UPDATE charges_tarif SET note = 'ok' WHERE id = %s", [utilise.pk])
        cursor.execute(
            "INSERT INTO charges_tarif (montant, applicable_du, note, cree_le, modifie_le)"
            " VALUES (1.25, '2026-11-01', '', now(), now())"
        )
    assert Tarif.objects.get(pk=utilise.pk).montant == Decimal("1.18")


def test_the_admin_shows_a_used_tariff_read_only_and_offers_no_delete(client, octobre_facture):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin-ville", is_staff=True, is_superuser=True)
    client.force_login(admin)
    utilise = Tarif.objects.get(applicable_du=datetime.date(2019, 1, 1))
    libre = Tarif.objects.get(applicable_du=datetime.date(2009, 1, 1))
    page = client.get(reverse("admin:charges_tarif_change", args=[utilise.pk])).content.decode()
    assert 'name="montant"' not in page and 'name="note"' in page
    assert (
        'name="montant"'
        in client.get(reverse("admin:charges_tarif_change", args=[libre.pk])).content.decode()
    )
    assert client.get(reverse("admin:charges_tarif_delete", args=[utilise.pk])).status_code == 403
    reponse = client.post(
        reverse("admin:charges_tarif_add"),
        {"montant": "1.30", "applicable_du": "01/10/2026", "note": ""},
    )
    assert reponse.status_code == 200 and "déjà facturés" in reponse.content.decode()
    assert not Tarif.objects.filter(montant=Decimal("1.30")).exists()
