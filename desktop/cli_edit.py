"""``touchpoint clients|leads|contacts|deals edit|archive|unarchive`` and
``leads convert``: the same use cases as the desktop's Edit, Archive and
Convert actions (``services.parties.edit_cases``).

An option left out keeps the stored value; an empty one (``--address ""``)
clears an optional field.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from desktop.cli_handlers import Emit
    from services.core.access import Actor
    from services.core.storage import Database

JsonFlag = Callable[[argparse.ArgumentParser], None]
Handler = Callable[[argparse.Namespace, "Database", "Actor", "Emit"], None]
KINDS = {"clients": "client", "leads": "lead", "contacts": "contact", "deals": "deal"}


def _archive_parsers(group: Any, what: str, json_flag: JsonFlag) -> None:
    p = group.add_parser("archive", help=f"archive a {what}: lists hide it, nothing is deleted")
    p.add_argument("id", type=int)
    json_flag(p)
    p = group.add_parser("unarchive", help=f"bring an archived {what} back into the lists")
    p.add_argument("id", type=int)
    json_flag(p)


def _transfer_parser(group: Any, what: str, json_flag: JsonFlag) -> None:
    p = group.add_parser(
        "transfer",
        help=f"hand a {what} to a colleague with its deals, planned interactions and open "
        "tasks (recorded in the history)",
    )
    p.add_argument("id", type=int)
    p.add_argument("--to", required=True, metavar="LOGIN", help="the new owner (login or id)")
    json_flag(p)


def _share_parsers(group: Any, what: str, json_flag: JsonFlag) -> None:
    for action, text in (
        ("share", f"let a colleague see this {what} and everything on it (in the history)"),
        ("unshare", f"stop sharing this {what} with a colleague (in the history)"),
    ):
        p = group.add_parser(action, help=text)
        p.add_argument("id", type=int)
        p.add_argument("--with", dest="with_user", required=True, metavar="LOGIN", help="colleague")
        json_flag(p)


def _version_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--if-version",
        type=int,
        metavar="N",
        help="refuse, listing both values of each field, if someone saved it after "
        "version N (row_version in show --json)",
    )


def _owner_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--owner", metavar="LOGIN", help="hand it to this colleague (login or id)")


def add_parsers(clients: Any, leads: Any, contacts: Any, deals: Any, json_flag: JsonFlag) -> None:
    p = clients.add_parser("edit", help="change a client's fields")
    p.add_argument("id", type=int)
    p.add_argument("--name")
    _owner_flag(p)
    p.add_argument("--address", help='"" clears it')
    p.add_argument("--region", metavar="CC", help='two-letter country code; "" clears it')
    p.add_argument("--timezone", metavar="ZONE", help='IANA zone; "" clears it')
    p.add_argument("--field", action="append", default=[], metavar="CODE=VALUE")
    _version_flag(p)
    json_flag(p)
    _archive_parsers(clients, "client", json_flag)
    _transfer_parser(clients, "client", json_flag)
    _share_parsers(clients, "client", json_flag)

    p = leads.add_parser("edit", help="change a lead's fields")
    p.add_argument("id", type=int)
    p.add_argument("--name")
    p.add_argument("--company", help='"" clears it')
    _owner_flag(p)
    p.add_argument("--region", metavar="CC")
    p.add_argument("--timezone", metavar="ZONE")
    p.add_argument("--field", action="append", default=[], metavar="CODE=VALUE")
    _version_flag(p)
    json_flag(p)
    p = leads.add_parser(
        "convert", help="turn a lead into a client with its contacts, deals and feed"
    )
    p.add_argument("id", type=int)
    json_flag(p)
    _archive_parsers(leads, "lead", json_flag)
    _transfer_parser(leads, "lead", json_flag)
    _share_parsers(leads, "lead", json_flag)

    p = contacts.add_parser("edit", help="change a contact person's fields")
    p.add_argument("id", type=int)
    p.add_argument("--name")
    p.add_argument("--position", help='"" clears it')
    p.add_argument("--field", action="append", default=[], metavar="CODE=VALUE")
    _version_flag(p)
    json_flag(p)
    _archive_parsers(contacts, "contact person", json_flag)

    p = deals.add_parser("edit", help="change a deal's title, owner or amount")
    p.add_argument("id", type=int)
    p.add_argument("--title")
    _owner_flag(p)
    p.add_argument("--amount", help='"" clears it')
    p.add_argument("--currency", metavar="CODE")
    _version_flag(p)
    json_flag(p)
    _archive_parsers(deals, "deal", json_flag)


def _edit(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from desktop.cli_handlers import client_line
    from desktop.cli_values import parse_fields
    from services.parties import edit_cases

    view: Any
    if args.command == "clients":
        view = edit_cases.edit_client(
            db,
            actor,
            args.id,
            name=args.name,
            owner=args.owner,
            address=args.address,
            region=args.region,
            timezone=args.timezone,
            custom=parse_fields(args.field),
            expected_version=args.if_version,
        ).value
        emit(args, view, client_line(view))
    elif args.command == "leads":
        view = edit_cases.edit_lead(
            db,
            actor,
            args.id,
            name=args.name,
            company=args.company,
            owner=args.owner,
            region=args.region,
            timezone=args.timezone,
            custom=parse_fields(args.field),
            expected_version=args.if_version,
        ).value
        emit(args, view, client_line(view))
    elif args.command == "contacts":
        view = edit_cases.edit_contact(
            db,
            actor,
            args.id,
            name=args.name,
            position=args.position,
            custom=parse_fields(args.field),
            expected_version=args.if_version,
        ).value
        emit(args, view, f"contact {view.id}: {view.full_name}")
    else:
        view = edit_cases.edit_deal(
            db,
            actor,
            args.id,
            title=args.title,
            owner=args.owner,
            amount=args.amount,
            currency=args.currency,
            expected_version=args.if_version,
        ).value
        emit(args, view, f"deal {view.id}: {view.title} [{view.pipeline} / {view.stage}]")


def _archive(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.parties import edit_cases

    kind = KINDS[args.command]
    done = edit_cases.set_archived(db, actor, kind, args.id, args.action == "archive").value
    state = "archived" if done.archived else "back in the lists"
    emit(args, done, f"{kind} {done.id}: {state}" + ("" if done.changed else " (already)"))


def _transfer(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.parties import transfers

    done = transfers.transfer(db, actor, KINDS[args.command], args.id, args.to).value
    emit(
        args,
        done,
        f"{done.kind} {done.id} handed over with {done.deals} deals, {done.planned} planned "
        f"interactions and {done.tasks} open tasks",
    )


def _share(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.parties import shares

    on = args.action == "share"
    kind = KINDS[args.command]
    done = shares.set_shared(db, actor, kind, args.id, args.with_user, shared=on).value
    state = "shared with" if on else "no longer shared with"
    emit(
        args,
        done,
        f"{kind} {done.id} {state} {done.user_name}" + ("" if done.changed else " (already)"),
    )


def _convert(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from desktop.cli_handlers import client_line
    from services.parties import edit_cases

    view = edit_cases.convert_lead(db, actor, args.id).value
    emit(args, view, f"lead {args.id} is now " + client_line(view))


HANDLERS: dict[tuple[str, str | None], Handler] = {
    **{(command, "edit"): _edit for command in KINDS},
    **{(command, "archive"): _archive for command in KINDS},
    **{(command, "unarchive"): _archive for command in KINDS},
    ("leads", "convert"): _convert,
    ("clients", "transfer"): _transfer,
    ("leads", "transfer"): _transfer,
    **{
        (command, action): _share
        for command in ("clients", "leads")
        for action in ("share", "unshare")
    },
}
