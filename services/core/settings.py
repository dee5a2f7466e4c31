"""Database-wide settings: default phone region, display zone ..."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import String, Table, bindparam, select

from models import Setting
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork

DEFAULTS: dict[str, str] = {
    # Numbers typed without a country code are read in this region (SPEC D4).
    "default_region": "RU",
    # Empty: follow the computer's zone.
    "default_timezone": "",
    # The linking job (SPEC D1): how often it runs, and when it last did.
    "link_minutes": "60",
    "link_last_run": "",
    # What the last full linking run saw (owners' fingerprint, newest letter
    # and call), so a run re-ranks only when something changed. Internal.
    "link_state": "",
    # Click-to-call: empty opens tel:, else a command with {number} (E.164).
    "softphone_command": "",
    # Working days for scenario delays: a holidays country; empty follows
    # default_region (services/scenarios/calendar.py).
    "calendar_country": "",
}


def get(uow: UnitOfWork, key: str) -> str:
    if key not in DEFAULTS:
        raise ValidationError(
            f"Unknown setting {key!r}; known: {', '.join(sorted(DEFAULTS))}",
            code="core.settings.unknown_setting_known",
            params={"key": repr(key), "defaults": str(", ".join(sorted(DEFAULTS)))},
        )
    from services.core import prepared

    # Prepared: every feed page of a new unit of work reads the display zone.
    compiled = prepared.prepared(
        prepared.dialect_of(uow),
        "setting",
        lambda: select(Setting.value).where(Setting.key == bindparam("key", type_=String)),
    )
    rows = compiled.rows(uow, {"key": key})
    return str(rows[0][0]) if rows and rows[0][0] is not None else DEFAULTS[key]


def put(uow: UnitOfWork, key: str, value: str) -> None:
    from services.core import normalize, timezones

    get(uow, key)  # validates the key
    if key == "default_region" and normalize.timezone_for_region(value.upper()) is None:
        raise ValidationError(
            f"Unknown region {value!r}: use a two-letter country code",
            code="core.settings.unknown_region_use_two",
            params={"value": repr(value)},
        )
    if key == "default_region":
        value = value.upper()
    if key == "calendar_country" and value:
        from services.scenarios import calendar

        value = calendar.check_country(value)
    if key == "default_timezone" and value:
        timezones.zone(value)
    if key == "link_minutes" and not (
        value.isascii() and value.isdigit() and len(value) <= 6 and 1 <= int(value) <= 7 * 24 * 60
    ):
        raise ValidationError(
            "The linking job runs every 1 to 10080 minutes",
            code="core.settings.linking_job_runs_every",
        )
    if key == "softphone_command" and value and "{number}" not in value:
        raise ValidationError(
            "The softphone command needs {number} where the number goes",
            code="core.settings.softphone_command_needs_number",
        )
    uow.info.pop("display_zone", None)
    row = uow.session.get(Setting, key)
    if row is None:
        uow.session.add(Setting(key=key, value=value))
    else:
        row.value = value


def record(uow: UnitOfWork, key: str, value: str) -> None:
    """Store an internal value the app keeps for itself (``link_state``,
    ``link_last_run``): nothing to check but the key, so one upsert compiled
    once per dialect instead of an ORM load and flush (the linking job's
    two: ~3 ms of a 70 ms run). Not for a setting the session has loaded
    as an object (``put`` is)."""
    from services.core import prepared

    if key not in _INTERNAL:
        raise ValueError(f"not an internal setting: {key!r}")
    dialect = prepared.dialect_of(uow)
    statement = prepared.prepared(dialect, "setting.record", lambda: _upsert(dialect.name))
    statement.write(uow, {"key": key, "value": value})


_INTERNAL = frozenset({"link_state", "link_last_run"})


def _upsert(dialect_name: str) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    table = cast(Table, Setting.__table__)
    insert = postgresql.insert if dialect_name == "postgresql" else sqlite.insert
    statement = insert(table).values(
        key=bindparam("key", type_=String), value=bindparam("value", type_=String)
    )
    return statement.on_conflict_do_update(
        index_elements=["key"], set_={"value": statement.excluded.value}
    )


def display_zone(uow: UnitOfWork) -> str:
    """The zone times are shown in; read once per unit of work."""
    from services.core import timezones

    cached = uow.info.get("display_zone")
    if cached is None:
        cached = get(uow, "default_timezone") or timezones.machine_zone()
        uow.info["display_zone"] = cached
    return str(cached)
