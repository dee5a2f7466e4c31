"""Pipelines with their stages, and deals moving through them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, SyncSeq, UTCDateTime
from models.parties import one_of


class Pipeline(Synced, SyncSeq, Base):
    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # "A deal must always have a planned interaction" (SPEC A4).
    requires_planned: Mapped[bool] = mapped_column(Boolean, default=False)


class Stage(Synced, SyncSeq, Base):
    __tablename__ = "stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    # A closing stage (won or lost) makes the deal inactive.
    outcome: Mapped[str | None] = mapped_column(String(10))


class Deal(Synced, SyncSeq, Base):
    __tablename__ = "deals"
    __table_args__ = (CheckConstraint(one_of("client_id", "lead_id"), name="one_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="RUB")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when a user archives the card (instead of deleting it): lists hide it.
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
