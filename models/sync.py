"""The replica sync's own tables (issue #20, docs/offline-sync.md).

Both sides have every table (one schema, one Alembic head); each side uses
its part: a laptop replica writes ``sync_log`` and ``sync_state``, the team
server ``sync_applied``; ``sync_clock``, ``sync_conflicts`` and
``sync_tombstones`` live on both. Records are named by ``kind`` and ``uid``
(the ``services.sync.tables`` registry), never by a local integer id, because
ids differ between the two databases. A custom value has no uid of its own:
its uid is ``"<field uid>:<entity uid>"`` (73 characters), hence
``UID_LENGTH``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

UID_LENGTH = 80
HLC_LENGTH = 40
LOG_STATES = ("pending", "pushed", "refused")
APPLIED_OUTCOMES = ("applied", "refused")


class SyncClock(Base):
    """The clock of the last accepted write of each field (or field group)."""

    __tablename__ = "sync_clock"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    uid: Mapped[str] = mapped_column(String(UID_LENGTH), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(HLC_LENGTH))
    user_id: Mapped[int | None] = mapped_column(Integer)  # who wrote it (local id)


class SyncLog(Base):
    """A replica's changed fields waiting to be pushed, in push order."""

    __tablename__ = "sync_log"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'pushed', 'refused')", name="state"),
        Index("ix_sync_log_state_seq", "state", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_uid: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(Text)  # JSON, references as uids
    base: Mapped[str | None] = mapped_column(String(HLC_LENGTH))
    hlc: Mapped[str] = mapped_column(String(HLC_LENGTH))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    # The refusal's error code and params (JSON), for the window's language.
    code: Mapped[str | None] = mapped_column(String(64))
    params: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SyncState(Base):
    """A replica's settings and cursors (node, server_url, login, cursor ...).

    Never a password: that stays in the OS keyring.
    """

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncApplied(Base):
    """On the server: each pushed action applied (or refused) exactly once."""

    __tablename__ = "sync_applied"
    __table_args__ = (CheckConstraint("outcome IN ('applied', 'refused')", name="outcome"),)

    op_uid: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    applied_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(64))  # of a refusal
    params: Mapped[str | None] = mapped_column(Text)  # JSON


class SyncConflict(Base):
    """Both sides changed one field: "mine" was pushed, "theirs" was met."""

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index("ix_sync_conflicts_record", "kind", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    uid: Mapped[str] = mapped_column(String(UID_LENGTH))
    field: Mapped[str] = mapped_column(String(64))
    mine: Mapped[str | None] = mapped_column(Text)  # JSON
    theirs: Mapped[str | None] = mapped_column(Text)  # JSON
    mine_hlc: Mapped[str] = mapped_column(String(HLC_LENGTH))
    theirs_hlc: Mapped[str] = mapped_column(String(HLC_LENGTH))
    mine_user_id: Mapped[int | None] = mapped_column(Integer)
    theirs_user_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    resolved_by_id: Mapped[int | None] = mapped_column(Integer)


class SyncTombstone(Base):
    """A hard-deleted record, so that the deletion travels too.

    On PostgreSQL a trigger writes one for every deleted row of a synced
    table (migration 0025); ``sync_seq`` puts it in the pull order.
    """

    __tablename__ = "sync_tombstones"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    uid: Mapped[str] = mapped_column(String(UID_LENGTH), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(HLC_LENGTH))
    deleted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sync_seq: Mapped[int | None] = mapped_column(BigInteger, index=True)
