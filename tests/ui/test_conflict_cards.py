"""The conflict list opens the card of a conflict or refusal (#20): "Open
card", a double-click or Enter on the line open the card the record sits
on in the window that opened the list; a record gone from the laptop has
its button disabled, and its tooltip says why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.integration.test_conflict_cards import seed
from tests.ui.helpers import make_ctx
from ui.dialogs.sync_conflicts import SyncConflictsDialog


class Window(QWidget):
    """What the dialog uses of the main window: its open_card."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[tuple[str, int, str | None]] = []

    def open_card(self, kind: str, object_id: int, title: str | None = None) -> None:
        self.opened.append((kind, object_id, title))


def test_a_line_opens_its_records_card(qtbot: QtBot, sqlite_db: Database) -> None:
    seeded = seed(sqlite_db)
    window = Window()
    qtbot.addWidget(window)
    dialog = SyncConflictsDialog(make_ctx(sqlite_db), window)  # the window's child
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.rows) == 4)
    rows = {row.view.kind: row for row in dialog.rows}

    rows["interaction"].open_button.click()  # a call: the client it was with
    assert window.opened[-1] == ("client", seeded.client_id, "Звонок")
    assert not dialog.isVisible()  # modal: it steps aside for the card
    dialog.show()
    qtbot.mouseDClick(rows["contact"], Qt.MouseButton.LeftButton)  # a person: their lead
    assert window.opened[-1] == ("lead", seeded.lead_id, "Анна Звонова")
    rows["deal"].setFocus()
    qtbot.keyClick(rows["deal"], Qt.Key.Key_Return)
    assert window.opened[-1] == ("deal", seeded.deal_id, "Поставка бумаги")

    gone = rows["client"]
    assert not gone.open_button.isEnabled()
    assert "no longer on this laptop" in gone.open_button.toolTip()
    qtbot.mouseDClick(gone, Qt.MouseButton.LeftButton)
    assert len(window.opened) == 3  # nothing to open

    lines: dict[str, Any] = {}
    for line, refusal in zip(dialog.refusal_lines, dialog.refusals, strict=True):
        lines[refusal.kind] = line
    lines["note"].open_button.click()  # a note on the lead: the lead
    assert window.opened[-1][:2] == ("lead", seeded.lead_id)
    assert not lines["client"].open_button.isEnabled()
