"""The change bus across machines: a thread listens to the team database's
change notifications (``services.core.live``) and posts what they mean to
this user on the ``ChangeBus``, so a colleague's change shows on an open
card within seconds. Nothing happens on the embedded SQLite file."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from services.core import live
from services.core.access import Actor
from services.core.changes import Changes
from services.core.storage import Database
from ui.bus import ChangeBus

log = logging.getLogger(__name__)
STOP_WAIT_S = 5.0


class LiveUpdates(QObject):
    """Made on the GUI thread; ``arrived`` crosses back to it (queued)."""

    arrived = Signal(object)  # Changes
    listening = Signal()

    def __init__(self, db: Database, actor: Actor, bus: ChangeBus) -> None:
        super().__init__()
        self._db, self._actor, self._bus = db, actor, bus
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.arrived.connect(self._on_self_arrived)

    def start(self) -> None:
        if self._db.is_sqlite or self._thread is not None:
            return
        self._thread = threading.Thread(
            target=live.listen,
            args=(self._db, self._stop, self._deliver),
            kwargs={"on_listening": self.listening.emit},
            name="live-updates",
            daemon=True,
        )
        self._thread.start()

    def _deliver(self, notices: list[live.Notice]) -> None:
        """On the listener's thread: read again through this user's session."""
        try:
            changes = live.changes_for(self._db, self._actor, notices)
        except Exception:
            log.exception("live updates: reading the changes failed")
            return
        if changes:
            self.arrived.emit(changes)

    def _on_self_arrived(self, changes: Changes) -> None:
        self._bus.post(changes)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(STOP_WAIT_S)
            self._thread = None
