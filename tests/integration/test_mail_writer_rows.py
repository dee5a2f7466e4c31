"""The mail import writes a batch's interactions with one Core insert, and
each new letter's row once with its final values (#16): every row it leaves
is the row the earlier writer left, which inserted the letters' rows, then
added the interactions with the ORM and flushed (the history and the change
log its flush hooks wrote), then updated the letters' rows with the parse.

The same mailbox (real Dovecot: Cyrillic names and subjects, attachments, a
reply, a letter to several known people, a lead, a contact person, a letter
nobody knows) goes into two copies of one database, once through the ORM
reference (mail_writer_reference.py) and once through the writer, and every table is compared
row by row: on plain SQLite, on a laptop replica (the change log) and on a
team PostgreSQL as a manager's login (row-level security, the clocks).
Only what is generated may differ: a new row's uid (mapped from one copy
to the other, so each must appear in the same places), its creation and
change times, and the change log's clock and action ids.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from models import Interaction
from services.core import bootstrap
from services.core.access import Actor
from services.core.storage import Database, open_database
from services.mail import accounts, imap_sync, letter_heads, mail_cards, mail_store
from services.parties import records
from tests.conftest import make_team as colleagues
from tests.integration import mail_writer_reference as reference
from tests.integration.team_rls_helpers import make_team
from tests.mail_fixtures import ALICE, append_messages

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
IVAN = "ivan@romashka.example"  # the client
OLGA = "olga@romashka.example"  # its contact person
PETR = "petr@vasilek.example"  # a lead
BORIS_CLIENT = "zakaz@lyutik.example"  # the administrator's client


def _letter(
    sender: str,
    to: str,
    subject: str,
    msgid: str,
    hours: int,
    *,
    cc: str | None = None,
    reply_to: str | None = None,
    files: tuple[tuple[str, bytes], ...] = (),
    html: bool = False,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(
        dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC) + dt.timedelta(hours=hours)
    )
    message["Message-ID"] = f"<{msgid}>"
    if reply_to:
        message["In-Reply-To"] = f"<{reply_to}>"
        message["References"] = f"<{reply_to}>"
    message.set_content(f"Добрый день!\n\n{subject}: подробности во вложении.\n")
    if html:  # kept on the letter's row, sanitized
        message.add_alternative(
            f"<html><body><p>Добрый день!</p><p><b>{subject}</b></p></body></html>", subtype="html"
        )
    for name, data in files:
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


def _mailbox(server: dict[str, Any]) -> None:
    inbox = [
        _letter(
            f"Иван Петров <{IVAN}>",
            ALICE,
            "Счёт №1 за ноябрь",
            "m1@romashka",
            0,
            files=(("Счёт №1.pdf", b"%PDF-1.4 schet 1"), ("акт.txt", "Акт сверки".encode())),
        ),
        _letter(f"Ольга Смирнова <{OLGA}>", ALICE, "Договор поставки", "m2@romashka", 1, cc=IVAN),
        _letter(f"Пётр <{PETR}>", ALICE, "Заявка с сайта", "m3@vasilek", 2, html=True),
        _letter(
            f"Иван Петров <{IVAN}>",
            ALICE,
            "Re: Договор поставки",
            "m4@romashka",
            3,
            reply_to="m2@romashka",
        ),
        _letter("spam@unknown.example", ALICE, "Скидки недели", "m5@unknown", 4),
        _letter(
            f"Лютик <{BORIS_CLIENT}>",
            f"{ALICE}, {IVAN}",
            "Общий вопрос",
            "m6@lyutik",
            5,
            files=(("прайс.xlsx", b"PK price"),),
        ),
        _letter(f"Иван Петров <{IVAN}>", ALICE, "", "m7@romashka", 6),
    ]
    append_messages(server, ALICE, "INBOX", inbox)
    append_messages(
        server,
        ALICE,
        "Sent",
        [
            _letter(
                ALICE,
                f"Ольга <{OLGA}>",
                "Re: Договор поставки",
                "s1@example",
                7,
                reply_to="m2@romashka",
                cc=PETR,
            ),
            _letter(ALICE, IVAN, "Счёт №1 за ноябрь", "m1@romashka", 8),  # the same letter again
        ],
    )


def _world(
    db: Database, manager: Actor, other: tuple[Database, Actor], server: dict[str, Any]
) -> int:
    """The manager's cards and mailbox, and a colleague's client: the account id."""
    with db.uow(manager.id) as uow:
        client = records.add_client(uow, manager, "ООО «Ромашка»", emails=[IVAN])
        records.add_contact(uow, manager, "Ольга Смирнова", client_id=client.id, emails=[OLGA])
        records.add_lead(uow, manager, "Пётр Васильев", company="Василёк", emails=[PETR])
        uow.commit()
    other_db, colleague = other
    with other_db.uow(colleague.id) as uow:
        records.add_client(uow, colleague, "ИП Лютик", emails=[BORIS_CLIENT])
        uow.commit()
    spec = accounts.AccountSpec(
        email=ALICE,
        imap_host=server["host"],
        imap_port=server["tls_port"],
        imap_security="tls",
        smtp_host=server["host"],
        smtp_port=2525,
        ca_file=server["ca_file"],
    )
    with db.uow(manager.id) as uow:
        account = accounts.add(uow, manager, spec, server["users"][ALICE], None)
        uow.commit()
    return account.id


def _import(
    db: Database,
    account_id: int,
    server: dict[str, Any],
    orm: bool,
    monkeypatch: pytest.MonkeyPatch,
    runs: bool = False,
) -> None:
    """RUNS: the default batch (the whole mailbox), its letters with bodies
    written two at a time (``letter_heads.BODY_GROUP``), each run with the
    next run's bodies already asked for; else batches of 4."""
    with monkeypatch.context() as patch:
        if orm:
            patch.setattr(mail_cards.CardWriter, "_interactions", reference.orm_interactions)
            patch.setattr(mail_store.ChunkWriter, "_insert_fresh", reference.insert_then_update)
        if runs:
            patch.setattr(letter_heads, "BODY_GROUP", 2)
            writes: list[int] = []
            write = mail_store.ChunkWriter.write

            def counted(self: mail_store.ChunkWriter, items: list[Any]) -> Any:
                writes.append(sum(1 for i in items if i.body is not None))
                return write(self, items)

            patch.setattr(mail_store.ChunkWriter, "write", counted)
        result = imap_sync.sync_account(
            db,
            account_id,
            password=server["users"][ALICE],
            batch=imap_sync.DEFAULT_BATCH if runs else 4,
            now=NOW,
        )
    assert result.imported >= 6, result
    if runs:  # INBOX in runs of at most two bodies, then Sent
        assert max(writes) == 2, writes
        assert len(writes) >= 4, writes


@pytest.fixture
def filled(mailbox: dict[str, Any]) -> dict[str, Any]:
    _mailbox(mailbox)
    return mailbox


def _check(
    orm_db: Database,
    core_db: Database,
    account_id: int,
    server: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    runs: bool = False,
) -> dict[str, list[dict[str, Any]]]:
    before = reference.tables(core_db)
    _import(orm_db, account_id, server, True, monkeypatch)
    _import(core_db, account_id, server, False, monkeypatch, runs)
    orm, core = reference.tables(orm_db), reference.tables(core_db)
    assert reference.same_rows(before, orm, core) > 0
    return core


@pytest.mark.parametrize(
    ("replica", "runs"),
    [(False, False), (True, False), (False, True)],
    ids=["plain", "replica", "runs"],
)
def test_sqlite_rows_match_the_orm_writer(
    filled: dict[str, Any],
    sqlite_template: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    replica: bool,
    runs: bool,
) -> None:
    first, second = tmp_path / "orm.sqlite3", tmp_path / "core.sqlite3"
    shutil.copy(sqlite_template, first)
    db = open_database(f"sqlite:///{first}")
    people = colleagues(db)
    if replica:  # a laptop: its writes go to the change log to be pushed
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO sync_state (key, value) VALUES ('node', 'lap1')"))
    account_id = _world(db, people.anna, (db, people.admin), filled)
    db.dispose()
    shutil.copy(first, second)
    orm_db, core_db = open_database(f"sqlite:///{first}"), open_database(f"sqlite:///{second}")
    try:
        core = _check(orm_db, core_db, account_id, filled, monkeypatch, runs)
    finally:
        orm_db.dispose()
        core_db.dispose()
    _what_a_user_sees(core, replica)


def test_team_postgresql_manager_rows_match_the_orm_writer(
    filled: dict[str, Any],
    pg_admin_url: str,
    pg_template: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    anna_db = open_database(tdb.url_of("anna"), upgrade=False)
    try:
        with anna_db.reader() as uow:
            anna = bootstrap.actor_for(uow, tdb.logins["anna"])
        account_id = _world(anna_db, anna, (tdb.db, tdb.actor("boris")), filled)
    finally:
        anna_db.dispose()
        tdb.dispose()
    first = tdb.url.rsplit("/", 1)[1]
    second = f"{first}_core"
    admin = create_engine(pg_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {second} TEMPLATE {first}"))
    admin.dispose()
    tdb2 = dataclasses.replace(tdb, url=tdb.url.rsplit("/", 1)[0] + f"/{second}")
    orm_db = open_database(tdb.url_of("anna"), upgrade=False)
    core_db = open_database(tdb2.url_of("anna"), upgrade=False)
    owner_orm = open_database(tdb.url, upgrade=False)
    owner_core = open_database(tdb2.url, upgrade=False)
    try:
        before = reference.tables(owner_core)
        _import(orm_db, account_id, filled, True, monkeypatch)
        _import(core_db, account_id, filled, False, monkeypatch)
        # Compared as the owner (every row, past row-level security).
        core = reference.tables(owner_core)
        assert reference.same_rows(before, reference.tables(owner_orm), core) > 0
    finally:
        for database in (orm_db, core_db, owner_orm, owner_core):
            database.dispose()
    _what_a_user_sees(core, replica=False)
    clocks = [r for r in core["sync_clock"] if r["kind"] == "interaction"]
    assert clocks, "the server orders the new interactions' fields by their clocks"


def _what_a_user_sees(core: dict[str, list[dict[str, Any]]], replica: bool) -> None:
    """The import did what it should (so the comparison compared something)."""
    letters = {r["source_key"]: r for r in core["interactions"] if r["source_kind"] == "email"}
    assert {r["subject"] for r in letters.values()} >= {
        "Счёт №1 за ноябрь",
        "Договор поставки",
        "Заявка с сайта",
        "Re: Договор поставки",
        "Общий вопрос",
        None,
    }
    assert {r["filename"] for r in core["attachments"]} >= {"Счёт №1.pdf", "акт.txt", "прайс.xlsx"}
    assert any("<b>Заявка с сайта</b>" in (r["html"] or "") for r in core["mail_messages"])
    created = [
        r
        for r in core["audit_entries"]
        if r["entity_kind"] == "interaction" and r["field"] == "created"
    ]
    assert {r["entity_id"] for r in created} == {r["id"] for r in letters.values()}
    assert core["interaction_contacts"], "Olga's letters are on her card too"
    logged = {r["uid"] for r in core["sync_log"] if r["kind"] == "interaction"}
    if replica:
        assert logged == {r["uid"] for r in letters.values()}
        assert any(r["kind"] == "attachment" for r in core["sync_log"])
        assert any(r["kind"] == "interaction_contact" for r in core["sync_log"])
    else:
        assert not logged


def test_a_laptop_imports_letters_and_pushes_them_whole(
    rig: Any, filled: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anna's laptop imports her mailbox offline; one sync puts the letters'
    interactions on the server with their contact persons and files, and
    both sides then hold the same records."""
    from services.parties import use_cases as parties
    from tests.integration import replica_rig

    laptop = rig.laptop["anna"]
    anna = rig.local_actor("anna")
    with laptop.reader() as uow:
        client_id = uow.session.scalar(text("SELECT id FROM clients"))
    parties.add_point(laptop, anna, "email", IVAN, "client", client_id, link=False)
    ivan = replica_rig.contact_id(laptop, replica_rig.IVAN)
    parties.add_point(laptop, anna, "email", OLGA, "contact", ivan, link=False)
    spec = accounts.AccountSpec(
        email=ALICE,
        imap_host=filled["host"],
        imap_port=filled["tls_port"],
        imap_security="tls",
        smtp_host=filled["host"],
        smtp_port=2525,
        ca_file=filled["ca_file"],
    )
    with laptop.uow(anna.id) as uow:
        account_id = accounts.add(uow, anna, spec, filled["users"][ALICE], None).id
        uow.commit()
    _import(laptop, account_id, filled, False, monkeypatch)
    replica_rig.sync_all(rig)
    replica_rig.assert_converged(rig)
    with rig.server["anna"].reader() as uow:
        rows = uow.session.execute(
            select(Interaction.uid, Interaction.subject).where(Interaction.source_kind == "email")
        ).all()
        files = set(uow.session.scalars(text("SELECT filename FROM attachments")))
    subjects = {subject for _uid, subject in rows}
    assert {"Счёт №1 за ноябрь", "Договор поставки", "Re: Договор поставки"} <= subjects
    assert {"Счёт №1.pdf", "акт.txt"} <= files
    contract = next(uid for uid, subject in rows if subject == "Договор поставки")
    assert replica_rig.persons(rig.server["anna"], contract) == {replica_rig.IVAN}
