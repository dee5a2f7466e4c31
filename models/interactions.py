"""Interactions: calls, meetings, emails, SMS ... planned, done or cancelled."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, SyncSeq, UTCDateTime
from models.parties import one_of


class InteractionType(SyncSeq, Base):
    """The editable list of interaction types (SPEC A1)."""

    __tablename__ = "interaction_types"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(100))
    name_ru: Mapped[str] = mapped_column(String(100))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=100)
    # Hidden types are not offered for new interactions; old ones keep theirs.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


interaction_contacts = Table(
    "interaction_contacts",
    Base.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id"), primary_key=True, index=True),
    # The server's change-feed position (migration 0031), as ``SyncSeq``.
    Column("sync_seq", BigInteger, index=True),
)


class Interaction(Synced, SyncSeq, Base):
    """One contact with a client, lead or contact person.

    The start is kept as the local wall time and its IANA zone, because a
    meeting planned for 10:00 in Almaty stays at 10:00 if zone rules change;
    ``start_utc`` is derived from them and is what sorting and the feed use.
    Cancelled is the only "delete": the row stays and is shown struck through.
    """

    __tablename__ = "interactions"
    __table_args__ = (
        CheckConstraint(one_of("client_id", "lead_id"), name="one_party"),
        CheckConstraint("state IN ('planned', 'done', 'cancelled')", name="state"),
        CheckConstraint("direction IN ('in', 'out', 'none')", name="direction"),
        # Feed sections read (party, state) in time order: one index range each.
        Index("ix_interactions_client_feed", "client_id", "state", "start_utc", "id"),
        Index("ix_interactions_lead_feed", "lead_id", "state", "start_utc", "id"),
        Index("ix_interactions_deal_feed", "deal_id", "state", "start_utc", "id"),
        Index("ix_interactions_owner_state", "owner_id", "state", "start_utc"),
        UniqueConstraint("source_kind", "source_key", name="uq_interactions_source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(ForeignKey("interaction_types.code"))
    direction: Mapped[str] = mapped_column(String(4), default="none")
    state: Mapped[str] = mapped_column(String(10))
    start_local: Mapped[dt.datetime] = mapped_column(DateTime)
    start_tz: Mapped[str] = mapped_column(String(64))
    start_utc: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    duration_min: Mapped[int | None] = mapped_column(Integer)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    subject: Mapped[str | None] = mapped_column(String(998))
    body: Mapped[str | None] = mapped_column(Text)
    # Case-folded subject + body: the feed's text filter works the same for
    # Cyrillic on SQLite (whose lower() is ASCII-only) and on PostgreSQL.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Where it came from: ("email", Message-ID), ("call", PBX call id) ...
    source_kind: Mapped[str | None] = mapped_column(String(20))
    source_key: Mapped[str | None] = mapped_column(String(998))
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
