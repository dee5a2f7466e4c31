"""``touchpoint inbound``, ``rules``, ``sources`` and ``tickets``: inbound
requests (issue #18) for scripts and admins.

Each calls the use case the window calls; polling runs on the scheduler
and in ``run-due`` (``inbound poll`` runs one source now).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from services.core.errors import ValidationError

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.core.access import Actor
    from services.core.storage import Database

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


def _user(db: Database, ref: str | None) -> int | None:
    if ref is None:
        return None
    from sqlalchemy import select

    from models import User

    with db.reader() as uow:
        query = select(User.id).where(
            User.id == int(ref) if ref.strip().isdigit() else User.login == ref.strip()
        )
        found = uow.session.scalar(query)
    if found is None:
        raise ValidationError(f"No user {ref!r}", "user")
    return int(found)


def _role(db: Database, ref: str | None) -> int | None:
    if ref is None:
        return None
    from sqlalchemy import select

    from models import Role

    with db.reader() as uow:
        query = select(Role.id).where(
            Role.id == int(ref) if ref.strip().isdigit() else Role.name == ref.strip()
        )
        found = uow.session.scalar(query)
    if found is None:
        raise ValidationError(f"No role {ref!r}", "role")
    return int(found)


def _rule_input(args: argparse.Namespace, db: Database) -> Any:
    from services.inbound.setup import RuleInput

    queue = [q for q in (args.queue or "").split(",") if q.strip()]
    return RuleInput(
        name=args.name,
        keywords=args.keywords,
        whole_word=args.whole_word,
        is_default=args.default,
        known_to_owner=not args.no_owner_first,
        assign_mode=args.assign,
        role_id=_role(db, args.role),
        user_id=_user(db, args.rule_user),
        queue_user_ids=tuple(u for q in queue if (u := _user(db, q)) is not None),
        action=args.rule_action,
        pipeline_id=args.pipeline,
        stage_id=args.stage,
        deal_owner_id=_user(db, args.deal_owner),
        rejection_reason_id=args.reason,
        active=not args.inactive,
    )


def request_line(r: Any) -> str:
    who = r.owner or (f"role {r.role}" if r.role else "nobody")
    mark = f" [{r.mark}]" if r.mark else ""
    sender = r.sender_name or r.sender_email or r.sender_phone or r.sender_handle or "?"
    return f"{r.id}\t{r.state}{mark}\t{who}\t{sender}\t{r.subject}"


def _request_text(r: Any) -> str:
    lines = [
        request_line(r),
        f"  source: {r.source} ({r.channel}), received {r.received_at:%Y-%m-%d %H:%M} UTC",
    ]
    shown = (
        ("client", r.client_id), ("lead", r.lead_id), ("deal", r.deal_id),
        ("ticket", r.ticket_number), ("rule", r.rule), ("outcome", r.outcome),
        ("rejected for", r.rejection_reason), ("note", r.rejection_note),
    )  # fmt: skip
    for label, value in shown:
        if value is not None:
            lines.append(f"  {label}: {value}")
    why = r.why or {}
    if why:
        lines.append(
            "  why: " + "; ".join(f"{k}={v}" for k, v in why.items() if v not in (None, [], ""))
        )
    if r.body:
        lines.append("")
        lines.append(r.body)
    return "\n".join(lines)


def _dry_line(row: Any) -> str:
    mark = "same" if row.same else "CHANGED"
    would = row.would_owner or (f"role {row.would_role}" if row.would_role else "nobody")
    lead = " +lead" if row.would_new_lead else ""
    return (
        f"{row.request_id}\t{mark}\twould: {row.would_rule or '-'} → {would}, "
        f"{row.would_effect}{lead}\tdid: {row.did_rule or '-'} → {row.did_owner or 'nobody'}, "
        f"{row.did_effect or 'none'}\t{row.subject}"
    )


def handle_inbound(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    from services.core.access import Permission
    from services.inbound import reasons, use_cases

    action = args.action
    if action == "list":
        rows = use_cases.list_requests(
            db, actor, state=args.state, limit=args.limit, client_id=args.client,
            marked=True if args.marked else None,
        )  # fmt: skip
        emit(args, rows, "\n".join(request_line(r) for r in rows) or "No requests")
    elif action == "show":
        view = use_cases.get_request(db, actor, args.id)
        if args.original:
            original = use_cases.original(db, actor, args.id)
            text = original.data.decode("utf-8", "replace")
            emit(args, {"request": view, "original": text, "truncated": original.truncated}, text)
        else:
            emit(args, view, _request_text(view))
    elif action == "counts":
        found = use_cases.counts(db, actor)
        emit(args, found, "\n".join(f"{k}\t{v}" for k, v in found.items()))
    elif action == "reasons":
        listed = reasons.reasons(db)
        emit(args, listed, "\n".join(f"{r.id}\t{r.name_en}\t{r.name_ru}" for r in listed))
    elif action == "poll" and _is_telegram(db, actor, args.source):
        from services.inbound import telegram_poll

        actor.require(Permission.SETTINGS)
        bot = telegram_poll.poll(db, args.source).value
        emit(args, bot, f"{bot.stored} new requests from Telegram")
    elif action == "poll":
        actor.require(Permission.SETTINGS)  # the scheduler's job, by hand
        done = use_cases.poll_source(db, args.source).value
        emit(args, done, f"{done.polled.stored} new requests, "
             f"{len(done.processed.request_ids)} processed")  # fmt: skip
    elif action == "process":
        actor.require(Permission.SETTINGS)
        processed = use_cases.process(db, args.source).value
        emit(
            args,
            processed,
            f"{len(processed.request_ids)} processed, {len(processed.failed)} failed",
        )
    else:
        view = _act(args, db, actor)
        emit(args, view, _request_text(view))


def _is_telegram(db: Database, actor: Actor, source_id: int) -> bool:
    from services.inbound import setup

    return any(s.id == source_id and s.kind == "telegram" for s in setup.list_sources(db, actor))


def _act(args: argparse.Namespace, db: Database, actor: Actor) -> Any:
    from services.inbound import use_cases

    action = args.action
    if action == "accept":
        return use_cases.accept(db, actor, args.id).value
    if action == "reassign":
        target = _user(db, args.to)
        assert target is not None
        return use_cases.reassign(db, actor, args.id, target).value
    if action == "reject":
        return use_cases.reject(db, actor, args.id, args.reason, args.note).value
    if action == "link":
        return use_cases.link(
            db, actor, args.id, client_id=args.client, lead_id=args.lead, deal_id=args.deal
        ).value
    return use_cases.undo(db, actor, args.id).value


def _rule_line(r: Any) -> str:
    flags = ("default " if r.is_default else "") + ("" if r.active else "inactive ")
    return (
        f"{r.id}\tsource {r.source_id} #{r.position}\t{flags}{r.name}\t"
        f"[{r.keywords}]\t{r.assign_mode} → {r.action}"
    )


def handle_rules(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    from services.inbound import dry_run, setup
    from services.inbound.routing import RuleSpec

    action = args.action
    if action == "list":
        rows = setup.list_rules(db, actor, args.source)
        emit(args, rows, "\n".join(_rule_line(r) for r in rows) or "No rules")
    elif action == "add":
        view = setup.add_rule(db, actor, args.source, _rule_input(args, db)).value
        emit(args, view, _rule_line(view))
    elif action == "edit":
        view = setup.set_rule(db, actor, args.id, _rule_input(args, db)).value
        emit(args, view, _rule_line(view))
    elif action == "remove":
        setup.remove_rule(db, actor, args.id)
        emit(args, {"removed": args.id}, f"Rule {args.id} removed")
    elif action == "move":
        view = setup.move_rule(db, actor, args.id, args.before).value
        emit(args, view, _rule_line(view))
    else:
        draft = None
        if args.name:
            saved = [
                r for r in setup.list_rules(db, actor, args.source)
                if r.active and r.id != args.replace
            ]  # fmt: skip
            new = _rule_input(args, db)
            position = next((r.position for r in setup.list_rules(db, actor, args.source)
                             if r.id == args.replace), 1_000_000)  # fmt: skip
            draft = [_spec(r) for r in saved] + [
                RuleSpec(id=args.replace, position=position, **_spec_fields(new))
            ]
        replayed = dry_run.dry_run(db, actor, args.source, last=args.last, rules=draft)
        emit(args, replayed, "\n".join(_dry_line(r) for r in replayed) or "No requests to replay")


def _spec_fields(rule: Any) -> dict[str, Any]:
    return {
        "name": rule.name, "is_default": rule.is_default, "keywords": rule.keywords,
        "whole_word": rule.whole_word, "known_to_owner": rule.known_to_owner,
        "assign_mode": rule.assign_mode, "role_id": rule.role_id, "user_id": rule.user_id,
        "queue_user_ids": tuple(rule.queue_user_ids), "action": rule.action,
        "pipeline_id": rule.pipeline_id, "stage_id": rule.stage_id,
        "deal_owner_id": rule.deal_owner_id, "rejection_reason_id": rule.rejection_reason_id,
    }  # fmt: skip


def _spec(view: Any) -> Any:
    from services.inbound.routing import RuleSpec

    return RuleSpec(id=view.id, position=view.position, **_spec_fields(view))


def _source_line(s: Any) -> str:
    state = "on" if s.process_requests else "off"
    last = f"{s.last_poll_at:%Y-%m-%d %H:%M}" if s.last_poll_at else "never"
    error = f"\terror: {s.last_error}" if s.last_error else ""
    return f"{s.id}\t{s.kind}\t{s.name}\t{state}\t{s.rules} rules\tpolled {last}{error}"


def handle_sources(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    from desktop.cli_handlers import field_map
    from services.inbound import setup

    if args.action == "list":
        rows = setup.list_sources(db, actor)
        emit(args, rows, "\n".join(_source_line(s) for s in rows) or "No sources")
        return
    if args.action == "token":
        _token(args, db, actor, emit)
        return
    if args.action == "remove":
        view = setup.remove_source(db, actor, args.id).value
        emit(args, view, f"Source {view.id} ({view.name}) removed; its requests stay")
        return
    if args.action == "add":
        view = setup.add_source(
            db, actor, args.kind, args.name, mail_account_id=args.account, folder=args.folder,
            process_requests=not args.off, field_mapping=field_map(args.map),
            poll_minutes=args.poll_minutes, api_base=args.api_base,
        ).value  # fmt: skip
    else:
        view = setup.set_source(
            db, actor, args.id, process_requests=args.process,
            field_mapping=field_map(args.map) if args.map is not None else None,
            poll_minutes=args.poll_minutes, name=args.name,
        ).value  # fmt: skip
    emit(args, view, _source_line(view))


def _token(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    """The token from stdin, never from the command line (shell history, ps)."""
    from services.inbound import telegram_poll

    token = sys.stdin.readline(4096).rstrip("\r\n")
    if not token:
        raise ValidationError("No token on stdin (pipe it in: … | touchpoint sources token ID)")
    name = telegram_poll.set_token(db, actor, args.id, token).value
    emit(args, {"source_id": args.id, "bot": name}, f"Telegram bot @{name}: token saved")


def handle_tickets(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    from services.inbound import use_cases

    def line(t: Any) -> str:
        return f"{t.id}\t#{t.number}\t{t.state}\t{t.owner or 'nobody'}\t{t.subject}"

    if args.action == "list":
        rows = use_cases.list_tickets(db, actor, state=args.state, client_id=args.client)
        emit(args, rows, "\n".join(line(t) for t in rows) or "No tickets")
    elif args.action == "show":
        view = use_cases.get_ticket(db, actor, args.id)
        emit(args, view, line(view) + ("\n\n" + view.body if view.body else ""))
    else:
        view = use_cases.set_ticket_state(db, actor, args.id, args.state).value
        emit(args, view, line(view))


HANDLERS: dict[tuple[str, str | None], Any] = {
    **{("inbound", a): handle_inbound for a in INBOUND},
    **{("rules", a): handle_rules for a in RULES},
    **{("sources", a): handle_sources for a in SOURCES},
    **{("tickets", a): handle_tickets for a in TICKETS},
}
