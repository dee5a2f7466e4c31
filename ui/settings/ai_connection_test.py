"""Settings → AI: "Test connection", a one-word generation with the saved
settings, off the GUI thread (on the qasync loop in the app, on the read
lane's worker elsewhere).

A mixin of :class:`~ui.settings.ai_page.AiPage`, kept apart from the form
and its saving; its strings are translated in this class's context.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from shiboken6 import isValid

from services.ai import client as ai
from services.ai import settings as ai_settings
from services.ai.settings import AiConfig
from services.core.errors import UserError
from ui.shell import error_text
from ui.widgets import event_loop
from ui.widgets.plain import quoted

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from ui.context import UiContext
    from ui.widgets.hints import FieldHint
    from ui.widgets.work import Work

    _Base = QWidget
else:
    _Base = object  # at run time a plain mixin: the page brings QWidget

# The smallest generation that proves the server, the model and the key work.
TEST_MESSAGES = ai.TEST_MESSAGES


class AiConnectionTest(_Base):
    """Test the saved server, model and key; the answer or the reason shows
    under the button."""

    def test_connection(self) -> None:
        """A one-word generation with the saved settings, off the GUI thread."""
        if self._busy:
            return
        if self.is_dirty():
            self.save(then=self.test_connection)
            return
        self.test_result.show_info(self.tr("Testing…"))
        self._set_busy(True)
        self._work.read(
            lambda uow, actor: ai_settings.config(uow), self._on_test_config, self._on_test_failed
        )

    def _on_test_config(self, config: AiConfig) -> None:
        # Not inside a unit of work: the generation may take the whole timeout.
        # In the app it is a task on the qasync loop, like a letter's draft, so
        # no lane waits for a slow server; without that loop (tests, selftest)
        # asyncio.run on the read lane's worker thread keeps the GUI free.
        loop = event_loop.current()
        if loop is not None:
            self._test_task = loop.create_task(self._test_on_loop(config))
            return
        self._work.submit(
            self._ctx.reads,
            lambda: asyncio.run(ai.draft(config, TEST_MESSAGES)),
            lambda answer: self._on_tested(config, answer),
            self._on_test_failed,
        )

    async def _test_on_loop(self, config: AiConfig) -> None:
        try:
            answer = await ai.draft(config, TEST_MESSAGES)
        except Exception as exc:  # noqa: BLE001 - shown like the lane's errors
            if isValid(self):
                self._on_test_failed(exc)
            return
        if isValid(self):
            self._on_tested(config, answer)

    def _on_tested(self, config: AiConfig, answer: str) -> None:
        self._set_busy(False)
        short = " ".join(answer.split())
        if len(short) > 80:
            short = short[:79] + "…"
        self.test_result.show_info(
            self.tr("Connected: %1 answered %2.")
            .replace("%1", config.model)
            .replace("%2", quoted(short))
        )

    def _on_test_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, UserError):
            self.test_result.show_error(error_text.message(exc))
        else:
            self.test_result.clear_hint()
            self._ctx.report_error(exc)

    if TYPE_CHECKING:
        # What the page defines, for the type checker only. Last in the
        # class: pyside6-lupdate loses the translation context of the code
        # after a def inside an if.
        _ctx: UiContext
        _work: Work
        _busy: bool
        _test_task: asyncio.Task[None] | None
        test_result: FieldHint

        def is_dirty(self) -> bool: ...
        def save(self, then: Callable[[], None] | None = None) -> None: ...
        def _set_busy(self, busy: bool) -> None: ...
