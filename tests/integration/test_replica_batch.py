"""A push applies many actions in one server transaction, each under a savepoint (#16).

services/sync/apply_batch.py: a refused action rolls back to its own
savepoint and is listed; the others commit together; a resumed push sends
nothing twice; a batch whose commit fails is sent again one action at a
time with the same answers.

Real PostgreSQL with a login per colleague (row-level security applies),
SQLite replicas (tests/integration/replica_rig.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import DBAPIError

from models import Contact, SyncApplied, SyncLog, SyncTombstone
from services.core.storage import Database
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.parties import custom_fields, edit_cases
from services.parties import use_cases as parties
from services.sync import apply_batch, apply_writes, push
from services.sync.apply_rows import Refused
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, assert_converged, clocks, log_rows, snapshot

pytestmark = pytest.mark.postgres

NAMES = ("Пётр Сидоров", "Ольга Ким", "Анна Фролова", "Семён Грач", "Юлия Лис")


def _offline_contacts(rig: Rig) -> list[str]:
    """Five actions on Anna's laptop, a new contact person each; their uids."""
    client_id = rig.local_id("anna", "client", rig.client_uid)
    for name in NAMES:
        parties.add_contact(rig.laptop["anna"], rig.local_actor("anna"), name, client_id=client_id)
    ops = push._pending(rig.laptop["anna"], 10)
    assert len(ops) == len(NAMES)
    return [rows[0].uid for _, rows in ops]


def _commits(db: Database) -> list[int]:
    """A counter of the transactions committed on this login's engine."""
    count = [0]

    def counted(_conn: Any) -> None:
        count[0] += 1

    event.listen(db.engine, "commit", counted)
    return count


def _names_on_server(rig: Rig) -> dict[str, str]:
    with rig.server["admin"].reader() as uow:
        return {
            name: uid for name, uid in uow.session.execute(select(Contact.full_name, Contact.uid))
        }


def test_one_refused_action_among_many_in_one_batch(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_batch, "MAX_SECONDS", 600.0)  # one batch, however loaded
    uids = _offline_contacts(rig)
    # The third contact person's uid is taken on the server by one on a
    # client of Boris's that Anna cannot see: the database itself refuses
    # that insert (its unique key), inside the action's savepoint.
    boris = rig.actor("boris").id
    theirs = parties.add_client(
        rig.server["admin"], rig.actor("admin"), "АО «Северный ветер»", owner_id=boris
    ).value
    with rig.server["admin"].uow(rig.actor("admin").id) as uow:
        uow.session.add(Contact(uid=uids[2], full_name="Чужой контакт", client_id=theirs.id))
        uow.commit()
    commits = _commits(rig.server["anna"])

    result = push.push(rig.laptop["anna"], rig.server["anna"])

    assert commits[0] == 1  # five actions, one server transaction
    assert result.pushed == 4
    [refusal] = result.refusals
    assert (refusal.kind, refusal.uid) == ("contact", uids[2])
    on_server = _names_on_server(rig)
    for name, uid in zip(NAMES, uids, strict=True):
        if uid != uids[2]:
            assert on_server[name] == uid
    assert on_server["Чужой контакт"] == uids[2]
    assert NAMES[2] not in on_server
    with rig.server["admin"].reader() as uow:
        outcomes = sorted(uow.session.scalars(select(SyncApplied.outcome)))
    assert outcomes == ["applied"] * 4 + ["refused"]
    states = {r["uid"]: r["state"] for r in log_rows(rig.laptop["anna"]) if r["kind"] == "contact"}
    assert states == {uid: "refused" if uid == uids[2] else "pushed" for uid in uids}
    # A resumed push sends nothing again.
    again = push.push(rig.laptop["anna"], rig.server["anna"])
    assert again.pushed == 0
    assert not again.refusals
    with rig.server["admin"].reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SyncApplied)) == 5


def test_a_batch_that_cannot_commit_is_sent_again_one_action_at_a_time(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apply_batch, "MAX_SECONDS", 600.0)
    uids = _offline_contacts(rig)
    real = apply_batch.set_clocks
    failed: list[int] = []

    def fails_once(session: Any, stamps: Any, user_id: Any) -> None:
        if not failed:
            failed.append(len(stamps))
            raise DBAPIError("SELECT tp_sync_set_clocks(...)", {}, Exception("refused"))
        real(session, stamps, user_id)

    monkeypatch.setattr(apply_batch, "set_clocks", fails_once)
    commits = _commits(rig.server["anna"])

    result = push.push(rig.laptop["anna"], rig.server["anna"])

    assert failed  # the batch's clock write failed and it was rolled back
    assert commits[0] == len(NAMES)  # then one transaction an action
    assert result.pushed == len(NAMES)
    assert not result.refusals
    on_server = _names_on_server(rig)
    assert [on_server[name] for name in NAMES] == uids  # each made once
    with rig.server["admin"].reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SyncApplied)) == len(NAMES)
    sync(rig.laptop["anna"], rig.server["anna"])
    sync(rig.laptop["head"], rig.server["head"])
    assert_converged(rig)


START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _savepoints(db: Database) -> list[str]:
    """The SAVEPOINT statements this login's engine sends."""
    sent: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith("SAVEPOINT"):
            sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    return sent


def _counted_clock_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The batch's clock upserts, one entry (its row count) per call."""
    real = apply_batch.set_clocks
    calls: list[int] = []

    def counted(session: Any, stamps: Any, user_id: Any) -> None:
        calls.append(len(stamps))
        real(session, stamps, user_id)

    monkeypatch.setattr(apply_batch, "set_clocks", counted)
    return calls


def _mixed_week(rig: Rig) -> str:
    """Anna's offline actions of the issue's week (#16): the client's address,
    a meeting logged, a synced call's subject edited, a note, a field value
    set on the client and cleared again; the custom value's uid."""
    admin = rig.server["admin"]
    custom_fields.add_field(admin, rig.actor("admin"), "client", "visit", "Визит", "text")
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)

    def logged(kind: str) -> int:
        new = ix.NewInteraction(type=kind, planned=False, start=START, client_id=client_id)
        return interactions.log_interaction(laptop, me, new).value.id

    call_id = logged("call")
    sync(rig.laptop["anna"], rig.server["anna"])  # the call goes up, the field comes down
    edit_cases.edit_client(laptop, me, client_id, address="Казань, ул. Пушкина, 5")
    logged("meeting")
    with laptop.uow(me.id) as uow:
        ix.update(uow, me, call_id, subject="Звонок: итоги квартала")
        uow.commit()
    interactions.add_note(laptop, me, "client", client_id, "Обсудили поставку")
    edit_cases.edit_client(laptop, me, client_id, custom={"visit": "Визит во вторник"})
    edit_cases.edit_client(laptop, me, client_id, custom={"visit": ""})
    with laptop.reader() as uow:
        return str(
            uow.session.scalar(
                select(SyncLog.uid).where(SyncLog.kind == "custom_value").order_by(SyncLog.seq)
            )
        )


def test_a_mixed_week_of_actions_is_one_transaction_with_one_clock_write(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A meeting logged or a call's subject edited (one interaction, no
    letter or call made) is applied whole like any action, so it no longer
    commits the batch and goes alone; a value set and cleared in one batch
    has its clocks dropped with it instead of written first; and with
    nothing refused no action takes a savepoint (apply_batch.py)."""
    monkeypatch.setattr(apply_batch, "MAX_SECONDS", 600.0)
    value_uid = _mixed_week(rig)
    assert len(push._pending(rig.laptop["anna"], 20)) == 6
    commits = _commits(rig.server["anna"])
    savepoints = _savepoints(rig.server["anna"])
    writes = _counted_clock_writes(monkeypatch)

    result = push.push(rig.laptop["anna"], rig.server["anna"])

    assert (result.pushed, result.refusals) == (6, ())
    assert commits[0] == 1  # six actions, one server transaction
    assert savepoints == []
    assert len(writes) == 1  # their clocks in one call, at its commit
    server_clocks = clocks(rig.server["admin"])
    assert not [key for key in server_clocks if key[:2] == ("custom_value", value_uid)]
    assert ("client", rig.client_uid, "address") in server_clocks
    with rig.server["admin"].reader() as uow:
        dead = uow.session.scalar(
            select(SyncTombstone.hlc).where(
                SyncTombstone.kind == "custom_value", SyncTombstone.uid == value_uid
            )
        )
    assert dead is not None
    sync(rig.laptop["anna"], rig.server["anna"])
    sync(rig.laptop["head"], rig.server["head"])
    assert_converged(rig)


def test_a_refused_removal_keeps_the_clocks_of_the_value_it_would_have_removed(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The value set is applied; its removal, next in the same batch, is
    refused and rolled back to its savepoint: the value stays on the server
    with the clocks the batch held back for it."""
    monkeypatch.setattr(apply_batch, "MAX_SECONDS", 600.0)
    value_uid = _mixed_week(rig)
    real = apply_writes.Op.delete

    def refused(op: apply_writes.Op, kind: Any, row: Any, hlc: Any) -> None:
        real(op, kind, row, hlc)  # removed and its clocks forgotten, then refused
        raise Refused("Not now", code="sync.apply.removed", params={"kind": kind.kind})

    monkeypatch.setattr(apply_writes.Op, "delete", refused)

    savepoints = _savepoints(rig.server["anna"])

    result = push.push(rig.laptop["anna"], rig.server["anna"])

    assert len(savepoints) == 6  # sent again with a savepoint an action
    assert result.pushed == 5
    [refusal] = result.refusals
    assert (refusal.kind, refusal.uid) == ("custom_value", value_uid)
    value_clocks = [k for k in clocks(rig.server["admin"]) if k[:2] == ("custom_value", value_uid)]
    assert value_clocks  # written with the batch, not dropped
    assert ("custom_value", value_uid) in snapshot(rig.server["admin"])
