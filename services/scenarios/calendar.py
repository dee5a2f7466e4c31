"""Working days for scenario delays (issue #17): Saturdays, Sundays and public
holidays are days off, except where the government moved them.

Public holidays (with their substitutions) come from the ``holidays`` package;
it does not make the moved Saturdays working days (1 November 2025 in Russia),
so a table of moved days ships in ``resources/calendar/moved_days.json`` and
Settings → Working calendar edits it (``calendar_store``). A moved day wins
over the package and the weekend, which is what lets an administrator correct
either.

Everything here is about dates: a delay never depends on a time zone or DST;
the step's time of day is put on the date afterwards, in the client's zone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Mapping
from pathlib import Path

import holidays

import resources
from services.core.errors import ValidationError

# A delay longer than ten years of working days is a typing mistake, and the
# walk over the calendar must stay bounded.
MAX_DAYS = 2600
# Years the package is asked about: enough for any date a scenario plans.
MIN_YEAR, MAX_YEAR = 1990, 2100
WEEKEND = (5, 6)  # Saturday, Sunday
MOVED_DAYS_FILE = Path(resources.__file__).resolve().parent / "calendar" / "moved_days.json"

# day -> True (a working day) or False (a day off), whatever the rest says.
Moved = Mapping[dt.date, bool]


@dataclasses.dataclass(frozen=True)
class ShippedDay:
    """One moved day from the shipped table, with the decree it comes from."""

    country: str
    day: dt.date
    working: bool
    source: str


@functools.cache
def _shipped_table() -> dict[str, tuple[ShippedDay, ...]]:
    data = json.loads(MOVED_DAYS_FILE.read_text("utf-8"))
    table: dict[str, tuple[ShippedDay, ...]] = {}
    for country, years in data["countries"].items():
        rows = [
            ShippedDay(country, dt.date.fromisoformat(day), working, year["source"])
            for year in years
            for key, working in (("working", True), ("off", False))
            for day in year[key]
        ]
        table[country] = tuple(sorted(rows, key=lambda row: row.day))
    return table


def shipped(country: str) -> tuple[ShippedDay, ...]:
    """The shipped moved days of a country (none for most countries)."""
    return _shipped_table().get(country.upper(), ())


def shipped_moved(country: str) -> dict[dt.date, bool]:
    return {row.day: row.working for row in shipped(country)}


@functools.cache
def supported_countries() -> frozenset[str]:
    """Two-letter codes the ``holidays`` package knows."""
    return frozenset(code for code in holidays.list_supported_countries() if len(code) == 2)


def check_country(country: str) -> str:
    code = country.strip().upper()
    if code not in supported_countries():
        raise ValidationError(
            f"No holiday calendar for {country!r}: use a two-letter country code",
            "country",
            code="scenarios.calendar.unknown_country",
            params={"country": country},
        )
    return code


@functools.lru_cache(maxsize=256)
def _holidays(country: str, year: int, language: str | None) -> dict[dt.date, str]:
    if country not in supported_countries() or not MIN_YEAR <= year <= MAX_YEAR:
        return {}
    found = holidays.country_holidays(country, years=year, language=language)
    return {day: str(name) for day, name in sorted(found.items())}


def public_holidays(country: str, year: int, language: str | None = None) -> dict[dt.date, str]:
    """The package's days off in a year, named in ``language`` ("en_US", "ru") when
    the country has it (else in the country's own language)."""
    country = country.upper()
    if language is not None and country in supported_countries():
        known = holidays.country_holidays(country, years=()).supported_languages
        language = language if language in known else None
    return dict(_holidays(country, year, language))


@dataclasses.dataclass(frozen=True)
class WorkingCalendar:
    """A country's working days with its moved days (by default the shipped
    table; ``calendar_store.calendar`` adds the edits made in Settings)."""

    country: str
    moved: Mapping[dt.date, bool]

    def is_working_day(self, day: dt.date) -> bool:
        moved = self.moved.get(day)
        if moved is not None:
            return moved
        if day in _holidays(self.country, day.year, None):
            return False
        return day.weekday() not in WEEKEND

    def add(self, start: dt.date, days: int) -> dt.date:
        """The ``days``-th working day after ``start`` (Saturday + 1 is Monday);
        with 0, ``start`` itself when it is a working day, else the next one:
        a step never falls on a day off."""
        if not 0 <= days <= MAX_DAYS:
            raise ValidationError(
                f"A delay is 0 to {MAX_DAYS} working days",
                "delay",
                code="scenarios.calendar.delay",
                params={"max_days": str(MAX_DAYS)},
            )
        day, left = start, days
        if days == 0 and self.is_working_day(day):
            return day
        while True:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
                if left <= 0:
                    return day

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``: how far ``end`` is from ``start``."""
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if self.is_working_day(start + dt.timedelta(days=n))
        )


def working_calendar(country: str, moved: Moved | None = None) -> WorkingCalendar:
    country = country.strip().upper()
    return WorkingCalendar(country, shipped_moved(country) if moved is None else dict(moved))


def is_working_day(day: dt.date, country: str, moved: Moved | None = None) -> bool:
    return working_calendar(country, moved).is_working_day(day)


def add_working_days(
    start: dt.date, days: int, country: str, moved: Moved | None = None
) -> dt.date:
    """``start`` plus ``days`` working days in ``country`` (see ``WorkingCalendar.add``);
    ``moved`` defaults to the shipped table, pass ``calendar_store.moved_days``
    for the one edited in Settings."""
    return working_calendar(country, moved).add(start, days)


@dataclasses.dataclass(frozen=True)
class DayOff:
    """A date that is not as the weekday says: a holiday or a moved day."""

    day: dt.date
    working: bool
    name: str  # the holiday's name, or the moved day's note
    moved: bool  # from the moved-days table, not the package


def unusual_days(
    country: str, year: int, moved: Moved | None = None, language: str | None = None
) -> list[DayOff]:
    """The year's holidays on weekdays and its moved days, by date: what
    Settings lists next to the editable moved days."""
    cal = working_calendar(country, moved)
    out = {
        day: DayOff(day, False, name, False)
        for day, name in public_holidays(cal.country, year, language).items()
        if day.weekday() not in WEEKEND
    }
    for day, working in cal.moved.items():
        if day.year == year:
            out[day] = DayOff(day, working, "", True)
    return [out[day] for day in sorted(out)]
