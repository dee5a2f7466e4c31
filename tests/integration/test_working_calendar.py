"""Settings → Working calendar against SQLite and PostgreSQL: the country
from settings, moved days added, changed and removed, and who may do it."""

from __future__ import annotations

import datetime as dt

import pytest

from models import Interaction
from services.core import use_cases as core_cases
from services.core.access import Actor, PermissionDenied
from services.core.errors import ValidationError
from services.core.storage import Database
from services.scenarios import calendar_cases as cases
from services.scenarios import calendar_store as store
from services.scenarios import use_cases as scenarios
from tests.conftest import Team
from tests.integration.scenario_helpers import FRIDAY, make_card, make_chain

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


def _days(db: Database, actor: Actor, run_id: int) -> list[str]:
    return [f"{s.due_local:%a %d.%m %H:%M}" for s in scenarios.get_run(db, actor, run_id).steps]


def test_a_moved_day_re_plans_the_steps_still_to_come(db: Database, team: Team) -> None:
    """A chain applied on Friday 27 Nov 2026; Tuesday 1 Dec then becomes a day
    off: the steps from it on move by one working day, at their times."""
    admin = team.admin
    card = make_card(db, admin)
    run = scenarios.apply_scenario(
        db, admin, make_chain(db, admin), card.client_id, card.contact_id, FRIDAY
    ).value
    assert _days(db, admin, run.id) == [
        "Fri 27.11 14:00",
        "Tue 01.12 11:00",
        "Wed 02.12 10:00",
        "Mon 07.12 15:30",
        "Wed 09.12 09:00",
    ]
    made = cases.set_moved_day(db, admin, D(2026, 12, 1), False, "Региональный выходной", FRIDAY)
    assert _days(db, admin, run.id) == [
        "Fri 27.11 14:00",
        "Wed 02.12 11:00",
        "Thu 03.12 10:00",
        "Tue 08.12 15:30",
        "Thu 10.12 09:00",
    ]
    moved = [s.interaction_id for s in scenarios.get_run(db, admin, run.id).steps[1:]]
    assert made.changes.touches("interaction", moved)
    assert made.changes.touches_card("client", card.client_id)
    # the planned interactions moved with them, in the client's zone
    with db.reader() as uow:
        second = uow.session.get(Interaction, moved[0])
        assert second is not None
        assert second.start_utc == dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)
    # undoing the edit puts them back
    cases.remove_moved_day(db, admin, D(2026, 12, 1), FRIDAY)
    assert _days(db, admin, run.id)[1:3] == ["Tue 01.12 11:00", "Wed 02.12 10:00"]


def test_a_step_moved_by_hand_keeps_its_date(db: Database, team: Team) -> None:
    admin = team.admin
    card = make_card(db, admin)
    run = scenarios.apply_scenario(
        db, admin, make_chain(db, admin), card.client_id, card.contact_id, FRIDAY
    ).value
    fourth = run.steps[3]
    scenarios.move_run_step(db, admin, fourth.id, dt.datetime(2026, 12, 10, 15, 30))
    assert _days(db, admin, run.id)[3:] == ["Thu 10.12 15:30", "Mon 14.12 09:00"]
    # Wednesday 2 Dec becomes a day off
    cases.set_moved_day(db, admin, D(2026, 12, 2), False, now=FRIDAY)
    assert _days(db, admin, run.id) == [
        "Fri 27.11 14:00",
        "Tue 01.12 11:00",
        "Thu 03.12 10:00",  # placed by the calendar: moves
        "Thu 10.12 15:30",  # moved by hand: stays
        "Mon 14.12 09:00",  # counts from the step before, which stayed
    ]
    # a cancelled run is left alone
    scenarios.cancel_run(db, admin, run.id, FRIDAY)
    cases.remove_moved_day(db, admin, D(2026, 12, 2), FRIDAY)
    assert _days(db, admin, run.id)[2] == "Thu 03.12 10:00"
