"""Tasks of a card (SPEC B3): add, edit (title, deadline, assignee),
complete, reopen, remove.

Whoever sees the task (its card's side, or its assignee) and has the
INTERACTIONS permission acts on it; the field audit records who changed
what (services/core/audit.py, a removal included). An edit names the
``row_version`` it started from, and a save over a colleague's save made
since is refused with both values (``parties.conflicts.guard``). A removal
is a hard delete: on a team database the table's trigger writes the
tombstone a replica pulls, and a replica logs it as a ``*tombstone`` to
push (docs/offline-sync.md, "Hard deletion").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

from sqlalchemy import select

from models import Task, User
from services.core import access
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.interactions.notes import party_columns
from services.interactions.placed import OnCards
from services.parties import conflicts
from services.parties import records as parties

MAX_TITLE = 500


@dataclasses.dataclass(frozen=True)
class TaskView(OnCards):
    id: int
    uid: str
    title: str
    deadline: dt.datetime | None  # aware UTC; None: no deadline
    assignee_id: int
    assignee_name: str
    author_id: int
    done: bool
    done_at: dt.datetime | None
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None
    row_version: int


def title_of(value: str) -> str:
    """A title a person typed: not empty, at most 500 characters, no control
    character (a bell, a bidi override)."""
    title = value.strip()
    if not title:
        raise ValidationError(
            "A task must not be empty",
            "title",
            code="interactions.notes.must_not_empty",
            params={"what": "A task"},
        )
    if len(title) > MAX_TITLE:
        raise ValidationError(
            f"A task's title is longer than {MAX_TITLE} characters ({len(title)})",
            "title",
            code="interactions.tasks.title_too_long",
            params={"limit": str(MAX_TITLE), "length": str(len(title))},
        )
    for char in title:
        if unicodedata.category(char) == "Cc" or char in parties.BIDI_CONTROLS:
            raise ValidationError(
                f"A task's title contains a control character (U+{ord(char):04X})",
                "title",
                code="interactions.tasks.title_control_character",
                params={"char": format(ord(char), "04X")},
            )
    return title


def deadline_of(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValidationError(
            "A task's deadline needs its time zone",
            "deadline",
            code="interactions.tasks.deadline_naive",
        )
    return value.astimezone(dt.UTC) if value is not None else None


def visible_task(uow: UnitOfWork, actor: Actor, task_id: int) -> Task:
    actor.require(Permission.INTERACTIONS)
    access.check(uow, actor, "task", task_id)
    task = uow.session.get(Task, task_id)
    if task is None:
        raise NotFoundError("Task", task_id)
    return task


def view(uow: UnitOfWork, task: Task) -> TaskView:
    user = uow.session.execute(
        select(User.full_name, User.login).where(User.id == task.assignee_id)
    ).one()
    return TaskView(
        id=task.id,
        uid=task.uid,
        title=task.title,
        deadline=task.deadline,
        assignee_id=task.assignee_id,
        assignee_name=user.full_name or user.login,
        author_id=task.author_id,
        done=bool(task.done),
        done_at=task.done_at,
        client_id=task.client_id,
        lead_id=task.lead_id,
        deal_id=task.deal_id,
        contact_id=task.contact_id,
        row_version=task.row_version,
    )


def get(uow: UnitOfWork, actor: Actor, task_id: int) -> TaskView:
    return view(uow, visible_task(uow, actor, task_id))


def add_task(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    object_id: int,
    title: str,
    *,
    deadline: dt.datetime | None = None,
    assignee_id: int | None = None,
) -> int:
    actor.require(Permission.INTERACTIONS)
    title = title_of(title)
    deadline = deadline_of(deadline)
    ids = party_columns(uow, actor, kind, object_id)
    task = Task(
        title=title,
        deadline=deadline,
        assignee_id=parties.owner_id_for(uow, actor, assignee_id),
        author_id=actor.id,
        **ids,
    )
    uow.session.add(task)
    uow.session.flush()
    return task.id


def edit_task(
    uow: UnitOfWork,
    actor: Actor,
    task_id: int,
    *,
    title: str | None = None,
    deadline: dt.datetime | None = None,
    no_deadline: bool = False,
    assignee_id: int | None = None,
    expected_version: int | None = None,
) -> TaskView:
    """A left-out value stays; ``no_deadline`` clears the deadline. With
    ``expected_version``, a save over a colleague's later save is refused
    with both values of each field (nothing is overwritten silently)."""
    if no_deadline and deadline is not None:
        raise ValidationError(
            "A deadline and no deadline exclude each other",
            "deadline",
            code="interactions.tasks.deadline_and_none",
        )
    task = visible_task(uow, actor, task_id)
    # every value checked (and read) before any is set: a read would flush
    new_title = title_of(title) if title is not None else task.title
    new_deadline = None if no_deadline else deadline_of(deadline) or task.deadline
    assignee = task.assignee_id
    if assignee_id is not None and assignee_id != task.assignee_id:
        assignee = parties.owner_id_for(uow, actor, assignee_id)
    task.title, task.deadline, task.assignee_id = new_title, new_deadline, assignee
    conflicts.guard(uow, "task", task, expected_version)
    uow.session.flush()
    return view(uow, task)


def complete_task(
    uow: UnitOfWork, actor: Actor, task_id: int, now: dt.datetime | None = None
) -> TaskView:
    """Done by its assignee or whoever sees its card; the audit records who."""
    task = visible_task(uow, actor, task_id)
    if task.done:
        raise ValidationError(
            f"Task {task_id} is done already",
            code="interactions.notes.task_done_already",
            params={"task_id": str(task_id)},
        )
    task.done = True
    task.done_at = now or dt.datetime.now(dt.UTC)
    uow.session.flush()
    return view(uow, task)


def reopen_task(uow: UnitOfWork, actor: Actor, task_id: int) -> TaskView:
    """The undo of done: open again, its done time cleared."""
    task = visible_task(uow, actor, task_id)
    if not task.done:
        raise ValidationError(
            f"Task {task_id} is not done",
            code="interactions.tasks.not_done",
            params={"task_id": str(task_id)},
        )
    task.done = False
    task.done_at = None
    uow.session.flush()
    return view(uow, task)


def remove_task(
    uow: UnitOfWork, actor: Actor, task_id: int, expected_version: int | None = None
) -> TaskView:
    """Delete it for good (the history keeps its title, who and when);
    returns the task as it was."""
    task = visible_task(uow, actor, task_id)
    conflicts.guard(uow, "task", task, expected_version)
    gone = view(uow, task)
    uow.session.delete(task)
    uow.session.flush()
    return gone


def restore_removed(uow: UnitOfWork, actor: Actor, gone: TaskView) -> TaskView:
    """The Undo of a removal: the task again on its card with its title,
    deadline, assignee and state (a new record: the removed one's tombstone
    stays)."""
    kind, object_id = next(
        (kind, i)
        for kind, i in (
            ("deal", gone.deal_id),
            ("contact", gone.contact_id),
            ("client", gone.client_id),
            ("lead", gone.lead_id),
        )
        if i is not None
    )
    task_id = add_task(
        uow,
        actor,
        kind,
        object_id,
        gone.title,
        deadline=gone.deadline,
        assignee_id=gone.assignee_id,
    )
    if gone.done:
        return complete_task(uow, actor, task_id, gone.done_at)
    return get(uow, actor, task_id)
