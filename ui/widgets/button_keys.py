"""Keys for a panel's buttons, as the agenda's Ctrl+D and Inbound's Ctrl+T:
a key does what its button does, only while the button is offered (shown
and enabled), only where the panel has the focus, and the button's tooltip
names it, so the key can be found without a manual."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget


def key_name(key: QKeySequence) -> str:
    """ "Ctrl+L", "Del": as the system writes it (Qt's own words in Russian)."""
    return key.toString(QKeySequence.SequenceFormat.NativeText)


def named(text: str, key: QKeySequence) -> str:
    """ "Link the selected letter to a card (Ctrl+L)"."""
    return f"{text} ({key_name(key)})"


def press(button: QAbstractButton) -> None:
    if button.isVisible() and button.isEnabled():
        button.click()


def bind(area: QWidget, key: QKeySequence, button: QAbstractButton, what: str) -> QShortcut:
    """``key`` presses ``button`` while the focus is in ``area``; ``what``
    (what the button does) becomes its tooltip with the key's name."""
    shortcut = QShortcut(key, area)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(lambda: press(button))
    button.setToolTip(named(what, key))
    return shortcut
