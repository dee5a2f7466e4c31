"""Deferred sending (SPEC C4): a persistent outbox, sent by a background lane.

Every letter gets its Message-ID when queued, so whatever happens it is the
same letter: after a crash in the middle of sending, Sent is searched for
that Message-ID before sending again, and the sync of Sent later finds the
letter already recorded instead of making a second interaction.

States: queued → sending → sent, or back to queued with a growing backoff
on a temporary failure, or failed with the reason on a permanent one.

Duplicates: "sending" is committed durably before any byte goes out, and
``data_at`` just before DATA. A letter found "sending" after a crash without
``data_at`` never reached the server: it is sent again at once. With
``data_at`` the server may have taken it: we wait until FILE_WAIT_S has
passed since DATA (servers that file sent mail do so within seconds), search
Sent for its Message-ID, and send again only when it is not there. What
remains is the window between the server's 250 and our commit of it (its
queue id is kept), which plain SMTP cannot close.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any, Protocol

from sqlalchemy import or_, select, update

from models import Interaction, MailAccount, MailMessage, OutboxItem
from services.core import normalize
from services.core.access import Actor
from services.core.errors import NotFoundError, UserError, ValidationError
from services.core.storage import Database, UnitOfWork
from services.interactions import actions as ix
from services.mail import accounts, credentials, imap, smtp

log = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 15, 60, 180, 720)
MAX_ATTEMPTS = 12
FILE_WAIT_S = 5.0  # after DATA, before searching Sent for a letter a crash interrupted


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


@dataclasses.dataclass(frozen=True)
class SendReport:
    sent: tuple[int, ...]
    retrying: tuple[tuple[int, str], ...]
    failed: tuple[tuple[int, str], ...]
    recovered: tuple[int, ...]  # found in Sent after a crash: not sent twice


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


def due_ids(uow: UnitOfWork, now: dt.datetime, account_id: int | None = None) -> list[int]:
    query = select(OutboxItem.id).where(
        or_(
            (OutboxItem.state == "queued")
            & (OutboxItem.send_at <= now)
            & or_(OutboxItem.next_attempt_at.is_(None), OutboxItem.next_attempt_at <= now),
            OutboxItem.state == "sending",  # interrupted: find out what happened
        )
    )
    if account_id is not None:
        query = query.where(OutboxItem.account_id == account_id)
    return list(uow.session.scalars(query.order_by(OutboxItem.send_at, OutboxItem.id)))


ImapConnect = Callable[[MailAccount, str], Any]


class SmtpSend(Protocol):
    def __call__(
        self,
        account: MailAccount,
        password: str,
        message: EmailMessage,
        *,
        on_accepted: Callable[[str], None] | None = None,
        before_data: Callable[[], None] | None = None,
    ) -> None: ...


def in_sent_folder(client: Any, message_key: str) -> bool:
    folder = imap.sent_folder(client)
    if folder is None:
        return False
    client.select_folder(folder, readonly=True)
    return bool(client.search(["HEADER", "Message-ID", f"<{message_key}>"]))


def send_due(
    db: Database,
    *,
    now: dt.datetime | None = None,
    account_id: int | None = None,
    smtp_send: SmtpSend = smtp.send,
    imap_connect: ImapConnect = imap.connect,
    file_wait: float = FILE_WAIT_S,
) -> SendReport:
    now = now or dt.datetime.now(dt.UTC)
    _finish_accepted(db, account_id)
    with db.reader() as uow:
        ids = due_ids(uow, now, account_id)
    sent: list[int] = []
    retrying: list[tuple[int, str]] = []
    failed: list[tuple[int, str]] = []
    recovered: list[int] = []
    for item_id in ids:
        outcome, reason = _send_one(db, item_id, now, smtp_send, imap_connect, file_wait)
        if outcome == "sent":
            sent.append(item_id)
        elif outcome == "recovered":
            recovered.append(item_id)
        elif outcome == "retry":
            retrying.append((item_id, reason or ""))
        elif outcome == "failed":
            failed.append((item_id, reason or ""))
    _copy_to_sent(db, imap_connect, account_id)
    return SendReport(tuple(sent), tuple(retrying), tuple(failed), tuple(recovered))


def _claim(db: Database, item_id: int) -> tuple[MailAccount, OutboxItem, bool] | None:
    """Mark the item sending (durably) before any byte goes out."""
    with db.uow(durable=True) as uow:
        row = uow.session.get(OutboxItem, item_id)
        if row is None or row.state not in ("queued", "sending"):
            return None
        interrupted = row.state == "sending"
        row.state = "sending"
        row.attempts += 1
        account = uow.session.get(MailAccount, row.account_id)
        assert account is not None
        uow.commit()
        uow.session.expunge(row)
        uow.session.expunge(account)
    return account, row, interrupted


def _send_one(
    db: Database,
    item_id: int,
    now: dt.datetime,
    smtp_send: SmtpSend,
    imap_connect: ImapConnect,
    file_wait: float,
) -> tuple[str, str | None]:
    claimed = _claim(db, item_id)
    if claimed is None:
        return "skip", None
    account, row, interrupted = claimed
    try:
        if (
            interrupted
            and row.data_at is not None
            and _already_sent(account, row, imap_connect, file_wait)
        ):
            _mark_sent(db, item_id, now, copied=True)
            return "recovered", None
        smtp_send(
            account,
            credentials.load(account.uid, "smtp"),
            build_message(account, row),
            before_data=lambda: _mark_data(db, item_id),
            on_accepted=lambda queue_id: _mark_accepted(db, item_id, now, queue_id),
        )
    except smtp.PermanentFailure as exc:
        _mark_failed(db, item_id, str(exc), now, permanent=True)
        return "failed", str(exc)
    except UserError as exc:
        permanent = row.attempts >= MAX_ATTEMPTS
        _mark_failed(db, item_id, str(exc), now, permanent=permanent)
        return ("failed" if permanent else "retry"), str(exc)
    return "sent", None


def _already_sent(
    account: MailAccount, row: OutboxItem, imap_connect: ImapConnect, file_wait: float
) -> bool:
    """Whether Sent holds the letter, once the server has had FILE_WAIT since DATA."""
    assert row.data_at is not None
    since = (dt.datetime.now(dt.UTC) - row.data_at).total_seconds()
    if 0 <= since < file_wait:
        time.sleep(file_wait - since)
    client = imap_connect(account, credentials.load(account.uid, "imap"))
    try:
        return in_sent_folder(client, row.message_key)
    finally:
        imap.close(client)


def _mark_data(db: Database, item_id: int) -> None:
    """Durably: DATA is about to begin, so the server may take the letter from now on."""
    with db.uow(durable=True) as uow:
        row = uow.session.get(OutboxItem, item_id)
        assert row is not None
        row.data_at = dt.datetime.now(dt.UTC)  # the wall clock: FILE_WAIT_S counts from it
        uow.commit()


def _mark_accepted(db: Database, item_id: int, now: dt.datetime, queue_id: str) -> None:
    """The server's 250, recorded first by one UPDATE that does not wait for
    the disk: with WAL, synchronous=NORMAL survives a killed process and takes
    ~0.4 ms where a durable commit takes ~12 ms here, and that time is the
    window in which a kill costs a duplicate. _mark_sent then makes it durable
    together with the rest; if we die in between, _finish_accepted does it."""
    with db.uow() as uow:
        uow.session.execute(
            update(OutboxItem)
            .where(OutboxItem.id == item_id)
            .values(state="sent", sent_at=now, queue_id=queue_id, last_error=None)
        )
        uow.commit()
    _mark_sent(db, item_id, now, copied=False, queue_id=queue_id)


def _finish_accepted(db: Database, account_id: int | None) -> None:
    """Letters the server took whose interaction a crash left planned."""
    with db.reader() as uow:
        query = (
            select(OutboxItem.id, OutboxItem.sent_at, OutboxItem.queue_id)
            .join(Interaction, Interaction.id == OutboxItem.interaction_id)
            .where(OutboxItem.state == "sent", Interaction.state == "planned")
        )
        if account_id is not None:
            query = query.where(OutboxItem.account_id == account_id)
        rows = list(uow.session.execute(query))
    for item_id, sent_at, queue_id in rows:
        _mark_sent(db, item_id, sent_at or dt.datetime.now(dt.UTC), copied=False, queue_id=queue_id)


def _mark_sent(
    db: Database, item_id: int, now: dt.datetime, *, copied: bool, queue_id: str | None = None
) -> None:
    with db.uow(durable=True) as uow:
        row = uow.session.get(OutboxItem, item_id)
        assert row is not None
        row.state = "sent"
        row.sent_at = now
        row.last_error = None
        row.copied_to_sent = copied or row.copied_to_sent
        row.queue_id = queue_id or row.queue_id
        if row.interaction_id is not None:
            interaction = uow.session.get(Interaction, row.interaction_id)
            if interaction is not None and interaction.state == "planned":
                interaction.state = "done"
                interaction.done_at = now
        exists = uow.session.scalar(
            select(MailMessage.id).where(
                MailMessage.account_id == row.account_id, MailMessage.message_key == row.message_key
            )
        )
        if exists is None:  # so the sync of Sent links to it instead of importing it again
            uow.session.add(
                MailMessage(
                    account_id=row.account_id,
                    message_key=row.message_key,
                    direction="out",
                    subject=row.subject,
                    sent_at=now,
                    interaction_id=row.interaction_id,
                    body_state="fetched",
                )
            )
        uow.commit()


def _mark_failed(
    db: Database, item_id: int, reason: str, now: dt.datetime, *, permanent: bool
) -> None:
    with db.uow() as uow:
        row = uow.session.get(OutboxItem, item_id)
        assert row is not None
        row.last_error = reason
        if permanent:
            row.state = "failed"
            row.next_attempt_at = None
        else:
            row.state = "queued"
            step = BACKOFF_MINUTES[min(row.attempts, len(BACKOFF_MINUTES)) - 1]
            row.next_attempt_at = now + dt.timedelta(minutes=step)
        uow.commit()


def _copy_to_sent(db: Database, imap_connect: ImapConnect, account_id: int | None) -> None:
    """Append a copy to Sent unless the server saved one itself (Gmail does)."""
    with db.reader() as uow:
        query = select(OutboxItem.id, OutboxItem.account_id).where(
            OutboxItem.state == "sent", OutboxItem.copied_to_sent.is_(False)
        )
        if account_id is not None:
            query = query.where(OutboxItem.account_id == account_id)
        pending = list(uow.session.execute(query))
    by_account: dict[int, list[int]] = {}
    for item_id, acc in pending:
        by_account.setdefault(acc, []).append(item_id)
    for acc, item_ids in by_account.items():
        try:
            _append_copies(db, acc, item_ids, imap_connect)
        except UserError as exc:  # retried on the next run; the letter itself is out
            log.warning("copy to Sent of account %s postponed: %s", acc, exc)


def _append_copies(
    db: Database, account_id: int, item_ids: list[int], imap_connect: ImapConnect
) -> None:
    with db.reader() as uow:
        account = uow.session.get(MailAccount, account_id)
        assert account is not None
        uow.session.expunge(account)
    client = imap_connect(account, credentials.load(account.uid, "imap"))
    try:
        folder = imap.sent_folder(client)
        for item_id in item_ids:
            with db.uow() as uow:
                row = uow.session.get(OutboxItem, item_id)
                assert row is not None
                if folder is not None and not in_sent_folder(client, row.message_key):
                    client.append(
                        folder,
                        build_message(account, row).as_bytes(),
                        flags=[b"\\Seen"],
                        msg_time=row.sent_at,
                    )
                row.copied_to_sent = True
                uow.commit()
    finally:
        imap.close(client)
