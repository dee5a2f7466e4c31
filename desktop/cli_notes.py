"""``touchpoint notes|memo|tasks``: the quick block of a card (SPEC B3).

A note is added, shown, edited and removed; the memo added and edited; a
task is added, shown, edited (title, deadline or none, assignee),
completed, reopened and removed, each through the one use case the window
calls too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from desktop.cli_handlers import Emit
    from services.core.access import Actor
    from services.core.storage import Database
    from services.interactions import note_edits, tasks

KINDS = ("client", "lead", "contact", "deal")
JsonFlag = Callable[[argparse.ArgumentParser], None]


def add_parsers(sub: Any, json_flag: JsonFlag) -> None:
    _note_parsers(sub, json_flag)
    memo = sub.add_parser("memo", help="the memo of a card: add, edit").add_subparsers(
        dest="action", metavar="<action>", required=True
    )
    for name in ("add", "edit"):
        p = memo.add_parser(name, help=f"{name} the one memo of a card")
        p.add_argument("kind", choices=KINDS)
        p.add_argument("id", type=int)
        p.add_argument("body")
        json_flag(p)
    _task_parsers(sub, json_flag)


def _note_parsers(sub: Any, json_flag: JsonFlag) -> None:
    notes = sub.add_parser("notes", help="notes: add, show, edit, remove").add_subparsers(
        dest="action", metavar="<action>", required=True
    )
    p = notes.add_parser("add", help="add a note to a card (@login mentions)")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("id", type=int)
    p.add_argument("body")
    json_flag(p)
    p = notes.add_parser("show", help="one note")
    p.add_argument("id", type=int)
    json_flag(p)
    p = notes.add_parser(
        "edit", help="a note's new text (its author or an administrator; @login mentions follow)"
    )
    p.add_argument("id", type=int)
    p.add_argument("body", help="the new text (at most 20,000 characters)")
    p.add_argument(
        "--if-version",
        type=int,
        metavar="N",
        help="refuse when someone saved the note after row_version N",
    )
    json_flag(p)
    p = notes.add_parser(
        "remove", help="delete a note for good with its mentions (its history stays)"
    )
    p.add_argument("id", type=int)
    json_flag(p)


def _task_parsers(sub: Any, json_flag: JsonFlag) -> None:
    group = sub.add_parser(
        "tasks", help="tasks: add, show, edit, done, reopen, remove"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = group.add_parser("add", help="add a task to a card")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("id", type=int)
    p.add_argument("title")
    p.add_argument("--deadline", metavar="TIME")
    p.add_argument("--assignee", type=int, metavar="USER_ID")
    json_flag(p)
    p = group.add_parser("show", help="one task")
    p.add_argument("id", type=int)
    json_flag(p)
    p = group.add_parser(
        "edit",
        help="change a task's title, deadline or assignee (a left-out option keeps the value)",
    )
    p.add_argument("id", type=int)
    p.add_argument("--title", help="the new title (at most 500 characters)")
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--deadline",
        metavar="TIME",
        help="the new deadline: a wall time in the display zone or an ISO time with an offset",
    )
    when.add_argument("--no-deadline", action="store_true", help="the task has no deadline")
    p.add_argument("--assignee", type=int, metavar="USER_ID", help="an active colleague's user id")
    p.add_argument(
        "--if-version",
        type=int,
        metavar="N",
        help="refuse when someone saved the task after row_version N",
    )
    json_flag(p)
    p = group.add_parser("done", help="complete a task")
    p.add_argument("id", type=int)
    json_flag(p)
    p = group.add_parser("reopen", help="a done task back to open (its done time cleared)")
    p.add_argument("id", type=int)
    json_flag(p)
    p = group.add_parser("remove", help="delete a task for good (its history stays)")
    p.add_argument("id", type=int)
    json_flag(p)


def task_line(view: tasks.TaskView, what: str = "") -> str:
    due = view.deadline.isoformat() if view.deadline is not None else "no deadline"
    state = "done" if view.done else "open"
    head = f"task {view.id}: {view.title} [{state}, {due}, {view.assignee_name}]"
    return f"{head} {what}" if what else head


def note_line(view: note_edits.NoteView, what: str = "") -> str:
    first = view.body.splitlines()[0] if view.body else ""
    head = f"note {view.id} by {view.author_name}: {first}"
    return f"{head} [{what}]" if what else head


def _notes(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.interactions import note_edits
    from services.interactions import use_cases as interactions

    if args.action == "add":
        nid = interactions.add_note(db, actor, args.kind, args.id, args.body).value
        emit(args, {"id": nid}, f"note {nid} added")
    elif args.action == "show":
        with db.reader(actor.id) as uow:
            view = note_edits.get(uow, actor, args.id)
        emit(args, view, note_line(view))
    elif args.action == "edit":
        view = interactions.edit_note(db, actor, args.id, args.body, args.if_version).value
        emit(args, view, note_line(view, "saved"))
    else:
        view = interactions.remove_note(db, actor, args.id).value
        emit(args, view, note_line(view, "removed"))


def _memo(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.interactions import use_cases as interactions

    fn = interactions.add_memo if args.action == "add" else interactions.edit_memo
    mid = fn(db, actor, args.kind, args.id, args.body).value
    emit(args, {"id": mid}, f"memo {mid} saved")


def _deadline(db: Database, actor: Actor, text: str | None) -> Any:
    from desktop.cli_values import parse_day
    from services.core import settings

    if not text:
        return None
    with db.reader(actor.id) as uow:
        return parse_day(text, settings.display_zone(uow))


def _tasks(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.interactions import tasks
    from services.interactions import use_cases as interactions

    action = args.action
    if action == "add":
        tid = interactions.add_task(
            db,
            actor,
            args.kind,
            args.id,
            args.title,
            deadline=_deadline(db, actor, args.deadline),
            assignee_id=args.assignee,
        ).value
        emit(args, {"id": tid}, f"task {tid} saved")
        return
    if action == "show":
        with db.reader(actor.id) as uow:
            view = tasks.get(uow, actor, args.id)
        emit(args, view, task_line(view))
        return
    if action == "edit":
        view = interactions.edit_task(
            db,
            actor,
            args.id,
            title=args.title,
            deadline=_deadline(db, actor, args.deadline),
            no_deadline=args.no_deadline,
            assignee_id=args.assignee,
            expected_version=args.if_version,
        ).value
        emit(args, view, task_line(view, "saved"))
    elif action == "done":
        view = interactions.complete_task(db, actor, args.id).value
        emit(args, view, f"task {view.id} saved")
    elif action == "reopen":
        view = interactions.reopen_task(db, actor, args.id).value
        emit(args, view, task_line(view, "reopened"))
    else:
        view = interactions.remove_task(db, actor, args.id).value
        emit(args, view, task_line(view, "removed"))


if TYPE_CHECKING:
    Handler = Callable[[argparse.Namespace, Database, Actor, Emit], None]
HANDLERS: dict[tuple[str, str | None], Handler] = {
    ("notes", None): _notes,
    ("memo", None): _memo,
    ("tasks", None): _tasks,
}
