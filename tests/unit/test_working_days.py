"""Working-day arithmetic for scenario delays (issue #17): weekends, public
holidays with their substitutions, and the moved working days the holidays
package does not give (Russia and Kazakhstan)."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core.errors import ValidationError
from services.scenarios import calendar as cal

D = dt.date


def test_a_plain_week_skips_the_weekend() -> None:
    # Tue 2026-12-01 + 3 working days = Fri; + 4 = Mon (Sat and Sun skipped)
    assert cal.add_working_days(D(2026, 12, 1), 3, "RU") == D(2026, 12, 4)
    assert cal.add_working_days(D(2026, 12, 1), 4, "RU") == D(2026, 12, 7)


def test_zero_days_is_the_day_itself_or_the_next_working_day() -> None:
    assert cal.add_working_days(D(2026, 12, 2), 0, "RU") == D(2026, 12, 2)
    # Saturday: the step waits for Monday
    assert cal.add_working_days(D(2026, 12, 5), 0, "RU") == D(2026, 12, 7)
    # one working day after a Saturday is Monday too
    assert cal.add_working_days(D(2026, 12, 5), 1, "RU") == D(2026, 12, 7)
    assert cal.add_working_days(D(2026, 12, 5), 2, "RU") == D(2026, 12, 8)


def test_the_russian_new_year_holidays_cross_the_year_boundary() -> None:
    # 31 Dec 2026 is a day off (moved from 4 Jan), 1-8 Jan 2027 are holidays,
    # Sat and Sun follow: Wed 30 Dec 2026 + 1 = Mon 11 Jan 2027.
    assert not cal.is_working_day(D(2026, 12, 31), "RU")
    assert cal.add_working_days(D(2026, 12, 30), 1, "RU") == D(2027, 1, 11)
    # and backwards across the boundary of 2025/2026: 9 Jan 2026 was moved off too
    assert cal.add_working_days(D(2025, 12, 30), 1, "RU") == D(2026, 1, 12)


def test_a_moved_working_saturday_counts() -> None:
    """1 Nov 2025 (Sat) was a working day; 3 Nov (Mon) and 4 Nov were off."""
    assert D(2025, 11, 1).weekday() == 5
    assert cal.is_working_day(D(2025, 11, 1), "RU")
    assert not cal.is_working_day(D(2025, 11, 3), "RU")
    assert not cal.is_working_day(D(2025, 11, 4), "RU")
    # Fri 31 Oct + 1 = Sat 1 Nov; + 2 = Wed 5 Nov
    assert cal.add_working_days(D(2025, 10, 31), 1, "RU") == D(2025, 11, 1)
    assert cal.add_working_days(D(2025, 10, 31), 2, "RU") == D(2025, 11, 5)
    # without the table the package alone would skip the Saturday
    assert cal.add_working_days(D(2025, 10, 31), 1, "RU", moved={}) == D(2025, 11, 5)


@pytest.mark.parametrize(
    "day", [D(2024, 4, 27), D(2024, 11, 2), D(2024, 12, 28), D(2025, 11, 1), D(2027, 2, 20)]
)
def test_every_shipped_russian_working_saturday_is_a_working_day(day: dt.date) -> None:
    assert day.weekday() == 5
    assert cal.is_working_day(day, "RU")


def test_russian_holidays_and_their_substitutions_are_days_off() -> None:
    for day in (D(2025, 5, 2), D(2025, 5, 8), D(2025, 6, 13), D(2026, 1, 9), D(2026, 3, 9)):
        assert not cal.is_working_day(day, "RU"), day
    # May 2025: Wed 30 Apr + 1 = Mon 5 May (1-4 May off), + 4 = Mon 12 May (8-11 off)
    assert cal.add_working_days(D(2025, 4, 30), 1, "RU") == D(2025, 5, 5)
    assert cal.add_working_days(D(2025, 4, 30), 4, "RU") == D(2025, 5, 12)


def test_kazakhstan_has_its_own_holidays_and_moved_days() -> None:
    # Nauryz 2026: 21-25 March off (two of its days fell on the weekend)
    assert cal.add_working_days(D(2026, 3, 20), 1, "KZ") == D(2026, 3, 26)
    # Sunday 5 Jan 2025 was a working day for 3 Jan
    assert cal.is_working_day(D(2025, 1, 5), "KZ")
    assert not cal.is_working_day(D(2025, 1, 3), "KZ")
    assert cal.add_working_days(D(2025, 1, 2), 1, "KZ") == D(2025, 1, 5)
    # Saturday 4 May 2024 worked for Wednesday 8 May
    assert cal.is_working_day(D(2024, 5, 4), "KZ")
    assert not cal.is_working_day(D(2024, 5, 8), "KZ")
    # Russia's moved Saturday is not Kazakhstan's
    assert not cal.is_working_day(D(2025, 11, 1), "KZ")
    # Russia Day is not a holiday in Kazakhstan
    assert cal.is_working_day(D(2026, 6, 12), "KZ")
    assert not cal.is_working_day(D(2026, 6, 12), "RU")


def test_an_edited_moved_day_wins_over_the_package_and_the_weekend() -> None:
    moved = cal.shipped_moved("RU") | {D(2026, 12, 5): True, D(2026, 12, 8): False}
    assert cal.is_working_day(D(2026, 12, 5), "RU", moved)
    assert cal.add_working_days(D(2026, 12, 4), 1, "RU", moved) == D(2026, 12, 5)
    assert cal.add_working_days(D(2026, 12, 7), 1, "RU", moved) == D(2026, 12, 9)
    # a holiday made a working day
    assert cal.is_working_day(D(2026, 6, 12), "RU", {D(2026, 6, 12): True})


def test_dates_ignore_daylight_saving_time() -> None:
    """A delay is counted in dates: the night the clocks change is a day like
    any other (Germany, last Sunday of March and of October 2026)."""
    assert cal.add_working_days(D(2026, 3, 27), 1, "DE") == D(2026, 3, 30)
    assert cal.add_working_days(D(2026, 10, 23), 1, "DE") == D(2026, 10, 26)
    assert cal.add_working_days(D(2026, 10, 23), 5, "DE") == D(2026, 10, 30)


def test_a_country_without_a_holiday_calendar_has_weekends_only() -> None:
    assert cal.add_working_days(D(2026, 12, 31), 1, "XX") == D(2027, 1, 1)
    assert cal.add_working_days(D(2027, 1, 1), 1, "XX") == D(2027, 1, 4)


def test_counting_back_agrees_with_adding() -> None:
    ru = cal.working_calendar("RU")
    start = D(2025, 10, 20)
    for offset in range(7):
        for n in range(1, 40):
            begin = start + dt.timedelta(days=offset)
            assert ru.count(begin, ru.add(begin, n)) == n


def test_delays_are_bounded() -> None:
    with pytest.raises(ValidationError):
        cal.add_working_days(D(2026, 1, 1), -1, "RU")
    with pytest.raises(ValidationError):
        cal.add_working_days(D(2026, 1, 1), cal.MAX_DAYS + 1, "RU")
    # the longest delay allowed still ends (ten years of working days)
    assert cal.add_working_days(D(2026, 1, 1), cal.MAX_DAYS, "RU").year >= 2036


def test_the_year_list_shows_weekday_holidays_and_moved_days() -> None:
    days = {d.day: d for d in cal.unusual_days("RU", 2025, language="ru")}
    assert days[D(2025, 11, 1)].working
    assert days[D(2025, 11, 1)].moved
    assert not days[D(2025, 11, 3)].working
    assert days[D(2025, 11, 4)].name == "День народного единства"
    assert D(2025, 3, 8) not in days  # a Saturday holiday changes nothing
    english = {d.day: d for d in cal.unusual_days("RU", 2025, language="en_US")}
    assert english[D(2025, 11, 4)].name == "Unity Day"


def test_every_shipped_day_is_really_moved() -> None:
    """Each shipped working day would otherwise be off, and each shipped day
    off would otherwise be a working weekday: the table holds no no-ops."""
    for country in ("RU", "KZ"):
        for row in cal.shipped(country):
            assert cal.is_working_day(row.day, country, moved={}) is not row.working or (
                not row.working and row.day in cal.public_holidays(country, row.day.year)
            ), row
            assert row.source
