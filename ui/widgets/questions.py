"""The question before a destructive action: its own button, Cancel the
default (Enter and Escape both keep what is there), the text shown plain
(it quotes a user's words)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ui.widgets.plain import plain


def confirm_destructive(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """True when the user pressed ``action``; Cancel, Escape or closing keep it."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    plain(box)
    act = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is act
