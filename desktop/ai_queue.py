"""Writes the AI drafts that were queued while the server was out of reach
(SPEC E3), once it answers again.

When the app's ticker (``desktop.scheduler``) finds the queue due, the
reads lane fetches the due requests and the AI config; the generations run
one after another as a coroutine on the app's qasync loop (no thread
blocks on HTTP, ``services.ai.queue_round``); each outcome, and the round
itself, is recorded through the one write lane. An unreachable server ends
the round: the rest wait for their own retry time. The drafts are only
ever written here, never sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from services.core.access import Actor
from services.core.changes import Changes
from services.core.scheduler import JobSpec
from services.core.storage import Database
from services.jobs import registry, runs
from services.jobs.registry import Scope
from ui.bus import ChangeBus

log = logging.getLogger(__name__)


class AiDraftRunner(QObject):
    ready = Signal(object)  # QueuedDraft: a draft waits to be used in a letter

    def __init__(
        self,
        db: Database,
        actor: Actor,
        reads: Any,
        writes: Any,
        clock: Callable[[], dt.datetime] | None = None,
        bus: ChangeBus | None = None,
    ) -> None:
        super().__init__()
        self.bus = bus if bus is not None else ChangeBus()  # a draft became ready
        self._db, self._actor = db, actor
        self._reads, self._writes = reads, writes
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.task: asyncio.Task[None] | None = None
        self._asking = False

    @property
    def key(self) -> str:
        return f"ai_drafts:{self._actor.id}"

    def stop(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()

    @property
    def busy(self) -> bool:
        return self._asking or (self.task is not None and not self.task.done())

    def is_running(self, key: str) -> bool:
        return self.busy

    def run_job(self, spec: JobSpec | None = None) -> None:
        """Start a round unless one runs; quiet when nothing is due."""
        if self.busy:
            return
        from services.ai import queue_round

        db, actor, now = self._db, self._actor, self._clock()
        job = spec or registry.adhoc(self.key)

        def due() -> tuple[Any, list[Any], str]:
            with db.reader(actor.id) as uow:
                return queue_round.due_work(uow, actor, now)

        self._asking = True
        self._reads.submit(
            due, lambda found: self._on_due(job, found), lambda exc: self._on_error(job, exc)
        )

    def _on_due(self, job: JobSpec, found: tuple[Any, list[Any], str]) -> None:
        self._asking = False
        config, jobs, waiting = found
        if config is None or not jobs:
            from services.ai.queue_round import RoundReport

            self._record_round(job, RoundReport(waiting=waiting), None)
            return
        from ui.widgets import event_loop

        loop = event_loop.current()
        if loop is None:
            return
        self.task = loop.create_task(self._run(job, config, jobs))

    def _on_error(self, job: JobSpec, exc: BaseException) -> None:
        self._asking = False
        log.error("reading the queued AI drafts failed", exc_info=exc)
        self._record_round(job, None, exc)

    async def _run(self, job: JobSpec, config: Any, jobs: list[Any]) -> None:
        from services.ai import queue_round

        def record(request_id: int, text: str | None, error: str, retry: bool) -> None:
            self._record(request_id, text, error, retry=retry)

        report = await queue_round.write_due(config, jobs, record)
        self._record_round(job, report, None)

    def _record_round(self, job: JobSpec, report: Any, exc: BaseException | None) -> None:
        """The round as a scheduler run, after its drafts (same write lane)."""
        db, now, scope = self._db, self._clock(), Scope(actor=self._actor)
        summary = registry.kind("ai_drafts").summary

        def write() -> None:
            if exc is None:
                runs.record_run(db, job, scope, now, error=None, result=summary(report))
            else:
                runs.record_run(db, job, scope, now, error=str(exc) or "failed", result="")

        self._writes.submit(write, lambda _r: None, self._on_record_error)

    def _on_record_error(self, exc: BaseException) -> None:
        log.error("recording a queued AI draft failed", exc_info=exc)

    def _record(self, request_id: int, text: str | None, error: str, *, retry: bool) -> None:
        from services.ai import queue_round

        db, actor, now = self._db, self._actor, self._clock()

        def write() -> Any:
            with db.uow(actor.id) as uow:
                view = queue_round.save(uow, actor, request_id, text, error, now, retry=retry)
                uow.commit()
                return view

        self._writes.submit(write, self._on_recorded, self._on_record_error)

    def _on_recorded(self, view: Any) -> None:
        self.bus.post(Changes.of(updated={"draft": [view.id]}, cards=[("client", view.client_id)]))
        if view.state == "ready":
            self.ready.emit(view)
        elif view.state == "failed":
            log.warning("a queued AI draft failed: %s", view.last_error)
