"""The app's garbage collector runs on the GUI thread (desktop/gc_on_gui.py):
a reference cycle that a worker thread's allocations would have freed on
that thread is freed on the GUI thread instead, soon after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest
from pytestqt.qtbot import QtBot

from desktop.gc_on_gui import GuiThreadCollector


class _Cycle:
    freed_on: ClassVar[list[int]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.get_ident())


@pytest.fixture
def collector(qtbot: QtBot) -> Iterator[GuiThreadCollector]:
    made = GuiThreadCollector(interval_ms=20)
    yield made
    made.stop()
    made.deleteLater()


def _allocate_on_a_worker() -> list[list[int]]:
    """Containers made on a worker thread and kept: their count passes the
    collector's first threshold there, as a mail sync's rows do."""
    made: list[list[int]] = []

    def churn() -> None:
        made.extend([i] for i in range(5 * gc.get_threshold()[0]))

    worker = threading.Thread(target=churn)
    worker.start()
    worker.join()
    return made


def test_a_cycle_is_freed_on_the_gui_thread_not_on_the_worker(
    qtbot: QtBot, collector: GuiThreadCollector
) -> None:
    assert not gc.isenabled()
    _Cycle.freed_on.clear()
    _Cycle()
    kept = _allocate_on_a_worker()
    assert gc.get_count()[0] > gc.get_threshold()[0]
    assert _Cycle.freed_on == []  # the worker's allocations collected nothing
    qtbot.waitUntil(lambda: _Cycle.freed_on != [], timeout=2_000)
    assert _Cycle.freed_on == [threading.get_ident()]
    del kept


def test_without_it_the_worker_frees_the_cycle() -> None:
    """The hazard itself: automatic collection runs on the allocating thread."""
    was = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        _Cycle.freed_on.clear()
        _Cycle()
        assert len(_allocate_on_a_worker()) > 0
        assert _Cycle.freed_on
        assert _Cycle.freed_on[0] != threading.get_ident()
    finally:
        if not was:
            gc.disable()


def test_stop_gives_automatic_collection_back(qtbot: QtBot) -> None:
    was = gc.isenabled()
    gc.enable()
    try:
        made = GuiThreadCollector()
        assert not gc.isenabled()
        made.stop()
        assert gc.isenabled()
        made.deleteLater()
    finally:
        if not was:
            gc.disable()
