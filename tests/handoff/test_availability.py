"""Opening hours, Norwegian public holidays and advisor presence."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from veiviser.handoff import availability
from veiviser.handoff.holidays import easter_sunday, is_public_holiday, public_holidays

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize("year, easter", [
    (2019, date(2019, 4, 21)), (2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)),
    (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)), (2038, date(2038, 4, 25)),
])
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


@pytest.mark.parametrize("day", [
    # 2024
    date(2024, 3, 28), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20),
    # 2025: Ascension and Whit Monday late
    date(2025, 4, 17), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9),
    # 2026
    date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25),
    # fixed days
    date(2026, 1, 1), date(2026, 5, 1), date(2026, 5, 17), date(2026, 12, 25), date(2026, 12, 26),
])
def test_public_holidays(day):
    assert is_public_holiday(day)


@pytest.mark.parametrize("day", [date(2024, 12, 24), date(2025, 12, 31), date(2026, 4, 4), date(2026, 6, 23)])
def test_ordinary_days_are_not_holidays(day):
    assert not is_public_holiday(day)


def test_twelve_holidays_a_year_unless_two_coincide():
    for year in range(2020, 2040):
        assert len(public_holidays(year)) == (11 if year in (2027, 2032) else 12)
    assert public_holidays(2027)[date(2027, 5, 17)] == "Grunnlovsdag og andre pinsedag"


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


@pytest.mark.parametrize("moment, is_open", [
    (oslo(2026, 11, 25, 7, 59), False),
    (oslo(2026, 11, 25, 8, 0), True),
    (oslo(2026, 11, 25, 15, 29), True),
    (oslo(2026, 11, 25, 15, 30), False),
    (oslo(2026, 11, 28, 10, 0), False),   # Saturday
    (oslo(2026, 5, 14, 10, 0), False),    # Ascension Day (Thursday)
    (oslo(2026, 4, 6, 10, 0), False),     # Easter Monday
    (oslo(2026, 4, 7, 10, 0), True),      # the Tuesday after
    (oslo(2026, 3, 30, 8, 30), True),     # after the switch to summer time
])
def test_default_hours(moment, is_open):
    hours = availability.load_hours(availability.settings.DEFAULT_HOURS_FILE)
    assert hours.is_open(moment) is is_open


def test_naive_datetimes_are_utc():
    hours = availability.load_hours(availability.settings.DEFAULT_HOURS_FILE)
    assert hours.is_open(datetime(2026, 11, 25, 7, 30))       # 08:30 in Oslo (winter)
    assert not hours.is_open(datetime(2026, 6, 24, 13, 45))   # 15:45 in Oslo (summer)


def test_describe_in_norwegian():
    hours = availability.load_hours(availability.settings.DEFAULT_HOURS_FILE)
    assert hours.describe() == "mandag–fredag 08.00–15.30 (stengt på helligdager)"


def test_config_file_from_environment(always_open):
    hours = availability.load_hours()
    for day in range(7):
        assert hours.is_open(oslo(2026, 12, 20 + day, 3, 0))
    assert hours.is_open(oslo(2026, 12, 25, 23, 59))  # holidays open in this file


@pytest.mark.parametrize("bad", [
    "weekly: {funday: [['08:00', '10:00']]}",
    "weekly: {monday: [['10:00', '08:00']]}",
    "[]",
])
def test_broken_config_is_refused(bad):
    with pytest.raises(ValueError):
        availability.parse_hours(__import__("yaml").safe_load(bad))


def test_live_needs_open_hours_and_an_advisor_signed_in(sqlite_db, always_open, monkeypatch):
    from tests.handoff.conftest import make_advisor, sign_in_now
    from veiviser.handoff import db
    from veiviser.handoff.db import AdvisorSession

    assert not availability.check().live  # nobody signed in
    make_advisor()
    sign_in_now()
    now = availability.check()
    assert now.live and now.advisors_online == 1
    with db.session() as s:  # the console has not been used for a while
        for row in s.query(AdvisorSession):
            row.last_seen -= timedelta(minutes=5)
    assert not availability.check().live


def test_closed_hours_mean_no_live_handoff(sqlite_db, never_open):
    from tests.handoff.conftest import make_advisor, sign_in_now

    make_advisor()
    sign_in_now()
    now = availability.check()
    assert now.advisors_online == 1 and not now.open_now and not now.live
