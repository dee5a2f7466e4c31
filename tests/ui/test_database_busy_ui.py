"""A save that meets a busy database tells the user so in a message box,
never in the crash dialog (issue 11, "a busy database crashes")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.container import WriteLane
from services.core import bootstrap
from services.core.errors import DatabaseBusy
from services.core.storage import Database, open_database
from services.parties import records as parties
from tests.integration.test_database_busy import Holder, names
from ui.crash import CrashDialog, show_error


def test_a_save_on_a_busy_database_shows_a_message_not_the_crash_dialog(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    path = Path(str(sqlite_db.engine.url.database))
    db = open_database(str(path), busy_wait_s=0.5)
    holder = Holder(path)
    lane = WriteLane("db-writes")
    errors: list[BaseException] = []

    def save() -> None:
        with db.uow() as uow:
            parties.add_client(uow, bootstrap.actor_for(uow), "ООО Ромашка")
            uow.commit()

    try:
        lane.submit(save, lambda _r: None, errors.append)
        qtbot.waitUntil(lambda: bool(errors), timeout=20_000)
    finally:
        holder.release()
        lane.shutdown()
    assert isinstance(errors[0], DatabaseBusy)
    dialog = show_error(errors[0])
    assert isinstance(dialog, QMessageBox)
    assert not isinstance(dialog, CrashDialog)
    assert dialog.text().startswith("The database is busy")
    dialog.close()
    assert names(db) == []
    db.dispose()
