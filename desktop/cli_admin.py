"""``touchpoint history`` and ``users``: a card's change history with
readable values, and the colleagues an administrator manages (SPEC H1).

``users`` with no action still lists the active users (the contract of the
first version); the actions call the same use cases as Settings → Users.
"""

from __future__ import annotations

import argparse
from typing import Any

# The parsers are built on every call, so the services load when a command
# runs; ``history``'s kinds are services.core.history.KINDS (a test checks).
HISTORY_KINDS = ("client", "lead", "contact", "deal", "task", "note")


def add_parsers(sub: Any, json_flag: Any) -> None:
    p = sub.add_parser(
        "history",
        help="the change history of a card, a task or a note (a removed one's too): who, when,"
        " old → new (readable values)",
    )
    p.add_argument("kind", choices=HISTORY_KINDS)
    p.add_argument("id", type=int)
    json_flag(p)

    top = sub.add_parser(
        "users",
        help="colleagues: list (the default), add, set-role, deactivate, activate, deputy,"
        " deputies",
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
    p = acts.add_parser(
        "deputy", help="a colleague who sees your clients (or --for another's) until a time"
    )
    p.add_argument("login", help="the deputy")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--until", metavar="TIME", help="when the absence ends")
    when.add_argument(
        "--end", action="store_true", help="end the period now (the absent colleague or the deputy)"
    )
    p.add_argument("--for", dest="absent", metavar="LOGIN", help="the absent colleague (admins)")
    json_flag(p)
    p = acts.add_parser(
        "deputies", help="the deputy periods not over yet: yours (an administrator: all)"
    )
    json_flag(p)
    for name, text in (
        ("deactivate", "a colleague who left: no sign-in, gone from pickers; records stay"),
        ("activate", "bring a deactivated colleague back"),
    ):
        p = acts.add_parser(name, help=text)
        p.add_argument("login")
        json_flag(p)


def _history_line(e: Any) -> str:
    """One change in one line (a note's lines joined): who, when, old → new."""
    if e.field == "created":
        change = e.new or ""
    elif e.field == "removed":
        change = e.old or ""
    else:
        change = f"{e.old or '—'} → {e.new or '—'}"
    return f"{e.at:%Y-%m-%d %H:%M}  {e.user or '-'}  {e.field}: {' '.join(change.split())}"


def _user_line(u: Any) -> str:
    return f"{u.id}\t{u.login}\t{u.full_name}\t{u.role or ''}" + (
        "" if u.active else "\t(deactivated)"
    )


def _period_line(p: Any) -> str:
    return f"{p.id}\t{p.deputy_name} stands in for {p.absent_name} until {p.until.isoformat()}"


def handle_read(args: argparse.Namespace, uow: Any, actor: Any, emit: Any) -> None:
    """The read-only commands: history, users list."""
    from services.core import history as card_history
    from services.core import users

    if args.command == "history":
        entries = card_history.history(uow, actor, args.kind, args.id)
        emit(args, entries, "\n".join(_history_line(e) for e in entries) or "No changes recorded.")
        return
    if args.action == "deputies":
        from services.parties import deputies

        periods = deputies.periods(uow, actor)
        emit(args, periods, "\n".join(_period_line(p) for p in periods) or "No deputy periods.")
        return
    found = users.all_users(uow) if getattr(args, "all", False) else users.users(uow, actor)
    emit(args, found, "\n".join(_user_line(u) for u in found))


def handle_users(args: argparse.Namespace, db: Any, actor: Any, emit: Any) -> None:
    """``users add|set-role|deactivate|activate``: the use cases of Settings → Users."""
    if args.action == "deputy" and args.end:
        from services.parties import deputies

        with db.reader() as uow:
            period = deputies.find(uow, actor, args.login, absent=args.absent)
        ended = deputies.end_period(db, actor, period.id).value
        emit(args, ended, f"{ended.deputy_name} no longer stands in for {ended.absent_name}")
        return
    if args.action == "deputy":
        from desktop.cli_values import parse_time
        from services.core import settings, timezones
        from services.parties import transfers

        until = parse_time(args.until)
        if until.tzinfo is None:
            with db.reader() as uow:
                until = until.replace(tzinfo=timezones.zone(settings.display_zone(uow)))
        done = transfers.set_deputy(db, actor, args.login, until, absent=args.absent).value
        emit(
            args,
            done,
            f"{done.deputy_name} stands in for {done.absent_name} until {done.until.isoformat()}",
        )
        return
    from services.core import users

    if args.action == "add":
        view = users.add_user(db, actor, args.login, args.full_name, args.role).value
    elif args.action == "set-role":
        view = users.set_role(db, actor, args.login, args.role).value
    else:
        view = users.set_active(db, actor, args.login, args.action == "activate").value
    emit(args, view, _user_line(view))


def add_settings_parsers(sub: Any, json_flag: Any) -> None:
    """``types`` and ``fields``: Settings → Interaction types and → Fields."""
    top = sub.add_parser(
        "types", help="interaction types: list, add, rename, move, hide, show"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = top.add_parser("list", help="every type in order (hidden ones marked)")
    json_flag(p)
    p = top.add_parser("add", help="a new type at the end (administrators)")
    p.add_argument("name_en", metavar="NAME")
    p.add_argument("--ru", metavar="NAME", default="", help="the Russian name")
    json_flag(p)
    p = top.add_parser("rename", help="new names; the code and icon stay (administrators)")
    p.add_argument("code")
    p.add_argument("--en", metavar="NAME")
    p.add_argument("--ru", metavar="NAME")
    json_flag(p)
    p = top.add_parser("move", help="put a type at a place in the list, 1 first")
    p.add_argument("code")
    p.add_argument("place", type=int)
    json_flag(p)
    for name, text in (
        ("hide", "no longer offer a type for new interactions (old ones keep it)"),
        ("show", "offer a hidden type again"),
    ):
        p = top.add_parser(name, help=text)
        p.add_argument("code")
        json_flag(p)

    top = sub.add_parser(
        "fields",
        help="custom fields of clients, leads and contacts: list, add, rename, move, remove",
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = top.add_parser("list", help="the defined fields")
    p.add_argument("--kind", choices=("client", "lead", "contact"))
    json_flag(p)
    p = top.add_parser("add", help="define a field (administrators)")
    p.add_argument("kind", choices=("client", "lead", "contact"))
    p.add_argument("code", help="lowercase letters, digits and _ (used by --field CODE=VALUE)")
    p.add_argument("label", help="the English label")
    p.add_argument("--ru", metavar="LABEL", default="", help="the Russian label")
    p.add_argument("--type", default="text", choices=("text", "number", "date", "bool", "list"))
    p.add_argument(
        "--option", action="append", default=[], metavar="CHOICE", help="a choice of a list field"
    )
    json_flag(p)
    p = top.add_parser("rename", help="new labels; the code, type and values stay")
    p.add_argument("kind", choices=("client", "lead", "contact"))
    p.add_argument("code")
    p.add_argument("--en", metavar="LABEL", help="the English label")
    p.add_argument("--ru", metavar="LABEL", help="the Russian label ('' : the English one)")
    json_flag(p)
    p = top.add_parser("move", help="put a field at a place among its kind's, 1 first")
    p.add_argument("kind", choices=("client", "lead", "contact"))
    p.add_argument("code")
    p.add_argument("place", type=int)
    json_flag(p)
    p = top.add_parser("remove", help="remove a field and its values (administrators)")
    p.add_argument("kind", choices=("client", "lead", "contact"))
    p.add_argument("code")
    json_flag(p)


def _type_line(t: Any) -> str:
    flags = (" [built-in]" if t.builtin else "") + (" [hidden]" if t.hidden else "")
    return f"{t.code}\t{t.name_en}\t{t.name_ru}{flags}"


def _field_line(f: Any) -> str:
    choices = f" ({', '.join(f.options)})" if f.options else ""
    return f"{f.entity_kind}\t{f.code}\t{f.value_type}{choices}\t{f.label}\t{f.label_ru}"


def handle_settings_read(args: argparse.Namespace, uow: Any, actor: Any, emit: Any) -> None:
    """``types list`` and ``fields list``."""
    if args.command == "types":
        from services.interactions import types

        rows: list[Any] = types.types(uow)
        emit(args, rows, "\n".join(_type_line(t) for t in rows))
        return
    from services.parties import custom_fields

    rows = custom_fields.fields(uow, args.kind)
    emit(args, rows, "\n".join(_field_line(f) for f in rows) or "No custom fields yet.")


def handle_settings(args: argparse.Namespace, db: Any, actor: Any, emit: Any) -> None:
    """The changes of ``types`` and ``fields``: the use cases Settings calls."""
    if args.command == "types":
        from services.interactions import types

        if args.action == "add":
            view: Any = types.add_type(db, actor, args.name_en, args.ru).value
        elif args.action == "rename":
            view = types.rename_type(db, actor, args.code, args.en, args.ru).value
        elif args.action == "move":
            view = types.move_type(db, actor, args.code, args.place - 1).value
        else:
            view = types.set_hidden(db, actor, args.code, args.action == "hide").value
        emit(args, view, _type_line(view))
        return
    from services.parties import custom_fields

    if args.action == "add":
        view = custom_fields.add_field(
            db,
            actor,
            args.kind,
            args.code,
            args.label,
            args.type,
            label_ru=args.ru,
            options=args.option,
        ).value
        emit(args, view, _field_line(view))
    elif args.action == "rename":
        view = custom_fields.rename_field(db, actor, args.kind, args.code, args.en, args.ru).value
        emit(args, view, _field_line(view))
    elif args.action == "move":
        view = custom_fields.move_field(db, actor, args.kind, args.code, args.place - 1).value
        emit(args, view, _field_line(view))
    else:
        view = custom_fields.remove_field(db, actor, args.kind, args.code).value
        emit(args, view, f"removed {_field_line(view)}")
