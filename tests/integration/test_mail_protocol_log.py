"""imaplib's protocol log is formatted only when someone reads it
(services/mail/imap.py ``quiet_protocol_log``): a sync imports the same
letters either way, and turning the "imapclient.imaplib" logger on still
shows the conversation."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from models import MailAccount
from services.core.storage import Database
from services.mail import imap, imap_sync
from tests.integration.mail_helpers import ALICE, account, client_with_email, counts, letter
from tests.mail_fixtures import append_messages


def _sync_noting_debug_level(db: Database, account_id: int, levels: list[int]) -> Any:
    def connect(row: MailAccount, password: str) -> Any:
        client = imap.connect(row, password)
        levels.append(client._imap.debug)
        return client

    return imap_sync.sync_account(db, account_id, connect=connect)


def test_the_protocol_is_not_formatted_for_a_logger_that_is_off(
    db: Database, mailbox: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="imapclient.imaplib")
    client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter("Иван <ivan@romashka.ru>", ALICE, "Счёт на оплату", msgid="q1@romashka.ru"),
            letter("spam@unknown.example", ALICE, "Buy now", msgid="q2@unknown.example"),
        ],
    )
    levels: list[int] = []
    result = _sync_noting_debug_level(db, account(db, mailbox), levels)
    assert levels == [0]
    assert (result.imported, result.unlinked, result.skipped) == (1, 1, ())
    assert counts(db) == {"messages": 2, "locations": 2, "emails": 1, "linked": 1}
    assert not [r for r in caplog.records if r.name == "imapclient.imaplib"]


def test_a_logger_that_is_on_still_sees_the_conversation(
    db: Database, mailbox: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="imapclient.imaplib")
    client_with_email(db, "ООО Ромашка", "ivan@romashka.ru")
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [letter("Иван <ivan@romashka.ru>", ALICE, "Акт сверки", msgid="q3@romashka.ru")],
    )
    levels: list[int] = []
    result = _sync_noting_debug_level(db, account(db, mailbox), levels)
    assert levels == [5]
    assert result.imported == 1
    said = [r.getMessage() for r in caplog.records if r.name == "imapclient.imaplib"]
    assert any("FETCH" in line and "q3@romashka.ru" in line for line in said)
    # The conversation includes LOGIN: the password must not reach any log.
    password = mailbox["users"][ALICE]
    assert any("LOGIN" in line for line in said)
    assert not [r for r in caplog.records if password in r.getMessage()]
