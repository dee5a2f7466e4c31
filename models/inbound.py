"""Inbound requests (обращения, SPEC G1-G5): where they come from, the rules
that route them, what became of each, and the support tickets they open.

A request is one letter, web-form submission or messenger message. Its
source polls a channel; the unique (source, source_key) makes a poll that
is killed half-way and run again create nothing twice. The original as it
arrived is kept apart (``InboundOriginal``) so lists never drag blobs.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, UTCDateTime
from models.partial import PartialIndex

SOURCE_KINDS = ("mail_account", "web_form", "telegram")
REQUEST_STATES = ("new", "assigned", "converted", "rejected")
ASSIGN_MODES = ("client_owner", "role", "round_robin", "user")
RULE_ACTIONS = ("deal", "ticket", "reject", "none")
MARKS = ("auto_reply", "bounce", "list")
TICKET_STATES = ("open", "in_progress", "closed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class InboundSource(Synced, Base):
    """A channel whose new messages become requests when ``process_requests`` is on.

    mail_account: the linked account's ``folder`` (INBOX); web_form: a folder
    of a linked account where the site's form mailer writes, read through
    ``field_mapping``; telegram: a bot polled with getUpdates from
    ``telegram_offset`` (its token lives in the keyring, never here).
    """

    __tablename__ = "inbound_sources"
    __table_args__ = (
        CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"),
        # a removed source's name is free for a new one (0030)
        PartialIndex(
            "uq_inbound_sources_active_name",
            "name",
            unique=True,
            where="archived_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    process_requests: Mapped[bool] = mapped_column(Boolean, default=True)
    mail_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_accounts.id", ondelete="SET NULL"), index=True
    )
    folder: Mapped[str] = mapped_column(String(500), default="INBOX")
    # Web forms: {"name": "Имя", "phone": "Телефон", "email": "E-mail", "message": ...}
    field_mapping: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The cursor of the polled folder (mail) or of getUpdates (telegram).
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    telegram_offset: Mapped[int | None] = mapped_column(BigInteger)
    # A Bot API compatible server other than api.telegram.org (tests, proxies).
    api_base: Mapped[str | None] = mapped_column(String(500))
    poll_minutes: Mapped[int] = mapped_column(Integer, default=5)
    last_poll_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # Removed by an administrator: never polled again, hidden from the
    # source lists; its requests stay and still name it.
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class InboundRule(Synced, Base):
    """One rule of a source: its condition, whom to assign, what to create.

    Rules are tried by ``position``; the first whose keywords match applies,
    else the source's default rule (``is_default``), if any.
    """

    __tablename__ = "inbound_rules"
    __table_args__ = (
        CheckConstraint(_in("assign_mode", ASSIGN_MODES), name="assign_mode"),
        CheckConstraint(_in("action", RULE_ACTIONS), name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_sources.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    # Keywords separated by ";" (empty: never matches unless is_default).
    keywords: Mapped[str] = mapped_column(Text, default="")
    whole_word: Mapped[bool] = mapped_column(Boolean, default=False)
    # "Requests from known clients go to the client's owner" (the seed's setting).
    known_to_owner: Mapped[bool] = mapped_column(Boolean, default=True)
    assign_mode: Mapped[str] = mapped_column(String(20), default="round_robin")
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Round-robin queue, in order; the position is InboundRoundRobin's.
    queue_user_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    action: Mapped[str] = mapped_column(String(10), default="none")
    pipeline_id: Mapped[int | None] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    # The deal's owner; None: whoever the request was assigned to.
    deal_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    rejection_reason_id: Mapped[int | None] = mapped_column(
        ForeignKey("rejection_reasons.id", ondelete="SET NULL")
    )


class InboundRoundRobin(Base):
    """Where a rule's round-robin queue stands; a row of its own so that
    moving it is one UPDATE that never clashes with an edit of the rule."""

    __tablename__ = "inbound_round_robin"

    rule_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_rules.id", ondelete="CASCADE"), primary_key=True
    )
    # How many requests the queue has handed out so far.
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    last_user_id: Mapped[int | None] = mapped_column(Integer)


class RejectionReason(Base):
    """The editable list of reasons a request is declined for."""

    __tablename__ = "rejection_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=100)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


class SupportTicket(Synced, Base):
    """A support case (обращение в поддержку): small on purpose."""

    __tablename__ = "support_tickets"
    __table_args__ = (CheckConstraint(_in("state", TICKET_STATES), name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="open")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(Integer, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class InboundRequest(Synced, Base):
    """One request and what became of it.

    ``row_version`` (Synced) makes "the first to take it owns it" hold when
    two members of a role take the same request at once.
    """

    __tablename__ = "inbound_requests"
    __table_args__ = (
        UniqueConstraint("source_id", "source_key", name="uq_inbound_requests_key"),
        CheckConstraint(_in("state", REQUEST_STATES), name="state"),
        CheckConstraint(f"mark IS NULL OR {_in('mark', MARKS)}", name="mark"),
        Index("ix_inbound_requests_state", "state", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("inbound_sources.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # mail | web_form | telegram
    # The message's identity in its channel: Message-ID (or the synthetic
    # key of mime), "web:<Message-ID>", "tg:<chat>:<message_id>".
    source_key: Mapped[str] = mapped_column(String(998))
    sender_name: Mapped[str] = mapped_column(String(300), default="")
    sender_email: Mapped[str | None] = mapped_column(String(320), index=True)
    sender_phone: Mapped[str | None] = mapped_column(String(50))
    sender_handle: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # bounded by the service
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(10), default="new")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"))
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("clients.id", ondelete="SET NULL"), index=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("leads.id", ondelete="SET NULL"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    deal_id: Mapped[int | None] = mapped_column(
        ForeignKey("deals.id", ondelete="SET NULL"), index=True
    )
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("support_tickets.id", ondelete="SET NULL"), index=True
    )
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_rules.id", ondelete="SET NULL"))
    # Why, as data: {"rule": ..., "matched": [...], "assigned": ..., "action": ...}.
    why: Mapped[dict[str, object] | None] = mapped_column(JSON)
    # What processing did: deal_created | deal_attached | ticket_created |
    # rejected | none; with ``created_lead`` it tells an undo what to remove.
    outcome: Mapped[str | None] = mapped_column(String(20))
    created_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    rejection_reason_id: Mapped[int | None] = mapped_column(
        ForeignKey("rejection_reasons.id", ondelete="SET NULL")
    )
    rejection_note: Mapped[str | None] = mapped_column(Text)
    # An auto-reply, a delivery report or list mail: kept, never converted.
    mark: Mapped[str | None] = mapped_column(String(12))
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    taken_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class InboundOriginal(Base):
    """The request as it arrived (an RFC 822 letter, a Bot API update as
    JSON), bounded in size; ``truncated`` says when its tail was cut."""

    __tablename__ = "inbound_originals"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_requests.id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(String(100))  # message/rfc822 | application/json
    data: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)  # the original's size before any cut
    truncated: Mapped[bool] = mapped_column(Boolean, default=False)
