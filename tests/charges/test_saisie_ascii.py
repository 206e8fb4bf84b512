"""Months typed as text accept ASCII digits only; the CSV export neutralises full-width formula signs."""

import pytest
from django.core.management import CommandError, call_command

from charges.exports import neutraliser
from charges.mois import MoisInvalide, lire_mois


@pytest.mark.parametrize("texte", ["٢٠٢٦-١٠", "۲۰۲۶-۱۰", "２０２６-１０", "10/٢٠٢٦"])
def test_a_month_in_non_ascii_digits_is_refused(texte):
    with pytest.raises(MoisInvalide):
        lire_mois(texte)


def test_the_charge_run_refuses_a_month_in_arabic_indic_digits(db):
    with pytest.raises(CommandError, match="2026-10"):
        call_command("run_charges", "--month", "٢٠٢٦-١٠")


@pytest.mark.parametrize("valeur", ["＝1+1", "＋33 6", "－2", "＠SUM(A1)", '＝HYPERLINK("x")'])
def test_full_width_formula_signs_are_neutralised_in_csv_exports(valeur):
    assert neutraliser(valeur) == "'" + valeur


def test_ordinary_text_is_left_alone():
    assert neutraliser("Kérourien A") == "Kérourien A"
