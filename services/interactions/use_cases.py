"""What a user does with interactions, notes, tasks and memos: one function
per action, shared by the desktop and ``touchpoint``.

Each opens its own unit of work and returns its result with the
``Changes`` it made (the cards whose feeds, agendas and indicators show it).
Completing or cancelling can plan the next step in the same transaction,
and a deal's pipeline rule is checked before anything is saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.errors import EditConflict, FieldConflict
from services.core.storage import Database, UnitOfWork
from services.core.views import InteractionView
from services.feed import touched
from services.interactions import actions as ix
from services.interactions import attachment_removal, attachments, note_edits, notes, tasks


def log_interaction(
    db: Database, actor: Actor, spec: ix.NewInteraction
) -> Outcome[InteractionView]:
    """Log a done interaction or plan one (SPEC A1)."""
    return touched.in_unit(db, actor, lambda uow: ix.create(uow, actor, spec))


def complete(
    db: Database,
    actor: Actor,
    interaction_id: int,
    *,
    next_step: ix.NewInteraction | None = None,
    result: str | None = None,
    at: dt.datetime | None = None,
) -> Outcome[InteractionView]:
    return touched.in_unit(
        db,
        actor,
        lambda uow: ix.complete(
            uow, actor, interaction_id, next_step=next_step, result=result, at=at
        ),
    )


def cancel(
    db: Database, actor: Actor, interaction_id: int, *, next_step: ix.NewInteraction | None = None
) -> Outcome[InteractionView]:
    """Cancel (delete): it stays in the feed, struck through."""
    return touched.in_unit(
        db, actor, lambda uow: ix.cancel(uow, actor, interaction_id, next_step=next_step)
    )


def restore(
    db: Database,
    actor: Actor,
    interaction_id: int,
    *,
    start: dt.datetime | None = None,
    tz: str | None = None,
) -> Outcome[InteractionView]:
    return touched.in_unit(
        db, actor, lambda uow: ix.restore(uow, actor, interaction_id, start=start, tz=tz)
    )


def undo_cancel(
    db: Database, actor: Actor, interaction_id: int, previous_state: str
) -> Outcome[InteractionView]:
    """Undo of a cancel: back to planned, or to done when it was done."""

    def work(uow: UnitOfWork) -> InteractionView:
        view = ix.restore(uow, actor, interaction_id)
        if previous_state == "done":
            view = ix.complete(uow, actor, interaction_id)
        return view

    return touched.in_unit(db, actor, work)


def reschedule(
    db: Database, actor: Actor, interaction_id: int, start: dt.datetime, tz: str | None = None
) -> Outcome[InteractionView]:
    return touched.in_unit(
        db, actor, lambda uow: ix.reschedule(uow, actor, interaction_id, start, tz)
    )


def save_changes(
    db: Database,
    actor: Actor,
    view: InteractionView,
    *,
    new_time: dt.datetime | None,
    zone: str,
    contacts: Sequence[int],
) -> Outcome[InteractionView]:
    """Edit an interaction: move it (when ``new_time``) and replace its
    contact persons (when they changed), in one transaction."""

    def work(uow: UnitOfWork) -> InteractionView:
        result = view
        _unchanged_since(uow, actor, view, new_time, contacts)
        if new_time is not None:
            result = ix.reschedule(uow, actor, view.id, new_time, zone)
        if set(contacts) != set(view.contact_ids):
            ix.set_contacts(uow, actor, view.id, contacts)
            result = ix.get(uow, actor, view.id)
        return result

    made = touched.in_unit(db, actor, work)
    # the contact persons it left or joined: their feeds change too
    moved = set(contacts) ^ set(view.contact_ids)
    return touched.plus(made, Changes.of(cards=[("contact", c) for c in moved]))


def _unchanged_since(
    uow: UnitOfWork,
    actor: Actor,
    view: InteractionView,
    new_time: dt.datetime | None,
    contacts: Sequence[int],
) -> None:
    """Refuse, with both values, a save over a colleague's save made since
    ``view`` was read (#19 item 4): nothing is overwritten silently."""
    if not view.row_version:
        return
    now = ix.get(uow, actor, view.id)
    if now.row_version == view.row_version:
        return
    fields = []
    if new_time is not None and new_time != now.start:
        fields.append(FieldConflict("start", new_time.isoformat(), now.start.isoformat()))
    if set(contacts) != set(now.contact_ids):
        fields.append(
            FieldConflict(
                "contacts",
                ", ".join(map(str, sorted(contacts))),
                ", ".join(map(str, sorted(now.contact_ids))),
            )
        )
    raise EditConflict("interaction", view.id, tuple(fields), now.row_version)


def _on_card(kind: str, object_id: int, what: str, created: int) -> Changes:
    return Changes.of(created={what: [created]}, cards=[(kind, object_id)])


def add_note(db: Database, actor: Actor, kind: str, object_id: int, body: str) -> Outcome[int]:
    """A note on a card; ``@login`` mentions a colleague (their agenda)."""
    made = touched.in_unit(db, actor, lambda uow: notes.add_note(uow, actor, kind, object_id, body))
    return touched.plus(made, _on_card(kind, object_id, "note", made.value))


def _note_changed(
    db: Database, actor: Actor, work: Callable[[UnitOfWork], note_edits.NoteView], how: str
) -> Outcome[note_edits.NoteView]:
    """One note action in a unit of work; its cards' feeds and the agendas
    (kind "note": a mention) show it."""
    made = touched.in_unit(db, actor, work)
    view = made.value
    return Outcome(view, made.changes | Changes.of(**{how: {"note": [view.id]}}, cards=view.cards))


def edit_note(
    db: Database, actor: Actor, note_id: int, body: str, expected_version: int | None = None
) -> Outcome[note_edits.NoteView]:
    """A note's new text (its author or an administrator); its mentions
    follow the text."""
    return _note_changed(
        db,
        actor,
        lambda uow: note_edits.edit_note(
            uow, actor, note_id, body, expected_version=expected_version
        ),
        "updated",
    )


def remove_note(
    db: Database, actor: Actor, note_id: int, expected_version: int | None = None
) -> Outcome[note_edits.NoteView]:
    """Delete a note (the window asks first); returns it as it was."""
    return _note_changed(
        db,
        actor,
        lambda uow: note_edits.remove_note(uow, actor, note_id, expected_version),
        "removed",
    )


def undo_remove_note(
    db: Database, actor: Actor, gone: note_edits.NoteView
) -> Outcome[note_edits.NoteView]:
    """Undo of a removal: the same text again (a new record)."""
    return _note_changed(
        db, actor, lambda uow: note_edits.restore_removed(uow, actor, gone), "created"
    )


def add_attachment(
    db: Database, actor: Actor, kind: str, object_id: int, path: str
) -> Outcome[attachments.AttachmentView]:
    """A file from this computer on a card (the Attachments tab's "+"): read
    bounded before the unit of work opens, stored like a letter's file."""
    name, data = attachments.read_file(path)
    made = touched.in_unit(
        db, actor, lambda uow: attachments.add(uow, actor, kind, object_id, name, data)
    )
    return touched.plus(made, _on_card(kind, object_id, "attachment", made.value.id))


def remove_attachment(
    db: Database, actor: Actor, attachment_id: int
) -> Outcome[attachment_removal.RemovedAttachment]:
    """Take a file off its card (the window asks first); returns it as it
    was. Its bytes stay until the clean-up job finds no row naming them."""
    made = touched.in_unit(
        db, actor, lambda uow: attachment_removal.remove(uow, actor, attachment_id)
    )
    gone = made.value
    return touched.plus(made, Changes.of(removed={"attachment": [gone.id]}, cards=gone.cards))


def undo_remove_attachment(
    db: Database, actor: Actor, gone: attachment_removal.RemovedAttachment
) -> Outcome[int]:
    """Undo of a removal: the same file on its card again (a new record)."""
    made = touched.in_unit(
        db, actor, lambda uow: attachment_removal.restore_removed(uow, actor, gone)
    )
    return touched.plus(made, Changes.of(created={"attachment": [made.value]}, cards=gone.cards))


def add_task(
    db: Database,
    actor: Actor,
    kind: str,
    object_id: int,
    title: str,
    *,
    deadline: dt.datetime | None = None,
    assignee_id: int | None = None,
) -> Outcome[int]:
    made = touched.in_unit(
        db,
        actor,
        lambda uow: tasks.add_task(
            uow, actor, kind, object_id, title, deadline=deadline, assignee_id=assignee_id
        ),
    )
    return touched.plus(made, _on_card(kind, object_id, "task", made.value))


def _task_changed(
    db: Database, actor: Actor, work: Callable[[UnitOfWork], tasks.TaskView], how: str = "updated"
) -> Outcome[tasks.TaskView]:
    """One task action in a unit of work; its cards' feeds and the agendas
    (kind "task") show it."""
    made = touched.in_unit(db, actor, work)
    view = made.value
    changes = Changes.of(**{how: {"task": [view.id]}}, cards=view.cards)
    return Outcome(view, made.changes | changes)


def complete_task(db: Database, actor: Actor, task_id: int) -> Outcome[tasks.TaskView]:
    return _task_changed(db, actor, lambda uow: tasks.complete_task(uow, actor, task_id))


def edit_task(
    db: Database,
    actor: Actor,
    task_id: int,
    *,
    title: str | None = None,
    deadline: dt.datetime | None = None,
    no_deadline: bool = False,
    assignee_id: int | None = None,
    expected_version: int | None = None,
) -> Outcome[tasks.TaskView]:
    """Edit a task's title, deadline (or none) and assignee; a left-out
    value stays."""
    return _task_changed(
        db,
        actor,
        lambda uow: tasks.edit_task(
            uow,
            actor,
            task_id,
            title=title,
            deadline=deadline,
            no_deadline=no_deadline,
            assignee_id=assignee_id,
            expected_version=expected_version,
        ),
    )


def reschedule_task(
    db: Database, actor: Actor, task_id: int, deadline: dt.datetime
) -> Outcome[tasks.TaskView]:
    """The agenda's Reschedule of a task: an edit of its deadline."""
    return edit_task(db, actor, task_id, deadline=deadline)


def reopen_task(db: Database, actor: Actor, task_id: int) -> Outcome[tasks.TaskView]:
    """Undo of done: the task is open again."""
    return _task_changed(db, actor, lambda uow: tasks.reopen_task(uow, actor, task_id))


def remove_task(
    db: Database, actor: Actor, task_id: int, expected_version: int | None = None
) -> Outcome[tasks.TaskView]:
    """Delete a task (the window asks first); returns it as it was."""
    return _task_changed(
        db,
        actor,
        lambda uow: tasks.remove_task(uow, actor, task_id, expected_version),
        "removed",
    )


def undo_remove_task(db: Database, actor: Actor, gone: tasks.TaskView) -> Outcome[tasks.TaskView]:
    """Undo of a removal: the same task again (a new record)."""
    made = _task_changed(db, actor, lambda uow: tasks.restore_removed(uow, actor, gone))
    return Outcome(made.value, made.changes | Changes.of(created={"task": [made.value.id]}))


def add_memo(db: Database, actor: Actor, kind: str, object_id: int, body: str) -> Outcome[int]:
    """The first memo; a second is refused (edit the first)."""
    made = touched.in_unit(db, actor, lambda uow: notes.add_memo(uow, actor, kind, object_id, body))
    return touched.plus(made, _on_card(kind, object_id, "memo", made.value))


def edit_memo(db: Database, actor: Actor, kind: str, object_id: int, body: str) -> Outcome[int]:
    made = touched.in_unit(
        db, actor, lambda uow: notes.edit_memo(uow, actor, kind, object_id, body)
    )
    return touched.plus(made, Changes.of(updated={"memo": [made.value]}, cards=[(kind, object_id)]))
