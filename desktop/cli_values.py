"""The text of CLI options turned into values: times and days, files to
read, ``CODE=VALUE`` and ``FIELD=COLUMN`` lists, the next step to plan. A
bad value is a ValidationError (exit 2) that names what was expected."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from services.core import timezones
from services.core.errors import ValidationError
from services.interactions import actions as ix


def parse_time(text: str, what: str = "time") -> dt.datetime:
    """'2026-12-01 10:00' (wall time) or an ISO 8601 instant with offset."""
    value = text.strip().replace("T", " ", 1)
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            f"Not a {what}: {text[:60]!r}; use e.g. 2026-12-01 10:00 or 2026-12-01T10:00+03:00",
            what,
        ) from None
    return timezones.check_year(moment, what)


def parse_day(text: str, zone_name: str) -> dt.datetime:
    moment = parse_time(text, "date")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezones.zone(zone_name))
    return moment


def existing_file(name: str) -> Path:
    """A file to read, or a refusal that says what is there instead."""
    path = Path(name)
    try:
        if path.is_dir():
            raise ValidationError(f"{path} is a folder: give a file")
        if not path.is_file():
            raise ValidationError(
                f"No such file: {path}" if not path.exists() else f"{path} is not a regular file"
            )
    except OSError as exc:  # a name too long, a folder we may not look into
        raise ValidationError(f"Cannot open {name[:80]!r}: {exc.strerror}") from None
    return path


def parse_fields(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        code, sep, value = item.partition("=")
        if not sep or not code.strip():
            raise ValidationError(f"Custom field must be CODE=VALUE, got {item!r}")
        out[code.strip()] = value
    return out


def next_step(args: argparse.Namespace) -> ix.NewInteraction | None:
    if not args.next_type and not args.next_at:
        return None
    if not (args.next_type and args.next_at):
        raise ValidationError("Give both --next-type and --next-at for the next interaction")
    return ix.NewInteraction(
        type=args.next_type,
        planned=True,
        start=parse_time(args.next_at),
        subject=getattr(args, "next_subject", None),
    )


def field_map(items: list[str]) -> dict[str, str]:
    """``--map FIELD=COLUMN`` arguments as a dict."""
    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip():
            raise ValidationError(f"--map wants FIELD=COLUMN, got {item!r}")
        mapping[field.strip()] = column
    return mapping
