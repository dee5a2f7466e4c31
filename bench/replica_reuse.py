"""``bench/replica.py --reuse DIR``: the week's sync measured again and
again from one laptop week made once, so that alternating pairs (old code,
new code) cost minutes, not the build's half hour.

DIR keeps a PostgreSQL cluster (``DIR/pg``, started and stopped by each
run, ``pg_stat_statements`` loaded), the team database as it was after the
laptop's pull and before its sync (``tp_week``, never written after the
build), the laptop's file with its offline week made (``laptop.sqlite3``)
and what the week did (``week.json``, for the baseline). Each run syncs a
copy of the laptop file against a copy of ``tp_week`` and times the same
bulk write as ``--changes`` against another copy. The first run builds DIR
(``--rows`` and ``--changes`` size it; later runs ignore them). Code with a
newer migration than the build's is brought to it on the copy, untimed.

``--statements`` prints the server's top statements of the timed sync.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from replica_baselines import write_changes
from replica_server import build, copy_of, drop, make_team, url_of
from replica_week import offline_changes
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from services.core.storage import open_database
from services.sync.pull import pull
from services.sync.use_cases import init_replica, open_server

TEMPLATE = "tp_week"
RUN = "tp_week_run"
PER_CLIENT = 10
TOP = 15


@contextmanager
def reused_cluster(folder: Path) -> Iterator[str]:
    """The cluster kept in ``folder/pg``, on a free port for this run."""
    from tests import servers

    root = folder / "pg"
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)
    os.chmod(root, 0o755)
    env = dict(os.environ, PG_ROOT=str(root), PG_PORT=str(servers.free_port()))
    fresh = not (root / "data" / "PG_VERSION").exists()
    pg = ["bash", str(servers.RIGS / "pg.sh")]
    subprocess.run([*pg, "start"], env=env, check=True)
    admin_url = f"postgresql+psycopg://postgres@127.0.0.1:{env['PG_PORT']}/postgres"
    try:
        if fresh:  # pg_stat_statements needs a restart to load
            _autocommit(
                admin_url,
                "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'",
            )
            subprocess.run([*pg, "stop"], env=env, check=True)
            subprocess.run([*pg, "start"], env=env, check=True)
            _autocommit(
                admin_url,
                "ALTER SYSTEM SET pg_stat_statements.track = 'all'",
                "SELECT pg_reload_conf()",
                "CREATE EXTENSION IF NOT EXISTS pg_stat_statements",
            )
        yield admin_url
        # pg.sh stops with -m immediate and the cluster runs with
        # synchronous_commit=off: the last commits would be lost without it.
        _autocommit(admin_url, "CHECKPOINT")
    finally:
        subprocess.run([*pg, "stop"], env=env, check=False)


def _autocommit(url: str, *statements: str) -> list[list[Any]]:
    """Each statement's rows (empty for those that return none)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return [
                list(r) if (r := conn.execute(text(s))).returns_rows else [] for s in statements
            ]
    finally:
        engine.dispose()


def _build(folder: Path, admin_url: str, rows: int, changes: int) -> None:
    """The team database, the laptop pulled, its offline week made."""
    drop(admin_url, TEMPLATE)
    _autocommit(admin_url, f"CREATE DATABASE {TEMPLATE}")
    url = url_of(admin_url, TEMPLATE)
    login = make_team(url)
    laptop = folder / "laptop.sqlite3"
    laptop.unlink(missing_ok=True)
    init_replica(laptop, url, login)
    started = time.perf_counter()
    build(url, login, max(1, rows // PER_CLIENT))
    print(f"built {rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    replica = open_database(f"sqlite:///{laptop}")
    server = open_server(replica)
    try:
        pull(replica, server)
    finally:
        server.dispose()
        replica.dispose()
    started = time.perf_counter()
    done = offline_changes(laptop, login, changes)
    print(
        f"offline week: {changes:,} changes in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    # A server that has run a while has its statistics (autovacuum): the
    # planner's choices in every copy are made on them.
    _autocommit(url, "ANALYZE")
    (folder / "week.json").write_text(
        json.dumps({"login": login, "rows": rows, "changes": changes, "done": done})
    )


def _point_at(laptop: Path, url: str) -> None:
    """The laptop copy's server address moved to this run's port and copy."""
    with sqlite3.connect(laptop) as conn:
        (saved,) = conn.execute("SELECT value FROM sync_state WHERE key = 'server_url'").fetchone()
        old = make_url(saved)
        new = make_url(url).set(username=old.username, drivername=old.drivername)
        conn.execute(
            "UPDATE sync_state SET value = ? WHERE key = 'server_url'",
            (new.render_as_string(hide_password=False),),
        )
    conn.close()


def _top_statements(admin_url: str, top: int) -> None:
    """The timed sync's server statements: all of them summed, the ``top`` by time."""
    (rows,) = _autocommit(
        admin_url,
        "SELECT calls, total_exec_time, rows, query FROM pg_stat_statements s "
        f"JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '{RUN}' "
        "ORDER BY total_exec_time DESC",
    )
    calls, ms = sum(r[0] for r in rows), sum(r[1] for r in rows)
    print(
        f"server statements (nested ones too): {calls:,} calls, {ms / 1000:.1f} s",
        file=sys.stderr,
    )
    _planning(admin_url)
    for calls, ms, count, query in rows[:top]:
        shown = " ".join(query.split())[:110]
        print(
            f"{calls:>7,} {ms / 1000:>7.2f} s {ms / calls:>7.2f} ms {count:>7,}  {shown}",
            file=sys.stderr,
        )


def _planning(admin_url: str) -> None:
    """With ``pg_stat_statements.track_planning`` on (set it in the rig's
    ``pg/data/postgresql.auto.conf``): the sync's plans and their time, and
    the statements planned longest. Nothing when it is off."""
    ((on,),), rows = _autocommit(
        admin_url,
        "SELECT current_setting('pg_stat_statements.track_planning')",
        "SELECT plans, total_plan_time, query FROM pg_stat_statements s "
        f"JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '{RUN}' "
        "ORDER BY total_plan_time DESC",
    )
    if on != "on":
        return
    plans, ms = sum(r[0] for r in rows), sum(r[1] for r in rows)
    print(f"planning: {plans:,} plans, {ms / 1000:.2f} s", file=sys.stderr)
    for plans, ms, query in rows[:5]:
        shown = " ".join(query.split())[:100]
        print(f"{plans:>7,} plans {ms / 1000:>7.2f} s  {shown}", file=sys.stderr)


def measure(args: Any) -> dict[str, Any]:
    folder = Path(args.reuse).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with reused_cluster(folder) as admin_url:
        if not (folder / "week.json").exists():
            _build(folder, admin_url, args.rows, args.changes or 2_000)
        week = json.loads((folder / "week.json").read_text())
        drop(admin_url, RUN)
        url = copy_of(admin_url, url_of(admin_url, TEMPLATE), RUN)
        open_database(url).dispose()  # this code's migrations, untimed
        with tempfile.TemporaryDirectory() as scratch:
            laptop = Path(scratch) / "laptop.sqlite3"
            shutil.copyfile(folder / "laptop.sqlite3", laptop)
            _point_at(laptop, url)
            open_database(f"sqlite:///{laptop}").dispose()
            if args.statements:
                _autocommit(admin_url, "SELECT pg_stat_statements_reset()")
            from replica import timed_sync

            report, synced, cpu, written, rows = timed_sync(
                admin_url, url, laptop, lambda copy_url: write_changes(url, copy_url, week["done"])
            )
            if args.statements:
                _top_statements(admin_url, TOP)
        drop(admin_url, RUN)
    changes = week["changes"]
    ratio = synced / written
    print(
        f"reused week ({week['rows']:,} rows, {changes:,} changes): sync {synced:.1f} s "
        f"(laptop CPU {cpu:.1f} s, {report.pushed:,} pushed, {len(report.refused)} refused, "
        f"{report.conflicts} conflicts), bulk write of {rows:,} rows {written:.2f} s; "
        f"ratio {ratio:.1f}",
        file=sys.stderr,
    )
    return {
        "name": f"replica sync, a reused week's {changes:,} changes (sync / bulk write)",
        "ratio": round(ratio, 2),
        "target": 50.0,
        "ok": ratio <= 50.0 and not report.refused,
        "ms": round(synced * 1000),
        "base_ms": round(written * 1000),
        "cpu_ms": round(cpu * 1000),
    }
