"""``touchpoint <command>``: the headless CLI for scripts, cron and admins.

The command names, options and JSON fields are a contract: extend them,
never rename. With no command the desktop window opens.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from desktop import cli_args
from services.core.errors import TouchpointError, UserError
from services.core.view_json import to_json

log = logging.getLogger("touchpoint")

EPILOG = """\
Every command takes --json for machine-readable output. Bad input exits with
status 2 and a one-line reason on stderr, and changes nothing (no new database
file either). Numbers are whole and 0 to 9223372036854775807; arguments must
be UTF-8 text; dates lie in the years 1900-2200.

Database: --db URL (sqlite:///path, a bare file path, or
postgresql://user@host/db), else $TOUCHPOINT_DB, else the embedded SQLite
file in the user data folder. Acting user: --user LOGIN, else
$TOUCHPOINT_USER, else the computer's login, else the first administrator.
On PostgreSQL the database login decides: --user naming another login is
refused; connect as that login instead. A team database on PostgreSQL
(each colleague their own login, row-level security): 'touchpoint admin --help'.
Times: '2026-12-01 10:00' is a wall time in --tz (default: the display
zone); an ISO time with an offset is an instant.
"""


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def _address_flags(p: argparse.ArgumentParser) -> None:
    """A new card's addresses and numbers, each flag repeated for more."""
    p.add_argument("--email", action="append", default=[])
    p.add_argument("--phone", action="append", default=[])


def _show_parser(group: Any, help_text: str) -> None:
    """``<group> show ID``: one record by its id."""
    p = group.add_parser("show", help=help_text)
    p.add_argument("id", type=int)
    _json_flag(p)


def _party_flags(p: argparse.ArgumentParser, *, deal: bool = False, required: bool = True) -> None:
    group = p.add_mutually_exclusive_group(required=required)
    group.add_argument("--client", type=int, metavar="ID")
    group.add_argument("--lead", type=int, metavar="ID")
    if deal:
        group.add_argument("--deal", type=int, metavar="ID")


def _next_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--next-type", metavar="TYPE", help="plan the next interaction of this type")
    p.add_argument("--next-at", metavar="TIME", help="when the next interaction is planned")
    p.add_argument("--next-subject", metavar="TEXT")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (``only``) one with only that command's sub-parsers built."""
    parser = cli_args.Parser(
        prog="touchpoint",
        description="Touchpoint: a desktop CRM for client interactions. "
        "Without a command, opens the desktop window.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="URL", help="database URL or SQLite file")
    parser.add_argument(
        "--user",
        metavar="LOGIN",
        help="act as this user (embedded database; on PostgreSQL only the database login)",
    )
    parser.add_argument("--version", action="store_true", help="print the version")
    sub = parser.add_subparsers(dest="command", metavar="<command>", action=cli_args.Commands)
    sub.wanted = only  # type: ignore[attr-defined]

    p = sub.add_parser("demo", help="fill an empty database with realistic demo data")
    p.add_argument("--clients", type=int, default=200, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument(
        "--big-client",
        type=int,
        default=0,
        metavar="N",
        help="also make one client with N interactions",
    )
    _json_flag(p)

    clients = sub.add_parser(
        "clients", help="clients: add, list, show, edit, archive, unarchive"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = clients.add_parser("add", help="create a client")
    p.add_argument("name")
    p.add_argument("--owner", type=int, metavar="USER_ID")
    p.add_argument("--region", metavar="CC", help="two-letter country code")
    p.add_argument("--timezone", metavar="ZONE", help="IANA zone, e.g. Asia/Almaty")
    p.add_argument("--address")
    _address_flags(p)
    p.add_argument(
        "--field", action="append", default=[], metavar="CODE=VALUE", help="a custom field value"
    )
    _json_flag(p)
    p = clients.add_parser("list", help="list clients (by id, a page at a time)")
    p.add_argument("--archived", action="store_true", help="only the archived clients")
    p.add_argument("--text", help="part of the name")
    p.add_argument("--after", type=int, metavar="ID", help="start after this id")
    p.add_argument("--limit", type=int, default=100)
    _json_flag(p)
    _show_parser(clients, "a client's card")

    leads = sub.add_parser(
        "leads", help="leads: add, show, edit, convert, archive, unarchive"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = leads.add_parser("add", help="create a lead")
    p.add_argument("name")
    p.add_argument("--company")
    p.add_argument("--owner", type=int, metavar="USER_ID")
    p.add_argument("--region", metavar="CC")
    p.add_argument("--timezone", metavar="ZONE")
    _address_flags(p)
    _json_flag(p)
    _show_parser(leads, "a lead's card")

    contacts = sub.add_parser(
        "contacts", help="contact persons: add, show, edit, archive, unarchive"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = contacts.add_parser("add", help="add a contact person to a client or lead")
    p.add_argument("name")
    _party_flags(p)
    p.add_argument("--position")
    _address_flags(p)
    p.add_argument("--field", action="append", default=[], metavar="CODE=VALUE")
    _json_flag(p)
    _show_parser(contacts, "a contact person")

    deals = sub.add_parser(
        "deals", help="deals: add, show, move, edit, archive, unarchive"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = deals.add_parser("add", help="create a deal")
    p.add_argument("title")
    _party_flags(p)
    p.add_argument("--pipeline", metavar="ID_OR_NAME")
    p.add_argument("--stage", metavar="ID_OR_NAME")
    p.add_argument("--owner", type=int, metavar="USER_ID")
    p.add_argument("--amount")
    p.add_argument("--currency", default="RUB")
    _next_flags(p)
    _json_flag(p)
    _show_parser(deals, "a deal")
    p = deals.add_parser("move", help="move a deal to another stage")
    p.add_argument("id", type=int)
    p.add_argument("stage", metavar="STAGE_ID_OR_NAME")
    _json_flag(p)

    from desktop import cli_edit

    cli_edit.add_parsers(clients, leads, contacts, deals, _json_flag)

    pipelines = sub.add_parser(
        "pipelines",
        help="pipelines: list, add, edit, stage-add, stage-rename, stage-move, stage-remove",
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = pipelines.add_parser("add", help="create a pipeline")
    p.add_argument("name")
    p.add_argument(
        "--stage",
        action="append",
        default=[],
        required=True,
        help="a stage, in order (repeat); NAME:won or NAME:lost closes the deal",
    )
    p.add_argument(
        "--requires-planned",
        action="store_true",
        help="a deal must always have a planned interaction",
    )
    _json_flag(p)
    from desktop import cli_pipelines

    cli_pipelines.add_parsers(pipelines, _json_flag)

    inter = sub.add_parser(
        "interactions", help="interactions: add, done, cancel, restore, reschedule, show"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = inter.add_parser("add", help="log a done interaction or plan one (--planned)")
    p.add_argument("--type", required=True, help="call, meeting, email, sms, messenger, other")
    _party_flags(p, deal=True)
    p.add_argument("--contact", type=int, action="append", default=[], metavar="ID")
    p.add_argument("--planned", action="store_true")
    p.add_argument("--at", metavar="TIME", help="start (required with --planned)")
    p.add_argument("--tz", metavar="ZONE")
    p.add_argument("--duration", type=int, metavar="MIN")
    p.add_argument("--direction", choices=("in", "out", "none"), default="none")
    p.add_argument("--subject")
    p.add_argument("--body")
    p.add_argument("--owner", type=int, metavar="USER_ID")
    _json_flag(p)
    p = inter.add_parser("done", help="complete a planned interaction")
    p.add_argument("id", type=int)
    p.add_argument("--result", help="what came of it (appended to the content)")
    _next_flags(p)
    _json_flag(p)
    p = inter.add_parser("cancel", help="cancel (delete) an interaction; it stays struck through")
    p.add_argument("id", type=int)
    _next_flags(p)
    _json_flag(p)
    p = inter.add_parser("restore", help="set a cancelled interaction back to planned")
    p.add_argument("id", type=int)
    p.add_argument("--at", metavar="TIME")
    p.add_argument("--tz", metavar="ZONE")
    _json_flag(p)
    p = inter.add_parser("reschedule", help="move a planned interaction")
    p.add_argument("id", type=int)
    p.add_argument("--at", metavar="TIME", required=True)
    p.add_argument("--tz", metavar="ZONE")
    _json_flag(p)
    _show_parser(inter, "one interaction")

    p = sub.add_parser("feed", help="the feed of a client, lead, contact or deal")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--client", type=int, metavar="ID")
    group.add_argument("--deal", type=int, metavar="ID")
    group.add_argument("--lead", type=int, metavar="ID")
    group.add_argument("--contact", type=int, metavar="ID")
    p.add_argument(
        "--whole-history", action="store_true", help="with --deal: everything of the deal's client"
    )
    p.add_argument("--upcoming", action="store_true", help="planned items only")
    p.add_argument(
        "--type",
        action="append",
        default=[],
        help="interaction type, note, task or change (repeatable)",
    )
    p.add_argument("--owner", type=int, metavar="USER_ID")
    p.add_argument("--since", metavar="DATE")
    p.add_argument("--until", metavar="DATE")
    p.add_argument("--text")
    p.add_argument("--oldest-first", action="store_true")
    p.add_argument("--limit", type=int, default=50, help="items per page (default 50)")
    p.add_argument("--cursor", help="continue after a previous page")
    p.add_argument("--all", action="store_true", help="every page")
    _json_flag(p)

    from desktop import cli_attachments, cli_notes

    cli_notes.add_parsers(sub, _json_flag)
    cli_attachments.add_parsers(sub, _json_flag)

    imp = sub.add_parser("import", help="import contacts").add_subparsers(
        dest="what", metavar="<what>", required=True
    )
    p = imp.add_parser(
        "contacts",
        help="vCard 2.1/3.0/4.0 or CSV (Google, Outlook, Thunderbird, Apple, plain)",
    )
    p.add_argument("file")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="the CSV column (its header, or its number from 1 in a file without a header) "
        "of a field: name, given, middle, family, org, position, email, phone, note "
        "(repeatable; email and phone may be given several times)",
    )
    _json_flag(p)
    exp = sub.add_parser("export", help="export interactions or the calendar").add_subparsers(
        dest="what", metavar="<what>", required=True
    )
    p = exp.add_parser("interactions", help="all interactions to CSV")
    p.add_argument("file")
    _json_flag(p)
    p = exp.add_parser("calendar", help="planned interactions to iCalendar")
    p.add_argument("file")
    _json_flag(p)

    p = sub.add_parser("card", help="what a card shows besides its feed (the desktop's card)")
    p.add_argument("kind", choices=("client", "lead", "contact", "deal"))
    p.add_argument("id", type=int)
    _json_flag(p)

    p = sub.add_parser("settings", help="database settings: get, set")
    p.add_argument("key", nargs="?", help="default_region, default_timezone")
    p.add_argument("value", nargs="?")
    _json_flag(p)

    from desktop import cli_admin, cli_ai, cli_jobs, cli_links, cli_mail, cli_templates

    cli_admin.add_parsers(sub, _json_flag)
    cli_admin.add_settings_parsers(sub, _json_flag)

    cli_mail.add_parsers(sub, _json_flag)
    cli_links.add_parsers(sub, _json_flag)
    cli_links.add_backup_parsers(sub, _json_flag)
    cli_ai.add_parsers(sub, _json_flag)
    cli_templates.add_parsers(sub, _json_flag)
    from desktop import cli_scenarios

    cli_scenarios.add_parsers(sub, _json_flag)
    cli_jobs.add_parsers(sub, _json_flag)
    from desktop import cli_team

    cli_team.add_parsers(sub, _json_flag)
    from desktop import cli_inbound

    cli_inbound.add_parsers(sub, _json_flag)
    from desktop import cli_replica

    cli_replica.add_parsers(sub, _json_flag)

    p = sub.add_parser("selftest", help="check the installation and the database")
    _json_flag(p)
    return cli_args.harden(parser)


def emit(args: argparse.Namespace, payload: Any, human: str) -> None:
    try:
        if getattr(args, "json", False):
            # One write: json.dump's thousands of small ones each went through
            # the escaping stream (cli_output), ~10 % of a list call.
            sys.stdout.write(json.dumps(to_json(payload), ensure_ascii=False, indent=1) + "\n")
        else:
            print(human)
        sys.stdout.flush()
    except BrokenPipeError:
        cli_args.quiet_stdout()  # `| head -1`: the reader has what it wanted


# What the CLI adds to a refusal, by error code: services never name flags.
CLI_HINTS = {
    "deal.next_step_required": " (--next-type TYPE --next-at TIME)",
    "mail.plaintext_not_allowed": " (--allow-plaintext)",
}


def _refuse(exc: BaseException) -> int:
    hint = CLI_HINTS.get(getattr(exc, "code", ""), "")
    print(f"touchpoint: {' '.join(str(exc).split())}{hint}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; what it prints is escaped text (desktop/cli_output.py)."""
    from desktop.cli_output import escaped_output

    with escaped_output():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        cli_args.check_text(argv)
        args = cli_args.parse(build_parser, argv)
    except UserError as exc:
        return _refuse(exc)
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0
    if args.version:
        from importlib.metadata import version

        print(version("touchpoint"))
        return 0
    if args.command is None:
        from desktop.app import run_gui

        return run_gui(args.db, args.user)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from desktop import cli_quick

    created = cli_args.new_sqlite_file(args.db) if args.command != "selftest" else None
    try:
        code = cli_quick.dispatch(args, emit)
        if code is None:
            from desktop import cli_handlers

            code = cli_handlers.dispatch(args, emit)
        return code
    except UserError as exc:
        cli_args.forget_new_file(created)
        return _refuse(exc)
    except TouchpointError as exc:
        log.exception("unexpected error")
        print(f"touchpoint: internal error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        cli_args.quiet_stdout()
        return 0
    except KeyboardInterrupt:  # Ctrl-C: units of work roll back or commit whole
        print("touchpoint: interrupted; what was saved before stays saved", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
