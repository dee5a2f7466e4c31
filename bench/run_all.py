"""Every bench at its default size, one table of ratios against their targets.

Each bench runs in its own process (a cold interpreter, its own temporary
database) with ``--json``; its last line of output is a JSON list of rows
``{"name", "ratio", "target", "ok"}`` (more keys are allowed; "ratio" may be
a value in the unit of "target" where no baseline applies, e.g. MB). A bench
that fails, times out or prints no such line is a row with ``ok: false``
and the reason.

    .venv/bin/python bench/run_all.py              # the table, under 5 minutes
    .venv/bin/python bench/run_all.py --json       # the rows as one JSON list
    .venv/bin/python bench/run_all.py --full       # every bench at --full (long)
    .venv/bin/python bench/run_all.py --only feed search
    .venv/bin/python bench/run_all.py --full --db /tmp/full.sqlite3   # build once, reuse
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# name, script, extra arguments at the default size. "{db}": one demo
# database that the first bench builds and the others reuse.
BENCHES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("feed", "feed.py", ("--repeat", "60", "--db", "{db}")),
    ("search", "search.py", ("--repeat", "3", "--db", "{db}")),
    ("ui", "ui.py", ("--runs", "3", "--db", "{db}")),
    # Its own default of 7 processes a side rather than 3: more samples for a
    # median that swings with the machine (bench/README.md, session 9).
    ("startup", "startup.py", ()),
    ("mail", "mail.py", ()),
    ("link", "link.py", ()),
    ("import", "import.py", ()),
    ("scenarios", "scenarios.py", ()),
    ("replica", "replica.py", ()),
)
TIMEOUT_S = 240


def run_one(name: str, script: str, extra: Sequence[str], full: bool) -> list[dict[str, Any]]:
    """The rows of one bench run in its own process."""
    path = HERE / script
    if not path.exists():
        return [{"name": name, "ratio": None, "target": None, "ok": False, "error": "no bench"}]
    argv = [sys.executable, str(path), *extra, "--json", *(["--full"] if full else [])]
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    started = time.monotonic()
    load_before = os.getloadavg()[0]
    try:
        proc = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            env=env,
            timeout=None if full else TIMEOUT_S,
            check=False,
            cwd=HERE.parent,
        )
    except subprocess.TimeoutExpired:
        return [{"name": name, "ratio": None, "target": None, "ok": False, "error": "timeout"}]
    took = time.monotonic() - started
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    try:
        rows = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        rows = None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "name" in r for r in rows):
        tail = (proc.stderr.strip().splitlines() or ["no JSON rows"])[-1][:120]
        error = f"exit {proc.returncode}: {tail}"
        return [{"name": name, "ratio": None, "target": None, "ok": False, "error": error}]
    # The 1-minute load average as the bench started and ended: the machine
    # is shared, and a wall-clock row is read against it (bench/README.md).
    load = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    for row in rows:
        row.setdefault("ok", False)
        row["seconds"] = round(took, 1)
        row["load"] = load
    return rows


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def table(rows: Sequence[dict[str, Any]]) -> str:
    width = max(len(r["name"]) for r in rows) if rows else 10
    out = [f"{'bench':<{width}}  {'ratio':>8}  {'target':>8}  ok"]
    for r in rows:
        mark = "yes" if r.get("ok") else "NO " + str(r.get("error", ""))
        out.append(
            f"{r['name']:<{width}}  {_cell(r.get('ratio')):>8}  {_cell(r.get('target')):>8}  {mark}"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the rows as one JSON list")
    parser.add_argument("--full", action="store_true", help="run every bench at --full")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these benches")
    parser.add_argument(
        "--db",
        type=Path,
        help="the demo database feed, search and ui share: kept, and reused if it exists "
        "(at the size it was built at: pass --full with a --full one)",
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tp-run-all-") as folder:
        shared = str((args.db or Path(folder) / "demo.sqlite3").resolve())
        for name, script, extra in BENCHES:
            if args.only and name not in args.only:
                continue
            if not args.json:
                print(f"running {name} ...", file=sys.stderr, flush=True)
            rows += run_one(name, script, [a.replace("{db}", shared) for a in extra], args.full)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        print(table(rows))
        print(f"\n{len(rows)} rows in {time.monotonic() - started:.0f} s")
    return 0 if all(r.get("ok") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
