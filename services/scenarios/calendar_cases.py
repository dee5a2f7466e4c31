"""Settings → Working calendar as use cases: the country and the moved days.

A moved day changes the dates of the pending scenario steps planned in that
country, so adding or removing one re-plans them in the same transaction
(``replan``); ``Changes`` names the kind "calendar" (id 0: there is one
calendar) plus the interactions and cards the re-plan moved. The country
applies to scenarios applied from then on: a run keeps the country it was
planned in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from models import CalendarDay
from services.core import settings
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import ValidationError
from services.core.storage import Database, UnitOfWork
from services.scenarios import calendar as cal
from services.scenarios import calendar_store as store
from services.scenarios import replan

CALENDAR_ID = 0
MAX_NOTE = 200
KINDS = {True: "working", False: "day_off"}


def _day(day: dt.date) -> dt.date:
    if not cal.MIN_YEAR <= day.year <= cal.MAX_YEAR:
        raise ValidationError(
            f"A moved day is between {cal.MIN_YEAR} and {cal.MAX_YEAR}",
            "day",
            code="scenarios.calendar.day_out_of_range",
            params={"min_year": str(cal.MIN_YEAR), "max_year": str(cal.MAX_YEAR)},
        )
    return day


def _note(note: str) -> str:
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise ValidationError(
            f"The note is longer than {MAX_NOTE} characters",
            "note",
            code="scenarios.calendar.note_too_long",
            params={"max_note": str(MAX_NOTE)},
        )
    return note


def _edit_and_replan(
    db: Database,
    actor: Actor,
    day: dt.date,
    edit: Callable[[UnitOfWork, str], None],
    now: dt.datetime | None,
) -> Outcome[dt.date]:
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        code = store.country(uow)
        before = store.calendar(uow, code)
        edit(uow, code)
        uow.session.flush()
        moved = replan.replan(
            uow, actor, before, store.calendar(uow, code), now or dt.datetime.now(dt.UTC)
        )
        uow.commit()
    return Outcome(day, Changes.of(updated={"calendar": [CALENDAR_ID]}) | moved)


def set_moved_day(
    db: Database,
    actor: Actor,
    day: dt.date,
    working: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> Outcome[dt.date]:
    """Make ``day`` a working day or a day off in the settings' country,
    whatever the holidays package and the weekday say."""
    actor.require(Permission.SETTINGS)
    day, note = _day(day), _note(note)

    def edit(uow: UnitOfWork, code: str) -> None:
        row = uow.session.get(CalendarDay, (code, day))
        if row is None:
            uow.session.add(CalendarDay(country=code, day=day, kind=KINDS[working], note=note))
        else:
            row.kind, row.note = KINDS[working], note

    return _edit_and_replan(db, actor, day, edit, now)


def remove_moved_day(
    db: Database, actor: Actor, day: dt.date, now: dt.datetime | None = None
) -> Outcome[dt.date]:
    """Undo an edit (the shipped moved day, if any, is in force again), or
    drop a shipped moved day (the date is then as the holidays and the
    weekday say)."""

    def edit(uow: UnitOfWork, code: str) -> None:
        row = uow.session.get(CalendarDay, (code, day))
        if row is not None and row.kind != "removed":
            uow.session.delete(row)
        elif row is None and day in cal.shipped_moved(code):
            uow.session.add(CalendarDay(country=code, day=day, kind="removed", note=""))
        else:
            raise ValidationError(
                f"{day.isoformat()} is not a moved day in the {code} calendar",
                "day",
                code="scenarios.calendar.not_moved",
                params={"day": day.isoformat(), "country": code},
            )

    return _edit_and_replan(db, actor, day, edit, now)


def set_country(db: Database, actor: Actor, country: str) -> Outcome[str]:
    """The country whose calendar counts working days for scenarios applied
    from now on; empty follows the phone region."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        settings.put(uow, "calendar_country", country)
        uow.session.flush()
        code = store.country(uow)
        uow.commit()
    return Outcome(code, Changes.of(updated={"calendar": [CALENDAR_ID], "setting": [0]}))
