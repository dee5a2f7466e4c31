"""``touchpoint drafts``: the AI drafts queued while their server was out of
reach (SPEC E3). The app writes them when the server answers; here an
admin or a script sees what waits, what failed and why, and drops one.

``touchpoint ai``: the AI server settings (the key read from stdin into the
OS keyring, never from the command line, where ``ps`` and the shell history
would see it), a connection test, and a draft from an AI template. A draft
shows exactly the messages sent (``--preview`` sends nothing) and is only
printed: a person reviews and sends it (SPEC E2).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Any


def add_parsers(sub: Any, json_flag: Any) -> None:
    drafts = sub.add_parser(
        "drafts", help="AI drafts queued while the AI server was out of reach: list, drop"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = drafts.add_parser("list", help="queued, ready and failed drafts (newest first)")
    p.add_argument("--client", type=int, metavar="ID", help="only this client's")
    json_flag(p)
    p = drafts.add_parser("drop", help="forget a draft; one being written is discarded")
    p.add_argument("id", type=int)
    json_flag(p)

    ai = sub.add_parser("ai", help="AI drafting: settings, test, draft").add_subparsers(
        dest="action", metavar="<action>", required=True
    )
    p = ai.add_parser(
        "settings",
        help="show the AI server settings; with options, change them (administrators)",
        description="Without options, shows the settings (never the key). Options change "
        "only what they name. The API key is read from the first line of stdin with "
        "--api-key-stdin and goes to the OS keyring only.",
    )
    p.add_argument("--base-url", metavar="URL", help="e.g. http://localhost:11434/v1 (Ollama)")
    p.add_argument("--model", help="e.g. llama3.1")
    p.add_argument("--timeout", type=float, metavar="SECONDS")
    p.add_argument("--instructions", help="house rules added to every prompt")
    key = p.add_mutually_exclusive_group()
    key.add_argument(
        "--api-key-stdin", action="store_true", help="read the API key from stdin's first line"
    )
    key.add_argument("--forget-key", action="store_true", help="forget the saved API key")
    json_flag(p)
    p = ai.add_parser("test", help="a one-word generation with the saved settings")
    json_flag(p)
    p = ai.add_parser(
        "draft", help="fill an AI template in for a client and generate the letter (not sent)"
    )
    p.add_argument("template", type=int, metavar="TEMPLATE_ID")
    p.add_argument("--client", type=int, metavar="ID", required=True)
    p.add_argument("--contact", type=int, metavar="ID", required=True)
    p.add_argument("--deal", type=int, metavar="ID", required=True)
    p.add_argument("--prompt", help="use this prompt instead of the template's filled-in one")
    p.add_argument(
        "--preview", action="store_true", help="show exactly what would be sent; send nothing"
    )
    json_flag(p)


def handle(args: argparse.Namespace, uow: Any, actor: Any, emit: Any) -> None:
    from services.ai import drafts as ai_drafts

    if args.command == "ai":
        handle_ai(args, uow, actor, emit)
    elif args.action == "list":
        rows = ai_drafts.open_requests(uow, actor, client_id=args.client)
        emit(
            args,
            rows,
            "\n".join(
                f"{d.id}\t{d.state}\t{d.client_name}\t{d.subject}"
                + (f"\t{d.last_error}" if d.last_error else "")
                for d in rows
            )
            or "No AI drafts wait: a letter queues one when the AI server cannot be reached",
        )
    else:
        view = ai_drafts.drop(uow, actor, args.id)
        uow.commit()
        emit(args, view, f"AI draft {view.id} dropped")


def _settings_line(current: Any) -> str:
    key = "saved" if current.has_key else "none"
    lines = [
        f"server: {current.base_url or '(not set)'}",
        f"model: {current.model or '(not set)'}",
        f"timeout: {current.timeout_s:g} s",
        f"API key: {key}",
    ]
    if current.instructions:
        lines.append(f"instructions: {current.instructions}")
    if current.keyring_problem:
        lines.append(f"keyring: {current.keyring_problem}")
    return "\n".join(lines)


def _api_key(args: argparse.Namespace) -> str | None:
    from services.core.errors import ValidationError

    if args.forget_key:
        return ""
    if not args.api_key_stdin:
        return None
    line = sys.stdin.readline(4096).rstrip("\r\n")
    if not line:
        raise ValidationError("No API key on stdin (pipe it in: … | touchpoint ai settings …)")
    return line


def handle_ai(args: argparse.Namespace, uow: Any, actor: Any, emit: Any) -> None:
    import asyncio
    import datetime as dt

    from services.ai import client as ai
    from services.ai import settings as ai_settings
    from services.templates import store as templates

    if args.action == "settings":  # a read: saving is ai_settings_use_case
        current = ai_settings.load(uow)
        emit(args, current, _settings_line(current))
        return
    if args.action == "test":
        config = ai_settings.config(uow)
        uow.session.rollback()  # no transaction held while the server thinks
        answer = asyncio.run(ai.draft(config, ai.TEST_MESSAGES))
        where = ai_settings.safe_url(config.base_url)
        emit(
            args,
            {"ok": True, "server": where, "model": config.model, "answer": answer},
            f"{where} answered with {config.model}: {' '.join(answer.split())[:200]}",
        )
        return
    draft = templates.apply(
        uow, actor, args.template, args.client, args.contact, args.deal, dt.datetime.now(dt.UTC)
    )
    if args.prompt is not None:
        draft = dataclasses.replace(draft, prompt=args.prompt)
    untrusted = templates.inbound_for(uow, actor, args.client, args.contact)
    messages = ai_settings.preview(uow, actor, draft, untrusted)
    target = None if args.preview else ai_settings.config(uow)
    uow.session.rollback()  # no transaction held while the server thinks
    body = None if target is None else asyncio.run(ai.draft(target, messages))
    payload = {
        "template_id": draft.template_id,
        "subject": draft.subject,
        "messages": [{"role": m.role, "content": m.content} for m in messages],
        "body": body,
        "sent": not args.preview,
    }
    shown = "\n\n".join(f"--- {m.role}\n{m.content}" for m in messages)
    human = (
        f"What would be sent:\n{shown}"
        if body is None
        else f"Subject: {draft.subject}\n\n{body}\n\n(a draft: review it before sending)"
    )
    emit(args, payload, human)


def changes_settings(args: argparse.Namespace) -> bool:
    """``ai settings`` with something to change (else it only shows them)."""
    given = (args.base_url, args.model, args.timeout, args.instructions)
    return any(v is not None for v in given) or bool(args.api_key_stdin or args.forget_key)


def ai_settings_use_case(args: argparse.Namespace, db: Any, actor: Any, emit: Any) -> None:
    """``ai settings --model …``: the use case Settings → AI calls."""
    from services.ai import settings as ai_settings
    from services.ai import use_cases as ai_cases

    with db.reader() as uow:
        current = ai_settings.load(uow)
    saved = ai_cases.save_ai_settings(
        db,
        actor,
        base_url=current.base_url if args.base_url is None else args.base_url,
        model=current.model if args.model is None else args.model,
        timeout_s=current.timeout_s if args.timeout is None else args.timeout,
        instructions=current.instructions if args.instructions is None else args.instructions,
        api_key=_api_key(args),
    ).value
    emit(args, saved, _settings_line(saved))
