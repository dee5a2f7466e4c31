"""Feed paging of a key account: ``services.feed.pages.page`` against hand-written SQL.

Builds a demo database (``services.demo.generate``) in a temporary SQLite file, then
for the client with the most interactions times the first page and a page
about 80 % deep (reached by following ``next_cursor``), each through the
service and through raw ``sqlite3`` returning the same rows in the same
order; the ids of both are asserted equal before anything is timed.

    .venv/bin/python bench/feed.py            # CI size, well under a minute
    .venv/bin/python bench/feed.py --full     # 100k clients, ~1M interactions
    .venv/bin/python bench/feed.py --full --db /tmp/full.sqlite3   # keep/reuse it

See bench/README.md for what is compared and how to read the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select

from models import Client
from services.core import bootstrap, prepared, settings
from services.core.access import Actor
from services.core.storage import Database, open_database
from services.demo import generate as demo
from services.feed import pages as feed

PAGE = 50
DEEP = 0.8
TARGET_RATIO = 2.0  # issue #16
# The columns the service reads for an interaction, in the order it needs them.
COLUMNS = (
    "id, type, state, start_utc, owner_id, subject, substr(body, 1, 500) AS text, deal_id, start_tz"
)
# One index range per state, newest first, cut to the page; then merged. The
# same plan the service builds, written by hand.
HISTORY_SQL = f"""
SELECT * FROM (
  SELECT {COLUMNS} FROM interactions
  WHERE client_id = :client AND state = 'done' {{keyset}}
  ORDER BY start_utc DESC, id DESC LIMIT :limit)
UNION ALL
SELECT * FROM (
  SELECT {COLUMNS} FROM interactions
  WHERE client_id = :client AND state = 'cancelled' {{keyset}}
  ORDER BY start_utc DESC, id DESC LIMIT :limit)
ORDER BY start_utc DESC, id DESC LIMIT :limit
"""
KEYSET = "AND (start_utc < :t OR (start_utc = :t AND id < :id))"
PLANNED_SQL = f"""
SELECT {COLUMNS} FROM interactions
WHERE client_id = :client AND state = 'planned'
ORDER BY start_utc, id LIMIT :limit
"""
# SQLAlchemy's SQLite DATETIME storage format; UTCDateTime stores naive UTC.
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def sizes(full: bool) -> dict[str, int]:
    if full:  # 100k x (8 past + ~1.5 planned) + 50k = ~1M interactions
        return {"clients": 100_000, "per_client": 8, "big": 50_000}
    return {"clients": 2_000, "per_client": 7, "big": 5_000}


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def build(db: Database, full: bool, seed: int) -> int:
    size = sizes(full)
    started = time.perf_counter()
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 5 or done == total:
            last[0] = now
            print(f"  {stage}: {done:,}/{total:,}  ({now - started:.0f} s)", file=sys.stderr)

    summary = demo.generate(
        db,
        clients=size["clients"],
        seed=seed,
        big_client_interactions=size["big"],
        interactions_per_client=size["per_client"],
        progress=progress,
    )
    took = time.perf_counter() - started
    print(
        f"build: {took:.1f} s  ({summary.interactions / took:,.0f} interactions/s)\n"
        f"  clients {summary.clients:,}, leads {summary.leads:,}, contacts "
        f"{summary.contacts:,}, contact points {summary.contact_points:,}, deals "
        f"{summary.deals:,}\n  interactions {summary.interactions:,}, notes "
        f"{summary.notes:,}, tasks {summary.tasks:,}; peak RSS {peak_rss_mb():.0f} MB"
    )
    assert summary.big_client_id is not None
    return summary.big_client_id


def find_big_client(db: Database) -> int | None:
    with db.reader() as uow:
        return uow.session.scalar(select(Client.id).where(Client.name == demo.BIG_CLIENT_NAME))


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``fn`` in milliseconds, after two warm-up calls."""
    return paired(fn, fn, repeat)[0]


def paired(fn: Callable[[], Any], base: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall times of ``fn`` and ``base`` in milliseconds, called in
    turns: on a shared machine both see the same load, so their ratio holds
    even when the absolute times wander."""
    fn(), base(), fn(), base()
    a, b = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        middle = time.perf_counter()
        base()
        b.append(time.perf_counter() - middle)
        a.append(middle - started)
    return statistics.median(a) * 1000, statistics.median(b) * 1000


class Raw:
    """The hand-written baseline on a plain ``sqlite3`` connection."""

    def __init__(self, path: Path, client_id: int) -> None:
        self.conn = sqlite3.connect(path)
        self.client = client_id
        self.first_history = HISTORY_SQL.format(keyset="")
        self.deep_history = HISTORY_SQL.format(keyset=KEYSET)

    def first_page(self) -> list[tuple[Any, ...]]:
        params = {"client": self.client, "limit": PAGE + 1}
        rows = self.conn.execute(PLANNED_SQL, params).fetchall()
        if len(rows) < PAGE:
            params["limit"] = PAGE - len(rows) + 1
            rows += self.conn.execute(self.first_history, params).fetchall()
        return rows[:PAGE]

    def history_page(self, after: dt.datetime, after_id: int) -> list[tuple[Any, ...]]:
        t = after.astimezone(dt.UTC).strftime(SQLITE_TIME)
        params = {"client": self.client, "limit": PAGE + 1, "t": t, "id": after_id}
        return self.conn.execute(self.deep_history, params).fetchall()[:PAGE]


def ids(items: Sequence[Any]) -> list[int]:
    return [item.id for item in items]


def explain(db: Database, path: Path, actor: Actor, scope: feed.FeedScope, cursor: str) -> None:
    """Print SQLite's plan of every statement one service page runs (through
    SQLAlchemy or prepared on the cursor)."""
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        statements.append((statement, params))

    run_prepared = prepared.Prepared._fetch

    def spy(self: prepared.Prepared, uow: Any, values: Any, autoflush: bool) -> Any:
        statements.append((self.sql, self.params(values)))
        return run_prepared(self, uow, values, autoflush)

    event.listen(db.engine, "before_cursor_execute", capture)
    prepared.Prepared._fetch = spy  # type: ignore[method-assign]
    try:
        with db.reader() as uow:
            feed.page(uow, actor, scope, cursor=cursor, limit=PAGE, detail=False)
    finally:
        prepared.Prepared._fetch = run_prepared  # type: ignore[method-assign]
        event.remove(db.engine, "before_cursor_execute", capture)
    conn = sqlite3.connect(path)
    for statement, params in statements:
        if not statement.lstrip().upper().startswith("SELECT"):
            continue
        print("\n" + " ".join(statement.split())[:300] + " ...")
        for row in conn.execute("EXPLAIN QUERY PLAN " + statement, params):
            print("   ", row[-1])
    conn.close()


def cpu_us(fn: Callable[[], Any], repeat: int) -> float:
    """Median thread CPU time of ``fn`` in microseconds: steadier than the
    wall clock on a shared machine for parts of a page this small."""
    fn(), fn()
    runs = []
    for _ in range(repeat):
        started = time.thread_time_ns()
        fn()
        runs.append(time.thread_time_ns() - started)
    return statistics.median(runs) / 1000


def parts(db: Database, raw: Raw, actor: Actor, scope: feed.FeedScope, repeat: int) -> None:
    """Where a first page's time goes (``--parts``), in an open unit of work."""
    key = ("client", raw.client)
    no_filter = feed.FeedFilter()
    first = raw.first_page()
    planned = sum(1 for row in first if row[2] == "planned")
    with db.reader() as uow:
        zone = settings.display_zone(uow)
        rows, _ = feed._rows(uow, key, feed._Cursor("p"), no_filter, PAGE, False)
        params = {"client": raw.client, "limit": PAGE + 1}
        rest = {"client": raw.client, "limit": PAGE - planned + 1}
        measured = {
            "access check": lambda: feed._resolve_scope(uow, actor, scope),
            "display zone (cached in the unit)": lambda: settings.display_zone(uow),
            "planned statement": lambda: feed._fetch(
                uow, key, "p", feed._Cursor("p"), no_filter, PAGE, False
            ),
            "history statement": lambda: feed._fetch(
                uow, key, "h", feed._Cursor("h"), no_filter, PAGE - planned, False
            ),
            "items": lambda: feed._items(uow, rows, zone, key, False),
            "whole page": lambda: feed.page(uow, actor, scope, limit=PAGE, detail=False),
            "whole page with the detail": lambda: feed.page(uow, actor, scope, limit=PAGE),
            "raw planned": lambda: raw.conn.execute(PLANNED_SQL, params).fetchall(),
            "raw history": lambda: raw.conn.execute(raw.first_history, rest).fetchall(),
            "raw first page": raw.first_page,
        }
        found = {name: cpu_us(fn, repeat) for name, fn in measured.items()}

    def new_unit() -> None:
        with db.reader() as fresh:
            feed._resolve_scope(fresh, actor, scope)
            settings.display_zone(fresh)

    found["new unit + access check + zone"] = cpu_us(new_unit, repeat)
    print(f"\nfirst page by parts, thread CPU time, medians of {repeat} (µs):")
    for name, us in found.items():
        print(f"  {name:34s} {us:8.1f}")


def run(
    db: Database, path: Path, client_id: int, repeat: int, show_plans: bool, show_parts: bool
) -> bool:
    raw = Raw(path, client_id)
    scope = feed.FeedScope(client_id=client_id)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    with db.reader() as uow:
        first = feed.page(uow, actor, scope, limit=PAGE, detail=False)
        # Walk to ~80 % of the feed, remembering the cursor and the row before it.
        pages = [first]
        while pages[-1].next_cursor is not None:
            cursor = pages[-1].next_cursor
            pages.append(feed.page(uow, actor, scope, cursor=cursor, limit=PAGE, detail=False))
    total = sum(len(p.items) for p in pages)
    deep_index = max(1, int(len(pages) * DEEP))
    before, deep = pages[deep_index - 1], pages[deep_index]
    cursor = before.next_cursor
    assert cursor is not None
    kinds = {item.kind for p in pages for item in p.items}
    assert kinds == {"interaction"}, f"the big client's feed should hold interactions only: {kinds}"
    print(
        f"\nfeed of client {client_id}: {total:,} items in {len(pages)} pages of {PAGE}; "
        f"deep page = page {deep_index + 1} (cursor {cursor!r})"
    )

    # Honest comparison: same rows, same order.
    raw_first = [r[0] for r in raw.first_page()]
    assert raw_first == ids(first.items), "first page: raw SQL and service disagree"
    last = before.items[-1]
    raw_deep = [r[0] for r in raw.history_page(last.start, last.id)]
    assert raw_deep == ids(deep.items), "deep page: raw SQL and service disagree"
    planned = sum(1 for item in first.items if item.state == "planned")
    print(f"first page: {planned} planned + {PAGE - planned} history; ids equal to raw SQL: yes")

    results: list[tuple[str, float, float, float]] = []
    detailed: list[tuple[str, float, float, float]] = []
    with db.reader() as open_uow:

        def service_first(detail: bool = False) -> None:
            feed.page(open_uow, actor, scope, limit=PAGE, detail=detail)

        def service_deep(detail: bool = False) -> None:
            feed.page(open_uow, actor, scope, cursor=cursor, limit=PAGE, detail=detail)

        def fresh_first() -> None:
            with db.reader() as uow:
                feed.page(uow, actor, scope, limit=PAGE, detail=False)

        def fresh_deep() -> None:
            with db.reader() as uow:
                feed.page(uow, actor, scope, cursor=cursor, limit=PAGE, detail=False)

        deep_raw = lambda: raw.history_page(last.start, last.id)  # noqa: E731
        for label, fn, base in (
            ("first page, open unit of work", service_first, raw.first_page),
            ("first page, new unit of work ", fresh_first, raw.first_page),
            ("deep page,  open unit of work", service_deep, deep_raw),
            ("deep page,  new unit of work ", fresh_deep, deep_raw),
        ):
            ms, base_ms = paired(fn, base, repeat)
            results.append((label, ms, base_ms, ms / base_ms))
        # The CLI's page (``touchpoint feed --json``): also who took part,
        # direction and duration. Shown, not held to the target.
        for label, fn, base in (
            ("first page, open unit of work", lambda: service_first(True), raw.first_page),
            ("deep page,  open unit of work", lambda: service_deep(True), deep_raw),
        ):
            ms, base_ms = paired(fn, base, repeat)
            detailed.append((label, ms, base_ms, ms / base_ms))

    print(f"\nmedians of {repeat} runs      service    raw SQL   ratio (target <= {TARGET_RATIO}x)")
    ok = True
    for label, ms, base, ratio in results:
        flag = "" if ratio <= TARGET_RATIO else "  <-- over target"
        ok = ok and ratio <= TARGET_RATIO
        print(f"  {label}  {ms:7.3f} ms  {base:7.3f} ms  {ratio:5.1f}x{flag}")
    print("with the detail (the CLI's page):")
    for label, ms, base, ratio in detailed:
        print(f"  {label}  {ms:7.3f} ms  {base:7.3f} ms  {ratio:5.1f}x")
    print(f"\npeak RSS {peak_rss_mb():.0f} MB")
    if show_parts:
        parts(db, raw, actor, scope, repeat)
    if show_plans:
        explain(db, path, actor, scope, cursor)
    raw.conn.close()
    ROWS.extend(
        {
            "name": f"feed {label.strip()}",
            "ratio": round(ratio, 2),
            "target": TARGET_RATIO,
            "ok": ratio <= TARGET_RATIO,
        }
        for label, _ms, _base, ratio in results
    )
    return ok


#: What ``--json`` prints (bench/run_all.py reads it).
ROWS: list[dict[str, Any]] = []


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="100k clients, ~1M interactions")
    parser.add_argument(
        "--db", type=Path, help="SQLite file to build into, or to reuse if it holds the demo"
    )
    parser.add_argument("--repeat", type=int, default=100, help="timed runs per measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--explain", action="store_true", help="print the service's query plans")
    parser.add_argument(
        "--parts", action="store_true", help="print where a first page's time goes (CPU)"
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the ratios")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a ratio is over the target"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="tp-bench-") as folder:
        path: Path = args.db or Path(folder) / "feed.sqlite3"
        db = open_database(f"sqlite:///{path.resolve()}")
        try:
            client_id = find_big_client(db)
            if client_id is None:
                print(f"building the demo database in {path} ...", file=sys.stderr)
                client_id = build(db, args.full, args.seed)
            else:
                print(f"reusing {path} (client {client_id})")
            ok = run(db, path, client_id, args.repeat, args.explain, args.parts)
        finally:
            db.dispose()
    if args.json:
        print(json.dumps(ROWS))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
