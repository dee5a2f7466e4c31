"""The replica job of tests/crash_runner.py: one sync (push, then pull) or
one pull of a laptop replica, for tests/integration/test_replica_crash.py to
SIGKILL at random moments.

    python tests/crash_runner.py replica --db REPLICA_URL [--batch 3] [--pull-only]

Events: ``ready``; ``op <outcome>`` when the server has committed (or
found already applied) one pushed action; ``recorded`` when the laptop has
stored the server's verdicts of a push batch; ``read <n>`` when a pull batch
has been read; ``applied <cursor>`` when its SQLite transaction (rows and
cursor) has committed; ``done <changed>``. The push goes one action per
batch and the pull ``--batch`` records per batch, so a run has many places
to be killed at.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import Any

from services.core.storage import Database
from services.sync import apply as server_apply
from services.sync import pull as pull_module
from services.sync import pull_apply, use_cases
from services.sync import push as pushing


def add_parser(jobs: Any) -> None:
    p = jobs.add_parser("replica")
    p.add_argument("--db", required=True)
    p.add_argument("--batch", type=int, default=3)
    p.add_argument("--pull-only", action="store_true", help="no push first")


def _after(owner: Any, name: str, then: Callable[[Any, tuple[Any, ...]], None]) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def watched(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        then(result, args)
        return result

    setattr(owner, name, watched)


def sync(replica: Database, server: Database, batch: int, *, push: bool = True) -> int:
    """What the job runs, and what the test runs to finish a killed one."""
    if push:
        pushing.push(replica, server, batch=1)
    return pull_module.pull(replica, server, batch=batch)


def run(
    options: argparse.Namespace,
    open_db: Callable[[str], Database],
    event: Callable[..., None],
) -> int:
    _after(server_apply, "apply_op", lambda result, _args: event("op", result.outcome))
    _after(pushing, "_record", lambda _result, _args: event("recorded"))
    _after(pull_module, "read_batch", lambda batch, _args: event("read", len(batch.items)))
    _after(pull_apply, "apply_batch", lambda _changed, args: event("applied", args[2].cursor))
    replica = open_db(options.db)
    server = use_cases.open_server(replica)
    try:
        event("ready")
        event("done", sync(replica, server, options.batch, push=not options.pull_only))
    finally:
        server.dispose()
        replica.dispose()
    return 0
