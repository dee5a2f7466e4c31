"""A laptop replica after a week away (#20): a colleague's week pulled into
the replica, and the laptop's own week synced (push, then pull), each
against a plain bulk insert of the same rows into PostgreSQL timed in the
same run.

    .venv/bin/python bench/replica.py              # pull 10,000 rows, sync 1,000 records
    .venv/bin/python bench/replica.py --json       # the bench contract's last line
    .venv/bin/python bench/replica.py --rows 50000 --sync-records 10000
    .venv/bin/python bench/replica.py --pg postgresql://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/replica.py --changes 10000   # the issue's week: 10,000 mixed changes

The server is a team database (``admin init``) with a manager login. Pull:
the laptop is seeded, then 1,000 of the manager's clients are written on
the server, each with two contact persons, an address, a deal, four
interactions and a note (10 rows per client), and the replica pulls them
under the manager's login (row-level security on) in batches of 500, each
batch one SQLite transaction with its cursor; baseline: exactly those rows
read back and inserted into a fresh database at the same schema, one
executemany per table in one transaction. Sync: the laptop then makes
``--sync-records`` records offline (per action, one unit of work: a contact
person with a number, a meeting, a note and a task) and ``sync`` pushes
them through the server's checks and pulls the verdict back; baseline:
those records, as the server then holds them, inserted into a copy of the
server made before the sync. The sync's default is 1,000 records, not the
issue's 10,000: at the push's present speed (~35 ms a record under load)
10,000 take ~6 min, longer than run_all.py waits for a bench.

``--changes N`` (``--full``: 10,000) replaces that sync by the issue's week
of N offline changes of mixed kinds, one user action each, in rotation:
an edit of a client's address, a new contact person with a phone number, a
logged meeting, a note, a task, an edit of a pulled call's subject, a
custom field value set on a client and one cleared again (a deletion: a
tombstone). Baseline: the same rows written into a copy of the server made
before the sync with one executemany per table and statement kind (INSERT
of the records made, as the server then holds them; UPDATE of the edited
ones' synced columns; DELETE of the cleared values), in one transaction.

The server side (scratch databases, the team, the colleague's week) is in
``replica_server.py``, the laptop's week in ``replica_week.py`` and the
plain bulk writes timed against in ``replica_baselines.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from replica_baselines import bulk_insert, insert_pushed, write_changes
from replica_server import build, cluster, copy_of, database, drop, make_team
from replica_week import offline_changes, offline_week

from services.core.storage import open_database
from services.sync.pull import pull
from services.sync.use_cases import init_replica, open_server, sync

PER_CLIENT = 10
TARGET = 5.0  # pull / bulk insert (measured ~2 under load)
SYNC_TARGET = 50.0  # sync / bulk insert


def timed_sync(
    admin_url: str, url: str, path: Path, baseline: Callable[[str], tuple[float, int]]
) -> tuple[Any, float, float, float, int]:
    """The replica's sync timed (wall, this process's CPU), then BASELINE
    (seconds, rows) timed on a copy of the server as it was before the sync
    (dropped afterwards)."""
    name = f"tp_replica_before_{os.getpid()}"
    copy_url = copy_of(admin_url, url, name)
    try:
        replica = open_database(f"sqlite:///{path}")
        server = open_server(replica)
        try:
            started, cpu = time.perf_counter(), time.process_time()
            report = sync(replica, server)
            synced, cpu = time.perf_counter() - started, time.process_time() - cpu
        finally:
            server.dispose()
            replica.dispose()
        base, rows = baseline(copy_url)
    finally:
        drop(admin_url, name)
    return report, synced, cpu, base, rows


def measure_changes(
    admin_url: str, url: str, path: Path, login: str, changes: int
) -> dict[str, Any]:
    """The issue's week of ``changes`` mixed offline changes, synced."""
    started = time.perf_counter()
    done = offline_changes(path, login, changes)
    print(
        f"offline week: {changes:,} changes in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    report, synced, _, written, rows = timed_sync(
        admin_url, url, path, lambda copy_url: write_changes(url, copy_url, done)
    )
    ratio = synced / written
    print(
        f"sync of a week's {changes:,} offline changes ({report.pushed:,} actions pushed, "
        f"{len(report.refused)} refused, {report.pulled:,} pulled back): {synced:.1f} s "
        f"({synced / 60:.1f} min, {synced / changes * 1000:.1f} ms a change); plain bulk "
        f"write of those {rows:,} rows into PostgreSQL: {written:.2f} s; ratio {ratio:.1f}",
        file=sys.stderr,
    )
    return {
        "name": f"replica sync, a week's {changes:,} mixed offline changes (sync / bulk write)",
        "ratio": round(ratio, 2),
        "target": SYNC_TARGET,
        "ok": ratio <= SYNC_TARGET and not report.refused,
        "ms": round(synced * 1000),
        "base_ms": round(written * 1000),
    }


def measure_sync(admin_url: str, url: str, path: Path, login: str, records: int) -> dict[str, Any]:
    started = time.perf_counter()
    offline_week(path, login, records)
    print(
        f"offline week: {records:,} records in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    report, synced, _, inserted, rows = timed_sync(
        admin_url, url, path, lambda copy_url: insert_pushed(url, copy_url, path)
    )
    ratio = synced / inserted
    print(
        f"sync of {rows:,} offline records ({report.pushed:,} actions pushed, "
        f"{len(report.refused)} refused, {report.pulled:,} pulled back): {synced:.2f} s; "
        f"bulk insert of those rows into PostgreSQL: {inserted:.2f} s; ratio {ratio:.1f} "
        f"(target {SYNC_TARGET:g})",
        file=sys.stderr,
    )
    return {
        "name": f"replica sync, {rows:,} offline records (sync / bulk insert)",
        "ratio": round(ratio, 2),
        "target": SYNC_TARGET,
        "ok": ratio <= SYNC_TARGET and not report.refused,
        "ms": round(synced * 1000),
        "base_ms": round(inserted * 1000),
    }


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    clients = max(1, args.rows // PER_CLIENT)
    with cluster(args.pg) as admin_url, database(admin_url, f"tp_replica_{os.getpid()}") as url:
        login = make_team(url)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "laptop.sqlite3"
            init_replica(path, url, login)  # the laptop before the week
            started = time.perf_counter()
            build(url, login, clients)
            print(
                f"built: {clients:,} clients, {clients * PER_CLIENT:,} rows in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            replica = open_database(f"sqlite:///{path}")
            server = open_server(replica)
            try:
                started = time.perf_counter()
                pull(replica, server, batch=args.batch)
                pulled = time.perf_counter() - started
            finally:
                server.dispose()
                replica.dispose()
            with database(admin_url, f"tp_replica_copy_{os.getpid()}") as copy_url:
                inserted, rows = bulk_insert(url, copy_url)
            if args.changes:
                synced = measure_changes(admin_url, url, path, login, args.changes)
            else:
                synced = measure_sync(admin_url, url, path, login, args.sync_records)
    ratio = pulled / inserted
    print(
        f"pull of {rows:,} rows: {pulled:.2f} s; bulk insert into PostgreSQL: "
        f"{inserted:.2f} s; ratio {ratio:.1f} (target {TARGET:g})",
        file=sys.stderr,
    )
    return [
        {
            "name": f"replica pull, {rows:,} rows (pull / bulk insert)",
            "ratio": round(ratio, 2),
            "target": TARGET,
            "ok": ratio <= TARGET,
            "ms": round(pulled * 1000),
            "base_ms": round(inserted * 1000),
        },
        synced,
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", metavar="URL", help="admin URL of a PostgreSQL cluster to use")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument(
        "--sync-records",
        type=int,
        default=1_000,
        help="records made offline and synced (10,000: ~5 min in all, past run_all's limit)",
    )
    parser.add_argument(
        "--changes",
        type=int,
        default=0,
        help="sync the issue's week of N mixed offline changes instead (10,000 with --full)",
    )
    parser.add_argument("--full", action="store_true", help="100,000 rows, 10,000 changes")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="time only the week's sync, from a team and laptop week kept in DIR "
        "(built on first use at --rows and --changes, default 2,000; replica_reuse.py)",
    )
    parser.add_argument(
        "--statements", action="store_true", help="with --reuse: the server's top statements"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.full:
        args.rows = max(args.rows, 100_000)
        args.changes = args.changes or 10_000
    if args.reuse:
        from replica_reuse import measure

        rows = [measure(args)]
    else:
        rows = run(args)
    if args.json:
        print(json.dumps(rows))
    else:
        for row in rows:
            print(
                f"{row['name']:<60} {row['ratio']:>8} {row['target']:>8}  "
                f"{'yes' if row['ok'] else 'NO'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
