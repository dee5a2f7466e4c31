"""Settings → Working calendar against SQLite and PostgreSQL: the country
from settings, moved days added, changed and removed, and who may do it."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core import use_cases as core_cases
from services.core.access import PermissionDenied
from services.core.errors import ValidationError
from services.core.storage import Database
from services.scenarios import calendar_cases as cases
from services.scenarios import calendar_store as store
from tests.conftest import Team

D = dt.date


def _calendar(db: Database) -> store.CalendarYear:
    with db.reader() as uow:
        return store.year_view(uow, 2025, "ru")


def test_the_country_follows_the_phone_region_until_set(db: Database, team: Team) -> None:
    with db.reader() as uow:
        assert store.country(uow) == "RU"
    core_cases.save_settings(db, team.admin, {"default_region": "KZ"})
    with db.reader() as uow:
        assert store.country(uow) == "KZ"
        assert store.calendar(uow).is_working_day(D(2025, 1, 5))  # KZ's working Sunday
    outcome = cases.set_country(db, team.admin, "ru")
    assert outcome.value == "RU"
    assert outcome.changes.touches("calendar")
    with db.reader() as uow:
        assert store.country(uow) == "RU"
        assert not store.calendar(uow).is_working_day(D(2025, 1, 5))
    with pytest.raises(ValidationError):
        cases.set_country(db, team.admin, "Россия")


def test_the_year_lists_holidays_and_shipped_moved_days(db: Database) -> None:
    year = _calendar(db)
    assert year.country == "RU"
    assert year.supported
    by_day = {e.day: e for e in year.entries}
    assert by_day[D(2025, 11, 1)].working
    assert by_day[D(2025, 11, 1)].origin == "shipped"
    assert "1335" in by_day[D(2025, 11, 1)].name
    assert by_day[D(2025, 11, 4)] == store.CalendarEntry(
        D(2025, 11, 4), False, "holiday", "День народного единства"
    )


def test_an_administrator_edits_the_moved_days(db: Database, team: Team) -> None:
    # a new working Saturday with a Cyrillic note
    cases.set_moved_day(db, team.admin, D(2025, 12, 27), True, "  Отработка   за 31 декабря ")
    # a shipped working Saturday dropped: 1 Nov 2025 is a day off again
    cases.remove_moved_day(db, team.admin, D(2025, 11, 1))
    by_day = {e.day: e for e in _calendar(db).entries}
    assert by_day[D(2025, 12, 27)] == store.CalendarEntry(
        D(2025, 12, 27), True, "edited", "Отработка за 31 декабря"
    )
    assert D(2025, 11, 1) not in by_day
    with db.reader() as uow:
        ru = store.calendar(uow)
    assert ru.add(D(2025, 10, 31), 1) == D(2025, 11, 5)
    assert ru.add(D(2025, 12, 26), 1) == D(2025, 12, 27)
    # changing a shipped day, then undoing the change, brings the shipped one back
    cases.set_moved_day(db, team.admin, D(2025, 5, 8), True)
    with db.reader() as uow:
        assert store.calendar(uow).is_working_day(D(2025, 5, 8))
    cases.remove_moved_day(db, team.admin, D(2025, 5, 8))
    with db.reader() as uow:
        assert not store.calendar(uow).is_working_day(D(2025, 5, 8))
    assert _calendar(db).entries[-1].origin == "shipped"  # 31 Dec, from the decree
    # an ordinary day is not a moved day: nothing to remove, nothing changes
    with pytest.raises(ValidationError):
        cases.remove_moved_day(db, team.admin, D(2025, 12, 3))
    # the edits belong to the country: Kazakhstan's calendar is untouched
    with db.reader() as uow:
        assert not store.calendar(uow, "KZ").is_working_day(D(2025, 12, 27))


def test_a_manager_sees_the_calendar_but_cannot_change_it(db: Database, team: Team) -> None:
    before = _calendar(db)
    for attempt in (
        lambda: cases.set_moved_day(db, team.anna, D(2025, 12, 27), True),
        lambda: cases.remove_moved_day(db, team.anna, D(2025, 11, 1)),
        lambda: cases.set_country(db, team.boris, "KZ"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert _calendar(db) == before


def test_bad_moved_days_are_refused(db: Database, team: Team) -> None:
    with pytest.raises(ValidationError):
        cases.set_moved_day(db, team.admin, D(1800, 1, 1), True)
    with pytest.raises(ValidationError):
        cases.set_moved_day(db, team.admin, D(2025, 12, 27), True, "x" * 201)
    assert D(2025, 12, 27) not in {e.day for e in _calendar(db).entries}
