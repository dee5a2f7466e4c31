"""The replica job of tests/crash_runner.py: one pull (or sync, once it
exists) of a laptop replica, for tests/integration/test_replica_crash.py to
SIGKILL at random moments.

    python tests/crash_runner.py replica --db REPLICA_URL [--batch 3] [--sync]

Events: ``ready``; ``read <n>`` when a batch has been read from the server;
``applied <cursor>`` when its SQLite transaction (rows and cursor) has
committed; ``done <changed>``.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import Any

from services.core.storage import Database
from services.sync import pull as pull_module
from services.sync import pull_apply, use_cases


def add_parser(jobs: Any) -> None:
    p = jobs.add_parser("replica")
    p.add_argument("--db", required=True)
    p.add_argument("--batch", type=int, default=3)
    p.add_argument("--sync", action="store_true", help="push, then pull (default: pull only)")


def run(
    options: argparse.Namespace,
    open_db: Callable[[str], Database],
    event: Callable[..., None],
) -> int:
    read, apply = pull_module.read_batch, pull_apply.apply_batch

    @functools.wraps(read)
    def read_watched(*args: Any, **kwargs: Any) -> Any:
        batch = read(*args, **kwargs)
        event("read", len(batch.items))
        return batch

    @functools.wraps(apply)
    def apply_watched(*args: Any, **kwargs: Any) -> Any:
        changed = apply(*args, **kwargs)
        event("applied", args[2].cursor)
        return changed

    pull_module.read_batch = read_watched  # type: ignore[assignment]
    pull_apply.apply_batch = apply_watched  # type: ignore[assignment]
    replica = open_db(options.db)
    server = use_cases.open_server(replica)
    try:
        event("ready")
        if options.sync:
            report = use_cases.sync(replica, server)  # type: ignore[attr-defined]
            event("done", report.pulled)
        else:
            event("done", pull_module.pull(replica, server, batch=options.batch))
    finally:
        server.dispose()
        replica.dispose()
    return 0
