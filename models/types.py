"""Column types shared by the mapped classes and the Core tables
(``models.light``), importable without the ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes stored naive, so SQLite and PostgreSQL sort alike.

    Naive input is refused: a wall time without its zone is a bug here.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime) or value.tzinfo is None:
            raise ValueError(f"UTCDateTime needs an aware datetime, got {value!r}")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        """On SQLite with its default storage format, the text that
        ``process_bind_param`` and SQLite's own DATETIME processor make
        together, in one step (~3 -> ~1.7 µs a value: the header scan binds
        every letter's date); anywhere else, theirs."""
        impl = self.impl_instance.dialect_impl(dialect)
        if dialect.name == "sqlite" and getattr(impl, "_storage_format", None) == _SQLITE_FORMAT:
            return _sqlite_text
        return super().bind_processor(dialect)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


# SQLite DATETIME's default storage format: what ``isoformat(" ", "microseconds")``
# writes for a naive datetime, years 1-9999 alike.
_SQLITE_FORMAT = (
    "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
)


def _sqlite_text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        raise ValueError(f"UTCDateTime needs an aware datetime, got {value!r}")
    moment: dt.datetime = value if value.tzinfo is dt.UTC else value.astimezone(dt.UTC)
    return moment.replace(tzinfo=None).isoformat(" ", "microseconds")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
