"""Hostile letters on a real Dovecot: none of them stops a mailbox.

Each hostile letter is filed between good ones from a known client; the good
letters behind it must arrive, and the hostile one must be accounted for:
imported (with what could be read), stored header-only, or listed in
``skipped`` with its reason. Two different machine-made letters without a
Message-ID and with identical headers and sizes must both arrive.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from sqlalchemy import select

from desktop.cli import main
from models import Interaction, MailMessage
from services.core.storage import Database
from services.linking import job as linking
from services.mail import attachment_files, imap_sync, letter_heads, mail_cards
from tests.hostile_mail import HOSTILE, IVAN, mutations
from tests.integration.mail_helpers import ALICE, account, client_with_email, counts, letter
from tests.mail_fixtures import append_messages


def _subjects(db: Database) -> list[str]:
    with db.reader() as uow:
        return sorted(s or "" for s in uow.session.scalars(select(Interaction.subject)))


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_letter_does_not_stop_the_letters_behind_it(
    db: Database, mailbox: dict[str, Any], case: str
) -> None:
    client_with_email(db, "ООО Ромашка", IVAN)
    before = [letter(IVAN, ALICE, f"до {n}", msgid=f"before{n}@romashka.ru") for n in range(3)]
    after = [letter(IVAN, ALICE, f"после {n}", msgid=f"after{n}@romashka.ru") for n in range(3)]
    uids = append_messages(mailbox, ALICE, "INBOX", [*before, HOSTILE[case](), *after])
    acc = account(db, mailbox)
    result = imap_sync.sync_account(db, acc, batch=4)
    good = sorted(f"{when} {n}" for when in ("до", "после") for n in range(3))
    subjects = _subjects(db)
    assert [s for s in subjects if s in good] == good
    # the hostile letter: imported, or stored with a reason, never lost
    assert counts(db)["locations"] == 7
    hostile = uids[3]
    skipped = [s for s in result.skipped if s.uid == hostile]
    assert result.imported + len(skipped) == 7, result
    assert all(s.reason for s in skipped)
    again = imap_sync.sync_account(db, acc)
    assert (again.imported, again.unlinked, again.skipped) == (0, 0, ())


@pytest.mark.parametrize(("batch", "group"), [(200, 100), (2, 100), (200, 2)])
def test_a_letter_our_code_fails_on_is_kept_with_its_reason_and_the_sync_goes_on(
    db: Database, mailbox: dict[str, Any], monkeypatch: pytest.MonkeyPatch, batch: int, group: int
) -> None:
    """A bug met by one letter (here: a planted one) costs that letter only.
    In batches of 2 it fails while the next batch's header FETCH is already
    on the wire: the letter-by-letter retry must not take that answer's lines.
    In runs of two bodies it fails in the second run, the first committed and
    the third run's bodies on the wire: the retry reads them first, and
    retries only the letters not committed (none counted twice)."""
    monkeypatch.setattr(letter_heads, "BODY_GROUP", group)
    client_with_email(db, "ООО Ромашка", IVAN)
    letters = [letter(IVAN, ALICE, f"письмо {n}", msgid=f"m{n}@romashka.ru") for n in range(5)]
    uids = append_messages(mailbox, ALICE, "INBOX", letters)
    interaction = mail_cards.CardWriter.interaction

    def planted(self: Any, item: Any, *args: Any) -> int:
        if item.header.subject == "письмо 2":
            raise ZeroDivisionError("planted")
        return interaction(self, item, *args)

    monkeypatch.setattr(mail_cards.CardWriter, "interaction", planted)
    acc = account(db, mailbox)
    result = imap_sync.sync_account(db, acc, batch=batch)
    assert (result.imported, result.linked, result.seen, result.unlinked) == (4, 0, 0, 0)
    [skipped] = result.skipped
    assert (skipped.uid, skipped.folder) == (uids[2], "INBOX")
    assert "ZeroDivisionError" in skipped.reason
    assert _subjects(db) == ["письмо 0", "письмо 1", "письмо 3", "письмо 4"]
    with db.reader() as uow:
        notes = list(uow.session.scalars(select(MailMessage.note).where(MailMessage.subject == "")))
    assert notes == [skipped.reason]
    assert imap_sync.sync_account(db, acc).skipped == ()  # the cursor passed it


def _machine_made(code: str) -> bytes:
    """Same headers, same size, no Message-ID: only the code differs."""
    return (
        f"From: Робот <{IVAN}>\r\nTo: {ALICE}\r\nSubject: Код входа\r\n"
        "Date: Mon, 2 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"\r\nВаш код: {code}\r\n"
    ).encode()


def test_different_letters_without_message_id_never_merge(
    db: Database, mailbox: dict[str, Any]
) -> None:
    client_with_email(db, "ООО Ромашка", IVAN)
    one, two = _machine_made("1111"), _machine_made("2222")
    assert len(one) == len(two)
    append_messages(mailbox, ALICE, "INBOX", [one, two])
    append_messages(mailbox, ALICE, "Sent", [one])  # the same letter filed twice still matches
    acc = account(db, mailbox)
    result = imap_sync.sync_account(db, acc)
    assert (result.imported, result.linked) == (2, 1)
    with db.reader() as uow:
        bodies = sorted(b or "" for b in uow.session.scalars(select(Interaction.body)))
    assert bodies == ["Ваш код: 1111", "Ваш код: 2222"]
    assert counts(db) == {"messages": 2, "locations": 3, "emails": 2, "linked": 2}


def test_header_only_letters_without_message_id_never_merge(
    db: Database, mailbox: dict[str, Any]
) -> None:
    """Unknown senders: kept header-only, still one record per letter."""
    stranger = [
        m.replace(IVAN.encode(), b"robot@unknown.example")
        for m in (
            _machine_made("1111"),
            _machine_made("2222"),
        )
    ]
    append_messages(mailbox, ALICE, "INBOX", stranger)
    result = imap_sync.sync_account(db, account(db, mailbox))
    assert result.unlinked == 2
    assert counts(db)["messages"] == 2


def test_mail_sync_survives_mutated_real_letters(
    sqlite_db: Database,
    mailbox: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fuzz through the whole path: Dovecot, `touchpoint mail sync --json`, the database."""
    client_with_email(sqlite_db, "ООО Ромашка", IVAN)
    # a known sender first, so every letter's body is fetched and parsed too
    damaged = [f"From: {IVAN}\r\n".encode() + raw for _name, raw in mutations(120, seed=14)]
    uids = append_messages(mailbox, ALICE, "INBOX", damaged, chunk=20)
    account(sqlite_db, mailbox)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    capsys.readouterr()
    code = main(["--db", str(sqlite_db.engine.url), "mail", "sync", "--json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    [result] = json.loads(out)
    skipped = {s["uid"] for s in result["skipped"]}
    assert skipped <= set(uids)
    assert all(s["reason"] for s in result["skipped"])
    kinds = ("imported", "linked", "unlinked", "seen")
    accounted = sum(result[k] for k in kinds) + len(skipped)
    assert accounted == len(uids), result
    assert counts(sqlite_db)["locations"] == len(uids)


def test_a_body_fetched_later_that_fails_costs_that_letter_only(
    db: Database, mailbox: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Letters linked after import get their bodies on the next sync; one that
    our code fails on (a planted bug) is skipped with its reason."""
    letters = [
        letter(IVAN, ALICE, f"позже {n}", f"текст {n}", msgid=f"l{n}@r.ru") for n in range(3)
    ]
    append_messages(mailbox, ALICE, "INBOX", letters)
    acc = account(db, mailbox)
    assert imap_sync.sync_account(db, acc).unlinked == 3
    client_with_email(db, "ООО Ромашка", IVAN)
    assert linking.run(db).bodies_pending == 3
    save = attachment_files.save_attachments

    def planted(uow: Any, interaction: Any, parsed: Any) -> None:
        if interaction.subject == "позже 1":
            raise ZeroDivisionError("planted")
        save(uow, interaction, parsed)

    monkeypatch.setattr(attachment_files, "save_attachments", planted)
    imap_sync.sync_account(db, acc)
    with db.reader() as uow:
        rows = uow.session.execute(
            select(MailMessage.subject, MailMessage.body_state, MailMessage.note).order_by(
                MailMessage.subject
            )
        ).all()
        texts = sorted(b or "" for b in uow.session.scalars(select(Interaction.body)))
    assert [(s, b) for s, b, _n in rows] == [
        ("позже 0", "fetched"),
        ("позже 1", "skipped"),
        ("позже 2", "fetched"),
    ]
    assert "ZeroDivisionError" in (rows[1][2] or "")
    assert texts == ["", "текст 0", "текст 2"]
