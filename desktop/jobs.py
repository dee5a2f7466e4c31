"""The linking job (SPEC D1) in the desktop app: on the write lane, when
the ticker (``desktop.scheduler``) finds it due or when asked for at once
("an address was just added"); each run is recorded with the scheduler.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from services.core.scheduler import JobSpec
from services.core.storage import Database
from services.feed import touched
from services.jobs import registry, runs
from services.jobs.registry import Scope
from ui.bus import ChangeBus

log = logging.getLogger(__name__)
KEY = "linking"


class LinkingRunner(QObject):
    linked = Signal(object)  # LinkReport
    failed = Signal(str)

    def __init__(
        self,
        db: Database,
        writes: Any,
        clock: Callable[[], dt.datetime] | None = None,
        bus: ChangeBus | None = None,
    ) -> None:
        super().__init__()
        self._db = db
        self.bus = bus if bus is not None else ChangeBus()  # what a run linked
        self._writes = writes
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._running = False
        self._again = False  # asked for while running: an address added mid-run

    def is_running(self, key: str) -> bool:
        return self._running

    def run_job(self, spec: JobSpec) -> None:
        self.run_now(spec)

    def run_now(self, spec: JobSpec | None = None) -> None:
        """Run the job; asked for during a run, it runs once more after it,
        since that run may have read the cards before the new address."""
        if self._running:
            self._again = True
            return
        from services.linking import job as linking

        self._running = True
        db, now = self._db, self._clock()
        job = spec or registry.adhoc(KEY)
        self._writes.submit(
            lambda: touched.tracked(
                db,
                lambda: runs.recorded(
                    db,
                    job,
                    Scope(),
                    now,
                    lambda: linking.run(db, now=now),
                    registry.kind(KEY).summary,
                ),
            ),
            self._on_done,
            self._on_error,
        )

    def _on_done(self, outcome: Any) -> None:
        from services.linking import use_cases as link_cases

        report = self.bus.deliver(outcome)
        self.bus.post(link_cases.left_changes(report))  # the cards it moved items off
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
