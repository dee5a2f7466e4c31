"""``touchpoint link``, ``points``, ``calls``, ``why`` and manual mail links."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from services.core.errors import ValidationError

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.core.storage import Database


def add_parsers(sub: Any, json_flag: Any) -> None:
    p = sub.add_parser("link", help="link earlier mail and calls to cards now (the scheduled job)")
    json_flag(p)
    points = sub.add_parser("points", help="addresses and numbers on cards: add").add_subparsers(
        dest="action", metavar="<action>", required=True
    )
    p = points.add_parser("add", help="put an email or phone on a card, then link its history")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--client", type=int, metavar="ID")
    group.add_argument("--lead", type=int, metavar="ID")
    group.add_argument("--contact", type=int, metavar="ID")
    value = p.add_mutually_exclusive_group(required=True)
    value.add_argument("--email")
    value.add_argument("--phone")
    p.add_argument(
        "--no-link",
        action="store_true",
        help="only save it; its earlier letters and calls follow at the next `link` or "
        "scheduled run",
    )
    json_flag(p)
    calls = sub.add_parser(
        "calls", help="PBX call logs: import, list, link, unlink"
    ).add_subparsers(dest="action", metavar="<action>", required=True)
    p = calls.add_parser("import", help="import a call log CSV (twice changes nothing)")
    p.add_argument("file")
    p.add_argument("--preset", choices=("asterisk", "freepbx", "generic"), default="generic")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="column for a field: started_at, direction, number, duration_s, result, "
        "call_id, recording, src, dst",
    )
    p.add_argument("--source", help="name of the PBX (keys calls together with their ids)")
    json_flag(p)
    p = calls.add_parser("list", help="imported calls with their links, oldest first")
    p.add_argument("--unlinked", action="store_true", help="only calls on no card")
    p.add_argument("--after", type=int, metavar="ID", help="continue after this call id")
    p.add_argument("--limit", type=int, default=500)
    json_flag(p)
    p = calls.add_parser("link", help="put a call on a card by hand")
    p.add_argument("call", type=int, metavar="CALL_ID")
    _card_group(p)
    answer = p.add_mutually_exclusive_group()
    answer.add_argument(
        "--save-number",
        action="store_true",
        help="also save the number on the card (then link its other calls)",
    )
    answer.add_argument("--never", action="store_true", help="never offer this number again")
    json_flag(p)
    p = calls.add_parser("unlink", help="take a call off its card (the job leaves it be)")
    p.add_argument("call", type=int, metavar="CALL_ID")
    json_flag(p)
    p = sub.add_parser("why", help="why an imported letter or call is in a feed")
    p.add_argument("interaction", type=int, metavar="INTERACTION_ID")
    json_flag(p)


def _card_group(p: Any) -> None:
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--client", type=int, metavar="ID")
    group.add_argument("--lead", type=int, metavar="ID")
    group.add_argument("--contact", type=int, metavar="ID")


def add_mail_parsers(mail_sub: Any, json_flag: Any) -> None:
    p = mail_sub.add_parser(
        "letters",
        help="every stored letter: Message-ID or synthetic key, folder, UIDVALIDITY, UID, "
        "state (header-only, imported, skipped), interaction",
    )
    p.add_argument("--account", type=int, metavar="ID")
    p.add_argument("--folder", metavar="NAME", help="only letters in this server folder")
    p.add_argument("--after", type=int, metavar="ID", help="continue after this letter id")
    p.add_argument("--limit", type=int, default=500)
    json_flag(p)
    p = mail_sub.add_parser("unlinked", help="letters of unknown addresses (header only)")
    p.add_argument("--after", type=int, metavar="ID")
    p.add_argument("--limit", type=int, default=100)
    json_flag(p)
    p = mail_sub.add_parser("link", help="put a letter on a card by hand")
    p.add_argument("message", type=int, metavar="LETTER_ID")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--client", type=int, metavar="ID")
    group.add_argument("--lead", type=int, metavar="ID")
    group.add_argument("--contact", type=int, metavar="ID")
    answer = p.add_mutually_exclusive_group()
    answer.add_argument(
        "--save-address",
        action="store_true",
        help="also save the sender's address on the card (then link its history)",
    )
    answer.add_argument(
        "--never", action="store_true", help="never offer to save this address again"
    )
    json_flag(p)
    p = mail_sub.add_parser("unlink", help="take a letter off its card (the job leaves it be)")
    p.add_argument("message", type=int, metavar="LETTER_ID")
    json_flag(p)


def _target(args: argparse.Namespace) -> tuple[str, int]:
    for kind in ("client", "lead", "contact"):
        value = getattr(args, kind, None)
        if value is not None:
            return kind, value
    raise ValidationError("Choose --client, --lead or --contact")


def handle(args: argparse.Namespace, db: Database, uow: Any, actor: Any, emit: Any) -> None:
    if args.command == "calls":  # import is a use case (desktop/cli_use_cases.py)
        _handle_calls(args, db, uow, actor, emit)
    elif args.command == "why":
        from services.linking import explain

        found = explain.why(uow, actor, args.interaction)
        emit(
            args,
            found,
            found.reason or "Entered by hand: not imported, so nothing to explain",
        )


def handle_mail(args: argparse.Namespace, db: Database, uow: Any, actor: Any, emit: Any) -> None:
    from services.linking import manual as manual_links

    if args.action == "letters":
        from services.linking import listing

        letters = listing.letters(
            uow,
            actor,
            account_id=args.account,
            folder=args.folder,
            after_id=args.after,
            limit=args.limit,
        )
        emit(
            args,
            letters,
            "\n".join(
                f"{r.id}\t{r.folder}\t{r.uidvalidity}\t{r.uid}\t{r.state}\t"
                f"{r.interaction_id or '-'}\t{r.message_key}"
                for r in letters
            )
            or "No letters stored.",
        )
    elif args.action == "unlinked":
        rows = manual_links.unlinked(uow, actor, after_id=args.after, limit=args.limit)
        emit(
            args,
            rows,
            "\n".join(f"{r.id}\t{r.direction}\t{r.sender}\t{r.subject}" for r in rows)
            or "No unlinked letters.",
        )


def add_backup_parsers(sub: Any, json_flag: Any) -> None:
    p = sub.add_parser("backup", help="copy the embedded database to a file (safe while in use)")
    p.add_argument("file")
    json_flag(p)
    p = sub.add_parser("restore", help="replace the embedded database with a backup")
    p.add_argument("file")
    json_flag(p)


def handle_backup(args: argparse.Namespace, db: Database, emit: Any) -> None:
    from services.core import bootstrap
    from services.core import use_cases as core

    with db.reader() as uow:
        actor = bootstrap.session_actor(uow, args.user)
    if args.command == "backup":
        result = core.backup_database(db, actor, Path(args.file)).value
        emit(args, result, f"backed up to {result.path} ({result.bytes:,} bytes)")
    else:
        result = core.restore_database(db, actor, Path(args.file)).value
        emit(args, result, f"restored; the previous database is kept as {result.path}")


def _handle_calls(args: argparse.Namespace, db: Database, uow: Any, actor: Any, emit: Any) -> None:
    from services.linking import listing
    from services.linking import manual as manual_links
    from services.linking import use_cases as link_cases

    if args.action == "list":
        rows = listing.calls(
            uow, actor, unlinked=args.unlinked, after_id=args.after, limit=args.limit
        )
        emit(
            args,
            rows,
            "\n".join(
                f"{c.id}\t{c.started_at:%Y-%m-%d %H:%M}\t{c.direction}\t{c.number}\t"
                f"{c.duration_s or 0} s\t{c.interaction_id or '-'}"
                for c in rows
            )
            or "No calls.",
        )
    elif args.action == "link":
        uow.session.rollback()  # the use case opens its own units of work
        kind, object_id = _target(args)
        done = link_cases.link_call(
            db,
            actor,
            args.call,
            kind,
            object_id,
            save_number=args.save_number,
            never=args.never,
        ).value
        hint = ""
        if done.offer_number and not (args.save_number or args.never):
            hint = (
                f"\nSave {done.offer_number} on the card? Run again with --save-number, or --never"
            )
        emit(
            args,
            {
                "interaction_id": done.interaction_id,
                "offer_number": done.offer_number,
                "saved": done.saved,
                "linked": done.linked,
            },
            f"call {args.call} is now interaction {done.interaction_id}" + hint,
        )
    else:
        manual_links.unlink_call(uow, actor, args.call)
        uow.commit()
        emit(args, {"id": args.call, "unlinked": True}, f"call {args.call} unlinked")
