"""The CLI commands that change something: each parses its options, calls
the one use case the desktop calls too, and prints the result.

A use case opens its own units of work (and runs the linking job when an
address or a call log calls for it), so no transaction is open here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from desktop import (
    cli_attachments,
    cli_edit,
    cli_inbound,
    cli_mail,
    cli_notes,
    cli_pipelines,
    cli_scenarios,
)
from desktop.cli_handlers import Emit, client_line, interaction_line
from desktop.cli_values import existing_file, field_map, next_step, parse_fields, parse_time
from services.core.access import Actor
from services.core.errors import ValidationError
from services.core.storage import Database
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.linking import use_cases as linking
from services.parties import use_cases as parties

UseCaseHandler = Callable[[argparse.Namespace, Database, Actor, Emit], None]


def _clients(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    view = parties.add_client(
        db,
        actor,
        args.name,
        owner_id=args.owner,
        region=args.region,
        timezone=args.timezone,
        address=args.address,
        emails=args.email,
        phones=args.phone,
        custom=parse_fields(args.field),
    ).value
    emit(args, view, client_line(view))


def _leads(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    view = parties.add_lead(
        db,
        actor,
        args.name,
        company=args.company,
        owner_id=args.owner,
        region=args.region,
        timezone=args.timezone,
        emails=args.email,
        phones=args.phone,
    ).value
    emit(args, view, client_line(view))


def _contacts(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    view = parties.add_contact(
        db,
        actor,
        args.name,
        client_id=args.client,
        lead_id=args.lead,
        position=args.position,
        emails=args.email,
        phones=args.phone,
        custom=parse_fields(args.field),
    ).value
    emit(args, view, f"contact {view.id}: {view.full_name}")


def _deals(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    if args.action == "add":
        spec = parties.NewDeal(
            title=args.title,
            client_id=args.client,
            lead_id=args.lead,
            pipeline=args.pipeline,
            stage=args.stage,
            owner_id=args.owner,
            amount=args.amount,
            currency=args.currency,
        )
        view = parties.add_deal(db, actor, spec, next_step(args)).value
    else:
        view = parties.move_deal(db, actor, args.id, args.stage).value
    emit(args, view, f"deal {view.id}: {view.title} [{view.pipeline} / {view.stage}]")


def _interactions(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    action = args.action
    if action == "add":
        spec = ix.NewInteraction(
            type=args.type,
            planned=args.planned,
            start=parse_time(args.at, "start") if args.at else None,
            tz=args.tz,
            client_id=args.client,
            lead_id=args.lead,
            deal_id=args.deal,
            contact_ids=tuple(args.contact),
            owner_id=args.owner,
            direction=args.direction,
            duration_min=args.duration,
            subject=args.subject,
            body=args.body,
        )
        view = interactions.log_interaction(db, actor, spec).value
    elif action == "done":
        view = interactions.complete(
            db, actor, args.id, next_step=next_step(args), result=args.result
        ).value
    elif action == "cancel":
        view = interactions.cancel(db, actor, args.id, next_step=next_step(args)).value
    elif action == "restore":
        start = parse_time(args.at) if args.at else None
        view = interactions.restore(db, actor, args.id, start=start, tz=args.tz).value
    else:
        view = interactions.reschedule(db, actor, args.id, parse_time(args.at), args.tz).value
    emit(args, view, interaction_line(view))


def _target(args: argparse.Namespace) -> tuple[str, int]:
    for kind in ("client", "lead", "contact"):
        value = getattr(args, kind, None)
        if value is not None:
            return kind, value
    raise ValidationError("Choose --client, --lead or --contact")


def _link(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    report = linking.run_linking(db).value
    emit(
        args,
        report,
        f"linked {report.emails} letters and {report.calls} calls; "
        f"{report.ties} ties to review; {report.bodies_pending} bodies to fetch",
    )


def _points(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    kind, object_id = _target(args)
    point_kind, raw = ("email", args.email) if args.email else ("phone", args.phone)
    linking_now = not args.no_link
    added = parties.add_point(db, actor, point_kind, raw, kind, object_id, link=linking_now).value
    point, report = added.point, added.linked
    if report is None:
        emit(args, {"point": point, "linked": None}, f"{point.raw} saved; not linked yet")
        return
    emit(
        args,
        {"point": point, "linked": report},
        f"{point.raw} saved; linked {report.emails} letters and {report.calls} calls",
    )


def _calls(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    mapping = field_map(args.map)
    done = linking.import_calls(
        db,
        actor,
        existing_file(args.file),
        preset=args.preset,
        mapping=mapping,
        source=args.source,
    ).value
    result = done.imported
    emit(
        args,
        {
            "created": result.created,
            "already": result.already,
            "rejected": [{"line": n, "reason": r} for n, r in result.rejected],
            "linked": done.linked,
            "ties": done.ties,
        },
        f"calls: created {result.created}, already there {result.already}, rejected "
        f"{len(result.rejected)}, linked {done.linked}"
        + "".join(f"\n  line {n}: {r}" for n, r in result.rejected),
    )


def _mail(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    if args.action == "unlink":
        linking.unlink_letter(db, actor, args.message)
        emit(args, {"id": args.message, "unlinked": True}, f"letter {args.message} unlinked")
        return
    kind, object_id = _target(args)
    done = linking.link_letter(
        db,
        actor,
        args.message,
        kind,
        object_id,
        save_address=args.save_address,
        never=args.never,
    ).value
    hint = ""
    if done.offer_address and not (args.save_address or args.never):
        hint = f"\nSave {done.offer_address} on the card? Run again with --save-address, or --never"
    emit(
        args,
        {
            "interaction_id": done.interaction_id,
            "offer_address": done.offer_address,
            "saved": done.saved,
            "linked": done.linked,
        },
        f"letter {args.message} is now interaction {done.interaction_id}" + hint,
    )


def _users(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from desktop import cli_admin

    cli_admin.handle_users(args, db, actor, emit)


def _settings(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from desktop import cli_admin

    cli_admin.handle_settings(args, db, actor, emit)


# (command, action) -> handler; action None: every action of the command.
HANDLERS: dict[tuple[str, str | None], UseCaseHandler] = {
    ("clients", "add"): _clients,
    ("leads", "add"): _leads,
    ("contacts", "add"): _contacts,
    ("deals", "add"): _deals,
    ("deals", "move"): _deals,
    **{("interactions", a): _interactions for a in ("add", "done", "cancel", "restore")},
    ("interactions", "reschedule"): _interactions,
    **cli_notes.HANDLERS,
    **cli_attachments.HANDLERS,
    ("link", None): _link,
    ("points", None): _points,
    ("calls", "import"): _calls,
    ("mail", "link"): _mail,
    ("mail", "unlink"): _mail,
    **cli_edit.HANDLERS,
    **{("users", a): _users for a in ("add", "set-role", "deactivate", "activate", "deputy")},
    **{("types", a): _settings for a in ("add", "rename", "move", "hide", "show")},
    **{("fields", a): _settings for a in ("add", "rename", "move", "remove")},
    ("mail", "send"): cli_mail.send_use_case,
    ("outbox", "cancel"): cli_mail.cancel_use_case,
    **{("scenarios", a): cli_scenarios.handle for a in cli_scenarios.ACTIONS},
    **cli_inbound.HANDLERS,
    **cli_pipelines.HANDLERS,
}


def _database_settings(args: argparse.Namespace, db: Database, actor: Actor, emit: Emit) -> None:
    from services.core import use_cases as core

    saved = core.save_settings(db, actor, {args.key: args.value}).value
    emit(args, saved, "\n".join(f"{k} = {v}" for k, v in saved.items()))


def _writes_when_given(args: argparse.Namespace) -> UseCaseHandler | None:
    """Commands that read without a value and write with one."""
    from desktop import cli_ai, cli_templates

    command, action = args.command, getattr(args, "action", None)
    if command == "mail" and action == "account" and args.account_action != "list":
        return cli_mail.account_use_case
    if command == "settings" and args.key and args.value is not None:
        return _database_settings
    if command == "ai" and action == "settings" and cli_ai.changes_settings(args):
        return cli_ai.ai_settings_use_case
    if command == "templates" and action in ("add", "edit"):
        return cli_templates.use_case
    return None


def handler_for(args: argparse.Namespace) -> UseCaseHandler | None:
    action: Any = getattr(args, "action", None)
    found = HANDLERS.get((args.command, action)) or HANDLERS.get((args.command, None))
    return _writes_when_given(args) or found
