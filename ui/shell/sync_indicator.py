"""The replica's place in the status bar (issue #20): online or offline, the
last sync, changes waiting to be pushed, refused changes and conflicts.

"Online · synced 5 min ago · 1 conflict · 3 pending" / "Offline since 10:42
· 3 pending" (conflicts first: a line cut on a narrow screen keeps them).
A click opens the conflict list; "Sync now" (F9) asks the replica driver
(``desktop/replica.py``) for a sync at once. The driver runs every sync
and every status read off the GUI thread; this widget only shows what it
reports, and asks again when the change bus says something was written (a
local edit adds a pending change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from services.core.changes import Changes
from services.sync.types import ReplicaStatus, SyncReport
from ui.shell import formatting
from ui.shell.icons import icon
from ui.widgets import timefmt
from ui.widgets.elided import ElidedLabel
from ui.widgets.plain import tooltip

SYNC_NOW = QKeySequence("F9")
# the conflict list from the keyboard too (a click on the line opens it)
CONFLICTS = QKeySequence("Shift+F9")
# A burst of edits (a pasted list, an import) reads the counts once.
REFRESH_DELAY_MS = 400


class SyncIndicator(QWidget):
    """Shows the replica driver's status; emits ``conflicts_requested`` on a click."""

    conflicts_requested = Signal()

    def __init__(
        self,
        driver: Any,
        parent: QWidget | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._driver = driver
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.status: ReplicaStatus | None = None
        self.syncing = False
        self.icon = QLabel()
        # Gives way on a narrow screen (the Russian line is ~700 px): the whole
        # line stays in the indicator's tooltip.
        self.text = ElidedLabel(self.tr("Checking the server…"), full_tooltip=False)
        self.text.setCursor(Qt.CursorShape.PointingHandCursor)
        self.sync_button = QToolButton()
        self.sync_button.setText(self.tr("Sync now"))
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.sync_button.setAutoRaise(True)
        self.sync_button.setShortcut(SYNC_NOW)
        self.sync_button.setToolTip(
            self.tr("Send this laptop's changes and fetch the team's (%1)").replace(
                "%1", SYNC_NOW.toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.sync_button.clicked.connect(self.sync_now)
        self.conflicts_shortcut = QShortcut(CONFLICTS, self)
        self.conflicts_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.conflicts_shortcut.activated.connect(self.conflicts_requested)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        row.setSpacing(4)
        row.addWidget(self.icon)
        row.addWidget(self.text)
        row.addWidget(self.sync_button)
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.setInterval(REFRESH_DELAY_MS)
        self._later.timeout.connect(driver.refresh_status)
        driver.status_changed.connect(self._on_driver_status_changed)
        driver.sync_started.connect(self._on_driver_sync_started)
        driver.sync_finished.connect(self._on_driver_sync_finished)
        driver.sync_failed.connect(self._on_driver_sync_failed)
        self._set_icon("sync")
        if driver.status is not None:
            self._on_driver_status_changed(driver.status)

    def sync_now(self) -> None:
        self._driver.sync_now()

    def on_changes(self, changes: Changes) -> None:
        """Something was written here or pulled: the counts may have moved
        (never asked on a database that is no replica)."""
        if changes and (self.status is None or self.status.is_replica):
            self._later.start()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.conflicts_requested.emit()
        super().mousePressEvent(event)

    # --- what the driver says ----------------------------------------------------

    def _on_driver_status_changed(self, status: ReplicaStatus) -> None:
        self.status = status
        self._show()

    def _on_driver_sync_started(self) -> None:
        self.syncing = True
        self.sync_button.setEnabled(False)
        self._show()

    def _on_driver_sync_finished(self, report: SyncReport | None) -> None:
        self.syncing = False
        self.sync_button.setEnabled(True)
        self._show()

    def _on_driver_sync_failed(self, reason: str) -> None:
        self.syncing = False
        self.sync_button.setEnabled(True)
        self._show()
        failed = self.tr("The last sync failed: %1").replace("%1", reason)
        self.setToolTip(tooltip(f"{self.text.text()}\n{failed}"))

    # --- the words -------------------------------------------------------------------

    def _show(self) -> None:
        self.text.setText(self.describe())
        status = self.status
        if status is not None and status.online is False:
            self._set_icon("offline")
        else:
            self._set_icon("sync")
        last = status.last_sync_at if status is not None else None
        when = (
            self.tr("Last sync: %1").replace("%1", formatting.date_time(last))
            if last is not None
            else self.tr("This laptop has not synced with the server yet")
        )
        where = self.tr("Click or press %1 for the conflicts and refused changes").replace(
            "%1", CONFLICTS.toString(QKeySequence.SequenceFormat.NativeText)
        )
        self.setToolTip(tooltip(f"{self.text.text()}\n{when}\n{where}"))

    def describe(self) -> str:
        """The indicator's line for the current status."""
        status = self.status
        if status is None:
            return self.tr("Checking the server…")
        parts = [self._head(status)]
        # what asks for the user's choice first: a line cut with "…" on a
        # narrow screen loses the pending count, never the conflicts
        if status.conflicts:
            parts.append(self.tr("%n conflict(s)", "", status.conflicts))
        if status.refused:
            parts.append(self.tr("%n refused", "", status.refused))
        if status.pending:
            parts.append(self.tr("%n pending", "", status.pending))
        return " · ".join(parts)

    def _head(self, status: ReplicaStatus) -> str:
        if self.syncing:
            return self.tr("Syncing…")
        if status.online is False:
            since = getattr(self._driver, "offline_since", None) or status.last_sync_at
            if since is None:
                return self.tr("Offline")
            return self.tr("Offline since %1").replace("%1", self._moment(since))
        head = self.tr("Online") if status.online else self.tr("Checking the server…")
        return head + " · " + self._synced(status.last_sync_at)

    def _synced(self, last: dt.datetime | None) -> str:
        if last is None:
            return self.tr("not synced yet")
        minutes = int((self.clock() - _aware(last)).total_seconds() // 60)
        if minutes < 1:
            return self.tr("synced just now")
        if minutes < 60:
            return self.tr("synced %n min ago", "", minutes)
        return self.tr("synced %1").replace("%1", self._moment(last))

    def _moment(self, value: dt.datetime) -> str:
        """10:42 today, "Tue 18 Mar, 10:42" before."""
        local = formatting.local(_aware(value))
        today = formatting.local(self.clock()).date()
        if local.date() == today:
            return timefmt.hhmm(local)
        return timefmt.day(local.date(), today) + ", " + timefmt.hhmm(local)

    def _set_icon(self, name: str) -> None:
        self.icon.setPixmap(icon(name).pixmap(QSize(16, 16)))


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
