"""The team database itself keeps a colleague's note as its author wrote it
(migration 0047): a login connecting with any client (psql) may not reword,
re-sign, unmention or remove a note it sees unless it is the note's author
or an administrator, as ``note_edits.may_change`` says; a note moving with
its card and the owner's own work go on. Real PostgreSQL, one login each."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, select, text, update
from sqlalchemy.exc import DBAPIError

from models import Note, note_mentions
from services.core.errors import RefusedByDatabase
from services.core.storage import open_database
from services.interactions import use_cases as interactions
from services.parties import edit_cases, shares
from services.parties import use_cases as parties
from tests.integration.team_rls_helpers import TeamDb, as_login, user_id
from tests.integration.test_record_policy_probes import _migrate
from tests.integration.test_team_rls import team_db as team_db  # a fresh team database

pytestmark = pytest.mark.postgres

TEXT = "Позвонить Ёжикову в пятницу: скидка 5 %"
REWORDED = "Клиент отказался, больше не звонить"
REFUSAL = "is a colleague's: only its author or an administrator may change"


def _annas_note(team_db: TeamDb, kind: str = "client") -> tuple[int, int]:
    """Anna's note (mentioning the head) on her client or lead, the card
    shared with Boris so he sees it; (card id, note id)."""
    anna = team_db.actor("anna")
    if kind == "client":
        card = parties.add_client(team_db.db, anna, "ООО «Ромашка»").value.id
    else:
        card = parties.add_lead(team_db.db, anna, "Пётр Лидов", company="ООО «Лютик»").value.id
    shares.set_shared(team_db.db, anna, kind, card, team_db.logins["boris"], shared=True)
    body = f"{TEXT}, @{team_db.logins['head']}"
    return card, interactions.add_note(team_db.db, anna, kind, card, body).value


def _state(team_db: TeamDb, note: int) -> tuple[Any, ...]:
    """The note's text, author, card and mentions, as the owner reads them."""
    with team_db.db.engine.connect() as conn:
        row = conn.execute(
            select(Note.body, Note.author_id, Note.client_id, Note.lead_id).where(Note.id == note)
        ).one_or_none()
        mentions = set(
            conn.scalars(select(note_mentions.c.user_id).where(note_mentions.c.note_id == note))
        )
    return (tuple(row) if row else None), mentions


def _refused(conn: Connection, statement: str, **params: Any) -> None:
    with pytest.raises(DBAPIError) as caught:
        conn.execute(text(statement), params)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501"
    assert REFUSAL in str(caught.value.orig)
    conn.rollback()


def _changes(team_db: TeamDb, who: str, note: int) -> dict[str, int]:
    """Rows each change of ``who`` touches (rolled back after each)."""
    me = user_id(team_db, who)
    done = {}
    for name, statement in (
        ("text", "UPDATE notes SET body = :text WHERE id = :note"),
        ("unmention", "DELETE FROM note_mentions WHERE note_id = :note"),
        ("mention", "INSERT INTO note_mentions (note_id, user_id) VALUES (:note, :me)"),
        ("remove", "DELETE FROM notes WHERE id = :note"),
    ):
        with as_login(team_db, who) as conn:
            found = conn.execute(text(statement), {"text": REWORDED, "note": note, "me": me})
            done[name] = found.rowcount
    return done


def test_a_colleague_who_sees_the_note_may_not_reword_resign_unmention_or_remove_it(
    team_db: TeamDb,
) -> None:
    """Boris sees Anna's client (shared) and her note on it, but every raw
    change of its words, author or mentions, and its removal, is refused by
    the server with a permission error; nothing changed."""
    _card, note = _annas_note(team_db)
    before = _state(team_db, note)
    boris = user_id(team_db, "boris")
    with as_login(team_db, "boris") as conn:
        seen = conn.execute(text("SELECT body FROM notes WHERE id = :n"), {"n": note}).scalar()
        assert seen is not None  # not the policies' doing
        assert seen.startswith(TEXT)
        _refused(conn, "UPDATE notes SET body = :t WHERE id = :n", t=REWORDED, n=note)
        _refused(conn, "UPDATE notes SET author_id = :b WHERE id = :n", b=boris, n=note)
        _refused(conn, "DELETE FROM notes WHERE id = :n", n=note)
        _refused(conn, "DELETE FROM note_mentions WHERE note_id = :n", n=note)
        _refused(
            conn, "INSERT INTO note_mentions (note_id, user_id) VALUES (:n, :b)", n=note, b=boris
        )
        _refused(conn, "UPDATE note_mentions SET user_id = :b WHERE note_id = :n", b=boris, n=note)
    assert _state(team_db, note) == before


def test_the_refusal_reaches_the_app_as_the_team_databases_refusal(team_db: TeamDb) -> None:
    """Through the app's own storage (a script on Boris's desktop) the
    refusal is ``RefusedByDatabase``: "The team database refused this change
    for your login: note N is a colleague's …"."""
    _card, note = _annas_note(team_db)
    before = _state(team_db, note)
    db = open_database(team_db.url_of("boris"), upgrade=False)
    try:
        with db.uow(user_id(team_db, "boris")) as uow, pytest.raises(RefusedByDatabase) as caught:
            uow.session.execute(update(Note).where(Note.id == note).values(body=REWORDED))
    finally:
        db.dispose()
    message = str(caught.value)
    assert message.startswith("The team database refused this change for your login: ")
    assert f"note {note} {REFUSAL}" in message
    assert _state(team_db, note) == before


def test_the_author_and_an_administrator_may_and_the_author_may_not_resign_it(
    team_db: TeamDb,
) -> None:
    """Anna rewords, unmentions, mentions and removes her own note; so may
    the administrator; the owner's login is not bound. Anna may not hand her
    words to Boris (the author column is an administrator's)."""
    _card, note = _annas_note(team_db)
    every = {"text": 1, "unmention": 1, "mention": 1, "remove": 1}
    assert _changes(team_db, "anna", note) == every
    assert _changes(team_db, "admin", note) == every
    with as_login(team_db, "anna") as conn:
        _refused(
            conn,
            "UPDATE notes SET author_id = :b WHERE id = :n",
            b=user_id(team_db, "boris"),
            n=note,
        )
    with as_login(team_db, "admin") as conn:
        conn.execute(
            text("UPDATE notes SET author_id = :b WHERE id = :n"),
            {"b": user_id(team_db, "boris"), "n": note},
        )
    with team_db.db.engine.begin() as conn:  # the owner: migrations, jobs
        conn.execute(text("UPDATE notes SET body = :t WHERE id = :n"), {"t": REWORDED, "n": note})
    assert _state(team_db, note)[0][0] == REWORDED


def test_a_colleagues_note_still_moves_with_the_card(team_db: TeamDb) -> None:
    """Boris converts Anna's lead (shared with him) into a client: her note
    moves to the client, its words, author and mentions as they were; a raw
    move of her note on a client he sees to his own client passes too."""
    lead, note = _annas_note(team_db, "lead")
    (body, author, _client, _lead), mentions = _state(team_db, note)
    client = edit_cases.convert_lead(team_db.db, team_db.actor("boris"), lead).value.id
    assert _state(team_db, note) == ((body, author, client, None), mentions)
    _card, note = _annas_note(team_db)
    (body, author, _client, _lead), mentions = _state(team_db, note)
    other = parties.add_client(team_db.db, team_db.actor("boris"), "ИП Борисов").value.id
    with as_login(team_db, "boris") as conn:
        moved = conn.execute(
            text("UPDATE notes SET client_id = :c WHERE id = :n"), {"c": other, "n": note}
        )
        assert moved.rowcount == 1
        conn.commit()
    assert _state(team_db, note) == ((body, author, other, None), mentions)


def _guard(conn: Connection) -> set[tuple[str, str]]:
    rows = conn.execute(
        text(
            "SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t "
            "WHERE NOT t.tgisinternal AND t.tgrelid IN ('notes'::regclass, "
            "'note_mentions'::regclass) UNION ALL SELECT 'function', p.proname FROM pg_proc p "
            "WHERE p.proname = 'tp_note_guard'"
        )
    )
    return {(r[0], r[1]) for r in rows}


def test_the_downgrade_removes_the_guard_exactly(team_db: TeamDb) -> None:
    """At 0046 the notes' tables have their earlier triggers only, and the
    hole is back (Boris rewords Anna's note); at head again it is closed."""
    _card, note = _annas_note(team_db)
    team_db.db.dispose()
    with team_db.db.engine.connect() as conn:
        head = _guard(conn)
    added = {
        ("notes", "tp_note_guard_change"),
        ("notes", "tp_note_guard_delete"),
        ("note_mentions", "tp_note_guard_write"),
        ("note_mentions", "tp_note_guard_move"),
        ("function", "tp_note_guard"),
        ("notes", "tp_note_guard_create"),  # 0049's, gone with it
    }
    assert added <= head
    team_db.db.dispose()
    _migrate(team_db.url, "downgrade", "0046")
    with team_db.db.engine.connect() as conn:
        assert _guard(conn) == head - added
    with as_login(team_db, "boris") as conn:
        changed = conn.execute(
            text("UPDATE notes SET body = :t WHERE id = :n"), {"t": REWORDED, "n": note}
        )
        assert changed.rowcount == 1
    team_db.db.dispose()
    _migrate(team_db.url, "upgrade", "head")
    with team_db.db.engine.connect() as conn:
        assert _guard(conn) == head
    with as_login(team_db, "boris") as conn:
        _refused(conn, "UPDATE notes SET body = :t WHERE id = :n", t=REWORDED, n=note)
