"""``touchpoint drafts``: the AI drafts queued while their server was out of
reach (SPEC E3). The app writes them when the server answers; here an
admin or a script sees what waits, what failed and why, and drops one."""

from __future__ import annotations

import argparse
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


def handle(args: argparse.Namespace, uow: Any, actor: Any, emit: Any) -> None:
    from services.ai import drafts as ai_drafts

    if args.action == "list":
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
