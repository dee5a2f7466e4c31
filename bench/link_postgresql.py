"""``bench/link.py --postgresql``: the linking job on PostgreSQL (the test
rig's server on loopback), set-based against its row-by-row path and the
raw SQL of ``link.py`` in PostgreSQL's spelling, each on its own copy of
one database (``CREATE DATABASE ... TEMPLATE``). Wall clock only: most of
the work is the server's, outside this process's CPU time."""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import link
from sqlalchemy import create_engine, text

from services.core.storage import open_database
from services.linking import bulk
from services.linking import job as linking
from tests import servers

# link.RAW_SQL with PostgreSQL's random text for the uid
RAW_SQL = [sql.replace("lower(hex(randomblob(16)))", "md5(random()::text)") for sql in link.RAW_SQL]


def main(args: argparse.Namespace) -> int:
    letters, calls, known = (100_000, 10_000, 1_000) if args.full else (20_000, 2_000, 200)
    with _server() as admin:
        base = _database(admin, "tp_link_base")
        t0 = time.perf_counter()
        link.build(base, letters, calls, known)
        _analyze(base)  # as autovacuum would have after that many inserts; the copies keep it
        print(f"built {letters:,} letters in {time.perf_counter() - t0:.1f} s (PostgreSQL)")
        sides: dict[str, Callable[[str], float]] = {
            "set-based": _job,
            "row by row": _row_by_row,
            "raw SQL": _raw,
        }
        times: dict[str, list[float]] = {name: [] for name in sides}
        for attempt in range(args.repeat + 1):  # the first of each untimed (warm-up)
            for n, (name, run) in enumerate(sides.items()):
                url = _database(admin, f"tp_link_{attempt}_{n}", template="tp_link_base")
                elapsed = run(url)
                if attempt:
                    times[name].append(elapsed)
                if attempt == 1 and n == 0:
                    first = _links(url)
                if attempt == 1 and n > 0 and _links(url) != first:
                    print(f"{name}: NOT the same letters and calls on the same cards")
                    return 1
        medians = {name: statistics.median(found) for name, found in times.items()}
        raw = medians["raw SQL"]
        for name, median in medians.items():
            print(
                f"medians of {args.repeat}: {name} {median * 1000:.0f} ms, "
                f"{median / raw:.2f}x the raw SQL"
            )
    return 0


@contextlib.contextmanager
def _server() -> Iterator[str]:
    found = servers.postgres_server()
    try:
        yield next(found)
    finally:
        found.close()


def _database(admin: str, name: str, *, template: str | None = None) -> str:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            text(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        )
    engine.dispose()
    return admin.rsplit("/", 1)[0] + f"/{name}"


def _analyze(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _job(url: str) -> float:
    db = open_database(url)
    with db.uow() as uow:  # connected before the timer, as the raw side
        uow.session.connection()
    start = time.perf_counter()
    linking.run(db, now=link.NOW)
    elapsed = time.perf_counter() - start
    db.dispose()
    return elapsed


def _row_by_row(url: str) -> float:
    place = bulk.set_based
    bulk.set_based = lambda _session: False  # type: ignore[assignment]
    try:
        return _job(url)
    finally:
        bulk.set_based = place  # type: ignore[assignment]


def _raw(url: str) -> float:
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        start = time.perf_counter()
        for sql in RAW_SQL:
            conn.execute(text(sql), {"now": link.NOW.replace(tzinfo=None)})
        conn.commit()
        elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def _links(url: str) -> list[Any]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT m.message_key, i.client_id, i.lead_id FROM mail_messages m "
                    "JOIN interactions i ON i.id = m.interaction_id "
                    "UNION ALL SELECT r.call_key, i.client_id, i.lead_id FROM call_records r "
                    "JOIN interactions i ON i.id = r.interaction_id ORDER BY 1"
                )
            )
        ]
    engine.dispose()
    return found
