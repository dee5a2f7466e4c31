"""``touchpoint attachments``: the files of a card, as its Attachments tab
lists them, and taking one off its card (the use case the window calls)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from desktop.cli_handlers import Emit
    from services.core.access import Actor
    from services.core.storage import Database
    from services.interactions.attachments import AttachmentView

KINDS = ("client", "lead", "contact", "deal")


def add_parsers(sub: Any, json_flag: Callable[[argparse.ArgumentParser], None]) -> None:
    group = sub.add_parser("attachments", help="a card's files: list, remove").add_subparsers(
        dest="action", metavar="<action>", required=True
    )
    p = group.add_parser("list", help="the files of a card, newest first")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("id", type=int)
    json_flag(p)
    p = group.add_parser(
        "remove",
        help="take a file off its card (the card's history keeps its name; "
        "its bytes are deleted later, once no attachment names them)",
    )
    p.add_argument("id", type=int)
    json_flag(p)


def _listed(view: AttachmentView) -> dict[str, Any]:
    return {
        "id": view.id,
        "filename": view.filename,
        "mime_type": view.mime_type,
        "size": view.size,
        "sha256": view.sha256,
        "interaction_id": view.interaction_id,
        "created_at": view.created_at,
    }


def _attachments(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.interactions import attachments
    from services.interactions import use_cases as interactions

    if args.action == "list":
        with db.reader(actor.id) as uow:
            found = attachments.list_for(uow, actor, args.kind, args.id)
        lines = [f"{a.id}\t{a.filename}\t{a.size} B" for a in found]
        emit(args, [_listed(a) for a in found], "\n".join(lines) or "no attachments")
        return
    gone = interactions.remove_attachment(db, actor, args.id).value
    emit(args, gone, f"attachment {gone.id} removed: {gone.filename}")


if TYPE_CHECKING:
    Handler = Callable[[argparse.Namespace, Database, Actor, Emit], None]
HANDLERS: dict[tuple[str, str | None], Handler] = {("attachments", None): _attachments}
