"""The outbox (SPEC C4): letters queued to be sent later, as their sender sees
them (queue, list, stop) and as the server will get them (``build_message``).

Every letter gets its Message-ID when queued, so whatever happens it is the
same letter: the sending lane (``outbox_sending``) searches Sent for it after
a crash before sending again, and the sync of Sent later finds the letter
already recorded instead of making a second interaction.

States: queued → sending → sent, or back to queued with a growing backoff
on a temporary failure, or failed with the reason on a permanent one (or
when its sender stops it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid

from sqlalchemy import select

from models import MailAccount, OutboxItem
from services.core import normalize
from services.core.access import Actor
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.interactions import actions as ix
from services.mail import accounts


@dataclasses.dataclass(frozen=True)
class OutboxView:
    id: int
    account_id: int
    interaction_id: int | None
    message_id: str
    to: tuple[str, ...]
    subject: str
    send_at: dt.datetime
    state: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    sent_at: dt.datetime | None
    queue_id: str | None = None  # the server's id from its 250 reply


def view(row: OutboxItem) -> OutboxView:
    return OutboxView(
        id=row.id,
        account_id=row.account_id,
        interaction_id=row.interaction_id,
        message_id=row.message_key,
        to=tuple(a for a in row.to_addrs.split(",") if a),
        subject=row.subject,
        send_at=row.send_at,
        state=row.state,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        queue_id=row.queue_id,
    )


def _addresses(values: Sequence[str], what: str) -> list[str]:
    out: list[str] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                out.append(normalize.normalize_email(part))
    if what == "To" and not out:
        raise ValidationError(
            "A letter needs at least one recipient", "to", code="mail.outbox.letter_needs_least_one"
        )
    return out


def queue(
    uow: UnitOfWork,
    actor: Actor,
    account_id: int,
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    cc: Sequence[str] = (),
    send_at: dt.datetime | None = None,
    client_id: int | None = None,
    lead_id: int | None = None,
    deal_id: int | None = None,
    contact_ids: tuple[int, ...] = (),
    now: dt.datetime | None = None,
) -> OutboxView:
    """Put a letter in the outbox and plan its email interaction."""
    now = now or dt.datetime.now(dt.UTC)
    account = accounts.get_row(uow, actor, account_id)
    to_list, cc_list = _addresses(to, "To"), _addresses(cc, "Cc")
    if not subject.strip():
        raise ValidationError(
            "A letter needs a subject", "subject", code="mail.outbox.letter_needs_subject"
        )
    when = send_at or now
    if when.tzinfo is None:
        raise ValueError("send_at must be aware")
    domain = account.email.rsplit("@", 1)[-1]
    key = make_msgid(domain=domain)[1:-1]
    interaction = ix.create(
        uow,
        actor,
        ix.NewInteraction(
            type="email",
            planned=True,
            start=when,
            direction="out",
            client_id=client_id,
            lead_id=lead_id,
            deal_id=deal_id,
            contact_ids=contact_ids,
            subject=subject.strip(),
            body=body,
            source_kind="email",
            source_key=key,
        ),
        now=now,
    )
    row = OutboxItem(
        account_id=account.id,
        interaction_id=interaction.id,
        message_key=key,
        to_addrs=",".join(to_list),
        cc_addrs=",".join(cc_list),
        subject=subject.strip(),
        body_text=body,
        send_at=when,
        state="queued",
    )
    uow.session.add(row)
    uow.session.flush()
    return view(row)


def list_items(uow: UnitOfWork, actor: Actor, states: Sequence[str] = ()) -> list[OutboxView]:
    query = select(OutboxItem).join(MailAccount).order_by(OutboxItem.send_at, OutboxItem.id)
    if not actor.can_admin():
        query = query.where(MailAccount.user_id == actor.id)
    if states:
        query = query.where(OutboxItem.state.in_(states))
    return [view(r) for r in uow.session.scalars(query)]


def cancel(uow: UnitOfWork, actor: Actor, item_id: int) -> OutboxView:
    row = uow.session.get(OutboxItem, item_id)
    if row is None:
        raise NotFoundError("Outbox item", item_id)
    accounts.get_row(uow, actor, row.account_id)
    if row.state not in ("queued", "failed"):
        raise ValidationError(
            f"Letter {item_id} is {row.state}; it can no longer be stopped",
            code="mail.outbox.letter_can_no_longer",
            params={"item_id": str(item_id), "state": str(row.state)},
        )
    row.state = "failed"
    row.last_error = "cancelled by the user"
    if row.interaction_id is not None:
        ix.cancel(uow, actor, row.interaction_id)
    return view(row)


def build_message(account: MailAccount, row: OutboxItem) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((account.display_name or "", account.email))
    message["To"] = ", ".join(a for a in row.to_addrs.split(",") if a)
    if row.cc_addrs:
        message["Cc"] = ", ".join(a for a in row.cc_addrs.split(",") if a)
    message["Subject"] = row.subject
    message["Message-ID"] = f"<{row.message_key}>"
    message["Date"] = format_datetime(row.send_at)
    message.set_content(row.body_text or "")
    return message
