"""The replica's sync indicator in the status bar (issue #20): what it says
online, offline, with pending changes, refusals and conflicts, in English
and Russian; F9 asks for a sync; a click asks for the conflict list.

The driver here is a stand-in with the real driver's signals (its own
behaviour against a real replica and server is tested in
tests/integration/test_replica_window.py)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMainWindow, QStatusBar
from pytestqt.qtbot import QtBot

from services.core.changes import Changes
from services.sync.types import ReplicaStatus, SyncReport
from ui.shell.sync_indicator import REFRESH_DELAY_MS, SyncIndicator

NOW = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
REFRESH_WAIT_MS = REFRESH_DELAY_MS * 2


class Driver(QObject):
    status_changed = Signal(object)
    sync_started = Signal()
    sync_finished = Signal(object)
    sync_failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.status: ReplicaStatus | None = None
        self.offline_since: dt.datetime | None = None
        self.syncs = 0
        self.reads = 0

    def sync_now(self) -> None:
        self.syncs += 1

    def refresh_status(self) -> None:
        self.reads += 1


def status(
    *,
    online: bool | None,
    minutes: int | None = 5,
    pending: int = 0,
    conflicts: int = 0,
    refused: int = 0,
) -> ReplicaStatus:
    last = NOW - dt.timedelta(minutes=minutes) if minutes is not None else None
    return ReplicaStatus(
        is_replica=True,
        server_url="postgresql+psycopg://irina@crm.example.test/team",
        login="irina",
        online=online,
        last_sync_at=last,
        pending=pending,
        refused=refused,
        conflicts=conflicts,
        node="laptop-1",
    )


def make(qtbot: QtBot) -> tuple[Driver, SyncIndicator]:
    driver = Driver()
    indicator = SyncIndicator(driver, clock=lambda: NOW)
    qtbot.addWidget(indicator)
    return driver, indicator


def test_online_synced_with_pending_and_a_conflict(qtbot: QtBot, english: None) -> None:
    driver, indicator = make(qtbot)
    assert indicator.text.text() == "Checking the server…"
    driver.status_changed.emit(status(online=True, pending=3, conflicts=1))
    assert indicator.text.text() == "Online · synced 5 min ago · 1 conflict · 3 pending"
    driver.status_changed.emit(status(online=True, minutes=0, conflicts=2, refused=1))
    assert indicator.text.text() == "Online · synced just now · 2 conflicts · 1 refused"
    driver.status_changed.emit(status(online=True, minutes=None))
    assert indicator.text.text() == "Online · not synced yet"


def test_offline_since_the_moment_the_server_stopped_answering(qtbot: QtBot, english: None) -> None:
    driver, indicator = make(qtbot)
    driver.offline_since = (NOW - dt.timedelta(hours=2)).astimezone()
    driver.status_changed.emit(status(online=False, pending=12))
    since = driver.offline_since.strftime("%H:%M")
    assert indicator.text.text() == f"Offline since {since} · 12 pending"
    driver.offline_since = None  # offline from the start: since the last sync
    driver.status_changed.emit(status(online=False, minutes=3 * 24 * 60))
    assert indicator.text.text().startswith("Offline since ")
    assert "," in indicator.text.text()  # another day: its date and time


def test_syncing_then_the_report(qtbot: QtBot, english: None) -> None:
    driver, indicator = make(qtbot)
    driver.status_changed.emit(status(online=True, pending=3))
    driver.sync_started.emit()
    assert indicator.text.text() == "Syncing… · 3 pending"
    assert not indicator.sync_button.isEnabled()
    driver.sync_finished.emit(SyncReport(3, (), 7, 0, False, 0.4))
    driver.status_changed.emit(status(online=True, minutes=0))
    assert indicator.text.text() == "Online · synced just now"
    assert indicator.sync_button.isEnabled()


def test_russian(qtbot: QtBot, russian: None) -> None:
    driver, indicator = make(qtbot)
    driver.status_changed.emit(status(online=True, pending=3, conflicts=1))
    assert indicator.text.text() == (
        "В сети · синхронизировано 5 мин назад · 1 конфликт · 3 изменения не отправлены"
    )
    driver.status_changed.emit(status(online=True, minutes=0, pending=5, conflicts=2))
    assert indicator.text.text() == (
        "В сети · синхронизировано только что · 2 конфликта · 5 изменений не отправлено"
    )
    driver.offline_since = (NOW - dt.timedelta(minutes=30)).astimezone()
    driver.status_changed.emit(status(online=False, pending=1))
    since = driver.offline_since.strftime("%H:%M")
    assert indicator.text.text() == f"Нет связи с {since} · 1 изменение не отправлено"
    assert indicator.sync_button.text() == "Синхронизировать"


def test_f9_syncs_a_click_opens_the_conflicts_and_edits_reread_the_counts(
    qtbot: QtBot,
) -> None:
    driver, indicator = make(qtbot)
    indicator.show()
    qtbot.waitExposed(indicator)
    indicator.sync_button.animateClick()
    qtbot.waitUntil(lambda: driver.syncs == 1)
    assert indicator.sync_button.shortcut().toString() == "F9"
    with qtbot.waitSignal(indicator.conflicts_requested):
        qtbot.mouseClick(indicator.text, Qt.MouseButton.LeftButton)
    indicator.on_changes(Changes.of(created={"note": [1]}))
    indicator.on_changes(Changes.of(created={"note": [2]}))
    qtbot.waitUntil(lambda: driver.reads == 1)  # a burst reads the counts once


def test_a_database_that_is_no_replica_is_never_asked(qtbot: QtBot) -> None:
    driver, indicator = make(qtbot)
    driver.status_changed.emit(
        ReplicaStatus(False, None, None, None, None, pending=0, refused=0, conflicts=0, node=None)
    )
    indicator.on_changes(Changes.of(created={"note": [1]}))
    qtbot.wait(REFRESH_WAIT_MS)
    assert driver.reads == 0


def test_the_russian_line_gives_way_on_a_laptop_screen(qtbot: QtBot, russian: None) -> None:
    """The Russian status line is ~700 px: in the status bar of a 1366 px
    screen it is cut with "…" rather than widening the window past the
    screen (the Settings page was cut off on the right); the whole line is
    in the indicator's tooltip."""
    driver, indicator = make(qtbot)
    driver.status_changed.emit(status(online=True, pending=3, conflicts=2, refused=2))
    full = indicator.text.text()
    assert indicator.minimumSizeHint().width() < 300
    indicator.resize(320, indicator.sizeHint().height())
    indicator.show()
    qtbot.waitExposed(indicator)
    assert indicator.text.shown_text().endswith("…")
    assert full in indicator.toolTip()


def test_the_line_takes_the_room_it_has_and_keeps_the_conflicts(
    qtbot: QtBot, russian: None
) -> None:
    """In a status bar of a 1366 px window the line, first "Checking the
    server…", grows to the whole status once it is known (it stayed cut to
    the first text's width: "… · 3 изменения не отправлены · 2…", the
    conflicts lost); cut on a narrower screen, the conflicts come first."""
    driver, indicator = make(qtbot)
    bar = QStatusBar()
    qtbot.addWidget(bar)
    bar.addPermanentWidget(indicator)
    bar.resize(1366, 30)
    bar.show()
    qtbot.waitExposed(bar)
    driver.status_changed.emit(status(online=True, pending=3, conflicts=2, refused=4))
    qtbot.waitUntil(lambda: indicator.text.shown_text() == indicator.text.text())
    assert "2 конфликта" in indicator.text.shown_text()
    bar.resize(560, 30)
    qtbot.waitUntil(lambda: indicator.text.shown_text().endswith("…"))
    assert "2 конфликта" in indicator.text.shown_text()


def test_shift_f9_opens_the_conflicts_from_the_keyboard(qtbot: QtBot, english: None) -> None:
    """The conflict list opened only with a mouse click on the status line."""
    driver, indicator = make(qtbot)
    window = QMainWindow()
    qtbot.addWidget(window)
    window.statusBar().addPermanentWidget(indicator)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    driver.status_changed.emit(status(online=True, conflicts=2))
    assert "Shift+F9" in indicator.toolTip()
    with qtbot.waitSignal(indicator.conflicts_requested, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_F9, Qt.KeyboardModifier.ShiftModifier)
