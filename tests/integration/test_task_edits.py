"""A task is edited (title, deadline or none, assignee), rescheduled,
reopened and removed by whoever sees it, with its history; hostile input
and a stale second window change nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from sqlalchemy import select, update

from models import AuditEntry, Role, Task, User
from services.core import bootstrap
from services.core.access import MANAGER_PERMISSIONS, Actor, Permission, PermissionDenied
from services.core.errors import EditConflict, NotFoundError, ValidationError
from services.core.storage import Database
from services.interactions import tasks
from services.interactions import use_cases as interactions
from services.parties import records as parties
from tests.conftest import Team

DEADLINE = dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 10, 9, 30, tzinfo=dt.UTC)


def _anna_task(db: Database, team: Team, title: str = "Позвонить Ёжикову") -> tuple[int, int]:
    """Anna's client with a task of hers on it: (client id, task id)."""
    with db.uow(team.anna.id) as uow:
        cid = parties.add_client(uow, team.anna, "ООО «Ёлка»").id
        uow.commit()
    tid = interactions.add_task(db, team.anna, "client", cid, title, deadline=DEADLINE).value
    return cid, tid


def _row(db: Database, tid: int) -> Task | None:
    with db.reader() as uow:
        row = uow.session.get(Task, tid)
        if row is not None:
            uow.session.expunge(row)
        return row


def _history(db: Database, tid: int) -> list[tuple[str, str | None, str | None, int | None]]:
    with db.reader() as uow:
        rows = uow.session.execute(
            select(AuditEntry.field, AuditEntry.old, AuditEntry.new, AuditEntry.user_id)
            .where(AuditEntry.entity_kind == "task", AuditEntry.entity_id == tid)
            .order_by(AuditEntry.id)
        )
        return [(r.field, r.old, r.new, r.user_id) for r in rows]


def test_an_edit_changes_title_deadline_and_assignee_and_the_history_says_who(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    cid, tid = _anna_task(db, team)
    made = interactions.edit_task(
        db,
        team.anna,
        tid,
        title="  Отправить КП «Ёлке»  ",
        deadline=LATER,
        assignee_id=team.boris.id,
        expected_version=1,
    )
    view = made.value
    assert (view.title, view.deadline, view.assignee_id) == (
        "Отправить КП «Ёлке»",
        LATER,
        team.boris.id,
    )
    assert view.assignee_name == "Борис Петров"
    assert view.row_version == 2
    assert made.changes.touches("task", [tid])
    assert ("client", cid) in made.changes.cards
    edits = {field: (old, new, who) for field, old, new, who in _history(db, tid)[1:]}
    assert edits["title"] == ("Позвонить Ёжикову", "Отправить КП «Ёлке»", team.anna.id)
    assert edits["assignee_id"] == (str(team.anna.id), str(team.boris.id), team.anna.id)
    assert set(edits) == {"title", "deadline", "assignee_id"}
    # the new assignee sees it (his agenda) and may edit it; no deadline clears it
    cleared = interactions.edit_task(db, team.boris, tid, no_deadline=True).value
    assert cleared.deadline is None
    assert cleared.title == "Отправить КП «Ёлке»"
    assert _history(db, tid)[-1][::3] == ("deadline", team.boris.id)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"title": "   "}, "must not be empty"),
        ({"title": "Я" * 501}, "longer than 500"),
        ({"title": "Звонок\u202eтайный"}, "control character (U+202E)"),
        ({"title": "Звонок\x07"}, "control character (U+0007)"),
        ({"deadline": dt.datetime(2026, 12, 3, 10, 0)}, "needs its time zone"),
        ({"deadline": LATER, "no_deadline": True}, "exclude each other"),
        ({"assignee_id": 987654}, "No colleague has the id 987654"),
        ({"assignee_id": "gone"}, "no longer an active colleague"),
    ],
)
def test_hostile_input_is_refused_clearly_and_changes_nothing(
    sqlite_db: Database, sqlite_team: Team, change: dict[str, object], words: str
) -> None:
    db, team = sqlite_db, sqlite_team
    _cid, tid = _anna_task(db, team)
    if change.get("assignee_id") == "gone":
        with db.reader() as uow:
            change = {
                "assignee_id": uow.session.scalar(select(User.id).where(User.login == "gone"))
            }
    before = _row(db, tid)
    with pytest.raises(ValidationError, match=re.escape(words)):
        interactions.edit_task(db, team.anna, tid, **change)  # type: ignore[arg-type]
    after = _row(db, tid)
    assert before is not None
    assert after is not None
    assert (after.title, after.deadline, after.assignee_id, after.row_version) == (
        before.title,
        before.deadline,
        before.assignee_id,
        before.row_version,
    )


def _head(db: Database, team: Team, department: str) -> Actor:
    with db.uow() as uow:
        role = Role(
            name="Head of department",
            permissions=[*MANAGER_PERMISSIONS, Permission.CLIENTS_VIEW_DEPARTMENT.value],
        )
        uow.session.add(role)
        uow.session.flush()
        uow.session.add(
            User(login="gleb", full_name="Глеб Начальников", role_id=role.id, department="Север")
        )
        uow.session.execute(update(User).where(User.login == "anna").values(department=department))
        uow.commit()
    with db.reader() as uow:
        return bootstrap.actor_for(uow, "gleb")


def test_only_who_sees_the_task_acts_on_it(sqlite_db: Database, sqlite_team: Team) -> None:
    db, team = sqlite_db, sqlite_team
    _cid, tid = _anna_task(db, team)
    boris = team.boris
    for act in (
        lambda: interactions.edit_task(db, boris, tid, title="Чужое"),
        lambda: interactions.reschedule_task(db, boris, tid, LATER),
        lambda: interactions.remove_task(db, boris, tid),
        lambda: interactions.reopen_task(db, boris, tid),
    ):
        with pytest.raises(PermissionDenied, match="belongs to another manager"):
            act()
    assert _row(db, tid) is not None
    stranger = _head(db, team, "Юг")  # heads another department: does not see Anna's
    with pytest.raises(PermissionDenied):
        interactions.edit_task(db, stranger, tid, title="Чужое")
    # the administrator sees everything
    assert interactions.edit_task(db, team.admin, tid, title="Админ").value.title == "Админ"
    assert _row(db, tid).title == "Админ"  # type: ignore[union-attr]


def test_a_head_of_the_department_edits_a_managers_task(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    _cid, tid = _anna_task(db, team)
    gleb = _head(db, team, "Север")
    view = interactions.reschedule_task(db, gleb, tid, LATER).value
    assert view.deadline == LATER
    assert _history(db, tid)[-1][0] == "deadline"
    assert _history(db, tid)[-1][3] == gleb.id


def test_a_stale_edit_from_a_second_window_is_refused_with_both_values(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    _cid, tid = _anna_task(db, team)
    interactions.edit_task(db, team.admin, tid, title="Позвонить в среду", expected_version=1)
    with pytest.raises(EditConflict) as caught:
        interactions.edit_task(db, team.anna, tid, title="Позвонить в пятницу", expected_version=1)
    [field] = caught.value.fields
    assert (field.field, field.yours, field.theirs) == (
        "title",
        "Позвонить в пятницу",
        "Позвонить в среду",
    )
    assert caught.value.current_version == 2
    assert _row(db, tid).title == "Позвонить в среду"  # type: ignore[union-attr]
    # saved again against the version it now knows, it wins
    interactions.edit_task(db, team.anna, tid, title="Позвонить в пятницу", expected_version=2)
    assert _row(db, tid).title == "Позвонить в пятницу"  # type: ignore[union-attr]
    with pytest.raises(EditConflict):
        interactions.remove_task(db, team.anna, tid, expected_version=1)
    # a colleague is named, not numbered
    interactions.edit_task(db, team.admin, tid, assignee_id=team.boris.id)
    with pytest.raises(EditConflict) as caught:
        interactions.edit_task(db, team.anna, tid, assignee_id=team.admin.id, expected_version=3)
    [field] = caught.value.fields
    assert (field.field, field.theirs) == ("assignee", "Борис Петров")
    assert _row(db, tid) is not None


def test_a_task_done_by_mistake_is_reopened(sqlite_db: Database, sqlite_team: Team) -> None:
    db, team = sqlite_db, sqlite_team
    cid, tid = _anna_task(db, team)
    done = interactions.complete_task(db, team.anna, tid).value
    assert done.done
    assert done.done_at is not None
    made = interactions.reopen_task(db, team.anna, tid)
    assert (made.value.done, made.value.done_at) == (False, None)
    assert made.changes.touches("task", [tid])
    assert ("client", cid) in made.changes.cards
    row = _row(db, tid)
    assert row is not None
    assert (row.done, row.done_at) == (False, None)
    assert [f for f, *_ in _history(db, tid)][-2:] == ["done", "done_at"]
    with pytest.raises(ValidationError, match=f"Task {tid} is not done"):
        interactions.reopen_task(db, team.anna, tid)


def test_a_removed_task_is_gone_and_its_history_says_who_removed_it(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    cid, tid = _anna_task(db, team, "Удалить меня")
    made = interactions.remove_task(db, team.anna, tid)
    assert made.value.title == "Удалить меня"
    assert made.changes.removed == {"task": frozenset({tid})}
    assert ("client", cid) in made.changes.cards
    assert _row(db, tid) is None
    assert _history(db, tid)[-1] == ("removed", "Удалить меня", None, team.anna.id)
    with pytest.raises(NotFoundError):
        interactions.remove_task(db, team.anna, tid)
    with db.reader() as uow, pytest.raises(NotFoundError):
        tasks.get(uow, team.anna, tid)


def test_a_task_on_a_deal_is_edited_from_the_deals_side(db: Database, team: Team) -> None:
    """On SQLite and PostgreSQL alike (the row-level policies of the team
    database are not in play here: one login)."""
    from services.parties import deals

    with db.uow(team.anna.id) as uow:
        cid = parties.add_client(uow, team.anna, "ООО «Ёлка»").id
        deal = deals.add_deal(uow, team.anna, "Поставка ёлок", client_id=cid).id
        uow.commit()
    tid = interactions.add_task(db, team.anna, "deal", deal, "Счёт на ёлки").value
    made = interactions.edit_task(db, team.anna, tid, deadline=LATER)
    assert {("deal", deal), ("client", cid)} <= made.changes.cards
    assert interactions.remove_task(db, team.anna, tid).value.deadline == LATER


def test_undo_of_a_removal_brings_the_task_back_as_it_was(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    db, team = sqlite_db, sqlite_team
    cid, tid = _anna_task(db, team, "Вернуть меня")
    interactions.edit_task(db, team.anna, tid, assignee_id=team.boris.id)
    interactions.complete_task(db, team.anna, tid)
    gone = interactions.remove_task(db, team.anna, tid).value
    back = interactions.undo_remove_task(db, team.anna, gone)
    view = back.value
    assert view.uid != gone.uid  # a new record (SQLite may give it the same id)
    assert (view.title, view.deadline, view.assignee_id, view.done, view.done_at) == (
        "Вернуть меня",
        DEADLINE,
        team.boris.id,
        True,
        gone.done_at,
    )
    assert (view.client_id, view.deal_id) == (cid, None)
    assert back.changes.touches("task", [view.id])
    with pytest.raises(PermissionDenied):
        interactions.undo_remove_task(db, team.boris, dataclasses.replace(gone, assignee_id=0))
