"""Scheduled jobs that are not mail: the linking job (SPEC D1).

A QTimer on the GUI thread asks ``linking.due``; the run itself goes to the
one database-write lane. ``run_now`` is for "an address was just added".
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from services.core.storage import Database

log = logging.getLogger(__name__)
TICK_MS = 60_000


class JobTicker(QObject):
    linked = Signal(object)  # LinkReport
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        writes: Any,
        clock: Callable[[], dt.datetime] | None = None,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__()
        self._db = db
        self._writes = writes
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._running = False
        self._again = False  # asked for while running: an address added mid-run
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.tick)

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        from services.linking import job as linking

        with self._db.reader() as uow:
            if linking.due(uow, self._clock()):
                self.run_now()

    def run_now(self) -> None:
        """Run the job; asked for during a run, it runs once more after it,
        since that run may have read the cards before the new address."""
        if self._running:
            self._again = True
            return
        from services.linking import job as linking

        self._running = True
        self._writes.submit(
            lambda: linking.run(self._db, now=self._clock()), self._on_done, self._on_error
        )

    def _on_done(self, report: Any) -> None:
        self._finish()
        self.linked.emit(report)

    def _on_error(self, exc: BaseException) -> None:
        self._finish()
        log.error("linking job failed", exc_info=exc)
        self.failed.emit(str(exc))

    def _finish(self) -> None:
        self._running = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.run_now)
