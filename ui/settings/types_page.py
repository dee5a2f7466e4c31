"""Settings → Interaction types (seed 000): the list in the user's order,
with add, rename, move up and down, hide and show. Built-in types keep their
icon; renaming changes only the names shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
)

from services.interactions import types as itypes
from ui.context import UiContext
from ui.settings.admin_page import AdminPage
from ui.widgets import glyphs, labels


class TypeNamesDialog(QDialog):
    """The English and Russian names of a type."""

    def __init__(self, title: str, en: str = "", ru: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name_en = QLineEdit(en)
        self.name_ru = QLineEdit(ru)
        for edit in (self.name_en, self.name_ru):
            edit.setMaxLength(itypes.MAX_NAME)
        form = QFormLayout(self)
        form.addRow(self.tr("Name in English"), self.name_en)
        form.addRow(self.tr("Name in Russian"), self.name_ru)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class TypesPage(AdminPage):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.types: list[itypes.TypeView] = []
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.add_button = QPushButton(self.tr("Add…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.hide_button = QPushButton(self.tr("Hide"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.hide_button.clicked.connect(self._on_hide_button_clicked)
        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.rename_button,
            self.up_button,
            self.down_button,
            self.hide_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.column.addWidget(self.list, 1)
        self.column.addLayout(buttons)
        self._update_buttons()

    def refresh(self) -> None:
        self._work.read(lambda uow, _actor: itypes.types(uow), self._on_loaded)

    def _on_loaded(self, found: list[itypes.TypeView]) -> None:
        self.loaded = True
        current = self.current()
        self.types = found
        labels.remember_types({t.code: (t.name_en, t.name_ru) for t in found})
        self.list.clear()
        for t in found:
            text = labels.type_label(t.code)
            if t.hidden:
                text = self.tr("%1 (hidden)").replace("%1", text)
            item = QListWidgetItem(glyphs.type_icon(t.code, 18, muted=t.hidden), text)
            item.setData(Qt.ItemDataRole.UserRole, t.code)
            item.setToolTip(f"{t.name_en} / {t.name_ru}")
            self.list.addItem(item)
            if current is not None and t.code == current.code:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def current(self) -> itypes.TypeView | None:
        row = self.list.currentRow()
        return self.types[row] if 0 <= row < len(self.types) else None

    def _update_buttons(self) -> None:
        chosen = self.current()
        self.add_button.setEnabled(self.editable)
        for button in (self.rename_button, self.hide_button, self.up_button, self.down_button):
            button.setEnabled(self.editable and chosen is not None)
        if chosen is not None:
            self.hide_button.setText(self.tr("Show") if chosen.hidden else self.tr("Hide"))
            self.up_button.setEnabled(self.editable and self.list.currentRow() > 0)
            self.down_button.setEnabled(
                self.editable and self.list.currentRow() < len(self.types) - 1
            )

    def _on_list_current_row_changed(self, _row: int) -> None:
        self._update_buttons()

    def add_type(self, name_en: str, name_ru: str) -> None:
        self._work.run(lambda db, actor: itypes.add_type(db, actor, name_en, name_ru), self._done)

    def rename_type(self, code: str, name_en: str, name_ru: str) -> None:
        self._work.run(
            lambda db, actor: itypes.rename_type(db, actor, code, name_en, name_ru), self._done
        )

    def _on_add_button_clicked(self) -> None:
        dialog = TypeNamesDialog(self.tr("New interaction type"), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_type(dialog.name_en.text(), dialog.name_ru.text())

    def _on_rename_button_clicked(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        dialog = TypeNamesDialog(
            self.tr("Rename the type"), chosen.name_en, chosen.name_ru, parent=self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.rename_type(chosen.code, dialog.name_en.text(), dialog.name_ru.text())

    def _move(self, step: int) -> None:
        chosen = self.current()
        if chosen is None:
            return
        place = self.list.currentRow() + step
        self._work.run(
            lambda db, actor: itypes.move_type(db, actor, chosen.code, place), self._done
        )

    def _on_hide_button_clicked(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        hide = not chosen.hidden
        self._work.run(
            lambda db, actor: itypes.set_hidden(db, actor, chosen.code, hide), self._done
        )
