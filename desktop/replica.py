"""The replica in the desktop app (issue #20): the ``replica_sync`` job on a
lane of its own, online detection, and the status the status bar shows.

The ticker (``desktop.scheduler``) hands the job here when it is due
(every few minutes, sooner after "Sync now" or F9). Everything blocking
runs on the replica's lane: the knock on the server (a bounded connect,
``services.sync.online``), opening the team database, push and pull. The
GUI thread only gets the result: a ``SyncReport`` and the Changes it
brought (posted on the change bus, so open cards reload), or "offline".
Offline is a normal state in the field: it is reported as a status, never
as an error dialog, and the scheduler's retry times are the backoff
(1, 2, 4 … minutes, at most the job's interval). The status (pending
changes, conflicts, last sync) is re-read on the read lane whenever asked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from services.core.changes import Changes
from services.core.errors import UserError
from services.core.scheduler import JobSpec
from services.core.storage import Database
from services.feed import touched
from services.jobs import registry, runs
from services.jobs.registry import Scope
from ui.bus import ChangeBus
from ui.shell import error_text

if TYPE_CHECKING:
    from services.sync import scheduled
    from services.sync.types import ReplicaStatus

log = logging.getLogger(__name__)
# Posted after every sync so that the indicator and a card's conflict
# banner read again even when nothing came down.
SYNCED = Changes.of(updated={"sync": [0]})


def _reachable(url: str) -> bool:
    from services.sync import online

    return online.reachable(url)


def _open_server(db: Database) -> Database:
    from services.sync import use_cases

    return use_cases.open_server(db)


class ReplicaDriver(QObject):
    status_changed = Signal(object)  # ReplicaStatus, ``online`` as last probed
    sync_started = Signal()
    sync_finished = Signal(object)  # SyncReport, or None when the server did not answer
    sync_failed = Signal(str)  # a refusal worth reading (login, certificate): no dialog
    online_changed = Signal(bool)

    def __init__(
        self,
        db: Database,
        lane: Any,
        reads: Any,
        scope: Scope,
        bus: ChangeBus | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        probe: Callable[[str], bool] | None = None,
        connect: Callable[[Database], Database] | None = None,
    ) -> None:
        super().__init__()
        self._db, self._reads, self._scope = db, reads, scope
        self.lane = lane  # syncs, knocks on the server, and making a replica (Settings)
        self.bus = bus if bus is not None else ChangeBus()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        # services.sync (~40 modules) loads with the first sync or knock, not
        # before the window's first paint (issue #16).
        self._probe = probe or _reachable
        self._connect = connect or _open_server
        self.status: ReplicaStatus | None = None
        self.online: bool | None = None
        self.offline_since: dt.datetime | None = None
        self._running = False
        self._again = False
        self._reading = False

    # --- the scheduler's Executor -------------------------------------------------

    def is_running(self, key: str) -> bool:
        return self._running

    def run_job(self, spec: JobSpec) -> None:
        self.sync_now(spec)

    def sync_now(self, spec: JobSpec | None = None) -> None:
        """Push and pull now; asked for during a sync, once more after it."""
        if self._running:
            self._again = True
            return
        self._running = True
        self.sync_started.emit()
        db, scope, now = self._db, self._scope, self._clock()
        from services.sync import scheduled

        job = spec or registry.adhoc(scheduled.KEY)
        probe, connect = self._probe, self._connect
        self.lane.submit(
            lambda: touched.tracked(
                db,
                lambda: runs.recorded(
                    db,
                    job,
                    scope,
                    now,
                    lambda: scheduled.run(db, probe=probe, connect=connect),
                    scheduled.summary,
                ),
            ),
            self._on_synced,
            self._on_sync_error,
        )

    def check_online(self) -> None:
        """Knock on the server and read the status, on the replica's lane (a
        knock may take the whole timeout): the app's start, before the first
        sync is due."""
        from services.sync import scheduled

        db, probe = self._db, self._probe
        self.lane.submit(
            lambda: scheduled.check(db, probe=probe), self._on_checked, self._on_status_failed
        )

    def refresh_status(self) -> None:
        """Read the counts again on the read lane (no network)."""
        if self._reading:
            return
        self._reading = True
        from services.sync import use_cases

        db = self._db
        self._reads.submit(
            lambda: use_cases.status(db), self._on_status_read, self._on_status_failed
        )

    # --- results on the GUI thread ------------------------------------------------

    def _on_synced(self, outcome: Any) -> None:
        report = self.bus.deliver(outcome)
        self._set_online(True)
        self._finish()
        self.sync_finished.emit(report)
        self.bus.post(SYNCED)
        self.refresh_status()

    def _on_sync_error(self, exc: BaseException) -> None:
        from services.sync import scheduled

        self._finish()
        if isinstance(exc, scheduled.ServerOffline):
            self._set_online(False)
            self.sync_finished.emit(None)
        elif isinstance(exc, runs.JobRunningElsewhere):
            self.sync_finished.emit(None)  # cron's run-due syncs right now
        elif isinstance(exc, UserError):
            log.warning("replica sync refused: %s", exc)
            self.sync_failed.emit(error_text.message(exc))  # in the window's language
        else:
            log.error("replica sync crashed", exc_info=exc)
            self.sync_failed.emit(str(exc) or type(exc).__name__)
        self.refresh_status()

    def _on_checked(self, found: scheduled.Probe) -> None:
        self.status = found.status
        if found.status.is_replica:
            self._set_online(found.online)
        self._show(found.status)

    def _on_status_read(self, status: ReplicaStatus) -> None:
        self._reading = False
        self._show(status)

    def _show(self, status: ReplicaStatus) -> None:
        self.status = dataclasses.replace(status, online=self.online)
        self.status_changed.emit(self.status)

    def _on_status_failed(self, exc: BaseException) -> None:
        self._reading = False
        log.warning("could not read the replica's status: %s", exc)

    def _set_online(self, up: bool) -> None:
        """Offline since the moment it was seen going away; found offline at
        start, since the last sync (the last moment it surely was online)."""
        if up:
            self.offline_since = None
        elif self.offline_since is None:
            last = self.status.last_sync_at if self.status is not None else None
            self.offline_since = self._clock() if self.online or last is None else last
        if up != self.online:
            self.online = up
            self.online_changed.emit(up)

    def _finish(self) -> None:
        self._running = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.sync_now)
