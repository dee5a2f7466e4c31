"""Writes the AI drafts that were queued while the server was out of reach
(SPEC E3), once it answers again.

A QTimer asks the reads lane for the due requests and the AI config; the
generations run one after another as a coroutine on the app's qasync loop
(no thread blocks on HTTP); each outcome is recorded through the one write
lane. An unreachable server ends the round: the rest wait for their own
retry time. The drafts are only ever written here, never sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from services.core.access import Actor
from services.core.storage import Database

log = logging.getLogger(__name__)
TICK_MS = 60_000


class AiDraftRunner(QObject):
    ready = Signal(object)  # QueuedDraft: a draft waits to be used in a letter

    def __init__(
        self,
        db: Database,
        actor: Actor,
        reads: Any,
        writes: Any,
        clock: Callable[[], dt.datetime] | None = None,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__()
        self._db, self._actor = db, actor
        self._reads, self._writes = reads, writes
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.task: asyncio.Task[None] | None = None
        self._asking = False
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self.task is not None and not self.task.done():
            self.task.cancel()

    @property
    def busy(self) -> bool:
        return self._asking or (self.task is not None and not self.task.done())

    def tick(self) -> None:
        """Start a round unless one runs; quiet when nothing is due."""
        if self.busy:
            return
        from services.ai import drafts as ai_drafts
        from services.ai import settings as ai_settings
        from services.core.errors import UserError

        db, actor, now = self._db, self._actor, self._clock()

        def due() -> tuple[Any, list[ai_drafts.Job]]:
            with db.reader(actor.id) as uow:
                jobs = ai_drafts.due(uow, actor, now)
                if not jobs:
                    return None, []
                try:
                    return ai_settings.config(uow), jobs
                except UserError as exc:  # AI was switched off meanwhile
                    log.info("queued AI drafts wait: %s", exc)
                    return None, []

        self._asking = True
        self._reads.submit(due, self._on_due, self._on_error)

    def _on_due(self, found: tuple[Any, list[Any]]) -> None:
        self._asking = False
        config, jobs = found
        if config is None or not jobs:
            return
        from ui.widgets import event_loop

        loop = event_loop.current()
        if loop is None:
            return
        self.task = loop.create_task(self._run(config, jobs))

    def _on_error(self, exc: BaseException) -> None:
        self._asking = False
        log.error("reading the queued AI drafts failed", exc_info=exc)

    async def _run(self, config: Any, jobs: list[Any]) -> None:
        from services.ai import client as ai
        from services.core.errors import UserError

        for job in jobs:
            try:
                text = await ai.draft(config, job.messages)
            except ai.AiUnavailable as exc:
                self._record(job.id, None, str(exc), retry=True)
                return  # out of reach: the others keep their retry time
            except UserError as exc:
                self._record(job.id, None, str(exc), retry=False)
                continue
            self._record(job.id, text, "", retry=False)

    def _record(self, request_id: int, text: str | None, error: str, *, retry: bool) -> None:
        from services.ai import drafts as ai_drafts

        db, actor, now = self._db, self._actor, self._clock()

        def write() -> Any:
            with db.uow(actor.id) as uow:
                if text is not None:
                    view = ai_drafts.record_ready(uow, actor, request_id, text)
                else:
                    view = ai_drafts.record_failure(uow, actor, request_id, error, now, retry=retry)
                uow.commit()
                return view

        self._writes.submit(write, self._on_recorded, self._on_error)

    def _on_recorded(self, view: Any) -> None:
        if view.state == "ready":
            self.ready.emit(view)
        elif view.state == "failed":
            log.warning("a queued AI draft failed: %s", view.last_error)
