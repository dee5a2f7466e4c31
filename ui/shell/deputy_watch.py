"""Following deputy periods set or ended elsewhere (#20): whose clients the
user sees was read once, at start, so a period set on another computer or
through the CLI, or one reaching its end, showed only after a restart.

The watch reads the user's standing again (services.parties.deputies,
on the read lane: never on the GUI thread) when the window becomes active
again and every half minute; when whom the user sees changed, the context's
actor is replaced and the change is posted on the bus, so the open client
lists and cards read again with what the user may see now.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from services.core.errors import UserError
from services.parties import deputies
from services.parties.deputies import Standing
from ui.context import UiContext
from ui.widgets.work import Work

log = logging.getLogger(__name__)

INTERVAL_MS = 30_000  # as the job ticker: a period's end shows within half a minute


class DeputyWatch(QObject):
    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._known: Standing | None = None  # periods unknown until the first read
        self._asking = False
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_app_application_state_changed)

    def start(self) -> None:
        self.timer.start()
        self.check()

    def stop(self) -> None:
        self.timer.stop()

    def check(self) -> None:
        """Read the standing again; one question at a time."""
        if self._asking:
            return
        self._asking = True
        self._work.read(
            lambda uow, actor: deputies.standing(uow, actor), self._on_read, self._on_failed
        )

    def _on_read(self, now: Standing) -> None:
        self._asking = False
        before = self._known or Standing(self._ctx.actor, now.period_ids)
        self._known = now
        changes = deputies.standing_changes(before, now)
        if self._ctx.actor != now.actor:
            self._ctx.actor = now.actor
        self._ctx.bus.post(changes)

    def _on_failed(self, exc: BaseException) -> None:
        self._asking = False
        if isinstance(exc, UserError):  # a busy database, a server away: next time
            log.info("deputy periods not read: %s", exc)
        else:
            self._ctx.report_error(exc)

    def _on_app_application_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive and self.timer.isActive():
            self.check()
