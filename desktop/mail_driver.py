"""Runs mail work in the background: one lane per account, a ticker that
asks what is due, results and progress delivered on the GUI thread.

The ticker (a QTimer on the GUI thread) only decides when; syncing and
sending happen on the account's lane, so the window never waits on the
network. Each run can be cancelled; a run never starts twice at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.lanes import Lane
from services.core.errors import EnvironmentFault, UserError
from services.core.storage import Database

log = logging.getLogger(__name__)
TICK_MS = 30_000


class MailDriver(QObject):
    sync_progressed = Signal(object, str, object, object)  # account, folder, done, total
    sync_finished = Signal(object, object)  # account, SyncResult
    sync_failed = Signal(object, str)  # account, reason
    outbox_changed = Signal(object)  # OutboxStatus
    online_changed = Signal(bool)

    def __init__(
        self,
        db: Database,
        user_id: int,
        clock: Callable[[], dt.datetime] | None = None,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__()
        self._db = db
        self._user_id = user_id
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._lanes: dict[int, Lane] = {}
        self._running: dict[int, threading.Event] = {}
        self._outbox_lane = Lane("outbox")
        self._sending = False
        self.online = True
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self._timer.start()
        QTimer.singleShot(0, self.tick)  # catch up at start-up (and after sleep)

    def _lane(self, account_id: int) -> Lane:
        lane = self._lanes.get(account_id)
        if lane is None:
            lane = self._lanes[account_id] = Lane(f"mail-{account_id}")
        return lane

    def tick(self) -> None:
        from services.mail import schedule

        now = self._clock()
        with self._db.reader() as uow:
            due = schedule.due_accounts(uow, now, self._user_id)
            status = schedule.outbox_status(uow, now, self._user_id)
        self.outbox_changed.emit(status)
        for account_id in due:
            self.sync_now(account_id)
        if status.due and not self._sending:
            self.send_due()

    def is_syncing(self, account_id: int) -> bool:
        return account_id in self._running

    def sync_now(self, account_id: int) -> None:
        if account_id in self._running:
            return
        from services.mail import imap_sync

        cancel = threading.Event()
        self._running[account_id] = cancel

        def progress(folder: str, done: int, total: int) -> None:
            self.sync_progressed.emit(account_id, folder, done, total)  # queued to the GUI

        def work() -> Any:
            return imap_sync.sync_account(
                self._db, account_id, progress=progress, cancel=cancel, now=self._clock()
            )

        self._lane(account_id).submit(
            work,
            lambda result: self._on_sync_done(account_id, result),
            lambda exc: self._on_sync_error(account_id, exc),
        )

    def cancel(self, account_id: int) -> None:
        event = self._running.get(account_id)
        if event is not None:
            event.set()

    def _on_sync_done(self, account_id: int, result: Any) -> None:
        self._running.pop(account_id, None)
        self._set_online(True)
        self.sync_finished.emit(account_id, result)

    def _on_sync_error(self, account_id: int, exc: BaseException) -> None:
        self._running.pop(account_id, None)
        if isinstance(exc, EnvironmentFault):
            self._set_online(False)
        if isinstance(exc, UserError):
            self.sync_failed.emit(account_id, str(exc))
            return
        log.error("mail sync crashed", exc_info=exc)
        self.sync_failed.emit(account_id, f"Unexpected error: {exc}")

    def send_due(self) -> None:
        from services.mail import outbox

        self._sending = True
        self._outbox_lane.submit(
            lambda: outbox.send_due(self._db, now=self._clock()),
            self._on_sent,
            self._on_send_error,
        )

    def _on_sent(self, report: Any) -> None:
        self._sending = False
        self._set_online(not report.retrying or bool(report.sent))
        self._refresh_outbox()

    def _on_send_error(self, exc: BaseException) -> None:
        self._sending = False
        log.error("sending failed", exc_info=exc)
        self._refresh_outbox()

    def _refresh_outbox(self) -> None:
        from services.mail import schedule

        with self._db.reader() as uow:
            self.outbox_changed.emit(schedule.outbox_status(uow, self._clock(), self._user_id))

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Ask running syncs to stop after their current batch, then wait."""
        self._timer.stop()
        for event in self._running.values():
            event.set()
        for lane in (*self._lanes.values(), self._outbox_lane):
            lane.shutdown(timeout_ms)
