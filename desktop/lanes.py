"""Worker lanes: blocking work off the GUI thread, results back on it.

One serial lane for database writes (SQLite has one writer); more lanes
(one per mail account) come with mail. A lane is a QThreadPool of one
thread, so its tasks run in submission order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    # object, not int: ids and counts may outgrow a C int
    finished = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread, not lost
            self._relay.failed.emit(exc)
            return
        self._relay.finished.emit(result)


class Lane:
    def __init__(self, name: str) -> None:
        self.name = name
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """Run ``fn`` on the lane; the callbacks run on the GUI thread."""
        relay = _Relay()
        self._relays.add(relay)

        def done(result: Any) -> None:
            self._relays.discard(relay)
            on_done(result)

        def failed(exc: BaseException) -> None:
            self._relays.discard(relay)
            on_error(exc)

        relay.finished.connect(done)
        relay.failed.connect(failed)
        self._pool.start(_Task(fn, relay))

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Wait for running work; a write is never cut in half."""
        self._pool.clear()
        return self._pool.waitForDone(timeout_ms)
