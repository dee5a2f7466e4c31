"""The argument parsers of ``touchpoint inbound``, ``rules``, ``sources`` and
``tickets`` (issue #18): their commands, flags and --help texts, apart from
what the commands do (``cli_inbound``, ``cli_inbound_rules``) so that each
file stays readable.
"""

from __future__ import annotations

import argparse
from typing import Any

INBOUND = ("list", "show", "accept", "reassign", "reject", "link", "undo", "poll", "process",
           "counts", "reasons")  # fmt: skip
RULES = ("list", "add", "edit", "remove", "move", "test")
SOURCES = ("list", "add", "set", "token", "remove")
TICKETS = ("list", "show", "state")
STATES = ("new", "assigned", "converted", "rejected")


def _rule_flags(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--name", required=required, help="the rule's name")
    p.add_argument("--keywords", default="", help="keywords separated by ';' (subject or body)")
    p.add_argument("--whole-word", action="store_true", help="match whole words only")
    p.add_argument("--default", action="store_true", help="applies when no other rule matches")
    p.add_argument(
        "--assign", choices=("client_owner", "role", "round_robin", "user"), default="round_robin"
    )
    p.add_argument("--role", help="the role (name or id) for --assign role")
    p.add_argument("--user", dest="rule_user", help="login or id for --assign user")
    p.add_argument("--queue", help="logins or ids, comma-separated, for --assign round_robin")
    p.add_argument(
        "--no-owner-first",
        action="store_true",
        help="do not give a known client's request to the client's owner",
    )
    p.add_argument(
        "--action",
        dest="rule_action",
        choices=("deal", "ticket", "reject", "none"),
        default="none",
        help="what the rule makes of a request",
    )
    p.add_argument("--pipeline", type=int, metavar="ID", help="the deal's pipeline")
    p.add_argument("--stage", type=int, metavar="ID", help="the deal's stage")
    p.add_argument("--deal-owner", help="login or id; default: whoever gets the request")
    p.add_argument("--reason", type=int, metavar="ID", help="rejection reason for --action reject")
    p.add_argument("--inactive", action="store_true", help="kept but not applied")


def add_parsers(sub: Any, json_flag: Any) -> None:
    top = sub.add_parser(
        "inbound",
        help="inbound requests: list, show, accept, reassign, reject, link, undo, poll, process",
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = top.add_parser("list", help="requests you may see, newest first")
    p.add_argument("--state", choices=STATES)
    p.add_argument("--client", type=int, metavar="ID")
    p.add_argument("--marked", action="store_true", help="only auto-replies, bounces, list mail")
    p.add_argument("--limit", type=int, default=100)
    json_flag(p)
    p = top.add_parser("show", help="one request: what its rule did and why")
    p.add_argument("id", type=int)
    p.add_argument("--original", action="store_true", help="print the original as it arrived")
    json_flag(p)
    for name, what in (("accept", "take a request (the first of a role to take it owns it)"),
                       ("undo", "undo a wrong conversion or rejection")):  # fmt: skip
        p = top.add_parser(name, help=what)
        p.add_argument("id", type=int)
        json_flag(p)
    p = top.add_parser("reassign", help="give a request to a colleague")
    p.add_argument("id", type=int)
    p.add_argument("--to", required=True, help="login or id")
    json_flag(p)
    p = top.add_parser("reject", help="decline a request with a reason (see 'inbound reasons')")
    p.add_argument("id", type=int)
    p.add_argument("--reason", type=int, metavar="ID", required=True)
    p.add_argument("--note", default=None)
    json_flag(p)
    p = top.add_parser("link", help="put a request on a client or lead, or attach it to a deal")
    p.add_argument("id", type=int)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--client", type=int, metavar="ID")
    target.add_argument("--lead", type=int, metavar="ID")
    target.add_argument("--deal", type=int, metavar="ID")
    json_flag(p)
    p = top.add_parser(
        "poll", help="poll a processed mailbox or a Telegram bot now, then run its rules"
    )
    p.add_argument("source", type=int)
    json_flag(p)
    p = top.add_parser("process", help="run the rules over requests not yet processed")
    p.add_argument("--source", type=int, metavar="ID")
    json_flag(p)
    p = top.add_parser("counts", help="requests per state (the navigation's counters)")
    json_flag(p)
    p = top.add_parser("reasons", help="the rejection reasons")
    json_flag(p)

    rules = sub.add_parser(
        "rules", help="rules of a source: list, add, edit, remove, move, test (dry run)"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = rules.add_parser("list", help="rules in the order they are tried")
    p.add_argument("--source", type=int, metavar="ID")
    json_flag(p)
    p = rules.add_parser("add", help="add a rule at the end of a source's list")
    p.add_argument("source", type=int)
    _rule_flags(p, required=True)
    json_flag(p)
    p = rules.add_parser("edit", help="replace a rule's settings")
    p.add_argument("id", type=int)
    _rule_flags(p, required=True)
    json_flag(p)
    p = rules.add_parser("remove", help="remove a rule")
    p.add_argument("id", type=int)
    json_flag(p)
    p = rules.add_parser("move", help="put a rule before another (or last)")
    p.add_argument("id", type=int)
    p.add_argument("--before", type=int, metavar="ID")
    json_flag(p)
    p = rules.add_parser(
        "test",
        help="dry run: what the rules would do with the last N requests, beside what "
        "happened; with --name, a draft rule (same flags as add) is tried too; "
        "nothing is changed",
    )
    p.add_argument("source", type=int)
    p.add_argument("--last", type=int, default=50)
    p.add_argument("--replace", type=int, metavar="ID", help="the draft replaces this rule")
    _rule_flags(p, required=False)
    json_flag(p)

    sources = sub.add_parser(
        "sources", help="inbound sources: list, add, set, remove"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = sources.add_parser("list", help="sources and their last poll")
    json_flag(p)
    p = sources.add_parser("add", help="a processed mailbox, a web-form folder or a Telegram bot")
    p.add_argument("kind", choices=("mail_account", "web_form", "telegram"))
    p.add_argument("name")
    p.add_argument("--account", type=int, metavar="ID", help="the mail account (mail kinds)")
    p.add_argument("--folder", help="the folder to poll (default INBOX)")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=LABEL",
        help="web form: name, phone, email, message or subject = the form's label",
    )
    p.add_argument("--poll-minutes", type=int, default=5)
    p.add_argument("--off", action="store_true", help="do not process requests yet")
    p.add_argument(
        "--api-base", metavar="URL", help="telegram: a Bot API server other than Telegram's"
    )
    json_flag(p)
    p = sources.add_parser(
        "token",
        help="a Telegram bot's token, read from stdin's first line: checked with Telegram "
        "(getMe), then kept in the OS keyring only",
    )
    p.add_argument("id", type=int)
    json_flag(p)
    p = sources.add_parser("set", help="change a source")
    p.add_argument("id", type=int)
    state = p.add_mutually_exclusive_group()
    state.add_argument("--on", dest="process", action="store_true", default=None)
    state.add_argument("--off", dest="process", action="store_false")
    p.add_argument("--map", action="append", default=None, metavar="FIELD=LABEL")
    p.add_argument("--poll-minutes", type=int)
    p.add_argument("--name")
    json_flag(p)
    p = sources.add_parser("remove", help="archive a source: never polled again, its requests stay")
    p.add_argument("id", type=int)
    json_flag(p)

    tickets = sub.add_parser("tickets", help="support tickets: list, show, state").add_subparsers(
        dest="action", metavar="<action>", required=True
    )
    p = tickets.add_parser("list", help="tickets you may see, newest first")
    p.add_argument("--state", choices=("open", "in_progress", "closed"))
    p.add_argument("--client", type=int, metavar="ID")
    json_flag(p)
    p = tickets.add_parser("show", help="one ticket")
    p.add_argument("id", type=int)
    json_flag(p)
    p = tickets.add_parser("state", help="set a ticket's state")
    p.add_argument("id", type=int)
    p.add_argument("state", choices=("open", "in_progress", "closed"))
    json_flag(p)
