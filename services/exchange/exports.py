"""Interactions to CSV, planned interactions to iCalendar (SPEC H4)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, select

from models import Client, Deal, Interaction, Lead, User
from services.core import timezones
from services.core.access import Actor, Permission
from services.core.files import atomic_text
from services.core.storage import UnitOfWork
from services.feed import item_details

CSV_COLUMNS = (
    "id",
    "uid",
    "type",
    "state",
    "direction",
    "start",
    "timezone",
    "duration_min",
    "owner",
    "client_id",
    "client",
    "lead_id",
    "lead",
    "deal_id",
    "deal",
    "subject",
    "body",
    "contact_ids",  # space-separated contact person ids
)
# A cell starting with these is run as a formula by spreadsheet programs.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclasses.dataclass(frozen=True)
class ExportSummary:
    path: str
    rows: int


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _query(actor: Actor) -> Select[Any]:
    query = (
        select(
            Interaction,
            User.login.label("owner"),
            Client.name.label("client"),
            Lead.name.label("lead"),
            Deal.title.label("deal"),
        )
        .join(User, User.id == Interaction.owner_id)
        .outerjoin(Client, Client.id == Interaction.client_id)
        .outerjoin(Lead, Lead.id == Interaction.lead_id)
        .outerjoin(Deal, Deal.id == Interaction.deal_id)
    )
    if not actor.can(Permission.CLIENTS_VIEW_ALL):
        owners = actor.owner_ids
        query = query.where(Client.owner_id.in_(owners) | Lead.owner_id.in_(owners))
    return cast(Select[Any], query)


def _rows(uow: UnitOfWork, query: Select[Any]) -> Iterator[Any]:
    yield from uow.session.execute(query.execution_options(yield_per=2000))


def export_interactions_csv(uow: UnitOfWork, actor: Actor, path: Path) -> ExportSummary:
    """UTF-8 with a BOM so that Excel opens Cyrillic text correctly."""
    actor.require(Permission.IMPORT_EXPORT)
    count = 0
    with atomic_text(path, encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        batch: list[Any] = []
        for row in _rows(uow, _query(actor).order_by(Interaction.start_utc, Interaction.id)):
            batch.append(row)
            if len(batch) == 2000:
                count += _write_batch(uow, writer, batch)
                batch = []
        count += _write_batch(uow, writer, batch)
    return ExportSummary(str(path), count)


def _write_batch(uow: UnitOfWork, writer: Any, batch: list[Any]) -> int:
    """One CSV row per interaction; contact ids read once per batch."""
    contacts = item_details.contacts_of(uow, (row.Interaction.id for row in batch))
    for row in batch:
        i: Interaction = row.Interaction
        start = timezones.aware_local(i.start_local, i.start_tz)
        values = (
            i.id,
            i.uid,
            i.type,
            i.state,
            i.direction,
            start.isoformat(),
            i.start_tz,
            i.duration_min,
            row.owner,
            i.client_id,
            row.client,
            i.lead_id,
            row.lead,
            i.deal_id,
            row.deal,
            i.subject,
            i.body,
            " ".join(str(c) for c in contacts.get(i.id, ())),
        )
        writer.writerow([_safe_cell(v) for v in values])
    return len(batch)


def ics_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def ics_fold(line: str) -> str:
    """RFC 5545 3.1: lines longer than 75 octets continue after CRLF + space."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _utc_stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def export_calendar(
    uow: UnitOfWork, actor: Actor, path: Path, now: dt.datetime | None = None
) -> ExportSummary:
    """Planned interactions as VEVENTs in UTC, so any calendar reads them
    without VTIMEZONE blocks; the UID is stable so a re-import updates."""
    actor.require(Permission.IMPORT_EXPORT)
    stamp = _utc_stamp(now or dt.datetime.now(dt.UTC))
    count = 0
    query = _query(actor).where(Interaction.state == "planned").order_by(Interaction.start_utc)
    with atomic_text(path, encoding="utf-8") as handle:
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Touchpoint//CRM//EN",
            "CALSCALE:GREGORIAN",
        ]
        handle.write("\r\n".join(lines) + "\r\n")
        for row in _rows(uow, query):
            i: Interaction = row.Interaction
            try:
                end = i.start_utc + dt.timedelta(minutes=i.duration_min or 30)
            except OverflowError:  # saved before dates were bounded (year 9999)
                end = i.start_utc
            party = row.client or row.lead or ""
            summary = f"{i.type}: {party}" + (f" — {i.subject}" if i.subject else "")
            event = [
                "BEGIN:VEVENT",
                f"UID:{i.uid}@touchpoint",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{_utc_stamp(i.start_utc)}",
                f"DTEND:{_utc_stamp(end)}",
                f"SUMMARY:{ics_escape(summary)}",
                f"CATEGORIES:{ics_escape(i.type.upper())}",
            ]
            if i.body:
                event.append(f"DESCRIPTION:{ics_escape(i.body)}")
            event.append("END:VEVENT")
            handle.write("".join(ics_fold(line) + "\r\n" for line in event))
            count += 1
        handle.write("END:VCALENDAR\r\n")
    return ExportSummary(str(path), count)
