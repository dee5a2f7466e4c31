"""``touchpoint mail …`` and ``touchpoint outbox …``: mailboxes, sync, sending."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING, Any

from services.core.errors import ValidationError

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from services.core.access import Actor
    from services.core.storage import Database

# services.mail.accounts.SECURITY, without loading the mail services to parse
# (a test checks they agree).
SECURITY = ("tls", "starttls", "plain")


def add_parsers(sub: Any, json_flag: Any) -> None:
    mail = sub.add_parser(
        "mail",
        help="mailboxes: account add|list|set|remove, sync, send, letters, unlinked, link, unlink",
    )
    mail_sub = mail.add_subparsers(dest="action", metavar="<action>", required=True)
    account = mail_sub.add_parser("account", help="linked mailboxes").add_subparsers(
        dest="account_action", metavar="<action>", required=True
    )
    p = account.add_parser("add", help="link a mailbox (password from stdin or a prompt)")
    p.add_argument("email")
    p.add_argument("--imap-host", required=True)
    p.add_argument("--imap-port", type=int)
    p.add_argument("--imap-security", choices=SECURITY, default="tls")
    p.add_argument("--imap-user")
    p.add_argument("--smtp-host", required=True)
    p.add_argument("--smtp-port", type=int)
    p.add_argument("--smtp-security", choices=SECURITY, default="starttls")
    p.add_argument("--smtp-user")
    p.add_argument("--name", help="display name on sent letters")
    p.add_argument("--ca-file", help="also trust this CA (certificates stay verified)")
    p.add_argument("--sync-minutes", type=int, default=5)
    p.add_argument(
        "--allow-plaintext",
        action="store_true",
        help="accept a server without TLS (the password crosses the network readable)",
    )
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin",
    )
    p.add_argument(
        "--no-test",
        action="store_true",
        help="add without first logging in to IMAP and SMTP (e.g. while offline)",
    )
    json_flag(p)
    p = account.add_parser("list", help="linked mailboxes")
    json_flag(p)
    p = account.add_parser("set", help="change a mailbox: check interval, pause, sender name")
    p.add_argument("id", type=int)
    p.add_argument("--sync-minutes", type=int, metavar="N", help="check for mail every N minutes")
    p.add_argument("--enabled", choices=("yes", "no"), help="no: pause syncing and sending")
    p.add_argument("--name", help="display name on sent letters (empty: none)")
    p.add_argument(
        "--aliases",
        metavar="A,B",
        help="your other addresses, comma-separated (empty: none): letters from them "
        "count as sent by you, in any folder",
    )
    json_flag(p)
    p = account.add_parser("remove", help="unlink a mailbox and forget its password")
    p.add_argument("id", type=int)
    json_flag(p)
    p = mail_sub.add_parser("sync", help="import INBOX and Sent now")
    p.add_argument("--account", type=int, metavar="ID", help="one account (default: all)")
    p.add_argument("--batch", type=int, default=None, help=argparse.SUPPRESS)
    json_flag(p)
    p = mail_sub.add_parser("send", help="write a letter: now or at --at (goes via the outbox)")
    p.add_argument("--account", type=int, required=True, metavar="ID")
    p.add_argument("--to", action="append", required=True)
    p.add_argument("--cc", action="append", default=[])
    p.add_argument("--subject", required=True)
    p.add_argument("--body", default="")
    p.add_argument("--at", metavar="TIME", help="send at this time (default: now)")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--client", type=int, metavar="ID")
    group.add_argument("--lead", type=int, metavar="ID")
    group.add_argument("--deal", type=int, metavar="ID")
    p.add_argument("--contact", type=int, action="append", default=[], metavar="ID")
    json_flag(p)

    from desktop import cli_links

    cli_links.add_mail_parsers(mail_sub, json_flag)

    out = sub.add_parser("outbox", help="letters waiting to go: list, send-due, cancel")
    out_sub = out.add_subparsers(dest="action", metavar="<action>", required=True)
    p = out_sub.add_parser("list", help="the outbox")
    p.add_argument(
        "--state", action="append", default=[], choices=("queued", "sending", "sent", "failed")
    )
    json_flag(p)
    p = out_sub.add_parser("send-due", help="send what is due now (for cron)")
    p.add_argument("--account", type=int, metavar="ID")
    json_flag(p)
    p = out_sub.add_parser("cancel", help="stop a letter that has not gone yet")
    p.add_argument("id", type=int)
    json_flag(p)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin or not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\r\n")
    else:
        line = getpass.getpass(f"Password for {args.email}: ")
    if not line:
        raise ValidationError("No password given (pipe it on stdin or type it at the prompt)")
    return line


def handle_mail(args: argparse.Namespace, db: Database, uow: Any, actor: Any, emit: Any) -> None:
    from services.mail import accounts

    if args.action in ("letters", "unlinked", "link", "unlink"):
        from desktop import cli_links

        cli_links.handle_mail(args, db, uow, actor, emit)
        return
    from services.mail import imap_sync

    if args.action == "account":  # list only: the rest are use cases
        rows = accounts.list_accounts(uow, actor)
        emit(
            args,
            rows,
            "\n".join(
                f"{a.id}\t{a.email}\t{a.imap_host}:{a.imap_port}\tlast sync {a.last_sync_at}"
                + (f"\terror: {a.last_error}" if a.last_error else "")
                for a in rows
            )
            or "No mailbox linked yet: touchpoint mail account add EMAIL --imap-host … "
            "--smtp-host …",
        )
    elif args.action == "sync":
        ids = (
            [args.account]
            if args.account
            else [a.id for a in accounts.list_accounts(uow, actor) if a.enabled]
        )
        if args.account:
            accounts.get_row(uow, actor, args.account)
        uow.session.rollback()  # the sync writes in its own transactions
        from desktop import heap

        heap.freeze_startup_heap()  # full collections during a long sync skip the start-up heap
        # The app's and run-due's batch (imap_sync.DEFAULT_BATCH) unless a test asks for another.
        batch = imap_sync.DEFAULT_BATCH if args.batch is None else args.batch
        results = [imap_sync.sync_account(db, i, batch=batch) for i in ids]
        payload: list[dict[str, Any]] = []
        lines = []
        for r in results:
            payload.append(
                {
                    "id": r.account_id,
                    "imported": r.imported,
                    "linked": r.linked,
                    "unlinked": r.unlinked,
                    "seen": r.seen,
                    "bodies_fetched": r.bodies_fetched,
                    "folders": list(r.folders),
                    "skipped": [
                        {"folder": s.folder, "uid": s.uid, "reason": s.reason} for s in r.skipped
                    ],
                }
            )
            lines.append(
                f"account {r.account_id}: imported {r.imported}, already linked "
                f"{r.linked}, unlinked {r.unlinked}, seen before {r.seen}, "
                f"skipped {len(r.skipped)}"
            )
            lines += [f"  skipped {s.folder} UID {s.uid}: {s.reason}" for s in r.skipped]
        emit(args, payload, "\n".join(lines) or "No mailbox linked yet.")


def handle_outbox(args: argparse.Namespace, db: Database, uow: Any, actor: Any, emit: Any) -> None:
    from services.mail import accounts, outbox
    from services.mail import use_cases as mail_cases  # IMAP and SMTP only when used

    if args.action == "list":
        rows = outbox.list_items(uow, actor, args.state)
        emit(
            args,
            rows,
            "\n".join(
                f"{r.id}\t{r.state}\t{r.send_at.isoformat()}\t{', '.join(r.to)}\t{r.subject}"
                + (f"\t({r.last_error})" if r.last_error else "")
                for r in rows
            )
            or "The outbox is empty.",
        )
    else:
        if args.account is not None:
            accounts.get_row(uow, actor, args.account)  # only one's own mailbox
        uow.session.rollback()
        report = mail_cases.send_due(db, account_id=args.account).value
        emit(
            args,
            report,
            f"sent {len(report.sent)}, retrying {len(report.retrying)}, "
            f"failed {len(report.failed)}, recovered {len(report.recovered)}"
            + "".join(f"\n  {i}: {why}" for i, why in (*report.retrying, *report.failed)),
        )


def account_use_case(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    """``mail account add|set|remove``: the use cases Settings → Mail calls."""
    from services.mail import accounts
    from services.mail import use_cases as mail_cases  # IMAP and SMTP only when used

    if args.account_action == "add":
        spec = accounts.AccountSpec(
            email=args.email,
            imap_host=args.imap_host,
            imap_port=args.imap_port,
            imap_security=args.imap_security,
            imap_user=args.imap_user,
            smtp_host=args.smtp_host,
            smtp_port=args.smtp_port,
            smtp_security=args.smtp_security,
            smtp_user=args.smtp_user,
            display_name=args.name,
            ca_file=args.ca_file,
            sync_minutes=args.sync_minutes,
            allow_plaintext=args.allow_plaintext,
        )
        password = _password(args)
        view = mail_cases.add_account(db, actor, spec, password, check=not args.no_test).value
        for warning in view.warnings:
            print(f"touchpoint: warning: {warning}", file=sys.stderr)
        emit(args, view, f"mail account {view.id}: {view.email}")
    elif args.account_action == "set":
        view = mail_cases.update_account(
            db,
            actor,
            args.id,
            sync_minutes=args.sync_minutes,
            enabled=None if args.enabled is None else args.enabled == "yes",
            display_name=args.name,
            aliases=None if args.aliases is None else args.aliases.split(","),
        ).value
        emit(
            args,
            view,
            f"mail account {view.id}: {view.email}, every {view.sync_minutes} min"
            + ("" if view.enabled else ", paused"),
        )
    else:
        mail_cases.remove_account(db, actor, args.id)
        emit(args, {"id": args.id, "removed": True}, f"mail account {args.id} removed")


def send_use_case(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    """``mail send``: the use case the compose dialog calls."""
    from desktop.cli_values import parse_time
    from services.mail import use_cases as mail_cases  # IMAP and SMTP only when used

    when = parse_time(args.at, "time") if args.at else None
    if when is not None and when.tzinfo is None:
        from services.core import settings, timezones

        with db.reader() as uow:
            zone = settings.display_zone(uow)
        when = when.replace(tzinfo=timezones.zone(zone))
    letter = mail_cases.send_letter(
        db,
        actor,
        mail_cases.Letter(
            args.account,
            to=args.to,
            cc=args.cc,
            subject=args.subject,
            body=args.body,
            send_at=when,
            client_id=args.client,
            lead_id=args.lead,
            deal_id=args.deal,
            contact_ids=tuple(args.contact),
        ),
    ).value
    emit(args, letter, f"letter {letter.id} queued for {letter.send_at.isoformat()}")


def cancel_use_case(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    """``outbox cancel``: the use case the mail panel's Stop calls."""
    from services.mail import use_cases as mail_cases  # IMAP and SMTP only when used

    view = mail_cases.cancel_letter(db, actor, args.id).value
    emit(args, view, f"letter {view.id} cancelled")
