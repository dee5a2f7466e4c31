"""The card's fields section (seed 002): the fields this user chose for this
kind of card, each edited in place. The choice is remembered per user and
card kind (two colleagues at one computer keep their own); built-in fields
(owner, address, company, position) and the custom fields of Settings →
Fields are offered alike.

A value is saved when the editor loses focus or a choice is picked, through
the same edit use cases as ``touchpoint clients|leads|contacts edit``; the
change history records it with readable values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from services.core.access import Permission
from services.feed.card import CardData
from services.parties import edit_cases
from services.parties.custom_fields import FieldView
from ui.context import UiContext
from ui.shell.preferences import Preferences
from ui.widgets.elided import ElidedCombo
from ui.widgets.plain import tooltip
from ui.widgets.work import Work

BUILTIN = {
    "client": ("owner", "address"),
    "lead": ("owner", "company"),
    "contact": ("position",),
}


MENU_ARROW_ROOM = (
    "QToolButton { padding-right: 14px; }"
    " QToolButton::menu-indicator { subcontrol-origin: padding;"
    " subcontrol-position: center right; right: 3px; }"
)


class FieldsSection(QWidget):
    saved = Signal()

    def __init__(self, ctx: UiContext, prefs: Preferences | None = None, parent: Any = None):
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._prefs = prefs or Preferences()
        self.kind = ""
        self.object_id = 0
        self.data: CardData | None = None
        self.editors: dict[str, QWidget] = {}
        self._values: dict[str, str] = {}
        self.choose = QToolButton()
        self.choose.setText(self.tr("Fields…"))
        self.choose.setToolTip(self.tr("Choose the fields this kind of card shows"))
        self.choose.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        # the menu's arrow sat over the "…" of the caption ("Поля…˯"): room for it
        self.choose.setStyleSheet(MENU_ARROW_ROOM)
        self.menu = QMenu(self)
        self.choose.setMenu(self.menu)
        self.form = QFormLayout()
        self.form.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.choose)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addLayout(self.form)

    # --- what is offered and chosen ----------------------------------------------------

    def offered(self) -> list[str]:
        fields = self.data.fields if self.data is not None else ()
        return [*BUILTIN.get(self.kind, ()), *(f"custom.{f.code}" for f in fields)]

    def chosen(self) -> list[str]:
        offered = self.offered()
        remembered = self._prefs.card_fields(self.kind, self._ctx.actor.id)
        if remembered is None:
            return offered
        return [code for code in remembered if code in offered]

    def set_chosen(self, codes: list[str]) -> None:
        self._prefs.set_card_fields(self.kind, self._ctx.actor.id, codes)
        self._rebuild_form()

    def label(self, code: str) -> str:
        names = {
            "owner": self.tr("Owner"),
            "address": self.tr("Address"),
            "company": self.tr("Company"),
            "position": self.tr("Position"),
        }
        if code in names:
            return names[code]
        field = self._field(code)
        if field is None:
            return code
        russian = QLocale().language() == QLocale.Language.Russian
        return field.label_ru if russian else field.label

    def _field(self, code: str) -> FieldView | None:
        fields = self.data.fields if self.data is not None else ()
        return next((f for f in fields if f"custom.{f.code}" == code), None)

    # --- showing -------------------------------------------------------------------------

    def set_data(self, kind: str, object_id: int, data: CardData) -> None:
        self.kind, self.object_id, self.data = kind, object_id, data
        self.setVisible(kind in BUILTIN)
        self._rebuild()

    def _value(self, code: str) -> str:
        data = self.data
        assert data is not None
        if code == "owner":
            return str(data.owner_id or "")
        if code == "address":
            return (data.party.address if data.party else None) or ""
        if code == "company":
            return (data.party.company if data.party else None) or ""
        if code == "position":
            return (data.contact.position if data.contact else None) or ""
        return data.custom.get(code.removeprefix("custom."), "")

    def _rebuild(self) -> None:
        self.menu.clear()
        if self.data is not None:
            chosen = self.chosen()
            for code in self.offered():
                action = QAction(self.label(code), self.menu)
                action.setCheckable(True)
                action.setChecked(code in chosen)
                action.setData(code)
                action.toggled.connect(self._on_menu_toggled)
                self.menu.addAction(action)
        self._rebuild_form()

    def _rebuild_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        self._values = {}
        if self.data is None:
            return
        editable = self._ctx.actor.can(Permission.CLIENTS_EDIT)
        for code in self.chosen():
            value = self._value(code)
            editor = self._editor(code, value)
            editor.setEnabled(editable)
            self.editors[code] = editor
            self._values[code] = value
            self.form.addRow(self.label(code), editor)

    def _editor(self, code: str, value: str) -> QWidget:
        field = self._field(code)
        if code == "owner" or (field is not None and field.value_type in ("bool", "list")):
            combo = ElidedCombo()
            # a long name or choice is cut, not widening the side column
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            for text, data in self._choices(code, field):
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.activated.connect(lambda _i, c=code, w=combo: self._commit(c, w.currentData()))
            return combo
        edit = QLineEdit(value)
        edit.setMaxLength(2000)
        edit.setCursorPosition(0)  # a long address shows its beginning
        edit.setToolTip(tooltip(value))
        if field is not None and field.value_type == "date":
            edit.setPlaceholderText(self.tr("YYYY-MM-DD"))
        edit.editingFinished.connect(lambda c=code, w=edit: self._commit(c, w.text().strip()))
        return edit

    def _choices(self, code: str, field: FieldView | None) -> list[tuple[str, str]]:
        if code == "owner":
            users = self.data.users if self.data is not None else ()
            return [(u.full_name or u.login, str(u.id)) for u in users]
        assert field is not None
        if field.value_type == "bool":
            return [("", ""), (self.tr("Yes"), "true"), (self.tr("No"), "false")]
        return [("", ""), *((o, o) for o in field.options)]

    # --- saving --------------------------------------------------------------------------

    def _commit(self, code: str, value: str) -> None:
        if value == self._values.get(code):
            return
        self._values[code] = value
        self._work.run(self._use_case(code, value), self._on_saved, self._on_failed)

    def _use_case(self, code: str, value: str) -> Callable[[Any, Any], Any]:
        kind, ident = self.kind, self.object_id
        args: dict[str, Any] = {}
        if code.startswith("custom."):
            args["custom"] = {code.removeprefix("custom."): value}
        elif code == "owner":
            args["owner"] = int(value)
        else:
            args[{"address": "address", "company": "company", "position": "position"}[code]] = value
        if kind == "client":
            return lambda db, actor: edit_cases.edit_client(db, actor, ident, **args)
        if kind == "lead":
            return lambda db, actor: edit_cases.edit_lead(db, actor, ident, **args)
        return lambda db, actor: edit_cases.edit_contact(db, actor, ident, **args)

    def _on_saved(self, _result: Any) -> None:
        self.saved.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._ctx.report_error(exc)
        self._rebuild_form()  # the stored value again

    def _on_menu_toggled(self, _checked: bool) -> None:
        codes = [a.data() for a in self.menu.actions() if a.isChecked()]
        self.set_chosen(codes)
