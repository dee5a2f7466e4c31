"""A pushed removal's clock delete and tombstone move (#16, migration 0048).

``Op.delete`` (services/sync/apply_writes.py) calls 0048's functions on the
team server, whose plans are generic, made once per connection (the plain
DELETE on ``sync_clock`` was planned anew each time, ~12 ms). They run as
the caller's login, so the policies decide as they did for the plain
statements: Boris deletes none of Anna's client's clocks and moves no
tombstone naming her client, Anna deletes exactly the rows the plain
DELETE deletes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, select, text

from models import Task
from services.interactions import use_cases as interactions
from tests.integration.replica_rig import Rig, sync_all
from tests.integration.team_rls_helpers import TeamDb, as_login
from tests.integration.test_record_policy_probes import _migrate
from tests.integration.test_sync_clock_visibility import _card, _client_uids, _login, _tombstone
from tests.integration.test_team_rls import team_db as team_db  # a fresh team database

pytestmark = pytest.mark.postgres

FORGET = text("SELECT tp_sync_forget_clocks('client', :u)")
MOVE = text("SELECT tp_sync_move_tombstone('custom_value', :u, 'ffffffffffff:0000:boris')")
CLOCKS = text("SELECT count(*) FROM sync_clock WHERE kind = 'client' AND uid = :u")


@contextmanager
def _statements(engine: Any) -> Iterator[list[str]]:
    """Every SQL statement ``engine`` sends while inside."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_colleague_deletes_no_clock_and_moves_no_tombstone_he_could_not_before(
    team_db: TeamDb,
) -> None:
    with _login(team_db, "anna") as (anna_db, anna):
        _, anna_uids = _card(anna_db, anna, "ООО «Ёлочка»")
    client_uid = next(iter(anna_uids & _client_uids(team_db)))
    _tombstone(team_db, "custom_value", f"0192a6c4-0000-7000-8000-field0000001:{client_uid}")
    value_uid = f"0192a6c4-0000-7000-8000-field0000001:{client_uid}"
    with as_login(team_db, "boris") as conn:
        assert (
            conn.execute(text("DELETE FROM sync_clock WHERE uid = :u"), {"u": client_uid}).rowcount
            == 0
        )
        assert conn.execute(FORGET, {"u": client_uid}).scalar() == 0
        assert conn.execute(MOVE, {"u": value_uid}).scalar() == 0
    with as_login(team_db, "anna") as conn:
        had = conn.execute(CLOCKS, {"u": client_uid}).scalar()
        assert had is not None
        assert had >= 2  # Boris's calls left them
        plain = conn.execute(
            text("DELETE FROM sync_clock WHERE kind = 'client' AND uid = :u"), {"u": client_uid}
        ).rowcount
        conn.rollback()
        assert conn.execute(FORGET, {"u": client_uid}).scalar() == plain == had
        assert conn.execute(CLOCKS, {"u": client_uid}).scalar() == 0
        assert conn.execute(MOVE, {"u": value_uid}).scalar() == 1
        hlc = conn.execute(
            text("SELECT hlc FROM sync_tombstones WHERE uid = :u"), {"u": value_uid}
        ).scalar()
        assert hlc == "ffffffffffff:0000:boris"


def test_a_pushed_removal_deletes_its_clocks_through_the_planned_functions(rig: Rig) -> None:
    """Anna's laptop removes a task: the server's apply calls 0048's two
    functions (no plain DELETE on sync_clock), the task and its clocks are
    gone on the server and from the other laptop, its tombstone kept."""
    client = rig.local_id("admin", "client", rig.client_uid)
    tid = interactions.add_task(
        rig.server["anna"], rig.actor("anna"), "client", client, "Позвонить Ёжикову"
    ).value
    with rig.server["admin"].reader() as uow:
        uid = uow.session.scalar(select(Task.uid).where(Task.id == tid))
    assert uid is not None
    sync_all(rig)
    with rig.server["admin"].reader() as uow:
        count = text("SELECT count(*) FROM sync_clock WHERE kind = 'task' AND uid = :u")
        assert uow.session.scalar(count, {"u": uid})
    local = rig.local_id("anna", "task", uid)
    interactions.remove_task(rig.laptop["anna"], rig.local_actor("anna"), local)
    with _statements(rig.server["anna"].engine) as seen:
        sync_all(rig)
    assert any("tp_sync_forget_clocks" in s for s in seen)
    assert any("tp_sync_move_tombstone" in s for s in seen)  # the trigger's tombstone moved
    assert not any(s.lstrip().upper().startswith("DELETE FROM SYNC_CLOCK") for s in seen)
    with rig.server["admin"].reader() as uow:
        assert uow.session.scalar(select(Task).where(Task.uid == uid)) is None
        # its clocks went with it (deleted while the task was still there for
        # Anna's policies to show them; after it, her DELETE saw none)
        assert uow.session.scalar(count, {"u": uid}) == 0
        assert uow.session.scalar(
            text("SELECT count(*) FROM sync_tombstones WHERE kind = 'task' AND uid = :u"),
            {"u": uid},
        )
    with rig.own_db("head").reader() as uow:
        assert uow.session.scalar(select(Task).where(Task.uid == uid)) is None


def _sync_functions(team_db: TeamDb) -> set[str]:
    with team_db.db.engine.connect() as conn:
        return set(
            conn.scalars(
                text(
                    "SELECT p.oid::regprocedure::text FROM pg_proc p"
                    " JOIN pg_namespace n ON n.oid = p.pronamespace"
                    " WHERE n.nspname = current_schema() AND p.proname LIKE 'tp_sync%'"
                )
            )
        )


def test_the_downgrade_removes_exactly_the_two_functions(team_db: TeamDb) -> None:
    team_db.db.dispose()
    head = _sync_functions(team_db)
    added = {
        "tp_sync_forget_clocks(text,text)",
        "tp_sync_move_tombstone(text,text,text)",
    }
    assert added <= head
    team_db.db.dispose()
    _migrate(team_db.url, "downgrade", "0047")
    assert _sync_functions(team_db) == head - added
    team_db.db.dispose()
    _migrate(team_db.url, "upgrade", "head")
    assert _sync_functions(team_db) == head
