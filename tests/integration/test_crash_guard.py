"""The suite's crash guard (tests/crash_guard.py) on a real pytest-xdist run
in a subprocess: a worker killed by SIGSEGV leaves its stack at the end of
the output, the test runs once more, and only a test that crashes twice, or
fails in the ordinary way, fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTEST = [
    sys.executable,
    "-m",
    "pytest",
    "-n",
    "2",
    "-p",
    "tests.crash_guard",
    "-p",
    "no:cacheprovider",
]

TESTS = """
import os
import signal
from pathlib import Path

def test_crashes_on_its_first_run(tmp_path_factory):
    mark = Path(os.environ["MARK_DIR"]) / "first"
    if not mark.exists():
        mark.write_text("ran")
        os.kill(os.getpid(), signal.SIGSEGV)

def test_plain():
    assert 1 + 1 == 2
"""

ALWAYS = """
import os
import signal

def test_crashes_every_time():
    os.kill(os.getpid(), signal.SIGSEGV)
"""

FAILS = """
import os
from pathlib import Path

def test_fails_once():
    runs = Path(os.environ["MARK_DIR"]) / "runs"
    runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
    assert False, "an ordinary failure"
"""


def _run(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_sample.py").write_text(textwrap.dedent(source))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MARK_DIR": str(tmp_path)}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.pop("TOUCHPOINT_CRASH_DIR", None)
    return subprocess.run(
        [*PYTEST, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_test_that_crashed_once_runs_again_and_its_stack_is_shown(tmp_path: Path) -> None:
    done = _run(tmp_path, TESTS)
    assert done.returncode == 0, done.stdout + done.stderr
    tail = done.stdout[done.stdout.index("crashed workers") :]
    assert "test_sample.py::test_crashes_on_its_first_run" in tail
    assert "run again on a fresh worker" in tail
    assert "Segmentation fault" in tail
    assert "in test_crashes_on_its_first_run" in tail  # the worker's own stack
    assert "2 passed" in done.stdout
    assert "1 crashed" in done.stdout


def test_a_test_that_crashes_twice_fails_the_run(tmp_path: Path) -> None:
    done = _run(tmp_path, ALWAYS)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    assert "not run again" in done.stdout


def test_an_ordinary_failure_is_not_run_again(tmp_path: Path) -> None:
    done = _run(tmp_path, FAILS)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed" in done.stdout
    assert (tmp_path / "runs").read_text() == "x"
    assert "crashed workers" not in done.stdout
