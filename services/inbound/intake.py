"""Storing what a channel delivered as requests: once, bounded, with the original.

Every channel (a processed mailbox, a web-form folder, a Telegram bot)
hands its messages over as ``Incoming`` values and commits ``store`` in the
same transaction as its own cursor (the folder's last UID, the bot's
getUpdates offset). The unique (source, source_key) is the backstop: a poll
killed after the commit and run again finds its keys already there and
stores nothing twice; one killed before the commit stored nothing at all.
Processing (rules, assignment, actions) runs afterwards, one request per
transaction, on the requests whose ``processed_at`` is still empty.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import InboundOriginal, InboundRequest

MAX_SUBJECT = 1_000
MAX_BODY = 64 * 1024
MAX_ORIGINAL = 5 * 1024 * 1024
MAX_KEY = 998
MAX_NAME = 300


@dataclasses.dataclass(frozen=True)
class Incoming:
    """One message of a channel, before it is a request."""

    source_key: str  # its identity in the channel (Message-ID, "tg:<chat>:<message>")
    channel: str  # mail | web_form | telegram
    received_at: dt.datetime  # aware
    subject: str = ""
    body: str = ""
    sender_name: str = ""
    sender_email: str | None = None
    sender_phone: str | None = None
    sender_handle: str | None = None
    mark: str | None = None  # auto_reply | bounce | list: kept, never converted
    original: bytes = b""
    original_type: str = "message/rfc822"
    # The original's size where only its start was fetched (None: all of it).
    original_size: int | None = None


def plain(text: str, limit: int) -> str:
    """Outside text made storable: no control characters but line breaks and
    tabs, no NUL (PostgreSQL refuses it), at most ``limit`` characters."""
    kept = (
        c if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs") else " "
        for c in text[: limit * 2]
    )
    return "".join(kept).replace("\r", "")[:limit]


def _line(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    value = " ".join(plain(text, limit).split())
    return value or None


def existing_keys(session: Session, source_id: int, keys: Sequence[str]) -> set[str]:
    wanted = sorted({k[:MAX_KEY] for k in keys})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            session.scalars(
                select(InboundRequest.source_key).where(
                    InboundRequest.source_id == source_id,
                    InboundRequest.source_key.in_(wanted[start : start + 500]),
                )
            )
        )
    return found


def store(session: Session, source_id: int, items: Sequence[Incoming]) -> list[int]:
    """The new requests of ``items`` (already stored keys are skipped), flushed
    but not committed: the caller commits them with its cursor."""
    seen = existing_keys(session, source_id, [i.source_key for i in items])
    made: list[tuple[InboundRequest, Incoming]] = []
    for item in items:
        key = item.source_key[:MAX_KEY]
        if key in seen:
            continue
        seen.add(key)
        request = InboundRequest(
            source_id=source_id,
            channel=item.channel,
            source_key=key,
            sender_name=_line(item.sender_name, MAX_NAME) or "",
            sender_email=_line(item.sender_email, 320),
            sender_phone=_line(item.sender_phone, 50),
            sender_handle=_line(item.sender_handle, 200),
            subject=_line(item.subject, MAX_SUBJECT) or "",
            body=plain(item.body, MAX_BODY),
            received_at=item.received_at,
            state="new",
            mark=item.mark,
        )
        session.add(request)
        made.append((request, item))
    session.flush()
    for request, item in made:
        session.add(
            InboundOriginal(
                request_id=request.id,
                content_type=item.original_type[:100],
                data=item.original[:MAX_ORIGINAL],
                size=max(item.original_size or 0, len(item.original)),
                truncated=max(item.original_size or 0, len(item.original))
                > len(item.original[:MAX_ORIGINAL]),
            )
        )
    session.flush()
    return [r.id for r, _ in made]
