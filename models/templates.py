"""Email templates (SPEC E1): subject and body with variables, or an AI prompt."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, Synced, SyncSeq, UTCDateTime


class EmailTemplate(Synced, SyncSeq, Base):
    """A letter to fill in from a client, contact and deal.

    With ``ai`` set, ``body`` is the prompt an AI server writes the letter
    from; the subject is filled in either way.
    """

    __tablename__ = "email_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    ai: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AiDraftRequest(Synced, Base):
    """An AI draft asked for while its server could not be reached (SPEC E3:
    "offers to queue the generation").

    ``messages`` holds, as JSON, exactly the chat the user saw in the
    preview, so the queued generation sends what was shown and nothing read
    later. The result waits here, never sent by itself: the user opens it in
    a letter, reviews it and sends it by hand (SPEC E2).
    """

    __tablename__ = "ai_draft_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("email_templates.id"))
    to_address: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    messages: Mapped[str] = mapped_column(Text)
    # queued → ready → used, or failed (the server refused), or dropped
    state: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_utc: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
