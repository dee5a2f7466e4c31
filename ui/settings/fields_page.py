"""Settings → Fields: custom fields of clients, leads and contacts with an
English and a Russian label, of type text, number, date, yes/no or list.
Each card shows the fields its user chose (the card's fields section)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
)

from services.parties import custom_fields
from ui.context import UiContext
from ui.settings.admin_page import AdminPage
from ui.widgets import labels
from ui.widgets.questions import confirm_destructive


def kind_label(widget: Any, kind: str) -> str:
    return {
        "client": QCoreApplication.translate("FieldsPage", "Client"),
        "lead": QCoreApplication.translate("FieldsPage", "Lead"),
        "contact": QCoreApplication.translate("FieldsPage", "Contact person"),
    }[kind]


def type_label(widget: Any, value_type: str) -> str:
    return {
        "text": QCoreApplication.translate("FieldsPage", "Text"),
        "number": QCoreApplication.translate("FieldsPage", "Number"),
        "date": QCoreApplication.translate("FieldsPage", "Date"),
        "bool": QCoreApplication.translate("FieldsPage", "Yes/no"),
        "list": QCoreApplication.translate("FieldsPage", "List"),
    }[value_type]


class NewFieldDialog(QDialog):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New field"))
        self.kind = QComboBox()
        for kind in custom_fields.KINDS:
            self.kind.addItem(kind_label(self, kind), kind)
        self.label = QLineEdit()
        self.label_ru = QLineEdit()
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("e.g. tax_id: letters, digits and _"))
        self.value_type = QComboBox()
        for value_type in custom_fields.TYPES:
            self.value_type.addItem(type_label(self, value_type), value_type)
        self.options = QLineEdit()
        self.options.setPlaceholderText(self.tr("choices, separated by ;"))
        self.value_type.currentIndexChanged.connect(self._on_value_type_changed)
        form = QFormLayout(self)
        form.addRow(self.tr("Card"), self.kind)
        form.addRow(self.tr("Label in English"), self.label)
        form.addRow(self.tr("Label in Russian"), self.label_ru)
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Type"), self.value_type)
        form.addRow(self.tr("Choices"), self.options)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._on_value_type_changed(0)

    def _on_value_type_changed(self, _index: int) -> None:
        self.options.setEnabled(self.value_type.currentData() == "list")


class FieldLabelsDialog(QDialog):
    """Rename: the English and Russian labels (the code stays)."""

    def __init__(self, label: str, label_ru: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rename the field"))
        self.label = QLineEdit(label)
        self.label_ru = QLineEdit(label_ru)
        form = QFormLayout(self)
        form.addRow(self.tr("Label in English"), self.label)
        form.addRow(self.tr("Label in Russian"), self.label_ru)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class FieldsPage(AdminPage):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.fields: list[custom_fields.FieldView] = []
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.add_button = QPushButton(self.tr("Add a field…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.rename_button.clicked.connect(self._on_rename_button_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self._keep: int | None = None  # the field to select again after a reload
        row = QHBoxLayout()
        for button in (
            self.add_button,
            self.rename_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        self.empty_note = QLabel(
            self.tr(
                "No custom fields yet. Add one (a tax ID, a contract tier…): every card of "
                "its kind can show it, and each user chooses the fields their cards show."
            )
        )
        self.empty_note.setProperty("role", "muted")
        self.empty_note.setWordWrap(True)
        self.empty_note.hide()
        self.column.addWidget(self.empty_note)
        self.column.addWidget(self.list, 1)
        self.column.addLayout(row)
        self._update_buttons()

    def refresh(self) -> None:
        self._work.read(lambda uow, _actor: custom_fields.fields(uow), self._on_loaded)

    def _on_loaded(self, found: list[custom_fields.FieldView]) -> None:
        self.loaded = True
        self.fields = found
        labels.remember_fields(
            {f"{f.entity_kind}.custom.{f.code}": (f.label, f.label_ru) for f in found}
        )
        self.list.clear()
        for f in found:
            choices = f": {', '.join(f.options)}" if f.options else ""
            text = (
                f"{kind_label(self, f.entity_kind)} — {f.label} / {f.label_ru} "
                f"({type_label(self, f.value_type)}{choices})"
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, f.id)
            item.setToolTip(f.code)
            self.list.addItem(item)
        self.empty_note.setVisible(not found)
        keep = next((i for i, f in enumerate(found) if f.id == self._keep), -1)
        if keep >= 0:
            self.list.setCurrentRow(keep)
        self._update_buttons()

    def current(self) -> custom_fields.FieldView | None:
        row = self.list.currentRow()
        return self.fields[row] if 0 <= row < len(self.fields) else None

    def _siblings(self, field: custom_fields.FieldView) -> list[custom_fields.FieldView]:
        return [f for f in self.fields if f.entity_kind == field.entity_kind]

    def _update_buttons(self) -> None:
        chosen = self.current()
        self.add_button.setEnabled(self.editable)
        for button in (self.remove_button, self.rename_button):
            button.setEnabled(self.editable and chosen is not None)
        siblings = self._siblings(chosen) if chosen is not None else []
        place = siblings.index(chosen) if chosen is not None else -1
        self.up_button.setEnabled(self.editable and place > 0)
        self.down_button.setEnabled(self.editable and 0 <= place < len(siblings) - 1)

    def _on_list_current_row_changed(self, _row: int) -> None:
        self._update_buttons()

    def add_field(
        self,
        kind: str,
        code: str,
        label: str,
        value_type: str,
        label_ru: str = "",
        options: tuple[str, ...] = (),
    ) -> None:
        self._work.run(
            lambda db, actor: custom_fields.add_field(
                db, actor, kind, code, label, value_type, label_ru=label_ru, options=options
            ),
            self._done,
        )

    def rename_field(self, kind: str, code: str, label: str, label_ru: str) -> None:
        self._work.run(
            lambda db, actor: custom_fields.rename_field(db, actor, kind, code, label, label_ru),
            self._done,
        )

    def move_field(self, field: custom_fields.FieldView, place: int) -> None:
        """``place`` among the fields of its kind of card, 0 first."""
        self._keep = field.id
        kind, code = field.entity_kind, field.code
        self._work.run(
            lambda db, actor: custom_fields.move_field(db, actor, kind, code, place), self._done
        )

    def _move(self, step: int) -> None:
        chosen = self.current()
        if chosen is not None:
            self.move_field(chosen, self._siblings(chosen).index(chosen) + step)

    def _on_rename_button_clicked(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        self._keep = chosen.id
        ru = chosen.label_ru if chosen.label_ru != chosen.label else ""
        dialog = FieldLabelsDialog(chosen.label, ru, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.rename_field(
                chosen.entity_kind, chosen.code, dialog.label.text(), dialog.label_ru.text()
            )

    def remove_field(self, kind: str, code: str) -> None:
        self._work.run(
            lambda db, actor: custom_fields.remove_field(db, actor, kind, code), self._done
        )

    def _on_add_button_clicked(self) -> None:
        dialog = NewFieldDialog(self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = tuple(o.strip() for o in dialog.options.text().split(";") if o.strip())
        self.add_field(
            dialog.kind.currentData(),
            dialog.code.text().strip(),
            dialog.label.text(),
            dialog.value_type.currentData(),
            dialog.label_ru.text(),
            options,
        )

    def _on_remove_button_clicked(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        if confirm_destructive(
            self,
            self.tr("Remove the field"),
            self.tr("Remove the field %1 and its values on every card?").replace(
                "%1", chosen.label
            ),
            self.tr("Remove the field"),
        ):
            self.remove_field(chosen.entity_kind, chosen.code)
