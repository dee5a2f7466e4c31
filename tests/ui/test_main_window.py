"""The main window: navigation, the empty database's demo offer, the status
bar, shortcuts and the crash dialog."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.mail.schedule import OutboxStatus
from services.parties import records as parties
from ui.context import UiContext
from ui.crash import CrashDialog, show_error
from ui.main_window import MainWindow
from ui.shell.preferences import Preferences


class InlineLane:
    """Runs a task at once on the calling thread (the test's GUI thread)."""

    def __init__(self) -> None:
        self.submitted = 0

    def submit(self, fn: Any, on_done: Any, on_error: Any) -> None:
        self.submitted += 1
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - handed to the window like a real lane does
            on_error(exc)
            return
        on_done(result)


class FakeMail(QObject):
    """Stands in for desktop.mail_driver.MailDriver: same signals, records calls."""

    sync_progressed = Signal(object, str, object, object)
    sync_finished = Signal(object, object)
    sync_failed = Signal(object, str)
    outbox_changed = Signal(object)
    online_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.online = True
        self.calls: list[tuple[str, Any]] = []
        self.running: set[int] = set()

    def sync_now(self, account_id: int) -> None:
        self.calls.append(("sync_now", account_id))
        self.running.add(account_id)

    def cancel(self, account_id: int) -> None:
        self.calls.append(("cancel", account_id))

    def send_due(self) -> None:
        self.calls.append(("send_due", None))

    def is_syncing(self, account_id: int) -> bool:
        return account_id in self.running

    def go_offline(self, waiting: int) -> None:
        self.online = False
        self.online_changed.emit(False)
        self.outbox_changed.emit(OutboxStatus(waiting=waiting, due=0, failed=0, last_error=None))


def make_ctx(
    db: Database, errors: list[BaseException] | None = None, mail: Any = None
) -> UiContext:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    sink = errors if errors is not None else []
    return UiContext(
        db=db,
        actor=actor,
        writes=InlineLane(),
        reads=InlineLane(),
        mail=mail,
        report_error=sink.append,
    )


def make_prefs(tmp_path: Path) -> Preferences:
    return Preferences(QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database, tmp_path: Path) -> MainWindow:
    win = MainWindow(make_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(win)
    win.show()
    return win


def test_empty_database_offers_demo_data(window: MainWindow) -> None:
    assert window.current_section() == "clients"
    assert window.demo_offer.isVisible()
    assert window.demo_offer.demo_button.text() == "Load demo data"


def test_demo_data_loads_on_the_writes_lane_and_the_list_shows_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.mouseClick(window.demo_offer.demo_button, Qt.MouseButton.LeftButton)
    assert window.clients.isVisible()
    assert window.clients.model.rowCount() > 0
    assert "client" in window.clients.count.text()


def test_clients_are_listed_once_there_are_some(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    with sqlite_db.uow() as uow:
        parties.add_client(uow, bootstrap.actor_for(uow), "ООО Ромашка")
        uow.commit()
    win = MainWindow(make_ctx(sqlite_db), make_prefs(tmp_path))
    qtbot.addWidget(win)
    win.show()
    assert not win.demo_offer.isVisible()
    assert win.clients.model.rowCount() == 1
    assert win.clients.model.index(0, 0).data() == "ООО Ромашка"


def test_navigation_shows_every_section(window: MainWindow) -> None:
    for key in window.navigation.section_keys():
        window.navigation.select(key)
        assert window.workspace.sections.currentWidget() is window.panels[key]
        assert window.panels[key].isVisible()
    assert window.prefs.section == "settings"


def test_inbound_says_when_requests_will_arrive(window: MainWindow) -> None:
    window.navigation.select("inbound")
    panel: Any = window.panels["inbound"]
    assert "Set up a source in Settings → Sources & rules" in panel.empty.text()


def test_the_last_section_is_remembered(qtbot: QtBot, sqlite_db: Database, tmp_path: Path) -> None:
    prefs = make_prefs(tmp_path)
    prefs.section = "deals"
    win = MainWindow(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(win)
    assert win.current_section() == "deals"


def test_ctrl_number_switches_sections(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "agenda"


def test_ctrl_q_quits(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_ctrl_k_opens_the_search(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.search.isVisible()
    assert window.search.edit.hasFocus() or window.search.isActiveWindow() is not None
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Escape)
    assert not window.search.isVisible()


@pytest.mark.usefixtures("english")
def test_status_bar_names_the_database_and_the_offline_outbox(window: MainWindow) -> None:
    bar: Any = window.statusBar()
    assert "touchpoint.sqlite3" in bar.database.text.text()
    mail: FakeMail = window._ctx.mail  # type: ignore[assignment]
    mail.go_offline(waiting=2)
    assert bar.offline.isVisible()
    assert bar.offline_text == "Offline — 2 letters wait in the outbox"
    mail.online = True
    mail.online_changed.emit(True)
    assert not bar.offline.isVisible()


def test_status_bar_follows_sync_progress(window: MainWindow) -> None:
    bar: Any = window.statusBar()
    mail: FakeMail = window._ctx.mail  # type: ignore[assignment]
    mail.sync_progressed.emit(1, "INBOX", 120, 500)
    assert bar.sync.text.text() == "Syncing INBOX: 120 of 500"
    mail.sync_failed.emit(1, "Login refused")
    assert bar.sync.text.text() == "Mail sync failed"
    assert bar.sync.toolTip() == "Login refused"


def test_a_user_error_shows_its_message_only(qapp: Any) -> None:
    dialog = show_error(ValidationError("The amount must be a number"))
    assert isinstance(dialog, QMessageBox)
    assert dialog.text() == "The amount must be a number"
    dialog.close()


def test_a_bug_opens_the_crash_dialog_with_a_copyable_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    try:
        {}["missing"]
    except KeyError as exc:
        error = exc
    dialog = show_error(error, log_path="/tmp/touchpoint.log")
    assert isinstance(dialog, CrashDialog)
    assert "KeyError" in dialog.message.text()
    assert "Traceback" in dialog.details_text
    assert not dialog.details.isVisible()
    dialog.toggle_button.click()
    assert dialog.details.isVisible()
    dialog.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert "KeyError" in QGuiApplication.clipboard().text()
    assert any("unexpected error" in r.message for r in caplog.records)
    dialog.close()


def test_settings_are_saved_to_the_database_and_this_computer(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    from services.core import settings
    from ui.settings.settings_panel import SettingsPanel

    prefs = make_prefs(tmp_path)
    panel = SettingsPanel(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(panel)
    panel.refresh()
    assert panel.region.currentData() == "RU"
    panel.region.setCurrentIndex(panel.region.findData("DE"))
    panel.timezone.setCurrentIndex(panel.timezone.findData("Asia/Almaty"))
    panel.language.setCurrentIndex(panel.language.findData("ru"))
    panel.sync_minutes.setValue(15)
    panel.save_button.click()
    assert panel.saved_label.text() == "Saved."
    with sqlite_db.reader() as uow:
        assert settings.get(uow, "default_region") == "DE"
        assert settings.get(uow, "default_timezone") == "Asia/Almaty"
    reread = make_prefs(tmp_path)
    assert (reread.language, reread.sync_minutes) == ("ru", 15)


def test_a_refused_setting_shows_the_reason(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    from ui.settings.settings_panel import SettingsPanel

    errors: list[BaseException] = []
    panel = SettingsPanel(make_ctx(sqlite_db, errors), make_prefs(tmp_path))
    qtbot.addWidget(panel)
    panel.refresh()
    panel.softphone.setText("sip-call")  # no {number}
    panel.save_button.click()
    assert len(errors) == 1
    assert "{number}" in str(errors[0])
    assert panel.save_button.isEnabled()


def test_search_finds_and_enter_opens_the_card(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database
) -> None:
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, bootstrap.actor_for(uow), "ООО «Ромашка»").id
        uow.commit()
    window.search.popup()
    window.search.edit.setText("Ромаш")
    window.search.run_search()
    group = window.search.results.topLevelItem(0)
    assert group is not None
    assert group.text(0) == "Clients"
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Return)
    assert not window.search.isVisible()
    assert window.workspace.current_card() == ("client", client)
    assert window.current_party() == ("client", client)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.workspace.current_card() is None


def test_ctrl_n_opens_the_interaction_dialog_for_the_card_in_front(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database
) -> None:
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, bootstrap.actor_for(uow), "ООО «Ромашка»").id
        uow.commit()
    window.open_card("client", client, "ООО «Ромашка»")
    window.new_interaction.start()
    dialog = window.new_interaction.dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog._ids["client"] == client
    dialog.reject()


def test_uncaught_errors_reach_the_reporter(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys
    import threading

    from desktop.app import install_error_hooks

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reported: list[BaseException] = []
    install_error_hooks(reported.append)
    error = RuntimeError("a slot went wrong")
    sys.excepthook(RuntimeError, error, None)
    assert reported == [error]


def test_shutdown_lets_every_queued_write_finish(qapp: Any) -> None:
    """Writes the user already asked for run to the end before the app exits."""
    import time

    from desktop.container import WriteLane

    lane = WriteLane("test-writes")
    done: list[int] = []

    def write(n: int) -> None:
        time.sleep(0.05)
        done.append(n)

    for n in range(4):
        lane.submit(lambda n=n: write(n), lambda _r: None, lambda _e: None)
    assert lane.shutdown(10_000)
    assert done == [0, 1, 2, 3]


@pytest.mark.parametrize("language", ["ru", "en"])
def test_the_window_fits_a_1366x768_screen_with_a_russian_deal_card_open(
    tmp_path: Path, language: str
) -> None:
    """In a process of its own with a 1366x768 offscreen screen: the window
    opened at 1280x800 (status bar off-screen) and a long Russian deal card
    widened it to 1517 px. Leaves a PNG of each step in tmp_path."""
    import json
    import os
    import subprocess
    import sys

    from tests.ui import screen_rig

    env = os.environ | {"QT_QPA_PLATFORM": screen_rig.screen_config(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_rig", language, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=True,
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(report["steps"]) == {"main", "deal", "agenda"}
    widths = {seen["frame"][2] for seen in report["steps"].values()}
    assert len(widths) == 1, report  # neither the deal card nor the agenda widens it
    for step, seen in report["steps"].items():
        x, y, width, height = seen["frame"]
        ax, ay, aw, ah = seen["available"]
        assert (aw, ah) == (1366, 768)
        assert ax <= x, step
        assert ay <= y, step
        assert x + width <= ax + aw, (step, seen)
        assert y + height <= ay + ah, (step, seen)
        assert (tmp_path / f"{step}-{language}.png").stat().st_size > 10_000


def test_a_geometry_saved_on_a_bigger_screen_is_brought_onto_this_one(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    prefs = make_prefs(tmp_path)
    big = MainWindow(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(big)
    big.setGeometry(2500, 1800, 1900, 1200)  # a second, larger monitor
    prefs.save_geometry(big.saveGeometry())
    win = MainWindow(make_ctx(sqlite_db), prefs)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    area = win.screen().availableGeometry()
    frame = win.frameGeometry()
    assert area.contains(frame.topLeft())
    assert frame.height() <= area.height()
    # as narrow as the screen, or as the window can be (this test screen is 800 px)
    frame_extra = frame.width() - win.width()
    narrowest = win.layout().totalMinimumSize().width() + frame_extra
    assert frame.width() <= max(area.width(), narrowest)


def test_the_plus_of_a_cards_deals_and_contacts_tabs_opens_the_new_dialogs(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database
) -> None:
    from ui.dialogs.deal_dialog import DealDialog
    from ui.dialogs.party_dialog import PartyDialog

    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, bootstrap.actor_for(uow), "ООО «Плюс»").id
        uow.commit()
    window.open_card("client", client, "ООО «Плюс»")
    card = window.workspace.currentWidget()
    card.deals_tab.add_button.click()
    dialog = window.records.dialog
    assert isinstance(dialog, DealDialog)
    assert dialog.parent_card == ("client", client)
    dialog.reject()
    card.contacts_tab.add_button.click()
    assert isinstance(window.records.dialog, PartyDialog)
    assert window.records.dialog.kind == "contact"
    window.records.dialog.reject()
