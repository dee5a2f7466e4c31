"""``touchpoint templates``: letter templates for scripts and admins (SPEC E1,
E2): list, show, add, edit, check without saving, and apply to a client.

Template texts are long and multi-line, so each can come from a file
(``--body-file``) or standard input (``--body-file -``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from services.core.errors import ValidationError

MAX_FILE = 1_000_000  # far above MAX_BODY: a bigger file is not a template


def _text_flags(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--subject", required=required, help="the subject line (a template)")
    body = p.add_mutually_exclusive_group(required=required)
    body.add_argument("--body", help="the body text (a template)")
    body.add_argument(
        "--body-file", metavar="FILE", help="read the body from FILE (UTF-8); '-' for stdin"
    )


def add_parsers(sub: Any, json_flag: Any) -> None:
    templates = sub.add_parser(
        "templates", help="letter templates: list, show, add, edit, check, apply"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = templates.add_parser("list", help="templates by name (shared by every user)")
    p.add_argument("--all", action="store_true", help="deactivated ones too")
    json_flag(p)
    p = templates.add_parser("show", help="one template with its subject and body")
    p.add_argument("id", type=int)
    json_flag(p)
    p = templates.add_parser("add", help="save a new template (checked first)")
    p.add_argument("name")
    _text_flags(p, required=True)
    p.add_argument(
        "--ai", action="store_true", help="an AI template: the body is the prompt for the AI"
    )
    json_flag(p)
    p = templates.add_parser("edit", help="change a template (your own; any, as administrator)")
    p.add_argument("id", type=int)
    p.add_argument("--name")
    _text_flags(p, required=False)
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--ai", dest="ai", action="store_true", default=None)
    kind.add_argument("--no-ai", dest="ai", action="store_false")
    state = p.add_mutually_exclusive_group()
    state.add_argument("--activate", dest="active", action="store_true", default=None)
    state.add_argument(
        "--deactivate", dest="active", action="store_false", help="hide it from the picker"
    )
    json_flag(p)
    p = templates.add_parser(
        "check", help="check a template text without saving it, or a saved one by --id"
    )
    p.add_argument("--id", type=int, metavar="ID", help="a saved template")
    p.add_argument("--subject", default="")
    body = p.add_mutually_exclusive_group()
    body.add_argument("--body")
    body.add_argument("--body-file", metavar="FILE")
    p.add_argument("--ai", action="store_true", help="check as an AI template")
    json_flag(p)
    p = templates.add_parser("apply", help="fill a template in for a client (nothing is sent)")
    p.add_argument("id", type=int)
    p.add_argument("--client", type=int, metavar="ID", required=True)
    p.add_argument("--contact", type=int, metavar="ID", required=True)
    p.add_argument("--deal", type=int, metavar="ID", required=True)
    json_flag(p)


def read_text(path: str, what: str) -> str:
    """A text from a file or stdin ('-'), bounded: a template, not a dump."""
    if path == "-":
        text = sys.stdin.read(MAX_FILE + 1)
    else:
        file = Path(path)
        if not file.is_file():
            raise ValidationError(f"No such file: {file}")
        with file.open("rb") as handle:
            raw = handle.read(MAX_FILE + 1)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(f"The {what} file {file} is not UTF-8 text") from None
    if len(text) > MAX_FILE:
        raise ValidationError(f"The {what} is longer than {MAX_FILE:,} characters")
    return text


def _body(args: argparse.Namespace) -> str | None:
    if args.body_file is not None:
        return read_text(args.body_file, "body")
    return args.body  # type: ignore[no-any-return]


def _line(t: Any) -> str:
    flags = (" [AI]" if t.ai else "") + ("" if t.active else " [inactive]")
    return f"{t.id}\t{t.name}{flags}\t{t.author_name}"


def handle(args: argparse.Namespace, uow: Any, actor: Any, emit: Any) -> None:
    from services.templates import store as templates

    action = args.action
    if action == "list":
        rows = templates.list_templates(uow, actor, include_inactive=args.all)
        emit(
            args,
            rows,
            "\n".join(_line(t) for t in rows)
            or "No templates yet: add one with 'touchpoint templates add NAME --subject … "
            "--body …'",
        )
    elif action == "show":
        view = templates.get(uow, actor, args.id)
        emit(args, view, f"{_line(view)}\nSubject: {view.subject}\n\n{view.body}")
    elif action == "check":
        if args.id is not None:
            saved = templates.get(uow, actor, args.id)
            subject, body, ai = saved.subject, saved.body, saved.ai
        else:
            subject, body, ai = args.subject, _body(args) or "", args.ai
        templates.check(uow, subject, body, ai=ai)
        emit(args, {"ok": True, "ai": ai}, "The template is fine")
    else:
        draft = templates.apply(
            uow, actor, args.id, args.client, args.contact, args.deal, dt.datetime.now(dt.UTC)
        )
        human = f"Subject: {draft.subject}\n\n" + (
            f"(AI template: the prompt)\n{draft.prompt}" if draft.ai else draft.body
        )
        emit(args, draft, human)


def use_case(args: argparse.Namespace, db: Any, actor: Any, emit: Any) -> None:
    """``templates add|edit``: the use cases Settings → Templates calls."""
    from services.templates import use_cases as templates

    if args.action == "add":
        body = _body(args) or ""
        view = templates.add_template(db, actor, args.name, args.subject, body, ai=args.ai).value
    else:
        view = templates.edit_template(
            db,
            actor,
            args.id,
            name=args.name,
            subject=args.subject,
            body=_body(args),
            ai=args.ai,
            active=args.active,
        ).value
    emit(args, view, f"template {view.id} saved: {view.name}")
