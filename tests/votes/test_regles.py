"""The decision rules, as data, through the one evaluator — with their edges."""

import datetime
from decimal import Decimal

import pytest

from votes.models import Regle
from votes.regles import Decompte, RegleAppliquee, evaluer, expliquer, reponses_manquantes, reponses_requises

ACCORD = RegleAppliquee(type=Regle.ACCORD_DIRECT, seuil_participation=Decimal(25))
MAJORITE = RegleAppliquee(type=Regle.MAJORITE_LOGEMENTS)
SAUF = RegleAppliquee(type=Regle.SAUF_OPPOSITION)


def test_direct_agreement_with_exactly_a_quarter_responding_is_valid():
    verdict = evaluer(ACCORD, Decompte(inscrits=100, oui=13, non=12))
    assert verdict.adopte
    assert [c.atteinte for c in verdict.conditions] == [True, True]


def test_direct_agreement_one_response_short_of_a_quarter_is_rejected_whatever_the_yes():
    verdict = evaluer(ACCORD, Decompte(inscrits=100, oui=24))
    assert not verdict.adopte
    assert verdict.conditions[0].constat == "24 réponses sur 100 logements (24,0 %)"


def test_direct_agreement_quarter_threshold_rounds_up_on_odd_rolls():
    # 25 % of 101 is 25.25: 25 responses are not enough, 26 are.
    assert not evaluer(ACCORD, Decompte(inscrits=101, oui=25)).adopte
    assert evaluer(ACCORD, Decompte(inscrits=101, oui=26)).adopte
    assert reponses_requises(ACCORD, 101) == 26


def test_direct_agreement_tie_is_not_a_majority():
    assert not evaluer(ACCORD, Decompte(inscrits=100, oui=20, non=20)).adopte


def test_direct_agreement_blank_ballots_count_as_responses_not_as_approval():
    # 15 yes, 10 no, 10 blank: 35 responses (enough), but 15 of 35 is not a majority.
    assert not evaluer(ACCORD, Decompte(inscrits=100, oui=15, non=10, blancs=10)).adopte
    # blank ballots bring participation to the threshold: 13 yes, 2 no, 10 blank = 25 % with a majority
    assert evaluer(ACCORD, Decompte(inscrits=100, oui=13, non=2, blancs=10)).adopte


def test_direct_agreement_with_no_response_is_rejected():
    assert not evaluer(ACCORD, Decompte(inscrits=100)).adopte


def test_direct_agreement_checks_the_two_months_after_the_notice():
    regle = RegleAppliquee(
        type=Regle.ACCORD_DIRECT,
        seuil_participation=Decimal(25),
        notifie_le=datetime.date(2026, 10, 31),
        delai_mois=2,
    )
    assert regle.date_limite == datetime.date(2026, 12, 31)
    dans_les_temps = evaluer(regle, Decompte(inscrits=10, oui=5), ferme_le=datetime.date(2026, 12, 31))
    hors_delai = evaluer(regle, Decompte(inscrits=10, oui=5), ferme_le=datetime.date(2027, 1, 1))
    assert dans_les_temps.adopte
    assert not hors_delai.adopte


def test_majority_of_dwellings_needs_more_than_half_of_the_roll():
    assert not evaluer(MAJORITE, Decompte(inscrits=100, oui=50)).adopte  # a tie with the silent half
    assert evaluer(MAJORITE, Decompte(inscrits=100, oui=51)).adopte
    assert evaluer(MAJORITE, Decompte(inscrits=101, oui=51)).adopte


def test_majority_of_dwellings_blank_and_silence_do_not_approve():
    assert not evaluer(MAJORITE, Decompte(inscrits=10, oui=5, blancs=5)).adopte


def test_adopted_unless_a_majority_opposes():
    assert evaluer(SAUF, Decompte(inscrits=100)).adopte  # nobody answered: adopted
    assert evaluer(SAUF, Decompte(inscrits=100, non=50)).adopte  # exactly half oppose: not a majority
    assert not evaluer(SAUF, Decompte(inscrits=100, non=51)).adopte
    assert evaluer(SAUF, Decompte(inscrits=100, non=40, blancs=30)).adopte  # blank does not oppose


def test_quorum_on_top_of_any_rule():
    regle = RegleAppliquee(type=Regle.SAUF_OPPOSITION, quorum=Decimal(30))
    assert not evaluer(regle, Decompte(inscrits=100, oui=29)).adopte
    assert evaluer(regle, Decompte(inscrits=100, oui=20, non=10)).adopte  # exactly 30 %
    quorum_majorite = RegleAppliquee(type=Regle.MAJORITE_LOGEMENTS, quorum=Decimal(60))
    assert not evaluer(quorum_majorite, Decompte(inscrits=100, oui=55)).adopte


def test_a_higher_majority_threshold_is_data():
    deux_tiers = RegleAppliquee(type=Regle.MAJORITE_LOGEMENTS, seuil_majorite=Decimal("66.66"))
    assert evaluer(deux_tiers, Decompte(inscrits=3, oui=2)).adopte  # 66.67 % > 66.66 %
    assert not evaluer(deux_tiers, Decompte(inscrits=100, oui=66)).adopte


def test_responses_still_needed_takes_the_highest_threshold():
    regle = RegleAppliquee(type=Regle.ACCORD_DIRECT, seuil_participation=Decimal(25), quorum=Decimal(40))
    assert reponses_manquantes(regle, inscrits=600, reponses=100) == 140
    assert reponses_manquantes(regle, inscrits=600, reponses=300) == 0
    assert reponses_manquantes(MAJORITE, inscrits=600, reponses=0) is None


@pytest.mark.parametrize(
    ("regle", "attendu"),
    [
        (
            ACCORD,
            "Le projet est adopté si plus de 50 % des réponses l’approuvent, à condition qu’au moins 25 %",
        ),
        (MAJORITE, "Le projet est adopté si plus de 50 % des logements concernés l’approuvent."),
        (SAUF, "sauf si plus de 50 % des logements concernés s’y opposent par écrit"),
    ],
)
def test_each_rule_is_explained_in_plain_french(regle, attendu):
    assert attendu in " ".join(expliquer(regle))
