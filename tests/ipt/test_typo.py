"""French typography of dates and times in documents."""

import datetime
import zoneinfo

from ipt.templatetags.typo import date_heure, date_longue, heure

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def test_the_first_of_the_month_is_written_1er_and_other_days_plainly():
    assert date_longue(datetime.date(2026, 10, 1)) == f"1er{NBSP}octobre 2026"
    assert date_longue(datetime.date(2026, 10, 19)) == f"19{NBSP}octobre 2026"


def test_times_are_written_with_h_and_no_minutes_on_the_hour():
    assert heure(datetime.time(19, 30)) == f"19{NBSP}h{NBSP}30"
    assert heure(datetime.time(9, 0)) == f"9{NBSP}h"
    assert heure(datetime.time(1, 5)) == f"1{NBSP}h{NBSP}05"


def test_an_aware_moment_is_shown_in_paris_time():
    moment = datetime.datetime(2026, 12, 1, 18, 30, tzinfo=datetime.UTC)  # 19:30 in Paris (winter)
    assert date_heure(moment) == f"1er{NBSP}décembre 2026 à 19{NBSP}h{NBSP}30"
    assert date_longue(None) == heure(None) == date_heure("") == ""
