"""Clients, leads, their contact persons, and addresses/numbers of all three."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from models.base import Base, Synced, SyncSeq, UTCDateTime
from models.folding import fold, name_default


# Exactly one of the listed columns is set.
def one_of(*cols: str) -> str:
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in cols) + " = 1"


class Client(Synced, SyncSeq, Base):
    """A client organization or a private person the company works with."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    # ``fold(name)``: what name filters and "is this client known" compare.
    name_folded: Mapped[str] = mapped_column(
        String(1000), index=True, default=name_default("name"), server_default=""
    )
    address: Mapped[str | None] = mapped_column(Text)
    # ISO 3166 alpha-2; with the phone numbers it gives the local time.
    region: Mapped[str | None] = mapped_column(String(2))
    # An explicit IANA zone beats anything derived from region or phone.
    timezone: Mapped[str | None] = mapped_column(String(64))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The import run (models.imports.ImportRun) that made the row, if any.
    import_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Set when a user archives the card (instead of deleting it): lists hide it.
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @validates("name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_folded = fold(value or "")
        return value


class Lead(Synced, SyncSeq, Base):
    """A potential client: not yet a customer, may become one."""

    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    name_folded: Mapped[str] = mapped_column(
        String(1000), index=True, default=name_default("name"), server_default=""
    )
    company: Mapped[str | None] = mapped_column(String(300))
    region: Mapped[str | None] = mapped_column(String(2))
    timezone: Mapped[str | None] = mapped_column(String(64))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    # Set when a user archives the card (instead of deleting it): lists hide it.
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @validates("name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_folded = fold(value or "")
        return value


class Contact(Synced, SyncSeq, Base):
    """A contact person of a client or of a lead."""

    __tablename__ = "contacts"
    __table_args__ = (CheckConstraint(one_of("client_id", "lead_id"), name="one_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(300), index=True)
    name_folded: Mapped[str] = mapped_column(
        String(1000), index=True, default=name_default("full_name"), server_default=""
    )
    position: Mapped[str | None] = mapped_column(String(200))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    import_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Set when a user archives the card (instead of deleting it): lists hide it.
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    @validates("full_name")
    def _fold_name(self, _key: str, value: str) -> str:
        self.name_folded = fold(value or "")
        return value


class ContactPoint(Synced, SyncSeq, Base):
    """An email address, phone number or messenger handle of one object.

    ``normalized`` (E.164 or case-folded email) is what mail sync, call logs
    and the linking job compare; ``raw`` is what the user typed.
    """

    __tablename__ = "contact_points"
    __table_args__ = (
        CheckConstraint(one_of("client_id", "lead_id", "contact_id"), name="one_owner"),
        CheckConstraint("kind IN ('email', 'phone', 'messenger')", name="kind"),
        Index("ix_contact_points_lookup", "kind", "normalized"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    raw: Mapped[str] = mapped_column(String(320))
    normalized: Mapped[str] = mapped_column(String(320))
    label: Mapped[str | None] = mapped_column(String(50))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    import_id: Mapped[int | None] = mapped_column(Integer, index=True)


class PartyShare(Base):
    """A client or lead its owner shares with a colleague, who then sees it
    and its deals, interactions and mail as if it were their own."""

    __tablename__ = "party_shares"
    __table_args__ = (
        CheckConstraint(one_of("client_id", "lead_id"), name="one_party"),
        UniqueConstraint("client_id", "lead_id", "user_id", name="uq_party_shares_party_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
