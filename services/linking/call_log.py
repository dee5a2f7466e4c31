"""PBX call logs in: each row a call, linked by number or kept unlinked.

Presets (column mappings) for the formats below; any other CSV works with a
mapping given by hand (``field=column``). Importing a file twice changes
nothing: a call is keyed by its source and the PBX's call id (or, without
one, by time + number + direction).

- ``asterisk``: Asterisk ``Master.csv`` as cdr_csv writes it (no header),
  18 columns: accountcode, src, dst, dcontext, clid, channel, dstchannel,
  lastapp, lastdata, start, answer, end, duration, billsec, disposition,
  amaflags, uniqueid (index 16), userfield (index 17). Source: the Asterisk
  docs, "CDR Fields" / cdr_csv (``cdr/cdr_csv.c`` writes them in this order
  with ``loguniqueid`` and ``loguserfield`` on; ``newcdrcolumns`` appends
  peeraccount, linkedid, sequence). The call id is uniqueid: two calls that
  share a userfield are two calls.
- ``freepbx``: FreePBX CDR report export, header row: calldate, clid, src,
  dst, dcontext, channel, dstchannel, lastapp, lastdata, duration, billsec,
  disposition, amaflags, accountcode, uniqueid, userfield, did,
  recordingfile ...
- ``generic``: header row with columns named after the fields: started_at,
  direction, number, duration_s, result, call_id, recording, extension.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select

from models import CallRecord
from services.core import normalize, settings, timezones
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork

FIELDS = (
    "started_at",
    "direction",
    "number",
    "duration_s",
    "result",
    "call_id",
    "recording",
    "src",
    "dst",
)
ASTERISK_COLUMNS = (
    "accountcode",
    "src",
    "dst",
    "dcontext",
    "clid",
    "channel",
    "dstchannel",
    "lastapp",
    "lastdata",
    "start",
    "answer",
    "end",
    "duration",
    "billsec",
    "disposition",
    "amaflags",
    "uniqueid",
    "userfield",
    "peeraccount",
    "linkedid",
    "sequence",
)
PRESETS: dict[str, dict[str, str]] = {
    "asterisk": {
        "started_at": "start",
        "src": "src",
        "dst": "dst",
        "duration_s": "billsec",
        "result": "disposition",
        "call_id": "uniqueid",
    },
    "freepbx": {
        "started_at": "calldate",
        "src": "src",
        "dst": "dst",
        "duration_s": "billsec",
        "result": "disposition",
        "call_id": "uniqueid",
        "recording": "recordingfile",
    },
    "generic": {
        f: f
        for f in (
            "started_at",
            "direction",
            "number",
            "duration_s",
            "result",
            "call_id",
            "recording",
        )
    },
}
# Internal extensions are short; the other side of a call is the long number.
MAX_EXTENSION_DIGITS = 5
# A call longer than a week is a broken log line.
MAX_DURATION_S = 7 * 24 * 3600


@dataclasses.dataclass(frozen=True)
class CallImport:
    created: int
    already: int
    rejected: tuple[tuple[int, str], ...]  # (line, reason)


def _digits(value: str) -> str:
    return "".join(c for c in value if c.isdigit())


def _direction_and_number(row: Mapping[str, str], mapping: Mapping[str, str]) -> tuple[str, str]:
    if "number" in mapping:
        direction = (row.get(mapping.get("direction", ""), "") or "").strip().lower()
        if direction in ("in", "inbound", "incoming", "входящий", "входящий звонок"):
            return "in", row[mapping["number"]]
        if direction in ("out", "outbound", "outgoing", "исходящий", "исходящий звонок"):
            return "out", row[mapping["number"]]
        raise ValidationError(
            f"direction {direction!r} is not in or out",
            code="linking.call_log.direction_not_out",
            params={"direction": repr(direction)},
        )
    src, dst = row.get(mapping["src"], "").strip(), row.get(mapping["dst"], "").strip()
    if 0 < len(_digits(src)) <= MAX_EXTENSION_DIGITS:
        return "out", dst
    return "in", src


def _time(text: str, zone: str) -> dt.datetime:
    value = text.strip()
    try:
        moment = dt.datetime.fromisoformat(value.replace("T", " ", 1))
    except ValueError:
        raise ValidationError(
            f"time {value[:40]!r} is not YYYY-MM-DD HH:MM:SS",
            code="linking.call_log.time_not_yyyy_mm",
            params={"value": repr(value[:40])},
        ) from None
    timezones.check_year(moment, "call time")
    if moment.tzinfo is None:  # PBX logs are in the PBX's local time
        moment = moment.replace(tzinfo=timezones.zone(zone))
    return moment.astimezone(dt.UTC)


def _rows(path: Path, preset: str) -> list[dict[str, str]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            f"Cannot read {path}: {exc.strerror}",
            code="linking.call_log.cannot_read",
            params={"path": str(path), "strerror": str(exc.strerror)},
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1251")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                f"{path.name} is neither UTF-8 nor Windows-1251 text "
                f"(byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                code="linking.call_log.neither_utf_nor_windows",
                params={
                    "name": str(path.name),
                    "raw": format(raw[exc.start], "02x"),
                    "start": str(exc.start),
                },
            ) from None
    # newline="" lets the csv module see a lone CR as the line end it is.
    stream = io.StringIO(text, newline="")
    try:
        if preset == "asterisk":
            return [dict(zip(ASTERISK_COLUMNS, r, strict=False)) for r in csv.reader(stream)]
        reader = csv.DictReader(stream)
        return [{(k or "").strip().lower(): (v or "") for k, v in r.items()} for r in reader]
    except csv.Error as exc:
        raise ValidationError(
            f"{path.name} is not a readable CSV call log: {exc}",
            code="linking.call_log.not_readable_csv_call",
            params={"name": str(path.name), "exc": str(exc)},
        ) from None


def import_calls(
    uow: UnitOfWork,
    actor: Actor,
    path: Path,
    *,
    preset: str = "generic",
    mapping: Mapping[str, str] | None = None,
    source: str | None = None,
    zone: str | None = None,
) -> CallImport:
    actor.require(Permission.IMPORT_EXPORT)
    if preset not in PRESETS:
        raise ValidationError(
            f"Unknown preset {preset!r}; use one of {', '.join(PRESETS)}",
            code="linking.call_log.unknown_preset_use_one",
            params={"preset": repr(preset), "presets": str(", ".join(PRESETS))},
        )
    columns = dict(PRESETS[preset]) | {k: v.strip().lower() for k, v in (mapping or {}).items()}
    unknown = set(columns) - set(FIELDS)
    if unknown:
        raise ValidationError(
            f"Unknown call fields {', '.join(sorted(unknown))}",
            code="linking.call_log.unknown_call_fields",
            params={"unknown": str(", ".join(sorted(unknown)))},
        )
    if "started_at" not in columns or not (
        {"number"} <= set(columns) or {"src", "dst"} <= set(columns)
    ):
        raise ValidationError(
            "A call log needs started_at and number (or src and dst) columns",
            code="linking.call_log.call_log_needs_started",
        )
    zone = zone or settings.display_zone(uow)
    region = settings.get(uow, "default_region")
    source = source or preset
    created = already = 0
    rejected: list[tuple[int, str]] = []
    for line, row in enumerate(_rows(path, preset), start=1 if preset == "asterisk" else 2):
        try:
            direction, raw_number = _direction_and_number(row, columns)
            number = normalize.normalize_phone(raw_number, region).split(";", 1)[0]
            started = _time(row.get(columns["started_at"], ""), zone)
            duration = row.get(columns.get("duration_s", ""), "").strip()
            call_id = row.get(columns.get("call_id", ""), "").strip()
        except (ValidationError, KeyError) as exc:
            rejected.append((line, str(exc)))
            continue
        if duration and not (
            len(duration) < 10 and duration.isdecimal() and int(duration) <= MAX_DURATION_S
        ):
            rejected.append((line, f"duration {duration[:30]!r} is not a number of seconds"))
            continue
        key = (
            call_id
            or hashlib.sha256(f"{started.isoformat()}|{number}|{direction}".encode()).hexdigest()[
                :40
            ]
        )
        exists = uow.session.scalar(
            select(CallRecord.id).where(CallRecord.source == source, CallRecord.call_key == key)
        )
        if exists is not None:
            already += 1
            continue
        uow.session.add(
            CallRecord(
                source=source,
                call_key=key,
                started_at=started,
                direction=direction,
                number=number,
                raw_number=raw_number.strip()[:100],
                duration_s=int(duration) if duration else None,
                result=(row.get(columns.get("result", ""), "") or "").strip().lower()[:50] or None,
                recording=(row.get(columns.get("recording", ""), "") or "").strip() or None,
                user_id=actor.id,
            )
        )
        uow.session.flush()
        created += 1
    return CallImport(created, already, tuple(rejected))


def dial_target(uow: UnitOfWork, number_e164: str) -> tuple[str, list[str] | str]:
    """How to call a number: ("url", "tel:+7…") or ("command", argv) when a
    softphone command is configured (``{number}`` is replaced, E.164)."""
    command = settings.get(uow, "softphone_command")
    number = number_e164.split(";", 1)[0]
    if not command:
        return "url", f"tel:{number}"
    import shlex

    return "command", [part.replace("{number}", number) for part in shlex.split(command)]
