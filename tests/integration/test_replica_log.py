"""The change log a replica writes from the same flush as each change, and
the clocks a team server keeps for its online edits (issue #20)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from models.sync import SyncClock, SyncLog, SyncState, SyncTombstone
from services.core.access import Actor
from services.core.bootstrap import actor_for
from services.core.storage import Database
from services.parties import custom_fields, edit_cases
from services.parties import use_cases as parties
from services.sync import log
from services.sync.clock import Hlc


def _count(db: Database, model: type) -> int:
    with db.reader() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(model)) or 0)


def _replica(db: Database) -> None:
    with db.uow() as uow:
        uow.session.add_all(
            [SyncState(key="node", value="lap1"), SyncState(key="login", value="x")]
        )
        uow.commit()


def _rows(db: Database) -> list[Any]:
    with db.reader() as uow:
        return list(uow.session.execute(select(SyncLog.__table__).order_by(SyncLog.seq)))


@pytest.fixture
def me(sqlite_db: Database) -> Actor:
    with sqlite_db.reader() as uow:
        return actor_for(uow)


def test_a_plain_sqlite_database_writes_no_log_and_no_clock(sqlite_db: Database, me: Actor) -> None:
    made = parties.add_client(sqlite_db, me, "ООО «Ромашка»", phones=["+7 843 123-45-67"]).value
    edit_cases.edit_client(sqlite_db, me, made.id, name="ООО «Ромашка-2»", address="Казань")
    custom_fields.add_field(sqlite_db, me, "client", "inn", "ИНН", "text")
    edit_cases.edit_client(sqlite_db, me, made.id, custom={"inn": "7701"})
    edit_cases.edit_client(sqlite_db, me, made.id, custom={"inn": ""})
    for model in (SyncLog, SyncClock, SyncState, SyncTombstone):
        assert _count(sqlite_db, model) == 0, model


def test_a_replica_logs_each_changed_field_of_one_action_under_one_op(
    sqlite_db: Database, me: Actor
) -> None:
    _replica(sqlite_db)
    made = parties.add_client(sqlite_db, me, "ООО «Ромашка»", phones=["+7 843 123-45-67"]).value
    created = _rows(sqlite_db)
    assert {(r.kind, r.field) for r in created} == {
        ("client", "*created"),
        ("contact_point", "*created"),
    }
    assert len({r.op_uid for r in created}) == 1
    client_row = next(r for r in created if r.kind == "client")
    assert json.loads(client_row.value or "")["name"] == "ООО «Ромашка»"

    edit_cases.edit_client(sqlite_db, me, made.id, name="ООО «Ёлка»", address="Казань, ул. Баумана")
    edits = _rows(sqlite_db)[len(created) :]
    assert sorted((r.field, json.loads(r.value or "")) for r in edits) == [
        ("address", {"address": "Казань, ул. Баумана"}),
        ("name", {"name": "ООО «Ёлка»"}),
    ]
    assert len({r.op_uid for r in edits}) == 1
    assert edits[0].op_uid != created[0].op_uid
    # base: the field's clock as this replica knew it (its own creation);
    # the clock moves on and is kept in sync_state.
    assert {r.base for r in edits} == {client_row.hlc}
    assert all(Hlc.decode(r.hlc) > Hlc.decode(client_row.hlc) for r in edits)
    with sqlite_db.reader() as uow:
        last = uow.session.scalar(select(SyncState.value).where(SyncState.key == "hlc_last"))
        clock_now = uow.session.scalar(
            select(SyncClock.hlc).where(SyncClock.kind == "client", SyncClock.field == "name")
        )
    assert last == edits[0].hlc == clock_now
    assert {r.state for r in _rows(sqlite_db)} == {"pending"}


def test_a_removed_custom_value_is_a_tombstone_row(sqlite_db: Database, me: Actor) -> None:
    _replica(sqlite_db)
    custom_fields.add_field(sqlite_db, me, "client", "inn", "ИНН", "text")
    made = parties.add_client(sqlite_db, me, "ООО «Ромашка»").value
    edit_cases.edit_client(sqlite_db, me, made.id, custom={"inn": "7701234567"})
    edit_cases.edit_client(sqlite_db, me, made.id, custom={"inn": ""})
    last = _rows(sqlite_db)[-1]
    assert (last.kind, last.field, last.value) == ("custom_value", "*tombstone", None)
    assert _count(sqlite_db, SyncTombstone) == 1


def test_a_failed_action_leaves_no_log_row(sqlite_db: Database, me: Actor) -> None:
    _replica(sqlite_db)
    made = parties.add_client(sqlite_db, me, "ООО «Ромашка»").value
    before = len(_rows(sqlite_db))
    with pytest.raises(Exception, match="region"):
        edit_cases.edit_client(sqlite_db, me, made.id, name="ООО «Ёлка»", region="Марс")
    assert len(_rows(sqlite_db)) == before


def test_pull_and_push_writes_are_not_logged(sqlite_db: Database, me: Actor) -> None:
    _replica(sqlite_db)
    made = parties.add_client(sqlite_db, me, "ООО «Ромашка»").value
    before = len(_rows(sqlite_db))
    from models import Client

    with sqlite_db.uow(me.id) as uow:
        uow.session.info[log.APPLYING] = True
        row = uow.session.get(Client, made.id)
        assert row is not None
        row.name = "ООО «С сервера»"
        uow.commit()
    assert len(_rows(sqlite_db)) == before


@pytest.mark.postgres
def test_a_manager_cannot_see_or_resolve_a_conflict_on_a_colleagues_client(
    pg_admin_url: str, pg_template: str
) -> None:
    from models import Client
    from models.sync import SyncConflict
    from services.core.access import PermissionDenied
    from services.core.errors import NotFoundError
    from services.core.storage import open_database
    from services.sync.conflicts import conflicts, resolve_conflict
    from tests.conftest import _fresh_pg
    from tests.integration.team_rls_helpers import make_team

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    boris = tdb.actor("boris")
    try:
        with tdb.db.uow(boris.id) as uow:
            client = Client(name="ООО «Борисов»", owner_id=boris.id)
            uow.session.add(client)
            uow.session.flush()
            conflict = SyncConflict(
                kind="client",
                uid=client.uid,
                field="address",
                mine=json.dumps({"address": "Тула"}, ensure_ascii=False),
                theirs=json.dumps({"address": "Тверь"}, ensure_ascii=False),
                mine_hlc="01970a3b2c1d:0000:lap",
                theirs_hlc="01970a3b2c1e:0000:u1",
            )
            uow.session.add(conflict)
            uow.commit()
        anna_db = open_database(tdb.url_of("anna"), upgrade=False)
        boris_db = open_database(tdb.url_of("boris"), upgrade=False)
        try:
            anna = tdb.actor("anna")
            assert conflicts(anna_db, anna) == []
            with pytest.raises((PermissionDenied, NotFoundError)):
                resolve_conflict(anna_db, anna, conflict.id, "mine")
            # The owner resolves it: the chosen value is written as a new edit.
            [seen] = conflicts(boris_db, boris)
            assert (seen.mine, seen.theirs, seen.label) == ("Тула", "Тверь", "ООО «Борисов»")
            resolve_conflict(boris_db, boris, conflict.id, "mine")
            assert conflicts(boris_db, boris) == []
            with boris_db.reader() as uow:
                assert (
                    uow.session.scalar(select(Client.address).where(Client.id == client.id))
                    == "Тула"
                )
        finally:
            anna_db.dispose()
            boris_db.dispose()
    finally:
        tdb.dispose()
