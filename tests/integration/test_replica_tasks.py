"""A task edited, reopened and removed on a laptop replica reaches the team
server and the other laptop; one removed on the server leaves the laptops;
the same field edited on both sides is a conflict like any record's."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import Task
from services.interactions import use_cases as interactions
from services.sync.use_cases import conflicts, sync
from tests.integration.replica_rig import Rig, conflict_keys, sync_all

pytestmark = pytest.mark.postgres

LATER = dt.datetime(2026, 12, 10, 6, 30, tzinfo=dt.UTC)


def _task(rig: Rig, who: str, uid: str) -> Task | None:
    db = rig.own_db(who)
    with db.reader() as uow:
        row = uow.session.scalar(select(Task).where(Task.uid == uid))
        if row is not None:
            uow.session.expunge(row)
        return row


def _anna_task(rig: Rig) -> tuple[str, int]:
    """A task on Anna's client, made on the server and pulled by both
    laptops: (its uid, its id on Anna's laptop)."""
    client = rig.local_id("admin", "client", rig.client_uid)
    tid = interactions.add_task(
        rig.server["anna"], rig.actor("anna"), "client", client, "Позвонить Ёжикову"
    ).value
    with rig.server["admin"].reader() as uow:
        uid = uow.session.scalar(select(Task.uid).where(Task.id == tid))
    assert uid is not None
    sync_all(rig)
    return uid, rig.local_id("anna", "task", uid)


def test_a_task_edited_and_removed_on_a_laptop_reaches_everyone(rig: Rig) -> None:
    uid, local = _anna_task(rig)
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    interactions.edit_task(
        laptop, me, local, title="Отправить КП «Ёлке»", deadline=LATER, expected_version=1
    )
    interactions.complete_task(laptop, me, local)
    interactions.reopen_task(laptop, me, local)
    sync_all(rig)
    for who in ("admin", "head"):
        row = _task(rig, who, uid)
        assert row is not None, who
        assert (row.title, row.deadline, row.done, row.done_at) == (
            "Отправить КП «Ёлке»",
            LATER,
            False,
            None,
        ), who

    interactions.remove_task(laptop, me, local)
    sync_all(rig)
    assert _task(rig, "admin", uid) is None
    assert _task(rig, "head", uid) is None


def test_a_task_removed_on_the_server_leaves_the_laptops(rig: Rig) -> None:
    uid, _local = _anna_task(rig)
    server_id = rig.local_id("admin", "task", uid)
    interactions.remove_task(rig.server["admin"], rig.actor("admin"), server_id)
    sync_all(rig)
    assert _task(rig, "anna", uid) is None
    assert _task(rig, "head", uid) is None


def test_the_same_title_edited_on_both_sides_is_a_conflict(rig: Rig) -> None:
    uid, local = _anna_task(rig)
    interactions.edit_task(rig.laptop["anna"], rig.local_actor("anna"), local, title="Вариант Анны")
    interactions.edit_task(
        rig.server["admin"],
        rig.actor("admin"),
        rig.local_id("admin", "task", uid),
        title="Вариант админа",
    )
    report = sync(rig.laptop["anna"], rig.server["anna"])
    assert not report.refused
    assert ("task", uid, "title") in conflict_keys(rig.laptop["anna"])
    [seen] = [c for c in conflicts(rig.laptop["anna"]) if c.kind == "task"]
    assert {seen.mine, seen.theirs} == {"Вариант Анны", "Вариант админа"}
    sync_all(rig)
    titles = {_task(rig, who, uid).title for who in ("anna", "head", "admin")}  # type: ignore[union-attr]
    assert len(titles) == 1
