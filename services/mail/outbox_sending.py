"""Sending the outbox: one pass of the background lane over the letters due.

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
import time
from collections.abc import Callable
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import or_, select, update

from models import Interaction, MailAccount, MailMessage, OutboxItem
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork
from services.mail import credentials, imap, smtp
from services.mail.outbox import build_message
from services.mail.sent_copies import ImapConnect, copy_to_sent, in_sent_folder

BACKOFF_MINUTES = (1, 5, 15, 60, 180, 720)
MAX_ATTEMPTS = 12
FILE_WAIT_S = 5.0  # after DATA, before searching Sent for a letter a crash interrupted


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


@dataclasses.dataclass(frozen=True)
class SendReport:
    sent: tuple[int, ...]
    retrying: tuple[tuple[int, str], ...]
    failed: tuple[tuple[int, str], ...]
    recovered: tuple[int, ...]  # found in Sent after a crash: not sent twice


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
    copy_to_sent(db, imap_connect, account_id)
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
