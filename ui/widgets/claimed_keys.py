"""A key a page takes over from the window while the focus is inside it.

The window binds Ctrl+N (new interaction) and F5 (read again) for every
section. A page that binds the same key with its own QShortcut does not
win: Qt sees two shortcuts in scope, calls the key ambiguous, and neither
fires. Claiming the key answers Qt's ShortcutOverride question first (the
key is the page's, no shortcut runs) and then handles the key press that
follows, as the card's Ctrl+N and the templates page's do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget


class _Claim(QObject):
    def __init__(self, owner: QWidget, key: QKeySequence, slot: Callable[[], object]) -> None:
        super().__init__(owner)
        self._key = key
        self._slot = slot
        owner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or QKeySequence(event.keyCombination()) != self._key:
            return False
        event.accept()
        if kind == QEvent.Type.KeyPress:
            self._slot()
        return True


def claim(owner: QWidget, key: QKeySequence, slot: Callable[[], object]) -> QObject:
    """``key`` runs ``slot`` while the focus is in ``owner`` (its children's
    unused key presses reach it), never the window's shortcut on that key."""
    return _Claim(owner, key, slot)
