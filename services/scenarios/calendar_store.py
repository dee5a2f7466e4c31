"""The working calendar in force: the country from settings and the shipped
moved days merged with the ones edited in Settings → Working calendar."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from models import CalendarDay
from services.core import settings
from services.core.storage import UnitOfWork
from services.scenarios import calendar as cal


def country(uow: UnitOfWork) -> str:
    """The calendar's country: its own setting, else the phone region."""
    return (settings.get(uow, "calendar_country") or settings.get(uow, "default_region")).upper()


def _edits(uow: UnitOfWork, code: str) -> dict[dt.date, CalendarDay]:
    rows = uow.session.scalars(select(CalendarDay).where(CalendarDay.country == code))
    return {row.day: row for row in rows}


def moved_days(uow: UnitOfWork, code: str) -> dict[dt.date, bool]:
    """day → working, for ``cal.add_working_days(..., moved=)``."""
    moved = cal.shipped_moved(code)
    for day, row in _edits(uow, code.upper()).items():
        if row.kind == "removed":
            moved.pop(day, None)
        else:
            moved[day] = row.kind == "working"
    return moved


def calendar(uow: UnitOfWork, code: str | None = None) -> cal.WorkingCalendar:
    """The calendar to plan with (the settings' country unless named)."""
    code = (code or country(uow)).upper()
    return cal.working_calendar(code, moved_days(uow, code))


@dataclasses.dataclass(frozen=True)
class CalendarEntry:
    """One line of Settings → Working calendar."""

    day: dt.date
    working: bool
    # "holiday" (the package's, read-only), "shipped" (the table shipped
    # with Touchpoint) or "edited" (added or changed in Settings)
    origin: str
    name: str  # the holiday's name, the decree or the administrator's note


@dataclasses.dataclass(frozen=True)
class CalendarYear:
    country: str
    year: int
    entries: tuple[CalendarEntry, ...]
    supported: bool  # the holidays package knows the country
    chosen: str  # the calendar_country setting; empty: the phone region's
    region: str  # the phone region


def year_view(uow: UnitOfWork, year: int, language: str | None = None) -> CalendarYear:
    """The settings' country's holidays on weekdays and moved days in ``year``."""
    code = country(uow)
    edits = _edits(uow, code)
    sources = {row.day: row.source for row in cal.shipped(code)}
    entries = []
    for off in cal.unusual_days(code, year, moved_days(uow, code), language):
        edit = edits.get(off.day)
        if not off.moved:
            entries.append(CalendarEntry(off.day, False, "holiday", off.name))
        elif edit is not None:
            entries.append(CalendarEntry(off.day, off.working, "edited", edit.note))
        else:
            entries.append(CalendarEntry(off.day, off.working, "shipped", sources[off.day]))
    return CalendarYear(
        code,
        year,
        tuple(entries),
        code in cal.supported_countries(),
        settings.get(uow, "calendar_country"),
        settings.get(uow, "default_region"),
    )
