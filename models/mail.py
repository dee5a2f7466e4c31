"""Mail accounts, the sync cursor of each folder, seen messages, the outbox.

A ``MailMessage`` is one message (one Message-ID per account) however many
folders hold it; ``MailLocation`` is where the server keeps it. Messages of
unknown addresses stay header-only ("unlinked"): no body, no interaction,
but their addresses are kept so the linking job can attach them later.
Passwords are never here: they live in the OS keyring.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, UTCDateTime
from models.partial import PartialIndex


class MailAccount(Synced, Base):
    __tablename__ = "mail_accounts"
    __table_args__ = (
        CheckConstraint("imap_security IN ('tls', 'starttls', 'plain')", name="imap_security"),
        CheckConstraint("smtp_security IN ('tls', 'starttls', 'plain')", name="smtp_security"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    # Other addresses that are the user's own (one a line): a letter from any
    # of them is outgoing, whatever folder it sits in.
    aliases: Mapped[str] = mapped_column(Text, default="", server_default="")
    display_name: Mapped[str | None] = mapped_column(String(200))
    imap_host: Mapped[str] = mapped_column(String(255))
    imap_port: Mapped[int] = mapped_column(Integer)
    imap_security: Mapped[str] = mapped_column(String(10), default="tls")
    imap_user: Mapped[str] = mapped_column(String(320))
    smtp_host: Mapped[str] = mapped_column(String(255))
    smtp_port: Mapped[int] = mapped_column(Integer)
    smtp_security: Mapped[str] = mapped_column(String(10), default="starttls")
    smtp_user: Mapped[str] = mapped_column(String(320))
    # Extra CA bundle to trust (a company CA, a test server); verification stays on.
    ca_file: Mapped[str | None] = mapped_column(String(1000))
    sync_minutes: Mapped[int] = mapped_column(Integer, default=5)
    max_attachment_mb: Mapped[int] = mapped_column(Integer, default=25)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class MailFolder(Base):
    """Sync cursor of one server folder: committed with the messages it covers."""

    __tablename__ = "mail_folders"
    __table_args__ = (UniqueConstraint("account_id", "role", name="uq_mail_folders_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mail_accounts.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(10))  # inbox | sent
    name: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    highestmodseq: Mapped[int | None] = mapped_column(BigInteger)


# The condition of ``ix_mail_messages_pending``, written as SQL text: SQLite
# uses a partial index only when the query says the same (a bound value
# does not match it).
PENDING_BODY = "body_state = 'pending'"


class MailMessage(Base):
    __tablename__ = "mail_messages"
    __table_args__ = (
        UniqueConstraint("account_id", "message_key", name="uq_mail_messages_key"),
        Index("ix_mail_messages_unlinked", "account_id", "interaction_id"),
        # Only the letters whose bodies are still to fetch (the linking job
        # counts them, the bodies fetch lists them per account): a query
        # uses it when its condition is this very text (``PENDING_BODY``).
        PartialIndex(
            "ix_mail_messages_pending",
            "account_id",
            where=PENDING_BODY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mail_accounts.id", ondelete="CASCADE"))
    # Message-ID without brackets, or a synthetic key from the headers.
    message_key: Mapped[str] = mapped_column(String(998))
    direction: Mapped[str] = mapped_column(String(4))  # in | out
    subject: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    from_addr: Mapped[str | None] = mapped_column(String(320))
    size: Mapped[int | None] = mapped_column(Integer)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), index=True
    )
    # Sanitized HTML of an imported body (the plain text is the interaction's body).
    html: Mapped[str | None] = mapped_column(Text)
    # Body state: "none" (header-only), "fetched", "skipped" (refused, see note).
    body_state: Mapped[str] = mapped_column(String(10), default="none")
    note: Mapped[str | None] = mapped_column(Text)
    auto_reply: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why it sits on that card ("ivan@x is on contact 5"); "auto" or "manual"
    # ("manual_off": unlinked by hand, the linking job leaves it alone).
    link_rule: Mapped[str | None] = mapped_column(String(12))
    link_reason: Mapped[str | None] = mapped_column(Text)
    # Two objects of the same kind had the address: flagged for review.
    link_tie: Mapped[bool] = mapped_column(Boolean, default=False)


class MailLocation(Base):
    """Where a message sits on the server; the unique key makes import idempotent."""

    __tablename__ = "mail_locations"
    __table_args__ = (
        UniqueConstraint("folder_id", "uidvalidity", "uid", name="uq_mail_locations_uid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    folder_id: Mapped[int] = mapped_column(ForeignKey("mail_folders.id", ondelete="CASCADE"))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="CASCADE"), index=True
    )


class MailAddress(Base):
    """Each address a message names, normalized; what the linking job joins on."""

    __tablename__ = "mail_addresses"
    __table_args__ = (Index("ix_mail_addresses_address", "address"),)

    message_id: Mapped[int] = mapped_column(
        ForeignKey("mail_messages.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(4), primary_key=True)  # from | to | cc
    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(300))


class OutboxItem(Synced, Base):
    """An email waiting to be sent. ``message_key`` is fixed when queued, so a
    retry after a crash sends the same Message-ID and Sent can be searched."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'sending', 'sent', 'failed')", name="state"),
        Index("ix_outbox_due", "state", "send_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("mail_accounts.id"))
    interaction_id: Mapped[int | None] = mapped_column(ForeignKey("interactions.id"))
    message_key: Mapped[str] = mapped_column(String(998), unique=True)
    to_addrs: Mapped[str] = mapped_column(Text)  # comma-separated, validated
    cc_addrs: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    send_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    copied_to_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    # The server's id for the letter, from its 250 reply to the final "."
    queue_id: Mapped[str | None] = mapped_column(String(200))
    # Set durably just before DATA: a "sending" letter without it never
    # reached the server; with it, the server may have taken it.
    data_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
