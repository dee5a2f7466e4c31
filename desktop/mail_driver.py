"""Runs mail work in the background: one lane per account and one for the
outbox, results and progress delivered on the GUI thread.

The app's one ticker (``desktop.scheduler``) decides when a mailbox syncs
or the outbox sends and hands the job here; "Sync now" and "Send now" come
here directly. Syncing and sending happen on their lanes, so the window
never waits on the network, and each run is recorded with the scheduler.
Each sync can be cancelled; a sync never starts twice at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.lanes import Lane
from services.core.errors import EnvironmentFault, PasswordMissing, UserError
from services.core.scheduler import JobSpec
from services.core.storage import Database
from services.feed import touched
from services.jobs import registry, runs
from services.jobs.registry import Scope
from ui.bus import ChangeBus
from ui.shell import error_text

log = logging.getLogger(__name__)


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
        reads: Any = None,
        bus: ChangeBus | None = None,
    ) -> None:
        super().__init__()
        self._db = db
        # letters a sync imported or a send completed show on open cards
        self.bus = bus if bus is not None else ChangeBus()
        self._user_id = user_id
        self._scope = Scope(user_id=user_id)
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._lanes: dict[int, Lane] = {}
        self._running: dict[int, threading.Event] = {}
        self._outbox_lane = Lane("outbox")
        self._own_reads = reads is None
        self._reads = Lane("mail-reads") if reads is None else reads
        self._sending = 0  # sends submitted and not finished
        self.online = True

    def _lane(self, account_id: int) -> Lane:
        lane = self._lanes.get(account_id)
        if lane is None:
            lane = self._lanes[account_id] = Lane(f"mail-{account_id}")
        return lane

    def run_job(self, spec: JobSpec) -> None:
        """A due job from the ticker: a mailbox's sync or the outbox."""
        if spec.kind == "outbox":
            if not self._sending:
                self.send_due(spec)
        else:
            self.sync_now(registry.account_of(spec), spec)

    def is_running(self, key: str) -> bool:
        if key == "outbox":
            return self._sending > 0
        return int(key.split(":", 1)[1]) in self._running

    def is_syncing(self, account_id: int) -> bool:
        return account_id in self._running

    def sync_now(self, account_id: int, spec: JobSpec | None = None) -> None:
        if account_id in self._running:
            return
        from services.mail import imap_sync

        job = spec or registry.adhoc(f"mail:{account_id}")
        db, scope, now = self._db, self._scope, self._clock()
        cancel = threading.Event()
        self._running[account_id] = cancel

        def progress(folder: str, done: int, total: int) -> None:
            self.sync_progressed.emit(account_id, folder, done, total)  # queued to the GUI

        def work() -> Any:
            return touched.tracked(
                db,
                lambda: runs.recorded(
                    db,
                    job,
                    scope,
                    now,
                    lambda: imap_sync.sync_account(
                        db, account_id, progress=progress, cancel=cancel, now=now
                    ),
                    registry.kind("mail").summary,
                ),
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

    def _on_sync_done(self, account_id: int, outcome: Any) -> None:
        result = self.bus.deliver(outcome)
        self._running.pop(account_id, None)
        self._set_online(True)
        self.sync_finished.emit(account_id, result)

    def _on_sync_error(self, account_id: int, exc: BaseException) -> None:
        self._running.pop(account_id, None)
        if isinstance(exc, EnvironmentFault) and not isinstance(exc, PasswordMissing):
            self._set_online(False)  # an untrusted certificate is not "offline" either
        if isinstance(exc, UserError):
            self.sync_failed.emit(account_id, error_text.message(exc))
            return
        log.error("mail sync crashed", exc_info=exc)
        self.sync_failed.emit(account_id, f"Unexpected error: {exc}")

    def send_due(self, spec: JobSpec | None = None) -> None:
        """Send what is due ("Send now", or the ticker's outbox job); asked
        for while sending, it runs after on the same lane."""
        from services.mail import outbox_sending

        job = spec or registry.adhoc("outbox")
        db, scope, now = self._db, self._scope, self._clock()
        self._sending += 1
        self._outbox_lane.submit(
            lambda: touched.tracked(
                db,
                lambda: runs.recorded(
                    db,
                    job,
                    scope,
                    now,
                    lambda: outbox_sending.send_due(db, now=now),
                    registry.kind("outbox").summary,
                ),
            ),
            self._on_sent,
            self._on_send_error,
        )

    def _on_sent(self, outcome: Any) -> None:
        from services.mail import use_cases as mail_cases

        report = self.bus.deliver(outcome)
        self.bus.post(mail_cases.sent_changes(report))  # the status bar's count follows
        self._sending -= 1
        self._set_online(not report.retrying or bool(report.sent))
        self.refresh_outbox()

    def _on_send_error(self, exc: BaseException) -> None:
        self._sending -= 1
        log.error("sending failed", exc_info=exc)
        self.refresh_outbox()

    def refresh_outbox(self, *_args: Any) -> None:
        """Read the outbox's state off the GUI thread and announce it."""
        from services.mail import schedule

        db, now, user_id = self._db, self._clock(), self._user_id

        def read() -> Any:
            with db.reader() as uow:
                return schedule.outbox_status(uow, now, user_id)

        self._reads.submit(read, self.outbox_changed.emit, self._on_read_error)

    def _on_read_error(self, exc: BaseException) -> None:
        log.warning("could not read the outbox: %s", exc)

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.online_changed.emit(online)

    def shutdown(self, timeout_ms: int = 10_000) -> None:
        """Ask running syncs to stop after their current batch, then wait."""
        for event in self._running.values():
            event.set()
        lanes = [*self._lanes.values(), self._outbox_lane]
        if self._own_reads:
            lanes.append(self._reads)
        for lane in lanes:
            lane.shutdown(timeout_ms)
