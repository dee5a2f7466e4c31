"""Field-level change history of cards (who changed what, when, from, to)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entity", "entity_kind", "entity_id", "at"),
        Index("ix_audit_client_feed", "client_id", "at", "id"),
        Index("ix_audit_lead_feed", "lead_id", "at", "id"),
        Index("ix_audit_deal_feed", "deal_id", "at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entity_kind: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int]
    # "created" for a new record, else the attribute name.
    field: Mapped[str] = mapped_column(String(100))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    # The feeds this change shows in.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
