"""Deferred sending through a real SMTP server (aiosmtpd, STARTTLS + AUTH)."""

from __future__ import annotations

import datetime as dt
import email
from typing import Any

import pytest
from sqlalchemy import select

from models import Interaction, OutboxItem
from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.mail import imap, imap_sync, outbox, outbox_sending
from tests.integration.mail_helpers import ALICE, account, client_with_email, counts
from tests.mail_fixtures import imap_client

NOW = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)
TOMORROW_9 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def _queue(
    db: Database,
    acc: int,
    client: int,
    send_at: dt.datetime | None = None,
    subject: str = "Коммерческое предложение",
) -> outbox.OutboxView:
    with db.uow() as uow:
        view = outbox.queue(
            uow,
            bootstrap.actor_for(uow),
            acc,
            to=["ivan@romashka.ru"],
            subject=subject,
            body="Добрый день!\nВо вложении КП.",
            send_at=send_at,
            client_id=client,
            now=NOW,
        )
        uow.commit()
    return view


def _queued(
    db: Database, mailbox: dict[str, Any], smtp: Any, send_at: dt.datetime | None = None
) -> tuple[int, outbox.OutboxView]:
    """Alice's mailbox sending through ``smtp`` (its id) and a letter to
    ООО Ромашка queued in it."""
    client = client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
    acc = account(db, mailbox, smtp=smtp)
    return acc, _queue(db, acc, client, send_at=send_at)


def _sent_copies(server: dict[str, Any], key: str) -> int:
    with imap_client(server, ALICE) as client:
        client.select_folder("Sent", readonly=True)
        return len(client.search(["HEADER", "Message-ID", f"<{key}>"]))


def _state(db: Database, item_id: int) -> tuple[str, str | None]:
    with db.reader() as uow:
        row = uow.session.get(OutboxItem, item_id)
        assert row is not None
        return row.state, row.last_error


def test_a_letter_goes_once_is_recorded_done_and_copied_to_sent(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    acc, item = _queued(db, mailbox, smtp)
    report = outbox_sending.send_due(db, now=NOW)
    assert report.sent == (item.id,)
    received = smtp.wait_for(1)
    assert len(received) == 1
    parsed = email.message_from_bytes(received[0].data)
    assert parsed["Message-ID"] == f"<{item.message_id}>"
    assert received[0].rcpt_tos == ("ivan@romashka.ru",)
    with db.reader() as uow:  # the server's queue id from its 250 reply, for tracing
        [listed] = outbox.list_items(uow, bootstrap.actor_for(uow), ["sent"])
    assert listed.queue_id == received[0].queue_id != ""
    with db.reader() as uow:
        interaction = uow.session.get(Interaction, item.interaction_id)
        assert interaction is not None
        assert (interaction.state, interaction.direction) == ("done", "out")
    assert _sent_copies(mailbox, item.message_id) == 1
    # Nothing more is due; a second run sends nothing and copies nothing.
    assert outbox_sending.send_due(db, now=NOW).sent == ()
    assert len(smtp.messages) == 1
    assert _sent_copies(mailbox, item.message_id) == 1
    # The sync of Sent recognises the letter instead of importing it again.
    result = imap_sync.sync_account(db, acc)
    assert result.imported == 0
    assert counts(db)["emails"] == 1


def test_a_letter_for_tomorrow_waits_until_then(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    _, item = _queued(db, mailbox, smtp, send_at=TOMORROW_9)
    assert outbox_sending.send_due(db, now=NOW).sent == ()
    assert smtp.messages == []
    assert outbox_sending.send_due(db, now=TOMORROW_9 + dt.timedelta(minutes=1)).sent == (item.id,)
    assert len(smtp.wait_for(1)) == 1


def test_a_temporary_failure_retries_with_backoff_and_shows_the_reason(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    _, item = _queued(db, mailbox, smtp)
    smtp.fail_next(1)
    report = outbox_sending.send_due(db, now=NOW)
    assert [i for i, _ in report.retrying] == [item.id]
    state, error = _state(db, item.id)
    assert state == "queued"
    assert error is not None
    assert "451" in error
    # Not due again before the backoff has passed.
    assert outbox_sending.send_due(db, now=NOW + dt.timedelta(seconds=30)).sent == ()
    assert outbox_sending.send_due(db, now=NOW + dt.timedelta(minutes=2)).sent == (item.id,)
    assert len(smtp.wait_for(1)) == 1


def test_offline_the_letter_waits_with_the_reason(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    from tests.servers import free_port

    client = client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
    acc = account(db, mailbox, smtp=smtp)
    with db.uow() as uow:
        from models import MailAccount

        row = uow.session.get(MailAccount, acc)
        assert row is not None
        row.smtp_port = free_port()  # nothing listens there: as good as offline
        uow.commit()
    item = _queue(db, acc, client)
    report = outbox_sending.send_due(db, now=NOW)
    assert [i for i, _ in report.retrying] == [item.id]
    state, error = _state(db, item.id)
    assert state == "queued"
    assert error is not None
    assert "refused" in error


def test_after_a_crash_while_sending_a_letter_found_in_sent_is_not_sent_again(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    acc, item = _queued(db, mailbox, smtp)
    with db.uow() as uow:  # what a crash right after the server took the letter leaves
        row = uow.session.get(OutboxItem, item.id)
        assert row is not None
        row.state = "sending"
        row.data_at = dt.datetime.now(dt.UTC)  # DATA had begun
        with db.reader() as read:
            from services.mail import accounts

            account_row = accounts.get_row(read, bootstrap.actor_for(read), acc)
            message = outbox.build_message(account_row, row)
        uow.commit()
    with imap_client(mailbox, ALICE) as imap:  # a server that files sent mail itself
        imap.append("Sent", message.as_bytes())
    report = outbox_sending.send_due(db, now=NOW, file_wait=0.5)
    assert report.recovered == (item.id,)
    assert smtp.messages == []
    assert _state(db, item.id)[0] == "sent"
    assert _sent_copies(mailbox, item.message_id) == 1


def test_a_letter_interrupted_before_data_goes_at_once_without_searching_sent(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    """No DATA, no delivery: nothing to look for, nothing to wait for."""
    acc, item = _queued(db, mailbox, smtp)
    with db.uow() as uow:  # what a crash after the claim, before DATA, leaves
        row = uow.session.get(OutboxItem, item.id)
        assert row is not None
        row.state = "sending"
        uow.commit()
    searched: list[int] = []

    def imap_connect(account_row: Any, password: str) -> Any:
        searched.append(account_row.id)
        return imap.connect(account_row, password)

    report = outbox_sending.send_due(db, now=NOW, imap_connect=imap_connect, file_wait=60)
    assert report.sent == (item.id,)
    assert len(smtp.wait_for(1)) == 1
    assert searched == [acc]  # once, for the copy to Sent after sending; no search before


def test_a_letter_whose_250_was_recorded_but_not_the_rest_is_finished_not_resent(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    """A kill between the quick record of the 250 and the durable one."""
    _, item = _queued(db, mailbox, smtp)
    with db.uow() as uow:
        row = uow.session.get(OutboxItem, item.id)
        assert row is not None
        row.state, row.sent_at, row.queue_id = "sent", NOW, "4BF2A1C0D3"
        uow.commit()
    report = outbox_sending.send_due(db, now=NOW)
    assert (report.sent, report.recovered) == ((), ())
    assert smtp.messages == []
    with db.reader() as uow:
        interaction = uow.session.get(Interaction, item.interaction_id)
        assert interaction is not None
        assert interaction.state == "done"
        [listed] = outbox.list_items(uow, bootstrap.actor_for(uow), ["sent"])
    assert listed.queue_id == "4BF2A1C0D3"
    assert _sent_copies(mailbox, item.message_id) == 1


def test_a_rejected_recipient_fails_for_good_with_the_reason(
    db: Database, mailbox: dict[str, Any], smtp: Any
) -> None:
    _, item = _queued(db, mailbox, smtp)
    smtp.fail_next(1, "550 5.1.1 No such user")
    report = outbox_sending.send_due(db, now=NOW)
    assert [i for i, _ in report.failed] == [item.id]
    state, error = _state(db, item.id)
    assert state == "failed"
    assert error is not None
    assert "550" in error
    assert outbox_sending.send_due(db, now=NOW + dt.timedelta(days=1)).sent == ()


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"to": []}, "at least one recipient"),
        ({"to": ["not an address"]}, "email"),
        ({"subject": "  "}, "needs a subject"),
    ],
)
def test_a_bad_letter_is_refused_and_nothing_queued(
    db: Database, mailbox: dict[str, Any], kw: dict[str, Any], message: str
) -> None:
    client = client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
    acc = account(db, mailbox)
    args = {"to": ["ivan@romashka.ru"], "subject": "Hi", "body": "", "client_id": client} | kw
    with db.uow() as uow, pytest.raises(ValidationError, match=message):
        outbox.queue(uow, bootstrap.actor_for(uow), acc, **args)
    with db.reader() as uow:
        assert uow.session.scalars(select(OutboxItem)).all() == []
