"""A push applies many actions in one server transaction, each under a savepoint (#16).

services/sync/apply_batch.py: a refused action rolls back to its own
savepoint and is listed; the others commit together; a resumed push sends
nothing twice; a batch whose commit fails is sent again one action at a
time with the same answers.

Real PostgreSQL with a login per colleague (row-level security applies),
SQLite replicas (tests/integration/replica_rig.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import DBAPIError

from models import Contact, SyncApplied
from services.core.storage import Database
from services.parties import use_cases as parties
from services.sync import apply_batch, push
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, assert_converged, log_rows

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
