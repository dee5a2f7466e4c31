"""Someone else saved the record while it was open here (#19 item 4): both
values of each field the two saves set differently, and the user's choice
per field; nothing was saved until they choose."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QRadioButton,
    QVBoxLayout,
)

from services.core.errors import EditConflict
from ui.widgets.plain import plain_label


class ConflictDialog(QDialog):
    def __init__(
        self,
        conflict: EditConflict,
        parent: Any = None,
        shown: Callable[[str, str | None], str] | None = None,
    ) -> None:
        """``shown(field, value)`` words a stored value for the user (a time
        in their zone, contact persons by name); by default it is shown as is."""
        super().__init__(parent)
        self.conflict = conflict
        self.setWindowTitle(self.tr("Someone else saved this meanwhile"))
        names = {
            "name": self.tr("Name"),
            "owner": self.tr("Owner"),
            "address": self.tr("Address"),
            "region": self.tr("Region"),
            "timezone": self.tr("Time zone"),
            "company": self.tr("Company"),
            "position": self.tr("Position"),
            "title": self.tr("Title"),
            "amount": self.tr("Amount"),
            "currency": self.tr("Currency"),
            "start": self.tr("Time"),
            "contacts": self.tr("Contact persons"),
            "deadline": self.tr("Deadline"),
            "assignee": self.tr("Assignee"),
            "body": self.tr("Text"),
        }

        def text(field: str, value: str | None) -> str:
            return (shown(field, value) if shown is not None and value else value) or "—"

        grid = QGridLayout()
        self._groups: dict[str, tuple[QRadioButton, QRadioButton]] = {}
        for row, field in enumerate(conflict.fields):
            yours = QRadioButton(self.tr("Yours: %1").replace("%1", text(field.field, field.yours)))
            theirs = QRadioButton(
                self.tr("Saved: %1").replace("%1", text(field.field, field.theirs))
            )
            yours.setChecked(True)
            group = QButtonGroup(self)
            group.addButton(yours)
            group.addButton(theirs)
            grid.addWidget(plain_label(names.get(field.field, field.field)), row, 0)
            grid.addWidget(yours, row, 1)
            grid.addWidget(theirs, row, 2)
            self._groups[field.field] = (yours, theirs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(
            plain_label(
                self.tr(
                    "Nothing was saved. For each field, keep your value or take the one "
                    "saved meanwhile, then save again."
                )
            )
        )
        column.addLayout(grid)
        column.addWidget(buttons)

    def ask(self, on_accepted: Callable[[], None]) -> ConflictDialog:
        """Open it (window-modal, the form stays as typed); ``on_accepted``
        saves the chosen values against the version saved meanwhile."""
        self.accepted.connect(on_accepted)
        self.open()
        return self

    def take_theirs(self, field: str) -> None:
        self._groups[field][1].setChecked(True)

    def choices(self) -> dict[str, str | None]:
        """The value to save per field."""
        return {
            f.field: (f.theirs if self._groups[f.field][1].isChecked() else f.yours)
            for f in self.conflict.fields
        }
