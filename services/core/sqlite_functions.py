"""Python functions SQLite calls from SQL, registered on every connection.

SQLite has no Unicode case folding and no time zones, yet bulk writes (the
linking job's ``INSERT ... SELECT``) need both per row. The functions here
are the rules the Python code applies row by row (``models.folding.fold``,
``timezones.split_input_time``), so a set-based statement and a row-by-row
one leave identical rows. PostgreSQL has its own ``tp_fold`` (since 0007).
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from zoneinfo import ZoneInfo

from models import folding

OFFSET = "tp_utc_offset"
_HOUR = dt.timedelta(seconds=3599)
_offsets: dict[tuple[str, str], int] = {}


def register(dbapi_conn: sqlite3.Connection) -> None:
    dbapi_conn.create_function(folding.SQL_FUNCTION, 1, folding.fold_sql, deterministic=True)
    dbapi_conn.create_function(OFFSET, 2, utc_offset, deterministic=True)


@functools.lru_cache(maxsize=16)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _offset_at(instant: dt.datetime, zone: str) -> int:
    found = instant.astimezone(_zone(zone)).utcoffset()
    return int(found.total_seconds()) if found is not None else 0


def utc_offset(stored: str | None, zone: str | None) -> int | None:
    """Seconds ZONE is ahead of UTC at an instant stored as naive UTC text
    (SQLAlchemy's SQLite form), to the second. Called once per row of a bulk
    statement, so an hour whose offset does not change within it is
    remembered (zones change their offset a few times a year)."""
    if stored is None or zone is None:
        return None
    key = (stored[:13], zone)
    found = _offsets.get(key)
    if found is not None:
        return found
    instant = dt.datetime.fromisoformat(stored).replace(microsecond=0, tzinfo=dt.UTC)
    hour = instant.replace(minute=0, second=0)
    first, last = _offset_at(hour, zone), _offset_at(hour + _HOUR, zone)
    if first != last:  # a change within this hour: this very instant
        return _offset_at(instant, zone)
    if len(_offsets) > 100_000:
        _offsets.clear()
    _offsets[key] = first
    return first


def wall_sql(stored: str, zone: str) -> str:
    """SQL of the wall time in ZONE (SQL) of the instant in column STORED,
    to the second, in SQLAlchemy's stored form: what
    ``timezones.split_input_time`` gives for it."""
    moment = f"substr({stored}, 1, 19)"
    return f"datetime({moment}, {OFFSET}({stored}, {zone}) || ' seconds') || '.000000'"


def utc_sql(stored: str) -> str:
    """SQL of the instant in column STORED to the second, in stored form."""
    return f"datetime(substr({stored}, 1, 19)) || '.000000'"
