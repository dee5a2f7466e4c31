"""``touchpoint history`` and ``users``: a card's change history with
readable values, and the colleagues an administrator manages (SPEC H1).

``users`` with no action still lists the active users (the contract of the
first version); the actions call the same use cases as Settings → Users.
"""

from __future__ import annotations

import argparse
from typing import Any

from services.core import history as card_history
from services.core import users


def add_parsers(sub: Any, json_flag: Any) -> None:
    p = sub.add_parser(
        "history", help="a card's change history: who, when, old → new (readable values)"
    )
    p.add_argument("kind", choices=card_history.KINDS)
    p.add_argument("id", type=int)
    json_flag(p)

    top = sub.add_parser(
        "users", help="colleagues: list (the default), add, set-role, deactivate, activate"
    )
    json_flag(top)
    top.set_defaults(action="list")
    acts = top.add_subparsers(dest="action", metavar="<action>")
    p = acts.add_parser("list", help="the active users with their role")
    p.add_argument("--all", action="store_true", help="deactivated users too")
    json_flag(p)
    p = acts.add_parser("add", help="add a colleague (administrators)")
    p.add_argument("login")
    p.add_argument("full_name", metavar="NAME")
    p.add_argument("--role", default="Manager", help="Manager (default) or Administrator")
    json_flag(p)
    p = acts.add_parser("set-role", help="give a colleague another role (administrators)")
    p.add_argument("login")
    p.add_argument("role")
    json_flag(p)
    for name, text in (
        ("deactivate", "a colleague who left: no sign-in, gone from pickers; records stay"),
        ("activate", "bring a deactivated colleague back"),
    ):
        p = acts.add_parser(name, help=text)
        p.add_argument("login")
        json_flag(p)


def _user_line(u: Any) -> str:
    return f"{u.id}\t{u.login}\t{u.full_name}\t{u.role or ''}" + (
        "" if u.active else "\t(deactivated)"
    )


def handle_read(args: argparse.Namespace, uow: Any, actor: Any, emit: Any) -> None:
    """The read-only commands: history, users list."""
    if args.command == "history":
        entries = card_history.history(uow, actor, args.kind, args.id)
        lines = [
            f"{e.at:%Y-%m-%d %H:%M}  {e.user or '-'}  {e.field}: "
            + (e.new or "" if e.field == "created" else f"{e.old or '—'} → {e.new or '—'}")
            for e in entries
        ]
        emit(args, entries, "\n".join(lines) or "No changes recorded.")
        return
    found = users.all_users(uow) if getattr(args, "all", False) else users.users(uow, actor)
    emit(args, found, "\n".join(_user_line(u) for u in found))


def handle_users(args: argparse.Namespace, db: Any, actor: Any, emit: Any) -> None:
    """``users add|set-role|deactivate|activate``: the use cases of Settings → Users."""
    if args.action == "add":
        view = users.add_user(db, actor, args.login, args.full_name, args.role).value
    elif args.action == "set-role":
        view = users.set_role(db, actor, args.login, args.role).value
    else:
        view = users.set_active(db, actor, args.login, args.action == "activate").value
    emit(args, view, _user_line(view))
