"""Provider incidents: working days, services, overdue marking, response-time statistics, the letter."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from equipements import selectors_signalements as selectors
from equipements.jours_ouvres import jours_ouvres_entre, paques
from equipements.models import DelaiCible, Signalement
from equipements.signalements import signalement_annuler, signalement_creer, signalement_suivre
from ipt.models import Evenement
from tests.factories import ImmeubleFactory, LogementFactory, QuartierFactory

J = datetime.date


# --- Working days ---------------------------------------------------------------------------------


def test_easter_is_computed_for_known_years():
    assert paques(2026) == J(2026, 4, 5)
    assert paques(2027) == J(2027, 3, 28)
    assert paques(2024) == J(2024, 3, 31)


def test_friday_to_monday_is_one_working_day():
    assert jours_ouvres_entre(J(2026, 3, 6), J(2026, 3, 9)) == 1


def test_public_holidays_are_not_working_days():
    assert jours_ouvres_entre(J(2026, 7, 13), J(2026, 7, 15)) == 1  # 14 July
    assert jours_ouvres_entre(J(2026, 4, 3), J(2026, 4, 7)) == 1  # Easter Monday 6 April
    assert jours_ouvres_entre(J(2026, 5, 13), J(2026, 5, 15)) == 1  # Ascension, 14 May
    assert jours_ouvres_entre(J(2026, 12, 24), J(2027, 1, 4)) == 5  # 25 Dec and 1 Jan left out


def test_the_same_day_is_zero_working_days():
    assert jours_ouvres_entre(J(2026, 3, 2), J(2026, 3, 2)) == 0


@pytest.mark.django_db
def test_target_times_are_seeded_by_the_data_migration():
    prise = DelaiCible.objects.get(categorie="prise")
    assert (prise.prise_en_compte_jours, prise.resolution_jours) == (2, 10)
    assert DelaiCible.objects.count() == 5


# --- Services ---------------------------------------------------------------------------------------


@pytest.fixture
def logement(db):
    return LogementFactory(cage="A", etage=2, porte="21")


def test_reporting_records_the_incident_and_an_audit_entry(logement, ville_user):
    s = signalement_creer(par=ville_user, immeuble=logement.immeuble, logement=logement, categorie="prise")
    assert s.statut == Signalement.Statut.OUVERT
    assert s.signale_par == ville_user
    evenement = Evenement.objects.get(action="equipements.signaler")
    assert evenement.par == ville_user and evenement.objet_id == str(s.pk)


def test_a_dwelling_of_another_building_is_refused_and_nothing_written(logement, ville_user):
    with pytest.raises(ValidationError):
        signalement_creer(par=ville_user, immeuble=ImmeubleFactory(), logement=logement, categorie="prise")
    assert not Signalement.objects.exists()


def _incident(logement, signale, pec=None, resolu=None, attente=0, categorie="prise", par=None):
    s = signalement_creer(
        par=par, immeuble=logement.immeuble, logement=logement, categorie=categorie, signale_le=signale
    )
    if pec or resolu:
        s = signalement_suivre(
            par=par,
            signalement=s,
            reference_fournisseur=f"FO-{s.pk}",
            pris_en_compte_le=pec,
            resolu_le=resolu,
            attente_locataire_jours=attente,
        )
    return s


def test_following_up_stores_working_days_without_the_time_waiting_on_the_tenant(logement):
    s = _incident(logement, J(2026, 3, 2), J(2026, 3, 3), J(2026, 3, 20), attente=4)
    assert s.statut == Signalement.Statut.RESOLU
    assert s.jours_prise_en_compte == 1
    assert s.jours_resolution == 14 - 4
    assert Evenement.objects.filter(action="equipements.suivre_signalement", objet_id=str(s.pk)).exists()


def test_resolving_without_acknowledgement_acknowledges_the_same_day(logement):
    s = _incident(logement, J(2026, 3, 2), None, J(2026, 3, 4))
    assert s.pris_en_compte_le == J(2026, 3, 4) and s.jours_prise_en_compte == 2


@pytest.mark.parametrize(
    ("pec", "resolu", "attente"),
    [
        (J(2026, 3, 1), None, 0),  # acknowledged before the report
        (J(2026, 3, 5), J(2026, 3, 4), 0),  # resolved before acknowledged
        (J(2026, 3, 3), J(2026, 3, 4), 5),  # waiting longer than the whole incident
        (J(2099, 3, 3), None, 0),  # in the future
    ],
)
def test_dates_out_of_order_are_refused_and_nothing_changes(logement, pec, resolu, attente):
    s = _incident(logement, J(2026, 3, 2))
    with pytest.raises(ValidationError):
        signalement_suivre(
            par=None,
            signalement=s,
            reference_fournisseur="X",
            pris_en_compte_le=pec,
            resolu_le=resolu,
            attente_locataire_jours=attente,
        )
    s.refresh_from_db()
    assert (s.statut, s.pris_en_compte_le, s.reference_fournisseur) == ("ouvert", None, "")


def test_a_resolved_incident_cannot_be_cancelled(logement):
    s = _incident(logement, J(2026, 3, 2), J(2026, 3, 3), J(2026, 3, 4))
    with pytest.raises(ValidationError):
        signalement_annuler(par=None, signalement=s)
    ouvert = _incident(logement, J(2026, 3, 2))
    assert signalement_annuler(par=None, signalement=ouvert).statut == Signalement.Statut.ANNULE


# --- Overdue ----------------------------------------------------------------------------------------


def test_not_acknowledged_after_two_working_days_is_overdue(logement, ville_user):
    _incident(logement, J(2026, 3, 2))
    [s] = selectors.signalements_ouverts(ville_user, J(2026, 3, 4))
    assert not s.retard
    [s] = selectors.signalements_ouverts(ville_user, J(2026, 3, 5))
    assert s.retard.prise_en_compte and not s.retard.resolution


def test_not_resolved_after_ten_working_days_less_the_waiting_is_overdue(logement, ville_user):
    s = _incident(logement, J(2026, 3, 2), J(2026, 3, 3))
    [s] = selectors.signalements_ouverts(ville_user, J(2026, 3, 17))  # 11 working days
    assert s.retard.resolution and not s.retard.prise_en_compte
    signalement_suivre(
        par=None,
        signalement=s,
        reference_fournisseur="",
        pris_en_compte_le=J(2026, 3, 3),
        resolu_le=None,
        attente_locataire_jours=2,
    )
    [s] = selectors.signalements_ouverts(ville_user, J(2026, 3, 17))
    assert not s.retard


def test_open_incidents_are_listed_oldest_first_without_the_resolved_and_cancelled(logement, ville_user):
    recent = _incident(logement, J(2026, 3, 10))
    ancien = _incident(logement, J(2026, 3, 2))
    _incident(logement, J(2026, 3, 1), J(2026, 3, 2), J(2026, 3, 3))
    signalement_annuler(par=None, signalement=_incident(logement, J(2026, 2, 1)))
    ouverts = selectors.signalements_ouverts(ville_user, J(2026, 3, 11))
    assert [s.pk for s in ouverts] == [ancien.pk, recent.pk]


# --- Statistics ---------------------------------------------------------------------------------------


@pytest.fixture
def mars(db):
    """Wall-socket incidents of March 2026 in one quartier (target: 2 and 10 working days)."""
    logement = LogementFactory(immeuble=ImmeubleFactory(quartier=QuartierFactory(nom="Kerourien")))
    _incident(logement, J(2026, 3, 2), J(2026, 3, 3), J(2026, 3, 13))  # ack 1, resolved 9
    _incident(logement, J(2026, 3, 2), J(2026, 3, 5), J(2026, 3, 16))  # ack 3 (late), resolved 10
    _incident(logement, J(2026, 3, 2), J(2026, 3, 2), J(2026, 3, 20), attente=4)  # ack 0, 14 - 4 = 10
    _incident(logement, J(2026, 3, 2), J(2026, 3, 3), J(2026, 3, 4))  # ack 1, resolved 2
    _incident(logement, J(2026, 3, 9))  # still open
    signalement_annuler(par=None, signalement=_incident(logement, J(2026, 3, 9), J(2026, 3, 30)))
    return logement


def test_statistics_on_a_known_month(mars, ville_user):
    [ligne] = selectors.statistiques(ville_user)
    assert (ligne.mois, ligne.quartier, ligne.categorie) == (J(2026, 3, 1), "Kerourien", "prise")
    assert (ligne.signales, ligne.resolus) == (5, 4)  # the cancelled one is not counted
    # Resolution times [2, 9, 10, 10]: without taking out the waiting, [2, 9, 10, 14].
    assert ligne.mediane_resolution == pytest.approx(9.5)
    assert ligne.p90_resolution == pytest.approx(10.0)
    assert ligne.part_resolution_dans_delai == pytest.approx(1.0)
    # Acknowledgement times [0, 1, 1, 3].
    assert ligne.mediane_prise_en_compte == pytest.approx(1.0)
    assert ligne.part_prise_en_compte_dans_delai == pytest.approx(0.75)


def test_statistics_split_by_quartier_category_and_month(mars, ville_user):
    autre = LogementFactory(immeuble=ImmeubleFactory(quartier=QuartierFactory(nom="Bellevue")))
    _incident(autre, J(2026, 4, 1), J(2026, 4, 2), J(2026, 4, 30), categorie="signal")  # 20 wd, late
    lignes = selectors.statistiques(ville_user)
    assert [(ligne.mois.month, ligne.quartier, ligne.categorie) for ligne in lignes] == [
        (4, "Bellevue", "signal"),
        (3, "Kerourien", "prise"),
    ]
    assert lignes[0].part_resolution_dans_delai == 0.0
    assert lignes[0].mediane_resolution == 20


def test_the_python_fallback_gives_the_same_percentiles_as_postgresql():
    assert selectors.centile([2, 9, 10, 14], 0.9) == pytest.approx(12.8)
    assert selectors.centile([2, 9, 10, 14], 0.5) == pytest.approx(9.5)
    assert selectors.centile([], 0.5) is None


def test_statistics_take_a_fixed_number_of_queries(ville_user, django_assert_num_queries):
    for n in (1, 30):
        quartier = QuartierFactory()
        for i in range(n):
            logement = LogementFactory(immeuble=ImmeubleFactory(quartier=quartier))
            _incident(logement, J(2026, 1 + i % 6, 2), J(2026, 1 + i % 6, 5), J(2026, 1 + i % 6, 20))
        user = type(ville_user).objects.get(pk=ville_user.pk)  # its permissions not cached yet
        with django_assert_num_queries(4):  # the user's permissions (2), the target times, the figures
            selectors.statistiques(user)


def test_statistics_run_as_one_sql_query_with_percentile_cont(mars, ville_user):
    with CaptureQueriesContext(connection) as requetes:
        selectors.statistiques(ville_user)
    assert sum("percentile_cont" in q["sql"] for q in requetes.captured_queries) == 1


def test_the_python_fallback_gives_the_same_figures_as_the_sql(mars, ville_user):
    autre = LogementFactory(immeuble=ImmeubleFactory(quartier=QuartierFactory(nom="Bellevue")))
    _incident(autre, J(2026, 4, 1), J(2026, 4, 2), J(2026, 4, 30), categorie="signal")
    en_python = selectors.statistiques(ville_user, en_sql=False)
    assert en_python == selectors.statistiques(ville_user, en_sql=True)
    assert en_python[1].mediane_resolution == pytest.approx(9.5)


@pytest.fixture
def mars_avril(mars):
    """``mars`` plus, in April in another quartier, one wall socket and one signal incident (20 wd each)."""
    autre = LogementFactory(immeuble=ImmeubleFactory(quartier=QuartierFactory(nom="Bellevue")))
    _incident(autre, J(2026, 4, 1), J(2026, 4, 2), J(2026, 4, 30))  # ack 1, resolved 20 (late)
    _incident(autre, J(2026, 4, 1), J(2026, 4, 2), J(2026, 4, 30), categorie="signal")
    return autre


def test_the_summary_gives_one_line_per_category_over_the_period(mars_avril, ville_user):
    synthese = {ligne.categorie: ligne for ligne in selectors.statistiques(ville_user, synthese=True)}
    assert set(synthese) == {"prise", "signal"}
    prise = synthese["prise"]
    assert (prise.mois, prise.quartier, prise.signales, prise.resolus) == (None, None, 6, 5)
    # Resolution times [2, 9, 10, 10, 20] (the waiting taken out), acknowledgement [0, 1, 1, 1, 3].
    assert prise.mediane_resolution == pytest.approx(10.0)
    assert prise.p90_resolution == pytest.approx(16.0)
    assert prise.part_resolution_dans_delai == pytest.approx(0.8)
    assert prise.mediane_prise_en_compte == pytest.approx(1.0)
    assert prise.part_prise_en_compte_dans_delai == pytest.approx(0.8)
    assert (synthese["signal"].signales, synthese["signal"].mediane_resolution) == (1, 20)


def test_the_filters_narrow_the_statistics(mars_avril, ville_user):
    def cles(**filtres):
        return [
            (ligne.mois.month, ligne.quartier, ligne.categorie)
            for ligne in selectors.statistiques(ville_user, **filtres)
        ]

    assert len(cles()) == 3
    assert cles(depuis=J(2026, 4, 1)) == [(4, "Bellevue", "prise"), (4, "Bellevue", "signal")]
    assert cles(jusqu_au=J(2026, 3, 1)) == [(3, "Kerourien", "prise")]
    assert cles(quartier=mars_avril.immeuble.quartier, categorie="signal") == [(4, "Bellevue", "signal")]
    assert cles(categorie="prise", jusqu_au=J(2026, 4, 1)) == [
        (4, "Bellevue", "prise"),
        (3, "Kerourien", "prise"),
    ]
    [avril] = selectors.statistiques(ville_user, depuis=J(2026, 4, 1), categorie="prise", synthese=True)
    assert (avril.signales, avril.mediane_resolution) == (1, 20)


@pytest.mark.parametrize(
    "filtres",
    [{}, {"synthese": True}, {"depuis": J(2026, 3, 1), "jusqu_au": J(2026, 3, 1), "synthese": True}],
)
def test_the_python_fallback_gives_the_same_summary_as_the_sql(mars_avril, ville_user, filtres):
    en_python = selectors.statistiques(ville_user, en_sql=False, **filtres)
    assert en_python == selectors.statistiques(ville_user, en_sql=True, **filtres)
    assert en_python
