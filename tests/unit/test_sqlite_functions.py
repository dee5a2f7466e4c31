"""What bulk statements compute inside SQLite is what Python computes row by
row: wall times in any zone (DST gaps and folds, half- and quarter-hour
zones, odd historical offsets) and UUIDv7 ids made in blocks."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest

from models import ids
from services.core import sqlite_functions, timezones

ZONES = [
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "Australia/Lord_Howe",  # half-hour DST
    "Asia/Kathmandu",  # +05:45, and +05:30 before 1986
    "Europe/Amsterdam",  # +00:19:32 until 1937: a change within an hour
    "Pacific/Apia",  # skipped a whole day in 2011
    "UTC",
]


def _connection() -> sqlite3.Connection:
    con = sqlite3.connect(":memory:")
    sqlite_functions.register(con)
    return con


def _instants() -> list[dt.datetime]:
    """Every 20 minutes around each zone's transitions of a few years, plus odd seconds."""
    found = []
    for year, month, day in [
        (1937, 6, 30),
        (1940, 5, 16),
        (1985, 12, 31),
        (2011, 12, 29),
        (2024, 3, 31),
        (2024, 10, 27),
        (2024, 4, 7),
        (2024, 10, 6),
        (2024, 3, 10),
        (2024, 11, 3),
    ]:
        start = dt.datetime(year, month, day, tzinfo=dt.UTC) - dt.timedelta(days=1)
        found += [start + dt.timedelta(minutes=20 * n, seconds=n % 61) for n in range(3 * 72)]
    return found


@pytest.mark.parametrize("zone", ZONES)
def test_the_wall_time_in_sql_is_the_one_python_gives(zone: str) -> None:
    con = _connection()
    sql = sqlite_functions.wall_sql("?", "?")
    utc_sql = sqlite_functions.utc_sql("?")
    for instant in _instants():
        moment = instant.replace(microsecond=123456)
        stored = moment.replace(tzinfo=None).isoformat(sep=" ")
        local, utc = timezones.split_input_time(moment, zone)
        assert con.execute(f"SELECT {sql}", (stored, stored, zone)).fetchone()[0] == (
            f"{local:%Y-%m-%d %H:%M:%S}.000000"
        ), (zone, stored)
        assert con.execute(f"SELECT {utc_sql}", (stored,)).fetchone()[0] == (
            f"{utc:%Y-%m-%d %H:%M:%S}.000000"
        )


def test_ids_made_in_sql_are_uuid7_in_creation_order_between_python_ones() -> None:
    con = _connection()
    before = ids.new_uid()
    ms, first = ids.reserve(5000)
    made = [
        r[0]
        for r in con.execute(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999) "
            f"SELECT {ids.uuid7_sql(':ms', ':first', 'i')} FROM n ORDER BY i",
            {"ms": ms, "first": first},
        )
    ]
    after = ids.new_uid()
    assert len(set(made)) == 5000
    assert all(uuid.UUID(u).version == 7 and uuid.UUID(u).variant == uuid.RFC_4122 for u in made)
    assert [before, *made, after] == sorted([before, *made, after])
    assert all(str(uuid.UUID(u)) == u for u in made)  # the canonical lower-case form
    stamp = int(made[0].replace("-", "")[:12], 16)
    assert abs(stamp - dt.datetime.now(dt.UTC).timestamp() * 1000) < 60_000
