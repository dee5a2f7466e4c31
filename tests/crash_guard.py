"""When a pytest-xdist worker dies (a segfault in Qt, an abort), say where
and give the test one more run.

A worker that crashes takes its test's output with it: xdist reports only
"worker 'gw0' crashed while running …", and the faulthandler stack went to
the worker's stderr, lost in the middle of a long CI log. Here every worker
writes faulthandler's dump to its own file, and the controller prints the
dump at the end of the run, where the log's tail shows it.

The crashed test is scheduled once more on a fresh worker; it is reported
as "crashed" in the summary with its stack, never silently. A second crash
of the same test fails the run as before, so a test that always crashes
still fails. Only crashes are run again: an ordinary failure is a failure.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import tempfile
from pathlib import Path
from typing import IO, Any

import pytest

DIR_ENV = "TOUCHPOINT_CRASH_DIR"
_dump: IO[str] | None = None
_again: set[str] = set()
_crashes: list[tuple[str, str, bool]] = []  # test, stack, run again


@pytest.hookimpl(trylast=True)  # after pytest's own faulthandler plugin
def pytest_configure(config: pytest.Config) -> None:
    global _dump
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        os.environ.setdefault(DIR_ENV, tempfile.mkdtemp(prefix="tp-crash-"))
        return
    folder = os.environ.get(DIR_ENV)
    if folder:
        # open as long as the worker lives
        _dump = open(Path(folder) / f"{worker}-{os.getpid()}.txt", "w")  # noqa: SIM115
        faulthandler.enable(file=_dump, all_threads=True)


def _dumps_of(worker: str) -> str:
    """The dumps of a dead worker's processes, each read once."""
    folder = os.environ.get(DIR_ENV)
    if not folder:
        return ""
    texts = []
    for path in sorted(Path(folder).glob(f"{worker}-*.txt")):
        text = path.read_text(errors="replace").strip()
        if text:
            texts.append(text)
            path.unlink()
    return "\n".join(texts)


@pytest.hookimpl(optionalhook=True)
def pytest_handlecrashitem(crashitem: str, report: pytest.TestReport, sched: Any) -> None:
    node = getattr(report, "node", None)
    worker = node.gateway.id if node is not None else "?"
    dump = _dumps_of(worker) or "(no faulthandler dump was written)"
    report.longrepr = f"{report.longrepr}\n{dump}"
    again = crashitem not in _again  # crashed twice: a failure, as xdist reports it
    if again:
        try:
            sched.mark_test_pending(crashitem)
        except (NotImplementedError, AttributeError, ValueError):
            again = False  # a scheduler that cannot give a test back
    _crashes.append((crashitem, dump, again))
    if not again:
        return
    _again.add(crashitem)
    report.outcome = "crashed"  # type: ignore[assignment]  # neither passed nor failed


def pytest_report_teststatus(report: pytest.TestReport) -> tuple[str, str, Any] | None:
    if report.outcome == "crashed":  # type: ignore[comparison-overlap]
        return "crashed", "C", ("CRASHED, RUN AGAIN", {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _crashes:
        return
    terminalreporter.write_sep("=", "crashed workers", yellow=True)
    for nodeid, dump, again in _crashes:
        what = "run again on a fresh worker" if again else "not run again"
        terminalreporter.write_line(f"{nodeid}: the worker died ({what}); its stack:")
        for line in dump.splitlines()[:80]:
            terminalreporter.write_line(f"    {line}")


def pytest_unconfigure(config: pytest.Config) -> None:
    """The controller removes its folder of (empty) dumps."""
    folder = os.environ.get(DIR_ENV)
    if os.environ.get("PYTEST_XDIST_WORKER") is None and folder:
        for path in Path(folder).glob("*.txt"):
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            Path(folder).rmdir()
