"""Settings → Working calendar as use cases: the country and the moved days.

Changing either moves the dates of pending scenario steps, so every use
case re-plans them in the same transaction; ``Changes`` names the kind
"calendar" (id 0: there is one calendar) plus what the re-plan moved.
"""

from __future__ import annotations

import datetime as dt

from models import CalendarDay
from services.core import settings
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import ValidationError
from services.core.storage import Database, UnitOfWork
from services.scenarios import calendar as cal
from services.scenarios import calendar_store as store

CALENDAR_ID = 0
MAX_NOTE = 200
KINDS = {True: "working", False: "day_off"}


def _day(day: dt.date) -> dt.date:
    if not cal.MIN_YEAR <= day.year <= cal.MAX_YEAR:
        raise ValidationError(f"A moved day is between {cal.MIN_YEAR} and {cal.MAX_YEAR}", "day")
    return day


def _note(note: str) -> str:
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise ValidationError(f"The note is longer than {MAX_NOTE} characters", "note")
    return note


def _replan(uow: UnitOfWork, actor: Actor) -> Changes:
    """Pending scenario steps follow the new calendar (nothing before the
    scenario runs exist)."""
    del uow, actor
    return Changes()


def set_moved_day(
    db: Database, actor: Actor, day: dt.date, working: bool, note: str = ""
) -> Outcome[dt.date]:
    """Make ``day`` a working day or a day off in the settings' country,
    whatever the holidays package and the weekday say."""
    actor.require(Permission.SETTINGS)
    day, note = _day(day), _note(note)
    with db.uow(actor.id) as uow:
        code = store.country(uow)
        row = uow.session.get(CalendarDay, (code, day))
        if row is None:
            uow.session.add(CalendarDay(country=code, day=day, kind=KINDS[working], note=note))
        else:
            row.kind, row.note = KINDS[working], note
        uow.session.flush()
        moved = _replan(uow, actor)
        uow.commit()
    return Outcome(day, Changes.of(updated={"calendar": [CALENDAR_ID]}) | moved)


def remove_moved_day(db: Database, actor: Actor, day: dt.date) -> Outcome[dt.date]:
    """Undo an edit (the shipped moved day, if any, is in force again), or
    drop a shipped moved day (the date is then as the holidays and the
    weekday say)."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        code = store.country(uow)
        row = uow.session.get(CalendarDay, (code, day))
        shipped = day in cal.shipped_moved(code)
        if row is not None and row.kind != "removed":
            uow.session.delete(row)
        elif row is None and shipped:
            uow.session.add(CalendarDay(country=code, day=day, kind="removed", note=""))
        else:
            raise ValidationError(
                f"{day.isoformat()} is not a moved day in the {code} calendar", "day"
            )
        uow.session.flush()
        moved = _replan(uow, actor)
        uow.commit()
    return Outcome(day, Changes.of(updated={"calendar": [CALENDAR_ID]}) | moved)


def set_country(db: Database, actor: Actor, country: str) -> Outcome[str]:
    """The country whose calendar counts working days; empty follows the
    phone region."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        settings.put(uow, "calendar_country", country)
        uow.session.flush()
        moved = _replan(uow, actor)
        code = store.country(uow)
        uow.commit()
    changes = Changes.of(updated={"calendar": [CALENDAR_ID], "setting": [0]})
    return Outcome(code, changes | moved)
