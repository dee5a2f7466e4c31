"""The question before a destructive action: its own button, Cancel (or the
caller's "Keep it") the default, so Enter and Escape both keep what is
there, the text shown plain (it quotes a user's words)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ui.widgets.plain import plain


def destructive_box(
    parent: QWidget | None,
    title: str,
    text: str,
    action: str,
    *,
    details: str = "",
    keep: str = "",
) -> tuple[QMessageBox, QPushButton]:
    """The box, not shown yet, and its ``action`` button; ``keep`` names the
    button that keeps things (Qt's Cancel when empty)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    plain(box)
    if details:
        box.setInformativeText(details)
    act = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = (
        box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
        if keep
        else box.addButton(QMessageBox.StandardButton.Cancel)
    )
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box, act


def ask_destructive(
    parent: QWidget | None,
    title: str,
    text: str,
    action: str,
    then: Callable[[], None],
    *,
    details: str = "",
    keep: str = "",
) -> QMessageBox:
    """Open the question over ``parent`` without a nested event loop; ``then``
    runs once the user pressed ``action``. Returns the box (tests answer it)."""
    box, act = destructive_box(parent, title, text, action, details=details, keep=keep)
    box.finished.connect(lambda _r: then() if box.clickedButton() is act else None)
    box.open()
    return box


def confirm_destructive(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """True when the user pressed ``action``; Cancel, Escape or closing keep it."""
    box, act = destructive_box(parent, title, text, action)
    box.exec()
    return box.clickedButton() is act
