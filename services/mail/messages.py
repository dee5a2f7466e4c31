"""A letter as the reader sees it: headers, safe HTML or folded plain text,
and why it sits on this card."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from models import Interaction, MailAddress, MailMessage
from services.core import access
from services.core.access import Actor
from services.core.errors import NotFoundError
from services.core.storage import UnitOfWork
from services.linking import manual as manual_links
from services.mail import mime
from services.mail.html_bounds import bound_html


@dataclasses.dataclass(frozen=True)
class LetterView:
    message_id: int
    interaction_id: int
    direction: str
    subject: str
    sender: str
    recipients: tuple[str, ...]
    copies: tuple[str, ...]
    sent_at: dt.datetime | None
    html: str | None  # sanitized at import, bounded for display; remote images still blocked
    text: str  # the new part of a plain-text letter
    quoted: str | None  # the folded quoted history, if any
    reason: str | None  # why it is in this feed
    body_state: str  # fetched | pending (body comes at the next sync) | skipped | none
    # Why the HTML shown is simpler than the letter (html_bounds.REASONS); "size"
    # means part of it is left out: the reader offers the plain text instead.
    simplified: tuple[str, ...] = ()


def message_of(uow: UnitOfWork, interaction_id: int) -> int | None:
    return uow.session.scalar(
        select(MailMessage.id).where(MailMessage.interaction_id == interaction_id).limit(1)
    )


def letter(uow: UnitOfWork, actor: Actor, interaction_id: int) -> LetterView:
    access.check(uow, actor, "interaction", interaction_id)
    interaction = uow.session.get(Interaction, interaction_id)
    assert interaction is not None  # the check found it
    message = uow.session.scalar(
        select(MailMessage).where(MailMessage.interaction_id == interaction_id).limit(1)
    )
    if message is None:
        raise NotFoundError("Letter of interaction", interaction_id)
    people: dict[str, list[str]] = {"from": [], "to": [], "cc": []}
    for row in uow.session.execute(
        select(MailAddress.role, MailAddress.address, MailAddress.name)
        .where(MailAddress.message_id == message.id)
        .order_by(MailAddress.role, MailAddress.address)
    ):
        people[row.role].append(f"{row.name} <{row.address}>" if row.name else row.address)
    text, quoted = mime.fold_quoted(interaction.body or "")
    # Bounded here, off the GUI thread: letters stored before the bounds existed
    # may hold anything, and a bounded one is laid out in well under a second.
    shown = bound_html(message.html, for_display=True) if message.html else None
    return LetterView(
        message_id=message.id,
        interaction_id=interaction_id,
        direction=message.direction,
        subject=message.subject or interaction.subject or "",
        sender=(people["from"] or [message.from_addr or ""])[0],
        recipients=tuple(people["to"]),
        copies=tuple(people["cc"]),
        sent_at=message.sent_at,
        html=shown.html if shown else None,
        text=text,
        quoted=quoted,
        reason=manual_links.why(uow, actor, interaction_id),
        body_state=message.body_state,
        simplified=shown.simplified if shown else (),
    )
