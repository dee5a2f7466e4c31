"""The team database writes a new note in its writer's own name and keeps a
colleague's search text as the note's words make it (migration 0049): a
login connecting with any client (psql) may not INSERT a note "by" a
colleague, nor change the ``search_text`` of a note it may not reword
(hiding it from search); an administrator may, the owner is not bound. The
downgrade restores 0048's guard exactly. Real PostgreSQL, one login each."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from services.interactions import use_cases as interactions
from services.parties import shares
from services.parties import use_cases as parties
from tests.integration.team_rls_helpers import TeamDb, as_login, user_id
from tests.integration.test_record_policy_probes import _migrate
from tests.integration.test_team_rls import team_db as team_db  # a fresh team database

pytestmark = pytest.mark.postgres

TEXT = "Договорились о встрече у «Ёлки», @{head}"
SIGNED = "a new note is signed by its writer"
REWORD = "is a colleague's: only its author or an administrator may change"
INSERT = (
    "INSERT INTO notes (uid, row_version, created_at, updated_at, author_id, body,"
    " search_text, client_id) VALUES (gen_random_uuid()::text, 1, now(), now(), :author,"
    " :body, :folded, :card) RETURNING id"
)


def _annas_client(team_db: TeamDb) -> tuple[int, int]:
    """Anna's client, shared with Boris, with her note on it; (card, note)."""
    anna = team_db.actor("anna")
    card = parties.add_client(team_db.db, anna, "ООО «Ромашка»").value.id
    shares.set_shared(team_db.db, anna, "client", card, team_db.logins["boris"], shared=True)
    body = TEXT.format(head=team_db.logins["head"])
    return card, interactions.add_note(team_db.db, anna, "client", card, body).value


def _insert(conn: Connection, author: int, card: int) -> Any:
    body = "Клиент просил перезвонить"
    return conn.execute(
        text(INSERT), {"author": author, "body": body, "folded": body.casefold(), "card": card}
    ).scalar_one()


def _refused(conn: Connection, statement: str, message: str, **params: Any) -> None:
    with pytest.raises(DBAPIError) as caught:
        conn.execute(text(statement), params)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501"
    assert message in str(caught.value.orig)
    conn.rollback()


def _notes(team_db: TeamDb) -> set[tuple[Any, ...]]:
    with team_db.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, author_id, body, search_text FROM notes"))
        return {tuple(r) for r in rows}


def test_a_login_may_not_write_a_note_in_a_colleagues_name(team_db: TeamDb) -> None:
    """Boris sees Anna's client: a raw INSERT of a note "by" Anna or by the
    head is refused with a permission error and adds nothing; one in his
    own name passes, as the app's add_note. Checked to fail before 0049."""
    card, _note = _annas_client(team_db)
    before = _notes(team_db)
    anna, boris, head = (user_id(team_db, w) for w in ("anna", "boris", "head"))
    with as_login(team_db, "boris") as conn:
        for author in (anna, head):
            _refused(
                conn,
                INSERT,
                f"{SIGNED}: user {author} may not be its author",
                author=author,
                body="Подпись коллеги",
                folded="подпись коллеги",
                card=card,
            )
        assert _insert(conn, boris, card)
    assert _notes(team_db) == before  # as_login rolls back


def test_an_administrator_may_and_the_owner_is_not_bound(team_db: TeamDb) -> None:
    """The administrator writes a note in Anna's name (a correction); the
    owner's login (migrations, jobs) too; the reader may not write at all."""
    card, _note = _annas_client(team_db)
    anna, reader = user_id(team_db, "anna"), user_id(team_db, "reader")
    with as_login(team_db, "admin") as conn:
        assert _insert(conn, anna, card)
    with team_db.db.engine.begin() as conn:
        made = _insert(conn, anna, card)
    assert any(n[0] == made for n in _notes(team_db))
    with as_login(team_db, "reader") as conn:
        with pytest.raises(DBAPIError) as caught:
            _insert(conn, reader, card)
        assert getattr(caught.value.orig, "sqlstate", None) == "42501"


def test_a_colleague_may_not_change_a_notes_search_text(team_db: TeamDb) -> None:
    """Boris may not blank or replace the search text of Anna's note (it
    would vanish from search); Anna and the administrator may, as they may
    reword it; the search text stays the folded words."""
    _card, note = _annas_client(team_db)
    before = _notes(team_db)
    (folded,) = (n[3] for n in before if n[0] == note)
    assert folded.startswith("договорились о встрече у «елки»")
    with as_login(team_db, "boris") as conn:
        for value in ("", "ничего интересного"):
            _refused(
                conn,
                "UPDATE notes SET search_text = :v WHERE id = :n",
                f"note {note} {REWORD}",
                v=value,
                n=note,
            )
        same = conn.execute(
            text("UPDATE notes SET search_text = search_text WHERE id = :n"), {"n": note}
        )
        assert same.rowcount == 1  # an unchanged value is no change
    assert _notes(team_db) == before
    for who in ("anna", "admin"):
        with as_login(team_db, who) as conn:
            changed = conn.execute(
                text("UPDATE notes SET search_text = '' WHERE id = :n"), {"n": note}
            )
            assert changed.rowcount == 1


def _definitions(conn: Connection) -> dict[str, str]:
    rows = conn.execute(
        text(
            "SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t"
            " WHERE NOT t.tgisinternal AND t.tgrelid IN ('notes'::regclass,"
            " 'note_mentions'::regclass) UNION ALL SELECT p.proname, pg_get_functiondef(p.oid)"
            " FROM pg_proc p WHERE p.proname = 'tp_note_guard'"
        )
    )
    return {r[0]: r[1] for r in rows}


def test_the_downgrade_restores_0048_exactly(team_db: TeamDb) -> None:
    """Head, down to 0048: the function and triggers are those 0047 makes
    when 0048 is reached by upgrading (0046 -> 0048); Boris's forged note
    passes there, and is refused at head again."""
    card, _note = _annas_client(team_db)
    anna = user_id(team_db, "anna")
    team_db.db.dispose()
    with team_db.db.engine.connect() as conn:
        head = _definitions(conn)
    assert "tp_note_guard_create" in head
    assert "search_text" in head["tp_note_guard_change"]
    team_db.db.dispose()
    _migrate(team_db.url, "downgrade", "0048")
    with team_db.db.engine.connect() as conn:
        restored = _definitions(conn)
    with as_login(team_db, "boris") as conn:
        assert _insert(conn, anna, card)  # the hole 0049 closes
    team_db.db.dispose()
    _migrate(team_db.url, "downgrade", "0046")
    _migrate(team_db.url, "upgrade", "0048")
    with team_db.db.engine.connect() as conn:
        assert _definitions(conn) == restored
    assert "tp_note_guard_create" not in restored
    assert "search_text" not in restored["tp_note_guard_change"]
    team_db.db.dispose()
    _migrate(team_db.url, "upgrade", "head")
    with team_db.db.engine.connect() as conn:
        assert _definitions(conn) == head
    with as_login(team_db, "boris") as conn:
        _refused(
            conn,
            INSERT,
            SIGNED,
            author=anna,
            body="Подпись коллеги",
            folded="подпись коллеги",
            card=card,
        )
