"""The bare main window: an empty database says what to do and offers demo data."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from services import bootstrap, parties
from services.storage import Database
from ui.main_window import MainWindow


class InlineLane:
    """Runs a task at once on the calling thread (the test's GUI thread)."""

    def submit(self, fn: Any, on_done: Any, on_error: Any) -> None:
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - handed to the window like a real lane does
            on_error(exc)
            return
        on_done(result)


def test_empty_database_shows_the_empty_state(qtbot: QtBot, sqlite_db: Database) -> None:
    window = MainWindow(sqlite_db, InlineLane())
    qtbot.addWidget(window)
    window.show()
    assert window.demo_button.isVisible()
    assert "Load demo data" in window.demo_button.text()


def test_clients_are_listed_once_there_are_some(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.uow() as uow:
        parties.add_client(uow, bootstrap.actor_for(uow), "ООО Ромашка")
        uow.commit()
    window = MainWindow(sqlite_db, InlineLane())
    qtbot.addWidget(window)
    window.show()
    assert not window.demo_button.isVisible()
    assert window.client_list.count() == 1
    assert window.client_list.item(0).text().startswith("ООО Ромашка")
