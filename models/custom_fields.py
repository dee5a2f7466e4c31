"""User-defined fields on clients and contacts (SPEC B1)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, SyncSeq


class CustomField(Synced, SyncSeq, Base):
    __tablename__ = "custom_fields"
    __table_args__ = (
        UniqueConstraint("entity_kind", "code", name="uq_custom_fields_code"),
        CheckConstraint("entity_kind IN ('client', 'lead', 'contact')", name="entity_kind"),
        CheckConstraint(
            "value_type IN ('text', 'number', 'date', 'bool', 'list')", name="value_type"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))  # English
    label_ru: Mapped[str | None] = mapped_column(String(200))  # None: the English label
    value_type: Mapped[str] = mapped_column(String(10), default="text")
    # The choices of a "list" field, in order; None for the other types.
    options: Mapped[list[str] | None] = mapped_column(JSON)
    # The order of the fields of one kind of card (Settings → Fields → Up / Down).
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class CustomValue(SyncSeq, Base):
    __tablename__ = "custom_values"

    field_id: Mapped[int] = mapped_column(
        ForeignKey("custom_fields.id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Setting(Base):
    """Database-wide settings shared by every user (default region ...)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
