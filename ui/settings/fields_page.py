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
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
)

from services.parties import custom_fields
from ui.context import UiContext
from ui.settings.admin_page import AdminPage
from ui.widgets import labels


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


class FieldsPage(AdminPage):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.fields: list[custom_fields.FieldView] = []
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.add_button = QPushButton(self.tr("Add a field…"))
        self.remove_button = QPushButton(self.tr("Remove…"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
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
        self._update_buttons()

    def current(self) -> custom_fields.FieldView | None:
        row = self.list.currentRow()
        return self.fields[row] if 0 <= row < len(self.fields) else None

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.editable)
        self.remove_button.setEnabled(self.editable and self.current() is not None)

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
        answer = QMessageBox.question(
            self,
            self.tr("Remove the field"),
            self.tr("Remove the field %1 and its values on every card?").replace(
                "%1", chosen.label
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove_field(chosen.entity_kind, chosen.code)
