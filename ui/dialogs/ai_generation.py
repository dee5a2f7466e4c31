"""One AI draft streaming into the letter, on the app's qasync loop (SPEC E2).

The generation is a coroutine on the loop the GUI runs: chunks arrive as
signals on the GUI thread with no worker thread to join, and Stop sets an
``asyncio.Event`` that ``services.ai.client.stream_draft`` watches even while it
waits for the server. The config and the messages are read beforehand on the
reads lane; nothing here touches the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from shiboken6 import isValid

from services.ai import client as ai
from services.ai.settings import AiConfig, Message
from ui.widgets import event_loop as app_loop

log = logging.getLogger(__name__)


class AiGeneration(QObject):
    """Streams one draft: ``chunk`` for each piece, then ``finished`` (with
    whether it was stopped) or ``failed`` (a UserError saying what to do)."""

    chunk = Signal(str)
    finished = Signal(bool)  # True: stopped by the user
    failed = Signal(object)  # BaseException

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel: asyncio.Event | None = None
        self.task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start(self, config: AiConfig, messages: Sequence[Message]) -> bool:
        """False when there is no event loop to run on (then nothing started)."""
        loop = app_loop.current()
        if loop is None or self.running:
            return False
        self._cancel = asyncio.Event()
        self.task = loop.create_task(self._run(config, list(messages), self._cancel))
        return True

    def stop(self) -> None:
        """Stop quietly: what was written stays in the letter."""
        if self._cancel is not None:
            self._cancel.set()

    def abandon(self) -> None:
        """The dialog is closing: stop and let nothing arrive afterwards."""
        self.stop()
        if self.task is not None and not self.task.done():
            self.task.cancel()

    async def _run(self, config: AiConfig, messages: list[Message], cancel: asyncio.Event) -> None:
        try:
            async with contextlib.aclosing(
                ai.stream_draft(config, messages, cancel=cancel)
            ) as stream:
                async for piece in stream:
                    if not isValid(self):  # the dialog is gone: nothing reaches it
                        continue  # (drained, not cancelled: see abandon() for that)
                    self.chunk.emit(piece)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure reaches the dialog
            log.info("AI generation failed: %s", exc)
            if isValid(self):  # as the task runner: nothing reaches a deleted widget
                self.failed.emit(exc)
            return
        if isValid(self):
            self.finished.emit(cancel.is_set())
