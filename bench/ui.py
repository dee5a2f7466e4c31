"""Opening a key account's card and scrolling its feed, against the service
calls the card makes for the same data, in the same run.

Builds a demo database (``services.demo.generate``) with one client of many
interactions, then, offscreen, for that client:

- open: ``CardWidget`` built and shown until its feed list has painted the
  first page of rows;
- scroll: ten times, the feed scrolled to the end until the next page has
  been fetched and painted.

The lanes run tasks inline and time each task, so every service call the
card makes (``services.feed.card.card``, ``feed.page``, indicators ...) is measured
on its own; "service" is their sum, "ui" the wall time of the whole step,
and the ratio says what the widgets add. A direct call of the same
services outside Qt (``services.feed.card.card`` + ``feed.page`` pages) is timed
too, as a baseline with no Qt at all.

    .venv/bin/python bench/ui.py            # CI size, well under a minute
    .venv/bin/python bench/ui.py --full     # 100k clients, ~1M interactions, 50k on one
    .venv/bin/python bench/ui.py --full --db /tmp/full.sqlite3   # keep/reuse it
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from services.core import bootstrap
from services.core.storage import Database, open_database
from services.demo import generate as demo
from services.feed import pages as feed
from ui.context import UiContext

RUNS = 7
SCROLLS = 10


def sizes(full: bool) -> dict[str, int]:
    if full:  # 100k x (8 past + ~1.5 planned) + 50k = ~1M interactions
        return {"clients": 100_000, "per_client": 8, "big": 50_000}
    return {"clients": 2_000, "per_client": 7, "big": 5_000}


class TimingLane:
    """Runs each task at once and adds the time spent inside it."""

    def __init__(self) -> None:
        self.spent = 0.0
        self.calls = 0

    def submit(self, fn: Callable[[], Any], on_done: Any, on_error: Any) -> None:
        start = time.perf_counter()
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - handed over like a real lane does
            self.spent += time.perf_counter() - start
            on_error(exc)
            return
        self.spent += time.perf_counter() - start
        self.calls += 1
        on_done(result)


class PaintWatch(QObject):
    """Counts paint events of a widget (the feed list's viewport)."""

    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def build(path: Path, full: bool) -> int:
    size = sizes(full)
    db = open_database(f"sqlite:///{path}")
    bootstrap.ensure_initial_data(db)
    start = time.perf_counter()
    summary = demo.generate(
        db,
        clients=size["clients"],
        interactions_per_client=size["per_client"],
        big_client_interactions=size["big"],
    )
    print(
        f"demo: {summary.clients} clients, {summary.interactions} interactions "
        f"in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    db.dispose()
    assert summary.big_client_id is not None
    return summary.big_client_id


def big_client(db: Database) -> int:
    from services.parties import records as parties

    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        rows = parties.list_clients(uow, actor, text=demo.BIG_CLIENT_NAME, limit=5)
    if not rows:
        raise SystemExit("this database has no demo key account; build one without --db")
    return rows[0].id


def wait_until(app: QApplication, done: Callable[[], bool], limit_s: float = 30.0) -> None:
    deadline = time.perf_counter() + limit_s
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise SystemExit("the card did not paint in time")


def ui_run(
    app: QApplication, ctx: UiContext, lane: TimingLane, client_id: int
) -> tuple[float, float, float, float]:
    """(open wall, open service, scroll wall, scroll service) in seconds."""
    from ui.cards import CardWidget

    lane.spent = 0.0
    start = time.perf_counter()
    card = CardWidget(ctx, "client", client_id)
    card.resize(1280, 820)
    watch = PaintWatch()
    card.feed.list.viewport().installEventFilter(watch)
    card.show()
    model = card.feed.model
    wait_until(app, lambda: model.rowCount() > 1 and watch.paints > 0)
    open_wall, open_service = time.perf_counter() - start, lane.spent
    bar = card.feed.list.verticalScrollBar()
    lane.spent = 0.0
    start = time.perf_counter()
    for _ in range(SCROLLS):
        rows, paints = model.rowCount(), watch.paints
        bar.setValue(bar.maximum())
        wait_until(app, lambda r=rows, p=paints: model.rowCount() > r and watch.paints > p)
    scroll_wall, scroll_service = time.perf_counter() - start, lane.spent
    card.close()
    card.deleteLater()
    app.processEvents()
    return open_wall, open_service, scroll_wall, scroll_service


def bare_run(db: Database, client_id: int) -> tuple[float, float]:
    """The card's header data and the feed pages by direct service calls."""
    from services.feed import card as card_model

    scope = feed.FeedScope(client_id=client_id)
    start = time.perf_counter()
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        card_model.card(uow, actor, "client", client_id)
        page = feed.page(uow, actor, scope, detail=False)  # as the card asks
    opened = time.perf_counter() - start
    start = time.perf_counter()
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        for _ in range(SCROLLS):
            page = feed.page(uow, actor, scope, cursor=page.next_cursor, detail=False)
    return opened, time.perf_counter() - start


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:8.1f} ms"


RSS_TARGET_MB = 300  # issue #16: a 50k-item card open (--full)


def peak_rss_mb() -> float:
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help="100k clients, 50k-interaction key account"
    )
    parser.add_argument("--db", type=Path, help="reuse (or keep) this SQLite file")
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the rows")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("TOUCHPOINT_DATA_DIR", tmp)
        path = args.db or Path(tmp) / "bench.sqlite3"
        client_id = build(path, args.full) if not path.exists() else None
        db = open_database(f"sqlite:///{path}")
        client_id = client_id or big_client(db)
        with db.reader() as uow:
            actor = bootstrap.actor_for(uow)
        lane = TimingLane()
        ctx = UiContext(db=db, actor=actor, writes=lane, reads=lane, report_error=print)
        ui_run(app, ctx, lane, client_id)  # warm caches and statement shapes
        bare_run(db, client_id)
        results = [ui_run(app, ctx, lane, client_id) for _ in range(args.runs)]
        bare = [bare_run(db, client_id) for _ in range(args.runs)]
        db.dispose()
    open_wall = [r[0] for r in results]
    open_service = [r[1] for r in results]
    scroll_wall = [r[2] for r in results]
    scroll_service = [r[3] for r in results]
    bare_open = [b[0] for b in bare]
    bare_scroll = [b[1] for b in bare]
    print(f"key account {client_id}; medians of {args.runs} runs")
    rows = (
        ("open card to first painted feed page", open_wall, open_service, bare_open),
        (f"scroll {SCROLLS} feed pages", scroll_wall, scroll_service, bare_scroll),
    )
    for name, wall, inside, bare_time in rows:
        print(
            f"{name:<38} ui {ms(wall)}   its service calls {ms(inside)}   "
            f"bare services {ms(bare_time)}   ratio ui/bare "
            f"{statistics.median(wall) / statistics.median(bare_time):.1f}x"
        )
    rss = peak_rss_mb()
    print(f"peak RSS {rss:.0f} MB (target < {RSS_TARGET_MB} MB with the 50k-item card, --full)")
    if args.json:
        ratios = {
            name: round(statistics.median(wall) / statistics.median(bare_time), 2)
            for name, wall, _inside, bare_time in rows
        }
        print(
            json.dumps(
                [
                    {
                        "name": "ui RSS, key account card open, MB",
                        "ratio": round(rss, 1),
                        "target": RSS_TARGET_MB,
                        "ok": rss < RSS_TARGET_MB,
                        "full": args.full,
                        "ui_vs_bare": ratios,
                    }
                ],
                ensure_ascii=False,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
