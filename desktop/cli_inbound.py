"""``touchpoint inbound`` and ``tickets``: inbound requests (issue #18) and
the support tickets they become, for scripts and admins.

Each calls the use case the window calls; polling runs on the scheduler
and in ``run-due`` (``inbound poll`` runs one source now). The parsers live
in ``cli_inbound_parsers``, the rules and sources in ``cli_inbound_rules``;
``add_parsers`` and ``HANDLERS`` are read from here.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desktop.cli_inbound_parsers import INBOUND, RULES, SOURCES, TICKETS, add_parsers
from desktop.cli_inbound_rules import handle_rules, handle_sources, user_id

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.core.access import Actor
    from services.core.storage import Database

__all__ = ["HANDLERS", "add_parsers", "request_line"]


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
        target = user_id(db, args.to)
        assert target is not None
        return use_cases.reassign(db, actor, args.id, target).value
    if action == "reject":
        return use_cases.reject(db, actor, args.id, args.reason, args.note).value
    if action == "link":
        return use_cases.link(
            db, actor, args.id, client_id=args.client, lead_id=args.lead, deal_id=args.deal
        ).value
    return use_cases.undo(db, actor, args.id).value


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
