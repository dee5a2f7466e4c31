"""What a user does with mailboxes and letters: one function per action,
shared by the desktop and ``touchpoint``.

Each opens its own unit of work, commits it and returns its result with
the ``Changes`` it made, so the status-bar counts, the mail panel and an
open card hear of a queued or cancelled letter whoever queued it. Sending
itself is the outbox job's (``outbox_sending.send_due``); "send now" queues for now
and the desktop then wakes that job.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.storage import Database
from services.feed import touched
from services.mail import accounts, credentials, outbox, outbox_sending


@dataclasses.dataclass(frozen=True)
class Letter:
    """A letter to send: to whom, what, when (None: now) and on which card."""

    account_id: int
    to: Sequence[str]
    subject: str
    body: str
    cc: Sequence[str] = ()
    send_at: dt.datetime | None = None
    client_id: int | None = None
    lead_id: int | None = None
    deal_id: int | None = None
    contact_ids: tuple[int, ...] = ()


def _outbox(view: outbox.OutboxView, *, created: bool) -> Changes:
    ids = {"outbox": [view.id]}
    return Changes.of(created=ids) if created else Changes.of(updated=ids)


def send_letter(db: Database, actor: Actor, letter: Letter) -> Outcome[outbox.OutboxView]:
    """Queue a letter in the outbox with its planned email interaction on
    the card; the outbox job sends it at ``send_at``."""
    made = touched.in_unit(
        db,
        actor,
        lambda uow: outbox.queue(
            uow,
            actor,
            letter.account_id,
            to=letter.to,
            cc=letter.cc,
            subject=letter.subject,
            body=letter.body,
            send_at=letter.send_at,
            client_id=letter.client_id,
            lead_id=letter.lead_id,
            deal_id=letter.deal_id,
            contact_ids=letter.contact_ids,
        ),
    )
    return touched.plus(made, _outbox(made.value, created=True))


def cancel_letter(db: Database, actor: Actor, item_id: int) -> Outcome[outbox.OutboxView]:
    """Stop a letter that has not gone yet; its planned interaction is cancelled."""
    made = touched.in_unit(db, actor, lambda uow: outbox.cancel(uow, actor, item_id))
    return touched.plus(made, _outbox(made.value, created=False))


def add_account(
    db: Database,
    actor: Actor,
    spec: accounts.AccountSpec,
    password: str,
    *,
    check: bool = True,
) -> Outcome[accounts.AccountView]:
    """Link a mailbox; with ``check`` its servers must accept the login
    first (asked with no transaction open), else nothing is saved."""
    if check:
        accounts.check_connection(spec, password, None)
    made = touched.in_unit(db, actor, lambda uow: accounts.add(uow, actor, spec, password, None))
    return touched.plus(made, Changes.of(created={"mail_account": [made.value.id]}))


def update_account(
    db: Database,
    actor: Actor,
    account_id: int,
    *,
    sync_minutes: int | None = None,
    enabled: bool | None = None,
    display_name: str | None = None,
    aliases: Sequence[str] | None = None,
) -> Outcome[accounts.AccountView]:
    """Check interval, pause, sender name, other addresses of a mailbox."""
    made = touched.in_unit(
        db,
        actor,
        lambda uow: accounts.update(
            uow,
            actor,
            account_id,
            sync_minutes=sync_minutes,
            enabled=enabled,
            display_name=display_name,
            aliases=aliases,
        ),
    )
    return touched.plus(made, Changes.of(updated={"mail_account": [account_id]}))


def set_password(
    db: Database, actor: Actor, account_id: int, password: str
) -> Outcome[accounts.AccountView]:
    """Put the mailbox's password in the keyring again (after "enter the
    password again"): IMAP and SMTP, as when the account was added."""

    def work(uow: Any) -> accounts.AccountView:
        row = accounts.get_row(uow, actor, account_id)
        credentials.store(row.uid, "imap", password)
        credentials.store(row.uid, "smtp", password)
        return accounts.view(row)

    made = touched.in_unit(db, actor, work)
    return touched.plus(made, Changes.of(updated={"mail_account": [account_id]}))


def remove_account(db: Database, actor: Actor, account_id: int) -> Outcome[None]:
    """Forget a mailbox (its letters stay on the cards)."""
    made = touched.in_unit(db, actor, lambda uow: accounts.remove(uow, actor, account_id))
    return touched.plus(made, Changes.of(removed={"mail_account": [account_id]}))


def sent_changes(report: outbox_sending.SendReport) -> Changes:
    """The outbox rows a sending run moved on (sent, retrying, failed)."""
    ids = [*report.sent, *report.recovered, *(i for i, _ in report.retrying)]
    return Changes.of(updated={"outbox": [*ids, *(i for i, _ in report.failed)]})


def send_due(
    db: Database, *, account_id: int | None = None, now: dt.datetime | None = None
) -> Outcome[outbox_sending.SendReport]:
    """Send what is due now (``outbox send-due``; the desktop's outbox job
    runs the same through the scheduler's record)."""
    made = touched.tracked(db, lambda: outbox_sending.send_due(db, account_id=account_id, now=now))
    return touched.plus(made, sent_changes(made.value))
