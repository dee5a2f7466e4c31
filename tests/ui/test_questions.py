"""The blocking destructive question (the feed's unlink, removing a mail
account, a custom field, a deputy period, restoring a backup): Enter and
Escape keep things, the quoted words stay plain text."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ui.widgets.questions import confirm_destructive

TEXT = "Удалить поле <b>Уровень</b> и его значения?"


def _answer_when_shown(qtbot: QtBot, key: Qt.Key, seen: list[QMessageBox]) -> None:
    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box)
        qtbot.keyClick(box, key)

    QTimer.singleShot(0, press)


def test_enter_and_escape_keep_and_the_text_is_plain(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[QMessageBox] = []
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape):
        _answer_when_shown(qtbot, key, seen)
        assert not confirm_destructive(parent, "Удалить поле", TEXT, "Удалить")
    box = seen[0]
    assert box.text() == TEXT
    assert box.textFormat() == Qt.TextFormat.PlainText
    keep = box.defaultButton()
    assert keep is not None
    assert box.buttonRole(keep) == QMessageBox.ButtonRole.RejectRole
    assert box.escapeButton() is keep


def test_the_action_button_answers_yes(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        act = next(b for b in box.buttons() if b.text() == "Remove account")
        assert box.buttonRole(act) == QMessageBox.ButtonRole.DestructiveRole
        act.click()

    QTimer.singleShot(0, press)
    assert confirm_destructive(parent, "Remove account", "Remove this mailbox?", "Remove account")
