"""insert_rows (services/core/rows.py) stores what a Core insert stores, on
SQLite and PostgreSQL, and refuses a table whose Python-side default it would skip;
select_in reads what the same SELECT through SQLAlchemy reads."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from sqlalchemy import Table, insert, select

from models import Interaction, MailLocation, MailMessage
from services.core import bootstrap
from services.core.rows import insert_rows, select_in
from services.core.storage import Database
from services.mail import accounts

MESSAGES = cast(Table, MailMessage.__table__)
LOCATIONS = cast(Table, MailLocation.__table__)
COLUMNS = (
    *("account_id", "message_key", "direction", "subject", "sent_at", "size", "auto_reply"),
    *("body_state", "link_tie"),
)


def _account(db: Database) -> int:
    spec = accounts.AccountSpec(
        email="alice@example.test",
        imap_host="127.0.0.1",
        imap_port=993,
        imap_security="tls",
        smtp_host="127.0.0.1",
        smtp_port=465,
    )
    with db.uow() as uow:
        view = accounts.add(uow, bootstrap.actor_for(uow), spec, "secret", None)
        uow.commit()
    return view.id


def test_rows_are_stored_as_a_core_insert_stores_them(db: Database) -> None:
    account_id = _account(db)
    moscow = dt.timezone(dt.timedelta(hours=3))
    values: list[tuple[Any, ...]] = [
        (
            account_id,
            "a@x",
            "in",
            "Счёт №5 на оплату",
            dt.datetime(2026, 3, 1, 12, 30, tzinfo=moscow),
            8000,
            True,
            "fetched",
            True,
        ),
        (account_id, "b@x", "out", "", None, None, False, "none", False),
    ]
    with db.uow() as uow:
        uow.session.execute(
            insert(MESSAGES),
            [dict(zip(COLUMNS, v, strict=True)) | {"message_key": "core-" + v[1]} for v in values],
        )
        assert (
            insert_rows(
                uow.session, MESSAGES, COLUMNS, [(v[0], "rows-" + v[1], *v[2:]) for v in values]
            )
            == 2
        )
        assert insert_rows(uow.session, MESSAGES, COLUMNS, []) == 0
        uow.commit()
    shown = ("direction", "subject", "sent_at", "size", "auto_reply", "body_state", "link_tie")
    with db.reader() as uow:
        found = {
            r.message_key: [getattr(r, n) for n in shown]
            for r in uow.session.execute(select(MailMessage)).scalars()
        }
    assert set(found) == {"core-a@x", "core-b@x", "rows-a@x", "rows-b@x"}
    for key in ("a@x", "b@x"):
        assert found["rows-" + key] == found["core-" + key]
    assert found["rows-a@x"][:3] == [
        "in",
        "Счёт №5 на оплату",
        dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC),
    ]


def test_many_rows_go_in_whole_and_in_order(db: Database) -> None:
    """More rows than one multi-row statement holds (SQLite: pages of 100
    here, the last one shorter): every row stored as the Core insert stores
    it, the ids in the rows' order."""
    account_id = _account(db)
    moscow = dt.timezone(dt.timedelta(hours=3))
    values = [
        (
            account_id,
            f"<письмо-{n}@ромашка.рф>",
            "in" if n % 3 else "out",
            f"Счёт №{n} — оплата" if n % 7 else "",
            dt.datetime(2026, 3, 1, 12, 30, tzinfo=moscow) + dt.timedelta(minutes=n)
            if n % 5
            else None,
            n * 10 if n % 4 else None,
            n % 2 == 0,
            "fetched" if n % 2 else "none",
            n % 11 == 0,
        )
        for n in range(257)
    ]
    with db.uow() as uow:
        uow.session.execute(
            insert(MESSAGES),
            [dict(zip(COLUMNS, v, strict=True)) | {"message_key": "core-" + v[1]} for v in values],
        )
        assert insert_rows(
            uow.session, MESSAGES, COLUMNS, [(v[0], "rows-" + v[1], *v[2:]) for v in values]
        ) == len(values)
        uow.commit()
    shown = ("direction", "subject", "sent_at", "size", "auto_reply", "body_state", "link_tie")
    with db.reader() as uow:
        stored = [
            (r.message_key, [getattr(r, n) for n in shown])
            for r in uow.session.execute(select(MailMessage).order_by(MailMessage.id)).scalars()
        ]
    core = [(key[5:], row) for key, row in stored if key.startswith("core-")]
    rows = [(key[5:], row) for key, row in stored if key.startswith("rows-")]
    assert [key for key, _row in rows] == [v[1] for v in values]
    assert rows == core
    assert rows[1][1][1:3] == ["Счёт №1 — оплата", dt.datetime(2026, 3, 1, 9, 31, tzinfo=dt.UTC)]


def test_a_table_with_a_python_default_left_out_is_refused(db: Database) -> None:
    with db.uow() as uow, pytest.raises(ValueError, match="default"):
        insert_rows(uow.session, cast(Table, Interaction.__table__), ("type",), [("call",)])


def test_select_in_reads_what_the_sqlalchemy_select_reads(db: Database) -> None:
    account_id = _account(db)
    keys = [f"<письмо-{n}@ромашка.рф>" for n in range(250)]
    with db.uow() as uow:
        insert_rows(
            uow.session,
            MESSAGES,
            COLUMNS,
            [(account_id, key, "in", "", None, None, False, "none", False) for key in keys[::2]],
        )
        uow.commit()
    asked = [*keys[:120], "missing", keys[0], keys[0]]  # repeats and an unknown key
    with db.reader() as uow:
        expected = {
            tuple(row)
            for row in uow.session.execute(
                select(MailMessage.message_key, MailMessage.id, MailMessage.interaction_id).where(
                    MailMessage.account_id == account_id, MailMessage.message_key.in_(asked)
                )
            )
        }
        got = select_in(
            uow.session,
            MESSAGES,
            ("message_key", "id", "interaction_id"),
            [("account_id", account_id)],
            "message_key",
            asked,
        )
        other = select_in(
            uow.session, MESSAGES, ("id",), [("account_id", account_id + 1)], "message_key", asked
        )
        assert select_in(uow.session, MESSAGES, ("id",), [], "message_key", []) == []
        with pytest.raises(ValueError, match="result processor"):
            select_in(uow.session, MESSAGES, ("sent_at",), [], "message_key", asked)
    assert len(got) == len(expected) == 60
    assert set(got) == expected
    assert other == []


def test_a_row_of_the_wrong_width_is_refused_and_nothing_goes_in(db: Database) -> None:
    """On SQLite the rows go in flattened into one VALUES list: a short row
    would shift every later value into the wrong column."""
    account_id = _account(db)
    row = (account_id, "<a@ромашка.рф>", "in", "Счёт", None, None, False, "none", False)
    rows = [row, (account_id, "<b@ромашка.рф>", "in", "none"), (*row[:1], "<c@x>", *row[2:])]
    with db.uow() as uow:
        with pytest.raises(ValueError, match="values"):
            insert_rows(uow.session, MESSAGES, COLUMNS, rows)
        with pytest.raises(ValueError, match="values"):
            insert_rows(uow.session, LOCATIONS, ("folder_id", "uidvalidity", "uid"), [(1, 2)])
        assert uow.session.scalars(select(MailMessage.id)).all() == []
