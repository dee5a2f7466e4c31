"""UI test hygiene, as napari's conftest: a test that leaves a worker lane
busy or a timer running fails. Such leftovers fire into the next test (a
result delivered to a widget of a finished test, a write racing the next
test's database) and make failures appear far from their cause.

The ``russian`` and ``english`` fixtures install the app's translator for
one test (English too: its plural forms), as the app does at start.
"""

from __future__ import annotations

import gc
import time
import traceback
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QLocale, QObject, QTimer
from shiboken6 import isValid

from desktop import lanes
from ui.shell import i18n

# A task may still be returning from run() when its result arrived.
GRACE_MS = 2_000
# A single shot due this soon after the test is let fire at teardown.
DUE_MS = 500


@pytest.fixture(autouse=True)
def _collect_on_gui_thread() -> Iterator[None]:
    """As in the app (desktop/gc_on_gui.py): no automatic collection while a
    UI test runs, so a worker lane's allocations never free a widget caught
    in a cycle on that thread; what is left is collected here, on the GUI
    thread, once the test is done (by _dangling_qtimers, set up after this)."""
    was = gc.isenabled()
    gc.disable()
    yield
    if was:
        gc.enable()


@pytest.fixture(scope="module", autouse=True)
def _collect_old_on_gui_thread() -> Iterator[None]:
    """The full collection, once a module (the tests collect only the young
    generations): what became garbage in the old generation (a module
    fixture's widgets) is freed here on the GUI thread, before a test of
    another kind may run with automatic collection on a server's thread."""
    yield
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def _dangling_lanes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails a test whose worker lanes still run or hold undelivered results."""
    made: list[tuple[lanes.Lane, str]] = []
    real_init = lanes.Lane.__init__

    def init(self: lanes.Lane, name: str) -> None:
        real_init(self, name)
        made.append((self, "".join(traceback.format_stack(limit=8)[:-1])))

    monkeypatch.setattr(lanes.Lane, "__init__", init)
    yield
    busy = []
    for lane, stack in made:
        if not lane._pool.waitForDone(GRACE_MS):
            busy.append(f"lane {lane.name!r} still running, made at:\n{stack}")
    if busy:
        pytest.fail("Dangling worker lanes:\n" + "\n".join(busy), pytrace=False)


@pytest.fixture(autouse=True)
def _dangling_qtimers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails a test that leaves a started QTimer active once its widgets are
    closed and deleted (a single shot that has not fired counts too)."""
    started: weakref.WeakKeyDictionary[QTimer, str] = weakref.WeakKeyDictionary()
    shots: list[tuple[QTimer, str]] = []
    real_start = QTimer.start

    def start(self: QTimer, *args: object) -> None:
        started[self] = "".join(traceback.format_stack(limit=8)[:-1])
        # connected as a slot (a debounce on textChanged) it gets the signal's
        # arguments; only an interval in msec is one of start()'s
        real_start(self, *[a for a in args if isinstance(a, int)][:1])

    def single_shot(msec: int, *args: object) -> None:
        # (msec, functor), (msec, context, functor) or (msec, type, context, functor)
        context = args[-2] if len(args) >= 2 and isinstance(args[-2], QObject) else None
        timer = QTimer(context)  # gone with its context, as Qt's own single shot
        timer.setSingleShot(True)
        timer.timeout.connect(args[-1])  # type: ignore[call-overload]
        timer.timeout.connect(timer.deleteLater)
        shots.append((timer, "".join(traceback.format_stack(limit=8)[:-1])))
        real_start(timer, msec)

    monkeypatch.setattr(QTimer, "start", start)
    monkeypatch.setattr(QTimer, "singleShot", staticmethod(single_shot))
    yield
    # Collect the finished test's Python-owned Qt objects here, on the GUI
    # thread: left to chance, a collection may run on a worker lane's thread
    # and destroy a QObject with a timer there ("Timers cannot be stopped from
    # another thread"), which warns or crashes a later test. Automatic
    # collection is off during the test, so what it made is all in the young
    # generations: collecting those is enough here; the old generation (a
    # CI worker holds 1-2 million objects, ~0.4 s a scan) once a module.
    gc.collect(1)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    _let_due_timers_fire([t for t, _ in [*started.items(), *shots]])
    active = [
        stack for timer, stack in [*started.items(), *shots] if isValid(timer) and timer.isActive()
    ]
    for timer, _stack in shots:
        if isValid(timer):
            timer.stop()
    if active:
        pytest.fail("Dangling QTimers, started at:\n" + "\n".join(active), pytrace=False)


def _let_due_timers_fire(timers: list[QTimer]) -> None:
    """A single shot due within DUE_MS (a lane's answer posted 30 ms late)
    fires here, while the test's widgets still exist: it is not left
    running. Before the teardown's collection was cut to the young
    generations, its ~0.4 s full scan gave such timers that time by chance."""
    deadline = time.monotonic() + DUE_MS / 1000

    def due() -> bool:
        return any(
            isValid(t) and t.isActive() and t.isSingleShot() and t.remainingTime() <= DUE_MS
            for t in timers
        )

    while due() and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.005)


def _language(qapp: Any, language: str) -> Iterator[None]:
    before = QLocale()
    installed = i18n.install(qapp, language)
    yield
    i18n.uninstall(qapp, installed)
    QLocale.setDefault(before)


@pytest.fixture
def russian(qapp: Any) -> Iterator[None]:
    yield from _language(qapp, "ru")


@pytest.fixture
def english(qapp: Any) -> Iterator[None]:
    yield from _language(qapp, "en")


@pytest.fixture(params=["en", "ru"])
def language(request: pytest.FixtureRequest, qapp: Any) -> Iterator[str]:
    """The test once in each of the app's languages."""
    for _ in _language(qapp, request.param):
        yield request.param
