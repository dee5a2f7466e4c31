"""What each CLI command does: parse its options, call services, emit.

One unit of work per command: it commits only when the whole command
succeeded, so a refused command changes nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from desktop.cli_values import existing_file, field_map, parse_day
from services.core import bootstrap, settings
from services.core.access import Actor
from services.core.storage import Database, UnitOfWork, open_database
from services.exchange import import_runs
from services.feed import pages as feed
from services.interactions import actions as ix
from services.parties import deals
from services.parties import records as parties

Emit = Callable[[argparse.Namespace, Any, str], None]
Handler = Callable[[argparse.Namespace, UnitOfWork, Actor, Emit], None]


# Commands that only read: they run on a deferred transaction, so they never
# wait on (or hold up) a writer such as a long import.
_READ_ONLY = {
    ("clients", "list"),
    ("clients", "show"),
    ("leads", "show"),
    ("contacts", "show"),
    ("deals", "show"),
    ("interactions", "show"),
    ("feed", None),
    ("export", None),
    ("why", None),
    ("run-due", None),  # the jobs write in their own transactions
    ("users", "list"),
    ("users", "deputies"),
    ("history", None),
    ("types", "list"),
    ("fields", "list"),
    ("card", None),
    ("pipelines", "list"),
}


def is_read_only(args: argparse.Namespace) -> bool:
    if args.command == "settings":
        return getattr(args, "value", None) is None
    action = getattr(args, "action", None)
    return (args.command, action) in _READ_ONLY or (args.command, None) in _READ_ONLY


def demo_line(summary: Any) -> str:
    counts = [
        f"{getattr(summary, name):,} {name.replace('_', ' ')}"
        for name in ("clients", "leads", "contacts", "contact_points", "deals")
    ]
    counts += [
        f"{summary.interactions:,} interactions",
        f"{summary.notes:,} notes",
        f"{summary.tasks:,} tasks",
        f"{summary.users:,} managers",
    ]
    big = f"; the big client is {summary.big_client_id}" if summary.big_client_id else ""
    return "demo data: " + ", ".join(counts) + big


@contextmanager
def _session(
    db: Database, login: str | None, *, read_only: bool = False
) -> Iterator[tuple[UnitOfWork, Actor]]:
    # A command is one short transaction: make its commit survive a power cut.
    with db.reader() if read_only else db.uow(durable=True) as uow:
        yield uow, bootstrap.session_actor(uow, login)


def client_line(c: Any) -> str:
    """A client or lead in the text output, the same in every command that shows one."""
    points = ", ".join(p.raw for p in c.points)
    local = f"  local time {c.local_time:%H:%M %Z}" if c.local_time else ""
    return f"{c.kind} {c.id}: {c.name} (owner {c.owner_name}){local}" + (
        f"\n  {points}" if points else ""
    )


def interaction_line(v: Any) -> str:
    """An interaction in the text output, with the next step it planned."""
    line = f"interaction {v.id}: {v.type} {v.state} {v.start.isoformat()}" + (
        f" — {v.subject}" if v.subject else ""
    )
    return line + (f"\nnext: interaction {v.next_id} planned" if v.next_id else "")


def h_clients(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    if args.action == "list":
        rows = parties.list_clients(
            uow,
            actor,
            text=args.text,
            after_id=args.after,
            limit=max(1, min(args.limit, 10_000)),
            archived=args.archived,
        )
        from desktop import cli_quick

        cli_quick.print_clients(args, rows, emit)
    else:
        view = parties.get_client(uow, actor, args.id)
        emit(args, view, client_line(view))


def h_leads(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    view = parties.get_lead(uow, actor, args.id)
    emit(args, view, client_line(view))


def h_contacts(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    view = parties.get_contact(uow, actor, args.id)
    emit(args, view, f"contact {view.id}: {view.full_name}")


def h_deals(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    view = deals.get(uow, actor, args.id)
    emit(args, view, f"deal {view.id}: {view.title} [{view.pipeline} / {view.stage}]")


def h_pipelines(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    if args.action == "list":
        from desktop import cli_pipelines

        cli_pipelines.handle_list(args, uow, actor, emit)
        return
    pid = deals.add_pipeline(
        uow, actor, args.name, args.stage, requires_planned=args.requires_planned
    )
    uow.commit()
    emit(args, {"id": pid, "name": args.name}, f"pipeline {pid}: {args.name}")


def h_interactions(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    view = ix.get(uow, actor, args.id)
    emit(args, view, interaction_line(view))


def h_feed(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    zone_name = settings.display_zone(uow)
    scope = feed.FeedScope(
        client_id=args.client,
        lead_id=args.lead,
        contact_id=args.contact,
        deal_id=args.deal,
        whole_history=args.whole_history,
    )
    flt = feed.FeedFilter(
        types=tuple(args.type),
        owner_id=args.owner,
        since=parse_day(args.since, zone_name) if args.since else None,
        until=parse_day(args.until, zone_name) if args.until else None,
        text=args.text,
        upcoming_only=args.upcoming,
        oldest_first=args.oldest_first,
    )
    items: list[Any] = []
    cursor = args.cursor
    while True:
        page = feed.page(uow, actor, scope, flt, cursor, args.limit)
        items.extend(page.items)
        cursor = page.next_cursor
        if not args.all or cursor is None:
            break
    lines = [
        f"{'~' if i.state == 'cancelled' else ' '} {i.start:%Y-%m-%d %H:%M} {i.state:9} "
        f"{i.type:9} {i.kind} {i.id}  {i.title or ''} {(i.text or '')[:60]!s}".rstrip()
        for i in items
    ]
    if cursor:
        lines.append(f"(more: --cursor '{cursor}')")
    if args.json:
        emit(args, {"items": items, "next_cursor": cursor}, "")
    else:
        emit(args, None, "\n".join(lines) or "Nothing in this feed yet.")


def h_import(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    """Commits its own batches (``contact_import``), so it gets the database."""
    path = existing_file(args.file)
    from services.exchange import use_cases as exchange

    summary = exchange.import_contacts(db, actor, path, mapping=field_map(args.map)).value
    human = [
        f"created {summary.created}, updated {summary.updated}, rejected {len(summary.rejected)}"
        + (f", with skipped values {len(summary.warnings)}" if summary.warnings else "")
    ]
    human += [f"  rejected {r.source}: {r.reason}" for r in summary.rejected]
    for warned in summary.warnings:
        human += [f"  {warned.source} ({warned.name}): {w}" for w in warned.warnings]
    emit(args, summary, "\n".join(human))


def h_export(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    from services.exchange import exports  # only this command needs it

    path = Path(args.file)
    if args.what == "interactions":
        summary = exports.export_interactions_csv(uow, actor, path)
    else:
        summary = exports.export_calendar(uow, actor, path)
    emit(args, summary, f"wrote {summary.rows} rows to {summary.path}")


def h_settings(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    """``settings [KEY]``: a read (``settings KEY VALUE`` is a use case)."""
    keys = [args.key] if args.key else sorted(settings.DEFAULTS)
    values = {k: settings.get(uow, k) for k in keys}
    emit(args, values, "\n".join(f"{k} = {v}" for k, v in values.items()))


def h_users(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    """``users [list]`` and ``history``: reads, in one read-only unit."""
    from desktop import cli_admin

    cli_admin.handle_read(args, uow, actor, emit)


def h_settings_lists(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    """``types list`` and ``fields list``."""
    from desktop import cli_admin

    cli_admin.handle_settings_read(args, uow, actor, emit)


def h_card(args: argparse.Namespace, uow: UnitOfWork, actor: Actor, emit: Emit) -> None:
    from services.feed import card  # the card reads mail accounts, boards, custom fields

    data = card.card(uow, actor, args.kind, args.id)
    lines = [f"{data.kind} {data.object_id}: {data.title} (owner {data.owner_name})"]
    lines += [f"  {p.raw}" for p in data.points]
    lines += [f"  deal {d.id}: {d.title} [{d.stage}]" for d in data.deals or ()]
    lines += [f"  contact {c.id}: {c.full_name}" for c in data.contacts]
    if data.memo:
        lines.append(f"  memo: {data.memo}")
    emit(args, data, "\n".join(lines))


HANDLERS: dict[str, Handler] = {
    "clients": h_clients,
    "leads": h_leads,
    "contacts": h_contacts,
    "deals": h_deals,
    "pipelines": h_pipelines,
    "interactions": h_interactions,
    "feed": h_feed,
    "export": h_export,
    "settings": h_settings,
    "users": h_users,
    "history": h_users,
    "types": h_settings_lists,
    "fields": h_settings_lists,
    "card": h_card,
}


def dispatch(args: argparse.Namespace, emit: Emit) -> int:
    if args.command == "selftest":
        from desktop import selftest

        report = selftest.run(args.db)
        emit(args, report, selftest.describe(report))
        return 0 if report["ok"] else 1
    if args.command == "admin":
        from desktop import cli_team

        return cli_team.handle(args, emit)
    if args.command == "replica":
        from desktop import cli_replica

        return cli_replica.handle(args, emit)
    db = open_database(args.db)
    try:
        bootstrap.ensure_initial_data(db)
        import_runs.sweep(db)  # an import killed half-way leaves nothing behind
        if args.command == "demo":
            from services.demo import use_cases as demo

            with db.reader() as uow:
                actor = bootstrap.session_actor(uow, args.user)
            summary = demo.load_demo(
                db,
                actor,
                clients=args.clients,
                seed=args.seed,
                big_client_interactions=args.big_client,
            ).value
            emit(args, summary, demo_line(summary))
            return 0
        if args.command in ("backup", "restore"):
            from desktop import cli_links
            from services.core.access import Permission

            # A copy holds every manager's records; a restore replaces them.
            with _session(db, args.user) as (_, actor):
                actor.require(Permission.SETTINGS)
            cli_links.handle_backup(args, db, emit)
            return 0
        if args.command == "import":
            with _session(db, args.user, read_only=True) as (_uow, actor):
                pass
            h_import(args, db, actor, emit)
            return 0
        from desktop import cli_use_cases

        use_case = cli_use_cases.handler_for(args)
        if use_case is not None:  # it opens its own units of work
            with db.reader() as uow:
                actor = bootstrap.session_actor(uow, args.user)
            use_case(args, db, actor, emit)
            return 0
        with _session(db, args.user, read_only=is_read_only(args)) as (uow, actor):
            if args.command == "run-due":
                from desktop import cli_jobs

                uow.session.rollback()  # no read transaction held across the jobs
                cli_jobs.handle(args, db, actor, emit)
            elif args.command in ("link", "points", "calls", "why"):
                from desktop import cli_links

                cli_links.handle(args, db, uow, actor, emit)
            elif args.command == "templates":
                from desktop import cli_templates

                cli_templates.handle(args, uow, actor, emit)
            elif args.command in ("drafts", "ai"):
                from desktop import cli_ai

                cli_ai.handle(args, uow, actor, emit)
            elif args.command in ("mail", "outbox"):
                from desktop import cli_mail

                fn = cli_mail.handle_mail if args.command == "mail" else cli_mail.handle_outbox
                fn(args, db, uow, actor, emit)
            else:
                HANDLERS[args.command](args, uow, actor, emit)
        return 0
    finally:
        db.dispose()
