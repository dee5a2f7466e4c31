"""Ctrl+F (the system's Find key) puts the cursor in a panel's search field,
its text selected to type over: in the client, lead and contact lists and in
a card's feed, where a manager looks things up all day. The field's tooltip
names the key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QWidget

from ui.widgets import button_keys


def find_key() -> QKeySequence:
    """The system's Find key (Ctrl+F; Cmd+F on macOS). Built on use: a
    standard key needs the application's platform."""
    return QKeySequence(QKeySequence.StandardKey.Find)


def find(field: QLineEdit) -> None:
    field.setFocus(Qt.FocusReason.ShortcutFocusReason)
    field.selectAll()


def bind(area: QWidget, field: QLineEdit, before: Callable[[], None] | None = None) -> QShortcut:
    """Ctrl+F in ``area`` (the focus anywhere inside it) goes to ``field``;
    ``before`` first shows it (a card's Feed tab)."""
    key = find_key()
    shortcut = QShortcut(key, area)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def go() -> None:
        if before is not None:
            before()
        find(field)

    shortcut.activated.connect(go)
    field.setToolTip(button_keys.named(QCoreApplication.translate("find_key", "Search"), key))
    return shortcut
