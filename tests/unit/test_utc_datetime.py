"""``models.types.UTCDateTime`` binds the same text on SQLite by its one-step
processor as by ``process_bind_param`` and SQLite's DATETIME processor."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest
from sqlalchemy import DateTime, create_engine, text
from sqlalchemy.dialects import postgresql, sqlite

from models.types import UTCDateTime


def _reference(value: dt.datetime | None) -> str | None:
    dialect = sqlite.dialect()
    process = DateTime().dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    return process(UTCDateTime().process_bind_param(value, dialect))  # type: ignore[no-any-return]


def _fast() -> object:
    dialect = sqlite.dialect()
    return UTCDateTime().dialect_impl(dialect).bind_processor(dialect)


def test_sqlite_text_is_the_two_step_text_for_seeded_moments_in_many_zones() -> None:
    process = _fast()
    assert callable(process)
    rng = random.Random(20261207)
    zones = [
        dt.UTC,
        dt.timezone(dt.timedelta(hours=3)),
        dt.timezone(dt.timedelta(hours=-9, minutes=-30)),
        zoneinfo.ZoneInfo("Europe/Moscow"),
        zoneinfo.ZoneInfo("America/New_York"),
        zoneinfo.ZoneInfo("UTC"),
    ]
    for _ in range(20_000):
        value = dt.datetime(
            rng.randint(2, 9998),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
            rng.randint(0, 59),
            rng.choice([0, rng.randint(0, 999_999)]),
            tzinfo=rng.choice(zones),
        )
        assert process(value) == _reference(value), value
    assert process(None) is None


@pytest.mark.parametrize(
    "bad", [dt.datetime(2026, 12, 7, 10, 0), "2026-12-07", dt.date(2026, 12, 7)]
)
def test_naive_or_non_datetime_values_are_refused(bad: object) -> None:
    process = _fast()
    assert callable(process)
    with pytest.raises(ValueError, match="aware datetime"):
        process(bad)


def test_a_stored_moment_reads_back_the_same_through_sqlite() -> None:
    from sqlalchemy import Column, Integer, MetaData, Table, insert, select

    metadata = MetaData()
    table = Table("t", metadata, Column("id", Integer, primary_key=True), Column("at", UTCDateTime))
    engine = create_engine("sqlite://")
    metadata.create_all(engine)
    moment = dt.datetime(2026, 12, 7, 23, 59, 59, 123456, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    with engine.begin() as connection:
        connection.execute(insert(table), [{"at": moment}])
        stored = connection.execute(text("SELECT at FROM t")).scalar_one()
        back = connection.execute(select(table.c.at)).scalar_one()
    assert stored == "2026-12-07 14:59:59.123456"
    assert back == moment


def test_other_dialects_keep_the_decorator_s_processor() -> None:
    dialect = postgresql.dialect()
    process = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert process is None or process.__name__ != "_sqlite_text"
