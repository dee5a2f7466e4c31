"""User-defined fields on clients and contacts (SPEC B1)."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced


class CustomField(Synced, Base):
    __tablename__ = "custom_fields"
    __table_args__ = (
        UniqueConstraint("entity_kind", "code", name="uq_custom_fields_code"),
        CheckConstraint("entity_kind IN ('client', 'contact')", name="entity_kind"),
        CheckConstraint("value_type IN ('text', 'number', 'date', 'bool')", name="value_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_kind: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(200))
    value_type: Mapped[str] = mapped_column(String(10), default="text")


class CustomValue(Base):
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
