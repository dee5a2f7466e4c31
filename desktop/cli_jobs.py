"""``touchpoint run-due``: one pass of every scheduled job that is due, for
cron or a headless box (the desktop app runs the same jobs on its ticker)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parsers are built on every call: services load on use
    from collections.abc import Sequence

    from services.core.access import Actor
    from services.core.scheduler import JobSpec
    from services.core.storage import Database


def add_parsers(sub: Any, json_flag: Any) -> None:
    p = sub.add_parser(
        "run-due",
        help="run once every scheduled job that is due: mail sync of every enabled "
        "mailbox, linking, the outbox, your queued AI drafts (for cron)",
        description="Runs each due job once, in this order: mail sync per mailbox, the "
        "linking job, the outbox, the acting user's queued AI drafts. A job that fails "
        "is reported with its error and retried later; the others still run. "
        "Exit status 0 when the pass ran (even if a job failed), 2 for bad input.",
    )
    json_flag(p)


def handle(args: argparse.Namespace, db: Database, actor: Actor, emit: Any) -> None:
    from services.jobs import runs
    from services.jobs.registry import Scope

    done = runs.run_due(db, Scope(actor=actor, user_id=None), starting=_freeze_startup_heap)
    payload = {
        "ran": [
            {
                "job": r.key,
                "kind": r.kind,
                "ok": r.ok,
                "summary": r.summary,
                "error": r.error,
                "next_run_at": r.next_run_at,
                "result": r.result,
            }
            for r in done
        ]
    }
    lines = [f"{r.key}: {r.summary}" if r.ok else f"{r.key}: FAILED: {r.error}" for r in done] or [
        "nothing was due"
    ]
    emit(args, payload, "\n".join(lines))


def _freeze_startup_heap(due: Sequence[JobSpec]) -> None:
    """As ``mail sync`` does (desktop/heap.py, #16): the full collections of
    a long sync skip what the start built, the sync's own code included."""
    from desktop import heap

    if any(spec.kind == "mail" for spec in due):
        from services.mail import imap_sync  # noqa: F401  (loaded to be frozen too)
    heap.freeze_startup_heap()
