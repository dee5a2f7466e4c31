"""Names, subjects and notes from outside show literally everywhere: in the
card header, the feed, the lists, the search popup, message boxes and
tooltips. Rendering them as rich text would read local files (an <img> with a
file:// source), so a FIFO sentinel tells whether anything tried."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QMessageBox,
    QToolTip,
    QWidget,
)
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.interactions import notes
from tests.sentinel import FifoSentinel
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from tests.ui.test_message_dialog import _letter
from ui.main_window import MainWindow
from ui.widgets.plain import tooltip


def _tooltips(root: QWidget) -> list[str]:
    """Every tooltip a user could hover over under ``root``."""
    tips = [w.toolTip() for w in (root, *root.findChildren(QWidget)) if w.toolTip()]
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is not None:
            tips += _model_tooltips(model, QModelIndex())
    return tips


def _model_tooltips(model: QAbstractItemModel, parent: QModelIndex) -> list[str]:
    tips = []
    try:
        columns = model.columnCount(parent)
    except TypeError:  # list models keep columnCount private: one column
        columns = 1
    for row in range(min(model.rowCount(parent), 200)):
        for column in range(columns):
            index = model.index(row, column, parent)
            tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
            if tip:
                tips.append(str(tip))
            if column == 0 and columns > 1 and model.rowCount(index):  # tree groups
                tips += _model_tooltips(model, index)
    return tips


def _hover_all(qtbot: QtBot, tips: list[str]) -> None:
    for tip in tips:
        QToolTip.showText(QPoint(20, 20), tip)
        QApplication.processEvents()
    QToolTip.hideText()


def _labels_with(root: QWidget, text: str) -> list[QLabel]:
    return [label for label in root.findChildren(QLabel) if text in label.text()]


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # tooltips, offscreen
def test_a_hostile_name_and_subject_show_literally_and_read_no_file(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    with FifoSentinel(tmp_path) as fifo:
        img = f"<img src=file://{fifo.path}>"
        name = f"<b>x</b>{img}"
        subject = f'Счёт <img src="file://{fifo.path}">'
        cid, _iid = _letter(
            sqlite_db, "<p>Добрый день</p>", "Добрый день", subject=subject, client=name
        )
        with sqlite_db.uow() as uow:
            actor = bootstrap.actor_for(uow)
            notes.add_note(uow, actor, "client", cid, f"Заметка {img}")
            uow.commit()
        window = MainWindow(make_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        qtbot.waitExposed(window)
        qtbot.wait(200)  # the clients list fills
        window.open_card("client", cid, name)
        qtbot.wait(200)  # the card and its feed fill
        window.search.popup()
        window.search.edit.setText("x")
        window.search.run_search()
        qtbot.wait(100)
        tips = _tooltips(window) + _tooltips(window.search)
        _hover_all(qtbot, tips)
        shown = _labels_with(window, "<b>x</b>")
        qtbot.wait(100)
    assert not fifo.opened
    assert shown, "the card header shows the name"
    for label in shown:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert any(name in tip for tip in tips) or any("&lt;b&gt;x" in tip for tip in tips)


def test_a_tooltip_of_outside_text_is_escaped_rich_text() -> None:
    tip = tooltip('<b>x</b><img src="file:///etc/passwd">\nвторая строка')
    assert "<img" not in tip
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in tip
    assert tip.startswith("<p")
    assert tooltip("Login refused") == "Login refused"  # nothing to escape: as it is


def test_an_error_quoting_outside_text_is_shown_as_text(qtbot: QtBot, tmp_path: Path) -> None:
    from services.core.errors import ValidationError
    from ui.crash import show_error

    with FifoSentinel(tmp_path) as fifo:
        error = ValidationError(f"Unknown region '<img src=file://{fifo.path}>'", "region")
        box = show_error(error)
        qtbot.waitExposed(box)
        qtbot.wait(50)
        assert isinstance(box, QMessageBox)
        assert box.textFormat() == Qt.TextFormat.PlainText
        assert box.text().startswith("Unknown region '<img src=")
        box.close()
    assert not fifo.opened
