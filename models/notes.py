"""Notes (many per object), the memo (one per object), tasks, attachments.

Each row names its party (client or lead) so it appears in that feed, and
optionally the deal or contact card it was written on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, SyncSeq, UTCDateTime, utcnow
from models.parties import one_of

MAX_BLOB_BYTES = 25 * 1024 * 1024  # an attachment's limit (services/interactions/attachments.py)
BLOB_PART_BYTES = 1024 * 1024


class PartyScoped:
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)


note_mentions = Table(
    "note_mentions",
    Base.metadata,
    Column("note_id", ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
    # The server's change-feed position (migration 0034), as ``SyncSeq``.
    Column("sync_seq", BigInteger, index=True),
)


class Note(PartyScoped, Synced, SyncSeq, Base):
    __tablename__ = "notes"
    __table_args__ = (
        CheckConstraint(one_of("client_id", "lead_id"), name="one_party"),
        Index("ix_notes_client_feed", "client_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, default="")


class Memo(Synced, SyncSeq, Base):
    """Exactly one memo per object: the unique key enforces it."""

    __tablename__ = "memos"
    __table_args__ = (
        UniqueConstraint("object_kind", "object_id", name="uq_memos_object"),
        CheckConstraint("object_kind IN ('client', 'lead', 'contact', 'deal')", name="object_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    object_kind: Mapped[str] = mapped_column(String(10))
    object_id: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Task(PartyScoped, Synced, SyncSeq, Base):
    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint(one_of("client_id", "lead_id"), name="one_party"),
        Index("ix_tasks_assignee_open", "assignee_id", "done", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Attachment(PartyScoped, Synced, SyncSeq, Base):
    """A file kept under the data folder; ``path`` is relative to it (per
    machine: derived from ``sha256``, never synced)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    mime_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    path: Mapped[str] = mapped_column(String(1000))


class AttachmentBlob(Base):
    """A file's bytes on a team PostgreSQL, named by their SHA-256 (migration
    0032): written with the first attachment that names them, read by every
    machine that lacks the file. Complete only once this row exists; its
    insert trigger checks the parts against the hash and the size."""

    __tablename__ = "attachment_blobs"
    __table_args__ = (CheckConstraint(f"size BETWEEN 0 AND {MAX_BLOB_BYTES}", name="size"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    parts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When a clean-up first found no attachment naming it (migration 0046);
    # an add of the same content clears it (``tp_blob_claim``).
    orphaned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AttachmentBlobPart(Base):
    """One piece (at most 1 MB) of a blob, so neither side holds a 25 MB
    file in one value."""

    __tablename__ = "attachment_blob_parts"
    __table_args__ = (
        CheckConstraint(f"part >= 0 AND length(content) <= {BLOB_PART_BYTES}", name="part"),
    )

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
