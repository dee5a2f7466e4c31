"""The import with its bodies parsed in a worker process (#16), on a real
Dovecot: every stored row the same as with the parse in this process; a
letter that kills the worker, or a bug met while a batch's last run waits
for the next batch, costs that letter only; a cancelled sync stops the
worker and the next sync imports the rest exactly once."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from models import Interaction, MailLocation, MailMessage
from services.core.storage import Database, open_database
from services.mail import imap_sync, mail_cards, parse_worker
from services.mail.parse_worker import Parser
from services.parties import records
from tests import parse_faults
from tests.conftest import make_team
from tests.hostile_mail import corpus
from tests.integration import mail_writer_reference as reference
from tests.integration.mail_helpers import ALICE, account, client_with_email, letter
from tests.mail_fixtures import append_messages

IVAN = "ivan@romashka.ru"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def ready(parse: parse_worker.ParseFn = parse_worker.parse_body, **options: Any) -> Parser:
    """A parser whose worker takes every run (the sync's own starts it at
    its first big run and parses here until it is up)."""
    parser = Parser(parse, start_at=1, **options)
    parser.start()
    assert parser.wait_ready(60)
    return parser


class Made:
    """A parser factory that remembers what it made."""

    def __init__(self, make: Callable[[], Parser]) -> None:
        self.make = make
        self.made: list[Parser] = []

    def __call__(self) -> Parser:
        self.made.append(self.make())
        return self.made[-1]


def _corpus_letters() -> list[bytes]:
    """The real letters from known people: each sender's From renamed and
    a known one put first (the bodies are what is compared)."""
    senders = [
        f"Иван Петров <{IVAN}>",
        "Ольга Смирнова <olga@romashka.ru>",
        "Пётр <petr@vasilek.example>",
    ]
    out = []
    for n, path in enumerate(corpus()):
        raw = path.read_bytes()
        if not raw.strip():
            continue  # an IMAP server refuses empty messages
        raw = re.sub(rb"(?im)^from:", b"X-Was-From:", raw)
        out.append(f"From: {senders[n % 3]}\r\n".encode() + raw)
    return out


def _world(db: Database, server: dict[str, Any]) -> int:
    people = make_team(db)
    with db.uow(people.anna.id) as uow:
        client = records.add_client(uow, people.anna, "ООО «Ромашка»", emails=[IVAN])
        records.add_contact(
            uow, people.anna, "Ольга Смирнова", client_id=client.id, emails=["olga@romashka.ru"]
        )
        records.add_lead(
            uow, people.anna, "Пётр Васильев", company="Василёк", emails=["petr@vasilek.example"]
        )
        uow.commit()
    with db.uow(people.admin.id) as uow:  # a colleague's client, not alice's
        records.add_client(uow, people.admin, "ИП Лютик", emails=["zakaz@lyutik.example"])
        uow.commit()
    return account(db, server)


def test_rows_are_the_same_parsed_here_or_in_the_worker(
    mailbox: dict[str, Any], sqlite_template: Path, tmp_path: Path
) -> None:
    raws = _corpus_letters()
    append_messages(mailbox, ALICE, "INBOX", raws, chunk=50)
    first, second = tmp_path / "here.sqlite3", tmp_path / "worker.sqlite3"
    shutil.copy(sqlite_template, first)
    db = open_database(f"sqlite:///{first}")
    account_id = _world(db, mailbox)
    db.dispose()
    shutil.copy(first, second)
    here_db, worker_db = open_database(f"sqlite:///{first}"), open_database(f"sqlite:///{second}")
    worker = Made(ready)
    try:
        before = reference.tables(here_db)
        kwargs: dict[str, Any] = {"password": mailbox["users"][ALICE], "batch": 60, "now": NOW}
        here = imap_sync.sync_account(here_db, account_id, parse=lambda: Parser(cores=1), **kwargs)
        there = imap_sync.sync_account(worker_db, account_id, parse=worker, **kwargs)
        assert here == there
        assert here.imported > len(raws) * 0.6, here
        assert reference.same_rows(before, reference.tables(here_db), reference.tables(worker_db))
    finally:
        here_db.dispose()
        worker_db.dispose()
    [parser] = worker.made
    assert not parser.parallel  # closed with the sync


def test_a_letter_that_kills_the_worker_is_kept_with_its_reason(
    db: Database, mailbox: dict[str, Any]
) -> None:
    client_with_email(db, "ООО Ромашка", IVAN)
    letters = [letter(IVAN, ALICE, f"письмо {n}", msgid=f"m{n}@romashka.ru") for n in range(9)]
    letters[4] = letters[4].replace(b"\nSubject:", b"\n" + parse_faults.CRASH + b"\r\nSubject:", 1)
    uids = append_messages(mailbox, ALICE, "INBOX", letters)
    acc = account(db, mailbox)
    made = Made(lambda: ready(parse_faults.crashing))
    result = imap_sync.sync_account(db, acc, batch=3, parse=made)
    assert (result.imported, result.unlinked) == (8, 0), result
    [skipped] = result.skipped
    assert (skipped.uid, skipped.reason) == (uids[4], parse_worker.STOPPED)
    with db.reader() as uow:
        subjects = sorted(s or "" for s in uow.session.scalars(select(Interaction.subject)))
        kept = uow.session.execute(
            select(MailMessage.body_state, MailMessage.note).where(
                MailMessage.message_key == "m4@romashka.ru"
            )
        ).one()
    assert subjects == [f"письмо {n}" for n in range(9) if n != 4]
    assert tuple(kept) == ("skipped", parse_worker.STOPPED)
    again = imap_sync.sync_account(db, acc, parse=made)
    assert (again.imported, again.unlinked, again.skipped) == (0, 0, ())


@pytest.mark.parametrize("batch", [2, 3, 1000])
def test_a_bug_in_a_carried_run_costs_one_letter(
    db: Database, mailbox: dict[str, Any], monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """With the worker, a batch's last run is written after the next
    batch's first run went to it: a letter failing there is retried alone,
    the letters of both batches neither lost nor counted twice."""
    client_with_email(db, "ООО Ромашка", IVAN)
    letters = [letter(IVAN, ALICE, f"письмо {n}", msgid=f"m{n}@romashka.ru") for n in range(7)]
    uids = append_messages(mailbox, ALICE, "INBOX", letters)
    interaction = mail_cards.CardWriter.interaction

    def planted(self: Any, item: Any, *args: Any) -> Any:
        if item.header.subject == "письмо 3":
            raise ZeroDivisionError("planted")
        return interaction(self, item, *args)

    monkeypatch.setattr(mail_cards.CardWriter, "interaction", planted)
    acc = account(db, mailbox)
    result = imap_sync.sync_account(db, acc, batch=batch, parse=ready)
    assert (result.imported, result.linked, result.seen, result.unlinked) == (6, 0, 0, 0)
    [skipped] = result.skipped
    assert skipped.uid == uids[3]
    assert "ZeroDivisionError" in skipped.reason
    with db.reader() as uow:
        located = uow.session.scalar(select(func.count()).select_from(MailLocation))
    assert located == 7
    assert imap_sync.sync_account(db, acc, parse=ready).skipped == ()


def test_a_cancelled_sync_stops_the_worker_and_the_next_one_imports_the_rest(
    db: Database, mailbox: dict[str, Any]
) -> None:
    client_with_email(db, "ООО Ромашка", IVAN)
    letters = [letter(IVAN, ALICE, f"письмо {n}", msgid=f"m{n}@romashka.ru") for n in range(12)]
    append_messages(mailbox, ALICE, "INBOX", letters)
    acc = account(db, mailbox)
    cancel = threading.Event()

    def progress(_folder: str, done: int, _total: int) -> None:
        if done >= 6:
            cancel.set()

    made = Made(ready)
    first = imap_sync.sync_account(db, acc, batch=3, parse=made, cancel=cancel, progress=progress)
    assert first.cancelled
    [parser] = made.made
    assert not parser.parallel  # its worker stopped with the sync
    # A run carried over a cancel is not written: the next sync reads it again.
    rest = imap_sync.sync_account(db, acc, parse=made)
    assert first.imported + rest.imported == 12
    assert first.imported < 12
    with db.reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Interaction)) == 12
        assert uow.session.scalar(select(func.count()).select_from(MailLocation)) == 12


def test_a_sync_of_a_few_letters_starts_no_worker(db: Database, mailbox: dict[str, Any]) -> None:
    client_with_email(db, "ООО Ромашка", IVAN)
    append_messages(mailbox, ALICE, "INBOX", [letter(IVAN, ALICE, "Счёт", msgid="one@romashka.ru")])
    made = Made(Parser)
    result = imap_sync.sync_account(db, account(db, mailbox), parse=made)
    assert result.imported == 1
    assert made.made[0]._number == 1
    assert not made.made[0].parallel


class Watched(Parser):
    """A parser that notes how many runs it had taken when its worker started."""

    started_after: int | None = None

    def start(self) -> None:
        if self.started_after is None and self.use_worker:
            self.started_after = self._number
        super().start()


def test_a_folder_with_many_known_letters_starts_the_worker_at_its_first_batch(
    db: Database, mailbox: dict[str, Any]
) -> None:
    """Its first batch's letters project enough to parse in the rest: the
    worker starts before that batch's first run, not at the first run of
    ``start_at`` letters (which these small runs never reach); the rest of
    the folder's runs go to it, and every letter is imported once."""
    client_with_email(db, "ООО Ромашка", IVAN)
    letters = [
        letter(IVAN if n % 2 else "neznakomets@example.test", ALICE, f"письмо {n}", msgid=f"m{n}@x")
        for n in range(24)
    ]
    append_messages(mailbox, ALICE, "INBOX", letters)
    made = Made(lambda: Watched(start_at=50, foresee_at=10))
    result = imap_sync.sync_account(db, account(db, mailbox), batch=4, parse=made)
    assert (result.imported, result.unlinked, result.skipped) == (12, 12, ())
    [parser] = made.made
    assert parser.started_after == 0
    with db.reader() as uow:
        subjects = sorted(uow.session.scalars(select(Interaction.subject)))
    assert subjects == sorted(f"письмо {n}" for n in range(1, 24, 2))
