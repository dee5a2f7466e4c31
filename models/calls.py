"""Calls from a PBX call log, and what users decided about addresses.

A call whose number belongs to nobody yet stays here unlinked; the linking
job turns it into an interaction when the number is added to a card.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, UTCDateTime


class CallRecord(Synced, Base):
    __tablename__ = "call_records"
    __table_args__ = (
        UniqueConstraint("source", "call_key", name="uq_call_records_key"),
        Index("ix_call_records_number", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Where the log came from (a PBX name or file kind) and the call's id
    # there; together they make a re-import of the same file a no-op.
    source: Mapped[str] = mapped_column(String(100))
    call_key: Mapped[str] = mapped_column(String(300))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    direction: Mapped[str] = mapped_column(String(4))  # in | out
    number: Mapped[str] = mapped_column(String(40))  # E.164 of the other side
    raw_number: Mapped[str] = mapped_column(String(100))
    duration_s: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(50))  # answered, missed, busy ...
    recording: Mapped[str | None] = mapped_column(String(1000))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), index=True
    )
    link_rule: Mapped[str | None] = mapped_column(String(12))
    link_reason: Mapped[str | None] = mapped_column(Text)
    link_tie: Mapped[bool] = mapped_column(Boolean, default=False)


class AddressDecision(Base):
    """ "Never offer to save this address/number" (SPEC D3), per user."""

    __tablename__ = "address_decisions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # email | phone
    value: Mapped[str] = mapped_column(String(320), primary_key=True)
    decision: Mapped[str] = mapped_column(String(10))  # never
