"""Worker lanes: blocking work off the GUI thread, results back on it.

One serial lane for database writes (SQLite has one writer); more lanes
(one per mail account) come with mail. A lane is a QThreadPool of one
thread, so its tasks run in submission order.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """One per lane, made and kept on the GUI thread. A relay per task was
    freed by whichever thread dropped the last reference, sometimes the worker
    ("Timers cannot be stopped from another thread", then a crash)."""

    # object, not int: ids and counts may outgrow a C int
    finished = Signal(object, object)  # token, result
    failed = Signal(object, object)  # token, exception


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, token: int) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._token = token

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread, not lost
            self._relay.failed.emit(self._token, exc)
            return
        self._relay.finished.emit(self._token, result)


Callbacks = tuple[Callable[[Any], None], Callable[[BaseException], None]]


class Lane:
    def __init__(self, name: str) -> None:
        self.name = name
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._waiting: dict[int, Callbacks] = {}  # GUI thread only
        self._tokens = itertools.count()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run ``fn`` on the lane; the callbacks run on the GUI thread."""
        token = next(self._tokens)
        self._waiting[token] = (on_done, on_error)
        self._pool.start(_Task(fn, self._relay, token))

    def _on_finished(self, token: int, result: Any) -> None:
        callbacks = self._waiting.pop(token, None)
        if callbacks is not None:
            callbacks[0](result)

    def _on_failed(self, token: int, exc: BaseException) -> None:
        callbacks = self._waiting.pop(token, None)
        if callbacks is not None:
            callbacks[1](exc)

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Wait for running work; a write is never cut in half."""
        self._pool.clear()
        return self._pool.waitForDone(timeout_ms)
