"""Cold start: the desktop app to a painted client list, and one CLI call.

Each measurement is a new process (offscreen Qt), timed from its spawn by
the parent (wall) and by its own CPU clock (user + system, read when it is
done). Compared in the same run with a baseline process that only imports
PySide6, creates the QApplication and paints one empty window: what
Touchpoint adds to the least any Qt app pays.

- app: ``desktop.app.run_gui`` on a demo database (200 clients) until the
  client list's table has painted rows; the process then quits.
- cli: ``touchpoint clients list`` on the same database (absolute CPU; the
  baseline is a bare ``python -c pass``).

Bytecode: this environment sets PYTHONDONTWRITEBYTECODE; an installed app
has its ``.pyc`` files, so every process here gets a private
``PYTHONPYCACHEPREFIX`` and a warm-up run first. Medians of 7 processes,
each measurement interleaved with its baseline (A B A B ...). The app's
driver loads the app's core before PySide6, as ``run_gui`` does first (a
user's ``touchpoint`` imports no Qt before it): a driver importing Qt first
paid PySide6's per-module source check on SQLAlchemy and the models, which
no user's start pays.

    .venv/bin/python bench/startup.py            # app and cli, 7 runs each
    .venv/bin/python bench/startup.py --cli      # the CLI rows only
    .venv/bin/python bench/startup.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP_TARGET_S = 1.2  # issue #16: wall, to a painted client list
CLI_TARGET_S = 0.4  # issue #16: CPU of `touchpoint clients list`

# Prints "DONE <cpu seconds>" once the client list has painted rows, then quits.
APP_DRIVER = """
import os, resource, sys
from desktop.app import load_core
load_core()  # what run_gui does first: a user's start loads its core before Qt
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            view = obj.parent()
            if isinstance(view, QAbstractItemView) and view.objectName() == "client_list":
                model = view.model()
                if model is not None and model.rowCount() > 0 and view.isVisible():
                    print("DONE %.4f" % cpu(), flush=True)
                    os._exit(0)
        return False

app = QApplication(sys.argv[:1])
watch = Painted()
app.installEventFilter(watch)
QTimer.singleShot(60_000, lambda: os._exit(3))
from desktop.app import run_gui
sys.exit(run_gui(sys.argv[1]))
"""

BASE_DRIVER = """
import os, resource, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window:
            r = resource.getrusage(resource.RUSAGE_SELF)
            print("DONE %.4f" % (r.ru_utime + r.ru_stime), flush=True)
            os._exit(0)
        return False

app = QApplication(sys.argv[:1])
watch = Painted()
app.installEventFilter(watch)
window = QWidget()
window.resize(1280, 800)
window.show()
app.exec()
"""


def _env(cache: Path, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPATH=str(ROOT),
        PYTHONPYCACHEPREFIX=str(cache),
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),  # QSettings and the data folder of a first start
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
    )
    return env


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds from spawn, CPU seconds of the child)."""
    started = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=False)
    wall = time.perf_counter() - started
    done = [line for line in proc.stdout.splitlines() if line.startswith("DONE ")]
    if done:
        return wall, float(done[-1].split()[1])
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:3]} failed ({proc.returncode}): {proc.stderr[-800:]}")
    return wall, _children_cpu()


_last_children = [0.0]


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = r.ru_utime + r.ru_stime
    spent = total - _last_children[0]
    _last_children[0] = total
    return spent


def _medians(argvs: list[list[str]], env: dict[str, str], runs: int) -> list[tuple[float, float]]:
    """(median wall, median CPU) of each argv, the runs interleaved (A B A B
    ...) so that a change of load on the machine falls on both sides."""
    for argv in argvs:
        _children_cpu()
        _run(argv, env)  # warm-up: writes the bytecode
    _children_cpu()
    walls: list[list[float]] = [[] for _ in argvs]
    cpus: list[list[float]] = [[] for _ in argvs]
    for _ in range(runs):
        for i, argv in enumerate(argvs):
            wall, cpu = _run(argv, env)
            walls[i].append(wall)
            cpus[i].append(cpu)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def _demo_db(path: Path, env: dict[str, str]) -> str:
    url = f"sqlite:///{path}"
    subprocess.run(
        [sys.executable, "-m", "desktop.cli", "--db", url, "demo", "--clients", "200"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    return url


def run(runs: int, app: bool) -> list[dict[str, Any]]:
    # The 1-minute load average at the start and the end, in every row: the
    # medians follow the other work on the machine, not the harness (a run
    # alone and one inside run_all.py read the same CPU back to back).
    load_start = os.getloadavg()[0]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tp-start-") as folder:
        tmp = Path(folder)
        (tmp / "home").mkdir()
        env = _env(tmp / "pyc", tmp / "home")
        url = _demo_db(tmp / "start.sqlite3", env)
        py = sys.executable
        if app:
            (base_wall, base_cpu), (app_wall, app_cpu) = _medians(
                [[py, "-c", BASE_DRIVER], [py, "-c", APP_DRIVER, url]], env, runs
            )
            print(
                f"Qt baseline (import, QApplication, one painted window): "
                f"{base_wall:.2f} s wall, {base_cpu:.2f} s CPU"
            )
            print(
                f"app to a painted client list: {app_wall:.2f} s wall, {app_cpu:.2f} s CPU "
                f"= {app_wall / base_wall:.1f}x the baseline's wall"
            )
            rows += [
                {
                    "name": "cold start to client list, s wall",
                    "ratio": round(app_wall, 2),
                    "target": APP_TARGET_S,
                    "ok": app_wall < APP_TARGET_S,
                    "cpu_s": round(app_cpu, 2),
                    "baseline_wall_s": round(base_wall, 2),
                    "vs_baseline": round(app_wall / base_wall, 2),
                },
            ]
        cli = [py, "-m", "desktop.cli", "--db", url, "clients", "list", "--json"]
        (bare_wall, bare_cpu), (cli_wall, cli_cpu) = _medians([[py, "-c", "pass"], cli], env, runs)
        print(f"python -c pass: {bare_wall:.2f} s wall, {bare_cpu:.2f} s CPU")
        print(
            f"touchpoint clients list: {cli_wall:.2f} s wall, {cli_cpu:.2f} s CPU "
            f"(target < {CLI_TARGET_S} s CPU)"
        )
        rows.append(
            {
                "name": "cli clients list, s CPU",
                "ratio": round(cli_cpu, 2),
                "target": CLI_TARGET_S,
                "ok": cli_cpu < CLI_TARGET_S,
                "wall_s": round(cli_wall, 2),
                "bare_python_cpu_s": round(bare_cpu, 2),
            }
        )
    for row in rows:
        row["load_1m"] = [round(load_start, 1), round(os.getloadavg()[0], 1)]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed processes per measurement")
    parser.add_argument("--cli", action="store_true", help="only the CLI rows")
    parser.add_argument("--full", action="store_true", help="the same as the default here")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of the rows")
    args = parser.parse_args(argv)
    rows = run(args.runs, app=not args.cli)
    if args.json:
        print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
