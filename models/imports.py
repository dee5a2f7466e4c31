"""Runs of a long import: what to take back when one fails half-way."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class ImportRun(Base):
    """One import of a contacts file, committed in batches.

    Every row it creates carries its id (``import_id``); a run that fails, or
    whose process died (``pid`` on ``host`` no longer alive), is undone by
    deleting those rows, so an import is all or nothing although no single
    transaction holds the write lock for its whole length.
    """

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20), default="running")  # running | done
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
