"""Selecting due scenario steps: one scheduler pass against one SQL query.

Builds, in a temporary SQLite file, active scenario runs of five steps
each (1,000 runs by default, 10,000 with ``--full``), a fifth of their
auto-send steps due, the rest later, plus the planned interactions they
point at; then times, in turns:

- the scheduler's pass over scenario steps: what the ticker asks
  (``registry`` ``scenarios`` kind: ``due_steps.next_due``) and the steps the
  runner then takes (``due_steps.due_ids``), each in its own read transaction;
- the baseline: one hand-written SQL query on a plain ``sqlite3``
  connection returning the same ids in the same order (asserted first).

    .venv/bin/python bench/scenarios.py            # 1,000 runs, a few seconds
    .venv/bin/python bench/scenarios.py --full     # 10,000 runs

The whole ``runs.plan`` (every job kind: mail, linking, scenarios, outbox …)
is printed too, against the same baseline, for scale.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from models import (
    Client,
    Contact,
    Interaction,
    Scenario,
    ScenarioRun,
    ScenarioRunStep,
    ScenarioStep,
    User,
)
from services.core import bootstrap
from services.core.storage import Database, open_database
from services.jobs import registry
from services.jobs import runs as job_runs
from services.scenarios import due_steps

STEPS = 5
# Two read transactions (the ticker's question, then the runner's) cost a
# fixed ~0.4 ms that one bare query does not pay: it dominates at 1,000 runs.
TARGETS = {False: 10.0, True: 4.0}
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
DUE_SQL = """
SELECT s.id FROM scenario_run_steps s JOIN scenario_runs r ON r.id = s.run_id
WHERE r.state = 'active' AND (
  (s.state = 'pending' AND s.auto = 1 AND s.due_utc <= :now
   AND (s.next_try_utc IS NULL OR s.next_try_utc <= :now))
  OR (s.state = 'running' AND s.claimed_until <= :now))
ORDER BY s.due_utc, s.id LIMIT :limit
"""


def build(db: Database, runs: int) -> None:
    """Runs of five steps: letters (auto-send) and calls, every fifth run's
    first letter due now, the rest over the next weeks."""
    started = time.perf_counter()
    bootstrap.ensure_initial_data(db)
    with db.uow() as uow:
        session = uow.session
        owner = session.scalar(select(User.id).order_by(User.id))
        assert owner is not None
        scenario = Scenario(name="Bench", author_id=owner)
        session.add(scenario)
        session.flush()
        for n in range(STEPS):
            kind = "email" if n % 2 == 0 else "call"
            session.add(
                ScenarioStep(
                    scenario_id=scenario.id,
                    position=n + 1,
                    type=kind,
                    delay_days=2,
                    subject=f"Step {n + 1}",
                    prompt="Text",
                    auto_send=kind == "email",
                )
            )
        session.execute(
            insert(Client), [{"name": f"Client {i}", "owner_id": owner} for i in range(runs)]
        )
        client_ids = list(session.scalars(select(Client.id).order_by(Client.id)))
        session.execute(
            insert(Contact),
            [{"full_name": f"Contact {i}", "client_id": c} for i, c in enumerate(client_ids)],
        )
        contact_ids = list(session.scalars(select(Contact.id).order_by(Contact.id)))
        session.execute(
            insert(ScenarioRun),
            [
                {
                    "scenario_id": scenario.id,
                    "client_id": c,
                    "contact_id": p,
                    "started_by": owner,
                    "state": "active",
                    "tz": "Europe/Moscow",
                    "country": "RU",
                }
                for c, p in zip(client_ids, contact_ids, strict=True)
            ],
        )
        run_ids = list(session.scalars(select(ScenarioRun.id).order_by(ScenarioRun.id)))
        planned: list[dict[str, Any]] = []
        steps: list[tuple[int, int, dt.datetime, bool]] = []
        for i, (run_id, client_id) in enumerate(zip(run_ids, client_ids, strict=True)):
            for n in range(STEPS):
                offset = dt.timedelta(days=2 * n + (0 if i % 5 == 0 else 1), minutes=i % 600)
                due = NOW - dt.timedelta(hours=1) + offset
                kind = "email" if n % 2 == 0 else "call"
                planned.append(
                    {
                        "type": kind,
                        "state": "planned",
                        "start_local": due.replace(tzinfo=None),
                        "start_tz": "UTC",
                        "start_utc": due,
                        "owner_id": owner,
                        "client_id": client_id,
                        "subject": f"Step {n + 1}",
                        "search_text": "",
                    }
                )
                steps.append((run_id, n + 1, due, kind == "email"))
        first = (session.scalar(select(Interaction.id).order_by(Interaction.id.desc())) or 0) + 1
        session.execute(insert(Interaction), planned)
        session.execute(
            insert(ScenarioRunStep),
            [
                {
                    "run_id": run_id,
                    "position": position,
                    "interaction_id": first + k,
                    "due_utc": due,
                    "prompt": "Text",
                    "auto_send": auto,
                    "auto": auto,
                    "state": "pending",
                }
                for k, (run_id, position, due, auto) in enumerate(steps)
            ],
        )
        uow.commit()
    print(
        f"build: {runs:,} active runs, {runs * STEPS:,} steps and planned interactions "
        f"in {time.perf_counter() - started:.1f} s"
    )


def paired(fn: Callable[[], Any], base: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median milliseconds of ``fn`` and ``base`` called in turns (same load)."""
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="10,000 active runs")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv)
    runs = 10_000 if args.full else 1_000
    target = TARGETS[args.full]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = open_database(f"sqlite:///{path}")
        try:
            build(db, runs)
            conn = sqlite3.connect(path)
            params = {
                "now": NOW.replace(tzinfo=None).strftime(SQLITE_TIME),
                "limit": due_steps.BATCH,
            }
            kind = registry.kind("scenarios")
            scope = registry.Scope()

            def scheduler_pass() -> list[int]:
                with db.reader() as uow:
                    kind.find(uow, scope)
                with db.reader() as uow:
                    return due_steps.due_ids(uow, NOW)

            def whole_plan() -> None:
                with db.reader() as uow:
                    job_runs.plan(uow, scope, NOW)

            def one_query() -> list[int]:
                return [r[0] for r in conn.execute(DUE_SQL, params)]

            ours, theirs = scheduler_pass(), one_query()
            assert ours == theirs, (len(ours), len(theirs))
            print(f"due now: {len(ours):,} steps (a pass takes at most {due_steps.BATCH})")
            ms, base_ms = paired(scheduler_pass, one_query, args.repeat)
            plan_ms, plan_base = paired(whole_plan, one_query, args.repeat)
            conn.close()
        finally:
            db.dispose()
    ratio = ms / base_ms
    print(f"scheduler pass over scenario steps: {ms:.2f} ms; one SQL query: {base_ms:.2f} ms")
    print(f"ratio {ratio:.2f}x (target <= {target:g}x)")
    print(f"the whole plan (every job kind): {plan_ms:.2f} ms ({plan_ms / plan_base:.1f}x)")
    rows.append(
        {
            "name": f"scenarios due, {runs:,} runs",
            "ratio": round(ratio, 2),
            "target": target,
            "ok": ratio <= target,
            "ms": round(ms, 3),
            "base_ms": round(base_ms, 3),
        }
    )
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
