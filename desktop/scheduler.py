"""The one ticker of the desktop app: asks the scheduler what is due and
hands each due job to the part of the app that runs it on the right lane.

The ticker only decides *when* (as Vorta's scheduler): the question "what
is due?" is a database read, so it goes to the reads lane and the answer
comes back on the GUI thread. Mail syncs run on their mailbox's lane, the
outbox on its own, the linking job on the write lane, the AI queue on the
qasync loop; a kind without an executor of its own runs on the write lane.
The times are stored, so after a sleep or with the app closed each job is
due once, however many intervals were missed; a wall-clock jump (waking
from sleep) is logged and answered by the same one question.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from services.core.scheduler import JobSpec
from services.core.storage import Database
from services.feed import touched
from services.jobs import runs
from services.jobs.registry import Scope
from ui.bus import ChangeBus

log = logging.getLogger(__name__)
TICK_MS = 30_000


class Executor(Protocol):
    """Runs one kind of job on its lane; never starts a job that runs."""

    def run_job(self, spec: JobSpec) -> None: ...

    def is_running(self, key: str) -> bool: ...


class LaneExecutor(QObject):
    """Runs a job with its kind's own runner on a lane (the write lane by
    default): for kinds that need nothing from the GUI but the result."""

    ran = Signal(object)  # services.jobs.runs.JobRun

    def __init__(
        self,
        db: Database,
        lane: Any,
        scope: Scope,
        clock: Callable[[], dt.datetime],
        bus: ChangeBus | None = None,
    ) -> None:
        super().__init__()
        self._db, self._lane, self._scope, self._clock = db, lane, scope, clock
        self.bus = bus if bus is not None else ChangeBus()  # what a job changed
        self._running: set[str] = set()

    def is_running(self, key: str) -> bool:
        return key in self._running

    def run_job(self, spec: JobSpec) -> None:
        if spec.key in self._running:
            return
        self._running.add(spec.key)
        db, scope, now = self._db, self._scope, self._clock()
        self._lane.submit(
            lambda: touched.tracked(db, lambda: runs.execute(db, spec, scope, now)),
            lambda run: self._on_done(spec.key, run),
            lambda exc: self._on_error(spec.key, exc),
        )

    def _on_done(self, key: str, outcome: Any) -> None:
        run = self.bus.deliver(outcome)
        told = getattr(run.result, "changes", None)  # what the history does not record
        if callable(told):
            self.bus.post(told())
        self._running.discard(key)
        self.ran.emit(run)

    def _on_error(self, key: str, exc: BaseException) -> None:
        self._running.discard(key)  # execute() records its own failures; this is a bug
        log.error("job %s crashed", key, exc_info=exc)


class Ticker(QObject):
    planned = Signal(object)  # list[JobSpec]: what was due at the last question
    woke = Signal(object)  # dt.timedelta: the wall clock jumped ahead (sleep)

    def __init__(
        self,
        db: Database,
        reads: Any,
        scope: Scope,
        executors: Mapping[str, Executor],
        fallback: Executor,
        clock: Callable[[], dt.datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__()
        self._db, self._reads, self._scope = db, reads, scope
        self._executors = dict(executors)
        self._fallback = fallback
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._monotonic = monotonic
        self._tick = dt.timedelta(milliseconds=tick_ms)
        self._last: tuple[dt.datetime, float] | None = None
        self._asking = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.tick)  # catch up at once on start (the app was closed)

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        """Ask what is due, off the GUI thread; one question at a time."""
        now, steady = self._clock(), self._monotonic()
        if self._last is not None:
            jump = (now - self._last[0]) - dt.timedelta(seconds=steady - self._last[1])
            if jump > 2 * self._tick:
                log.info("woke after %s: catching up once", jump)
                self.woke.emit(jump)
        self._last = (now, steady)
        if self._asking:
            self._again = True
            return
        self._asking = True
        db, scope = self._db, self._scope

        def ask() -> list[JobSpec]:
            with db.reader() as uow:
                return runs.plan(uow, scope, now)

        self._reads.submit(ask, self._on_planned, self._on_plan_failed)

    def executor(self, kind: str) -> Executor:
        return self._executors.get(kind, self._fallback)

    def run_now(self, spec: JobSpec) -> None:
        """Run ``spec`` now unless it runs already ("an address was just added")."""
        executor = self.executor(spec.kind)
        if not executor.is_running(spec.key):
            executor.run_job(spec)

    def _on_planned(self, specs: list[JobSpec]) -> None:
        self._finish_question()
        for spec in specs:
            self.run_now(spec)
        self.planned.emit(specs)

    def _on_plan_failed(self, exc: BaseException) -> None:
        self._finish_question()
        log.warning("could not read what is due: %s", exc)  # asked again next tick

    def _finish_question(self) -> None:
        self._asking = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.tick)
