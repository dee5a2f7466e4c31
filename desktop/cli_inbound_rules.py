"""``touchpoint rules`` and ``sources``: the rules and sources of inbound
requests (issue #18), set up by admins and scripts; the dry run
(``rules test``) replays the last requests through saved or draft rules.

Apart from ``cli_inbound`` (the requests themselves) because setting up is
its own job with its own lookups (users and roles by login or name).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from services.core.errors import ValidationError

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.core.access import Actor
    from services.core.storage import Database


def user_id(db: Database, ref: str | None) -> int | None:
    """A user named on the command line by login or id (``None`` when not named)."""
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


def role_id(db: Database, ref: str | None) -> int | None:
    """A role named on the command line by name or id (``None`` when not named)."""
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
        role_id=role_id(db, args.role),
        user_id=user_id(db, args.rule_user),
        queue_user_ids=tuple(u for q in queue if (u := user_id(db, q)) is not None),
        action=args.rule_action,
        pipeline_id=args.pipeline,
        stage_id=args.stage,
        deal_owner_id=user_id(db, args.deal_owner),
        rejection_reason_id=args.reason,
        active=not args.inactive,
    )


def _dry_line(row: Any) -> str:
    mark = "same" if row.same else "CHANGED"
    would = row.would_owner or (f"role {row.would_role}" if row.would_role else "nobody")
    lead = " +lead" if row.would_new_lead else ""
    return (
        f"{row.request_id}\t{mark}\twould: {row.would_rule or '-'} → {would}, "
        f"{row.would_effect}{lead}\tdid: {row.did_rule or '-'} → {row.did_owner or 'nobody'}, "
        f"{row.did_effect or 'none'}\t{row.subject}"
    )


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
    from desktop.cli_values import field_map
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
