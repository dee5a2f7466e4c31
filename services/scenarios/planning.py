"""When each step of a chain falls: working days in the client's zone.

A step's day is ``delay_days`` working days after the previous step's day
(after the start for the first); its time of day is a wall time in the
client's zone, stored in UTC. Wall times the clocks skip (a DST gap) move
past the gap by as much as they fell into it; repeated ones take the first occurrence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from models import Client, Contact, ContactPoint
from services.core import settings, timezones
from services.core.storage import UnitOfWork
from services.scenarios import calendar_store
from services.scenarios.calendar import WorkingCalendar

Slot = tuple[dt.datetime, dt.datetime]  # (wall time in the zone, UTC)


def client_zone(uow: UnitOfWork, client: Client) -> str:
    """The client's zone: its own, a phone's, its region's, else the display zone."""
    phones = list(
        uow.session.scalars(
            select(ContactPoint.normalized).where(
                ContactPoint.kind == "phone",
                (ContactPoint.client_id == client.id)
                | ContactPoint.contact_id.in_(
                    select(Contact.id).where(Contact.client_id == client.id)
                ),
            )
        )
    )
    found = timezones.party_zone(client.timezone, client.region, phones)
    return found or settings.display_zone(uow)


def work_country(uow: UnitOfWork) -> str:
    """The country whose working days count (Settings → Working calendar)."""
    return calendar_store.country(uow)


def wall_instant(day: dt.date, minutes: int, tz: str) -> Slot:
    """(wall time, UTC) of ``minutes`` after midnight of ``day`` in ``tz``."""
    local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
    zone = timezones.zone(tz)
    utc = local.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)
    # In a gap fold=0 reads the wall time with the offset before the change,
    # which lands as far past the gap as the time was into it (02:30 → 03:30).
    return utc.astimezone(zone).replace(tzinfo=None), utc


def plan(
    start: dt.date, steps: Sequence[tuple[int, int]], tz: str, days: WorkingCalendar
) -> list[Slot]:
    """The slot of each ``(delay_days, time_minutes)`` step, chained from ``start``."""
    out: list[Slot] = []
    day = start
    for delay, minutes in steps:
        day = days.add(day, delay)
        out.append(wall_instant(day, minutes, tz))
    return out


def local_day(moment: dt.datetime, tz: str) -> dt.date:
    return moment.astimezone(timezones.zone(tz)).date()
