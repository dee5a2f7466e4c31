"""The scheduler's record of every periodic job: when it last ran, how it
went, and when it runs next."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class ScheduledJob(Base):
    """One row per job instance ("mail:3", "linking", "outbox", "ai_drafts:1").

    The job's own data says when it wants to run (a mailbox's last sync, a
    letter's send time); this row keeps the outcome of the last run and,
    after a failure, the retry time that holds the job back until then.
    """

    __tablename__ = "scheduled_jobs"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    next_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_run_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_result: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    # Taken when a run starts, cleared when it is recorded: another process
    # (a second window, cron's run-due) leaves the job alone until then.
    running_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
