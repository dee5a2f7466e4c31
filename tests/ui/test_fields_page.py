"""Settings → Fields: an administrator renames a field and moves it up and
down; the card offers the fields in that order and its history names a
field by its label, in the user's language, not by its code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import custom_fields
from services.parties import use_cases as creating
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.settings.fields_page import FieldLabelsDialog
from ui.settings.settings_panel import SettingsPanel


def _rows(page: Any) -> list[str]:
    return [page.list.item(i).text() for i in range(page.list.count())]


def test_an_admin_renames_and_reorders_fields_and_the_card_follows(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    with sqlite_db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    empty = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(empty)
    empty.show()
    empty.tabs.setCurrentWidget(empty.fields_page)
    assert empty.fields_page.empty_note.isVisible()
    assert empty.fields_page.empty_note.text().startswith("Своих полей пока нет")
    for code, label in (("inn", "Tax ID"), ("tier", "Tier"), ("since", "Client since")):
        custom_fields.add_field(sqlite_db, admin, "client", code, label)
    client = creating.add_client(sqlite_db, admin, "ООО «Порядок»").value
    panel = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.show()
    panel.tabs.setCurrentWidget(panel.fields_page)
    page = panel.fields_page
    assert [f.code for f in page.fields] == ["inn", "tier", "since"]
    assert not page.empty_note.isVisible()

    page.list.setCurrentRow(2)
    assert not page.down_button.isEnabled()
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.up_button, Qt.MouseButton.LeftButton)  # still selected: first now
    assert [f.code for f in page.fields] == ["since", "inn", "tier"]
    assert page.current() is not None
    assert page.current().code == "since"  # type: ignore[union-attr]
    assert not page.up_button.isEnabled()

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FieldLabelsDialog)
        assert dialog.label.text() == "Client since"
        dialog.label_ru.setText("Клиент с")
        dialog.accept()

    QTimer.singleShot(0, fill)
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert _rows(page)[0] == "Клиент — Client since / Клиент с (Текст)"
    assert page.current().code == "since"  # type: ignore[union-attr]

    ctx = make_ctx(sqlite_db)
    card = CardWidget(
        ctx,
        "client",
        client.id,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(card)
    assert list(card.fields.editors)[2:] == ["custom.since", "custom.inn", "custom.tier"]
    since = card.fields.editors["custom.since"]
    since.setText("2024-05-01")  # type: ignore[attr-defined]
    since.editingFinished.emit()  # type: ignore[attr-defined]
    card.tabs.setCurrentWidget(card.history_box)
    assert card.history is not None
    titles = [
        str(card.history.model.index(r).data(Qt.ItemDataRole.DisplayRole))
        for r in range(card.history.model.rowCount())
    ]
    assert "Изменено: Клиент с" in titles
    assert not ctx.errors  # type: ignore[attr-defined]
