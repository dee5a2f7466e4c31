"""What the Settings pages of administrators share: a list that anyone may
read and only an administrator may change. A manager sees the page read-only
with a note why, rather than being refused on Save (#12 item 6)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.context import UiContext
from ui.widgets.work import Work


class AdminPage(QWidget):
    """A page loaded the first time it is shown, editable by administrators."""

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.loaded = False
        self.editable = ctx.actor.can_admin()
        self.read_only_note = QLabel(
            self.tr("Only an administrator can change this; you can see it.")
        )
        self.read_only_note.setProperty("role", "muted")
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setVisible(not self.editable)
        self.column = QVBoxLayout(self)
        self.column.addWidget(self.read_only_note)

    def refresh(self) -> None:
        raise NotImplementedError

    def _done(self, _result: Any) -> None:
        self.refresh()
