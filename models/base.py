"""Declarative base, shared column types and the sync mixin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import BigInteger, Integer, MetaData, String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, declared_attr, mapped_column

from models.ids import new_uid
from models.types import UTCDateTime, utcnow

__all__ = ["NAMING", "Base", "Synced", "UTCDateTime", "utcnow"]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


@event.listens_for(Mapper, "before_configured")
def _every_model_first() -> None:
    """A relationship names its target by class name: before the mappers are
    configured, every model module must have been imported (``models``
    imports them lazily)."""
    import models

    models.load_all()


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
