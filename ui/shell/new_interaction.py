"""Ctrl+N: a new interaction for what the user is looking at (the open card
or the selected row); with nothing chosen the dialog asks for the client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui.context import UiContext

Party = tuple[str, int]
KINDS = ("client", "lead", "deal", "contact")


class NewInteraction(QObject):
    saved = Signal()

    def __init__(
        self, ctx: UiContext, current: Callable[[], Party | None], window: QWidget
    ) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._current = current
        self._window = window
        self.dialog: Any = None

    def start(self) -> None:
        party = self._current()
        ids: dict[str, Any] = {}
        if party is not None and party[0] in KINDS:
            ids[f"{party[0]}_id"] = party[1]
        from ui.dialogs import InteractionDialog  # loaded when first asked for (#16)

        self.dialog = InteractionDialog(self._ctx, parent=self._window, **ids)
        self.dialog.saved.connect(lambda _view: self.saved.emit())
        self.dialog.open()
