"""Declarative base, shared column types and the sync mixin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from models.ids import new_uid

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


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

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Columns every user-created record carries for a later replica sync.

    ``row_version`` doubles as SQLAlchemy's optimistic-lock counter: a stale
    write from a second window or process fails instead of silently winning.
    """

    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    row_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declared_attr
        return {"version_id_col": cls.__table__.c.row_version}  # type: ignore[attr-defined]


class SyncSeq:
    """The server's change-feed position of a synced row (issue #20).

    On a team PostgreSQL a commit-time trigger sets it from one sequence on
    every insert and update (migration 0025), so a replica pulls
    ``sync_seq > cursor``; on SQLite it stays NULL (a replica serves no pulls).
    """

    sync_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)
