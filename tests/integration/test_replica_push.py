"""Push and sync of laptop replicas against the team server (issue #20).

Real PostgreSQL with a login per colleague (row-level security applies to
every pushed change), two SQLite replicas, edits through the use cases.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from models import Client, SyncApplied
from models.sync import SyncClock, SyncLog, SyncState, SyncTombstone
from services.core.storage import Database
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync import apply, clock, log, push
from services.sync.clock import Hlc
from services.sync.use_cases import conflicts, resolve_conflict, sync
from tests.integration.replica_rig import (
    CLIENT,
    Rig,
    assert_converged,
    clocks,
    conflict_keys,
    log_rows,
    snapshot,
)

pytestmark = pytest.mark.postgres


def _client(db: Database, uid: str) -> Any:
    with db.reader() as uow:
        return uow.session.execute(select(Client.__table__).where(Client.uid == uid)).one()


def _edit(rig: Rig, who: str, **fields: str) -> None:
    """``who`` edits the client: on their laptop if they have one, else on the server."""
    edit_cases.edit_client(
        rig.own_db(who), rig.own_actor(who), rig.local_id(who, "client", rig.client_uid), **fields
    )


def _assert_converged(rig: Rig) -> None:
    """After a sync of each laptop (the one that pushed last needs nothing more)."""
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    assert_converged(rig)
    assert snapshot(rig.laptop["anna"]) == snapshot(rig.laptop["head"])


@pytest.mark.parametrize("first", ["anna", "head"])
def test_offline_edits_on_two_laptops_and_the_server_end_equal_with_one_conflict(
    rig: Rig, first: str
) -> None:
    second = "head" if first == "anna" else "anna"
    _edit(rig, "anna", name="ООО «Ромашка-Юг»", address="Казань, ул. Пушкина, 5")
    _edit(rig, "head", address="Казань, ул. Кремлёвская, 2")
    anna_client = rig.local_id("anna", "client", rig.client_uid)
    parties.add_contact(
        rig.laptop["head"],
        rig.local_actor("head"),
        "Пётр Сидоров",
        client_id=rig.local_id("head", "client", rig.client_uid),
    )
    _edit(rig, "admin", region="KZ")

    reports = [sync(rig.laptop[first], rig.server[first])]
    reports.append(sync(rig.laptop[second], rig.server[second]))
    reports.append(sync(rig.laptop[first], rig.server[first]))

    assert all(not r.refused for r in reports)
    _assert_converged(rig)
    final = _client(rig.server["admin"], rig.client_uid)
    assert final.name == "ООО «Ромашка-Юг»"
    assert final.region == "KZ"
    # Both laptops wrote the address: the later edit (Gleb's) wins everywhere,
    # and the conflict is kept once, on the server and on the laptop that met it.
    assert final.address == "Казань, ул. Кремлёвская, 2"
    assert conflict_keys(rig.server["admin"]) == [("client", rig.client_uid, "address")]
    assert conflict_keys(rig.laptop[second]) == [("client", rig.client_uid, "address")]
    seen = conflicts(rig.laptop[second])
    assert [(c.field, c.label) for c in seen] == [("address", "ООО «Ромашка-Юг»")]
    mine, theirs = (
        ("Казань, ул. Кремлёвская, 2", "Казань, ул. Пушкина, 5")
        if second == "head"
        else ("Казань, ул. Пушкина, 5", "Казань, ул. Кремлёвская, 2")
    )
    assert (seen[0].mine, seen[0].theirs) == (mine, theirs)
    assert {seen[0].mine_user, seen[0].theirs_user} == {"Анна Смирнова", "Глеб Начальников"}
    assert anna_client


def test_resolving_a_conflict_is_a_new_edit_that_reaches_everyone(rig: Rig) -> None:
    _edit(rig, "anna", address="Казань, ул. Пушкина, 5")
    _edit(rig, "admin", address="Москва, Тверская, 1")
    sync(rig.laptop["anna"], rig.server["anna"])
    [met] = conflicts(rig.laptop["anna"])
    assert (met.mine, met.theirs) == ("Казань, ул. Пушкина, 5", "Москва, Тверская, 1")

    resolve_conflict(rig.laptop["anna"], rig.local_actor("anna"), met.id, "theirs")
    assert conflicts(rig.laptop["anna"]) == []
    assert conflict_keys(rig.server["admin"]) == [("client", rig.client_uid, "address")]
    sync(rig.laptop["anna"], rig.server["anna"])
    assert conflict_keys(rig.server["admin"]) == []  # closed on the server too
    sync(rig.laptop["head"], rig.server["head"])
    _assert_converged(rig)
    assert _client(rig.server["admin"], rig.client_uid).address == "Москва, Тверская, 1"


def test_a_change_the_user_may_not_make_is_refused_shown_and_applied_nowhere(rig: Rig) -> None:
    before = snapshot(rig.server["admin"])
    # A laptop that skips the use case (an old build, a hand-edited file):
    # the server's own validation refuses the region.
    with rig.laptop["anna"].uow(rig.local_actor("anna").id) as uow:
        row = uow.session.scalar(select(Client).where(Client.uid == rig.client_uid))
        assert row is not None
        row.region = "ZZ"
        uow.commit()
    _edit(rig, "anna", name="ООО «Ромашка и сыновья»")

    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert report.pushed == 1
    [refusal] = report.refused
    assert refusal.kind == "client"
    assert refusal.uid == rig.client_uid
    assert refusal.label == "ООО «Ромашка и сыновья»"
    assert "region" in refusal.reason.lower()
    assert _client(rig.server["admin"], rig.client_uid).region == "RU"
    assert _client(rig.laptop["anna"], rig.client_uid).region == "RU"  # put back
    assert _client(rig.server["admin"], rig.client_uid).name == "ООО «Ромашка и сыновья»"
    states = [(r["field"], r["state"]) for r in log_rows(rig.laptop["anna"])]
    assert ("region", "refused") in states
    assert ("name", "pushed") in states
    sync(rig.laptop["head"], rig.server["head"])
    assert _client(rig.laptop["head"], rig.client_uid).region == "RU"
    after = snapshot(rig.server["admin"])
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {("client", rig.client_uid)}
    with rig.server["admin"].reader() as uow:
        outcomes = sorted(uow.session.scalars(select(SyncApplied.outcome)))
    assert outcomes == ["applied", "refused"]


def test_an_edit_of_a_client_handed_to_a_colleague_is_refused(rig: Rig) -> None:
    _edit(rig, "anna", address="Казань, ул. Пушкина, 5")
    boris = rig.actor("boris")
    edit_cases.edit_client(
        rig.server["admin"],
        rig.actor("admin"),
        rig.local_id("admin", "client", rig.client_uid),
        owner=boris.id,
    )
    report = sync(rig.laptop["anna"], rig.server["anna"])
    [refusal] = report.refused
    assert "not yours" in refusal.reason or "belongs to another" in refusal.reason
    assert _client(rig.server["admin"], rig.client_uid).address == "Казань, ул. Баумана, 1"


def test_a_retried_push_is_applied_once(rig: Rig) -> None:
    _edit(rig, "anna", name="ООО «Ромашка»-2")
    _edit(rig, "anna", address="Самара, ул. Ленина, 3")
    _edit(rig, "admin", name="ООО «Ромашка» (Алла)")  # meets Anna's first action
    [(op_uid, rows), _second] = push._pending(rig.laptop["anna"], 10)
    # The server commits the first action, then the laptop dies before it
    # marks the rows: the next push sends it again and hears "already
    # applied", and still learns of the conflict the server kept for it.
    first = apply.apply_op(rig.server["anna"], rig.actor("anna"), op_uid, rows)
    assert first.outcome == "applied"
    assert len(first.conflicts) == 1
    result = push.push(rig.laptop["anna"], rig.server["anna"])
    assert result.pushed == 2
    assert not result.refusals
    assert result.conflicts == 1
    assert conflict_keys(rig.laptop["anna"]) == [("client", rig.client_uid, "name")]
    assert conflict_keys(rig.server["admin"]) == [("client", rig.client_uid, "name")]
    with rig.server["admin"].reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SyncApplied)) == 2
    assert {r["state"] for r in log_rows(rig.laptop["anna"])} == {"pushed"}
    again = push.push(rig.laptop["anna"], rig.server["anna"])
    assert again.pushed == 0
    sync(rig.laptop["anna"], rig.server["anna"])
    _assert_converged(rig)


def test_a_laptop_clock_a_year_ahead_is_clamped_and_said(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    year_ms = 365 * 24 * 3600 * 1000
    real = log.wall_ms
    monkeypatch.setattr(log, "wall_ms", lambda: real() + year_ms)
    _edit(rig, "anna", address="Казань, ул. Пушкина, 5")
    monkeypatch.setattr(log, "wall_ms", real)
    report = sync(rig.laptop["anna"], rig.server["anna"])
    assert report.clamped
    key = ("client", rig.client_uid, "address")
    server_clock = Hlc.decode(clocks(rig.server["admin"])[key])
    assert server_clock.wall_ms <= real() + clock.MAX_AHEAD_MS
    # A colleague's later online edit still wins against the laptop's clock.
    _edit(rig, "admin", address="Москва, Тверская, 1")
    sync(rig.laptop["anna"], rig.server["anna"])
    assert _client(rig.laptop["anna"], rig.client_uid).address == "Москва, Тверская, 1"
    _assert_converged(rig)


def test_a_removed_custom_value_is_a_tombstone_that_beats_older_edits(rig: Rig) -> None:
    from services.parties import custom_fields

    custom_fields.add_field(rig.server["admin"], rig.actor("admin"), "client", "inn", "ИНН", "text")
    _edit(rig, "admin", custom={"inn": "7701234567"})
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    _edit(rig, "head", custom={"inn": "7709999999"})  # older: beaten by the removal
    _edit(rig, "anna", custom={"inn": ""})  # removes the value
    sync(rig.laptop["anna"], rig.server["anna"])
    report = sync(rig.laptop["head"], rig.server["head"])
    assert not report.refused
    sync(rig.laptop["anna"], rig.server["anna"])
    with rig.server["admin"].reader() as uow:
        assert uow.session.scalar(select(func.count()).select_from(SyncTombstone)) >= 1
    _assert_converged(rig)
    assert not any(k == "custom_value" for k, _ in snapshot(rig.server["admin"]))


def test_an_edit_newer_than_a_removal_it_never_saw_is_refused(rig: Rig) -> None:
    from services.parties import custom_fields

    custom_fields.add_field(rig.server["admin"], rig.actor("admin"), "client", "inn", "ИНН", "text")
    _edit(rig, "admin", custom={"inn": "7701234567"})
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    _edit(rig, "anna", custom={"inn": ""})
    sync(rig.laptop["anna"], rig.server["anna"])
    _edit(rig, "head", custom={"inn": "7709999999"})  # later, without the removal
    report = sync(rig.laptop["head"], rig.server["head"])
    [refusal] = report.refused
    assert refusal.kind == "custom_value"
    assert "removed" in refusal.reason
    _assert_converged(rig)
    assert not any(k == "custom_value" for k, _ in snapshot(rig.server["admin"]))


def test_a_plain_sqlite_database_writes_no_change_log(sqlite_db: Database) -> None:
    from services.core.bootstrap import actor_for

    with sqlite_db.reader() as uow:
        actor = actor_for(uow)
    made = parties.add_client(sqlite_db, actor, CLIENT, phones=["+7 843 123-45-67"]).value
    edit_cases.edit_client(sqlite_db, actor, made.id, name="ООО «Ромашка-2»")
    with sqlite_db.reader() as uow:
        for model in (SyncLog, SyncClock, SyncState, SyncTombstone):
            assert uow.session.scalar(select(func.count()).select_from(model)) == 0, model


def test_a_record_made_offline_is_made_once_on_the_server_by_its_uid(rig: Rig) -> None:
    from models import Contact

    made = parties.add_contact(
        rig.laptop["anna"],
        rig.local_actor("anna"),
        "Пётр Сидоров",
        client_id=rig.local_id("anna", "client", rig.client_uid),
    ).value
    [(op_uid, rows)] = push._pending(rig.laptop["anna"], 10)
    assert [r.field for r in rows] == ["*created"]
    # The same creation arriving under another action id (a resent log):
    # the uid finds the record, nothing is made twice.
    for op in (op_uid, "0" * 8 + op_uid[8:]):
        assert apply.apply_op(rig.server["anna"], rig.actor("anna"), op, rows).outcome == "applied"
    with rig.server["admin"].reader() as uow:
        names = list(
            uow.session.scalars(select(Contact.full_name).where(Contact.uid == rows[0].uid))
        )
    assert names == ["Пётр Сидоров"]
    assert made.id
    sync(rig.laptop["anna"], rig.server["anna"])
    _assert_converged(rig)
