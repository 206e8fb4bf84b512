"""Statistics that never single anyone out: under the threshold is secret, and no total gives it away."""

import random
from decimal import Decimal

import pytest

from ipt.secret_statistique import masquer_liste, masquer_tableau, part_publiable

SEUIL = 11


def _relations(tableau):
    """Every total with the elements it sums, as lists of Case."""
    t = tableau
    for i in t.lignes:
        yield [t.totaux_lignes[i], *(t.cases[(i, j)] for j in t.colonnes)]
    for j in t.colonnes:
        yield [t.totaux_colonnes[j], *(t.cases[(i, j)] for i in t.lignes)]
    yield [t.total, *t.totaux_lignes.values()]
    yield [t.total, *t.totaux_colonnes.values()]


def test_a_count_under_the_threshold_is_secret_and_a_second_cell_hides_it_from_the_totals():
    tableau = masquer_tableau(
        {"Kerourien": {"adhérents": 40, "équipés": 7}, "Keredern": {"adhérents": 55, "équipés": 30}},
        seuil=SEUIL,
    )
    assert str(tableau.cases[("Kerourien", "équipés")]) == "secret"
    # The totals would give the 7 away (47 − 40, 37 − 30): the other three cells are hidden too, and
    # every total stays published.
    assert [str(tableau.cases[(i, j)]) for i in tableau.lignes for j in tableau.colonnes] == ["secret"] * 4
    assert [c.publiee for c in tableau.totaux_lignes.values()] == [47, 85]
    assert [c.publiee for c in tableau.totaux_colonnes.values()] == [95, 37]
    assert tableau.total.publiee == 132
    for relation in _relations(tableau):
        assert sum(c.secret for c in relation) != 1


def test_zero_is_published_and_a_table_without_small_counts_hides_nothing():
    tableau = masquer_tableau({"A": {"x": 0, "y": 25}, "B": {"x": 12, "y": 40}}, seuil=SEUIL)
    assert tableau.nb_secrets() == 0
    assert str(tableau.cases[("A", "x")]) == "0"


def test_a_list_per_quartier_hides_two_quartiers_so_the_city_total_cannot_give_one_away():
    cases, total = masquer_liste({"Kerourien": 4, "Keredern": 120, "Bellevue": 60}, seuil=SEUIL)
    assert cases["Kerourien"].secret
    assert cases["Bellevue"].secret  # the smallest other one, not the largest
    assert not cases["Keredern"].secret
    assert total.publiee == 184


def test_a_total_under_the_threshold_is_secret_itself():
    cases, total = masquer_liste({"Kerourien": 3, "Keredern": 2}, seuil=SEUIL)
    assert total.secret and cases["Kerourien"].secret and cases["Keredern"].secret


@pytest.mark.parametrize("graine", range(300))
def test_on_random_tables_no_total_ever_leaves_a_single_hidden_figure(graine):
    hasard = random.Random(graine)
    lignes = [f"q{i}" for i in range(hasard.randint(1, 6))]
    colonnes = [f"c{j}" for j in range(hasard.randint(1, 6))]
    comptes = {i: {j: hasard.choice([0, 0, 1, 3, 8, 10, 11, 15, 40, 200]) for j in colonnes} for i in lignes}
    tableau = masquer_tableau(comptes, seuil=SEUIL)
    for i in lignes:
        for j in colonnes:
            case, vraie = tableau.cases[(i, j)], comptes[i][j]
            assert case.valeur == vraie
            if 0 < vraie < SEUIL:
                assert case.secret
            if not case.secret:
                assert str(case) == str(vraie)  # what is shown is never changed
    for relation in _relations(tableau):
        assert sum(c.secret for c in relation) != 1


def test_sensitive_shares_only_among_those_who_consented_and_only_above_the_threshold():
    assert part_publiable(30, 120, seuil=SEUIL) == Decimal("25.0")
    assert part_publiable(5, 120, seuil=SEUIL) is None  # too few on income support
    assert part_publiable(30, 35, seuil=SEUIL) is None  # too few left over: the others would be singled out
    assert part_publiable(12, 10, seuil=SEUIL) is None  # too few consented


def test_the_threshold_is_a_setting(settings):
    settings.SECRET_STATISTIQUE_SEUIL = 5
    cases, _ = masquer_liste({"A": 7, "B": 40})
    assert not cases["A"].secret
    settings.SECRET_STATISTIQUE_SEUIL = 11
    cases, _ = masquer_liste({"A": 7, "B": 40})
    assert cases["A"].secret
