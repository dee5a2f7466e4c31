"""The small dialogs of a request: to whom it goes, why it is declined (with
the editable list of reasons), and which card or deal it belongs to."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from services.core import users
from services.core.access import Permission
from services.core.views import SearchHit, UserView
from services.feed import search
from services.inbound import reasons as reason_list
from services.inbound.views import ReasonView, RequestView
from ui.context import UiContext
from ui.dialogs.link_target import LinkTargetDialog
from ui.settings.types_page import TypeNamesDialog
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

LINK_LIMIT = 40


def reason_name(reason: ReasonView) -> str:
    russian = QLocale().language() == QLocale.Language.Russian
    return (reason.name_ru if russian else reason.name_en) or reason.name_en


def _read_db(work: Work, fn: Any, on_done: Any) -> None:
    """A read that opens its own unit of work (``fn(db, actor)``), on the read lane."""
    ctx = work.ctx
    work.submit(ctx.reads, lambda: fn(ctx.db, ctx.actor), on_done, None)


class ReassignDialog(QDialog):
    """Picks the colleague a request goes to; deactivated users are not offered."""

    chosen = Signal(object, str)  # user id, name

    def __init__(self, ctx: UiContext, view: RequestView, parent: Any = None) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self._owner_id = view.owner_id
        self.setWindowTitle(self.tr("Reassign the request"))
        self.resize(380, 420)
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(self._update_buttons)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Reassign"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(plain_label(self.tr("Who takes this request over?")))
        column.addWidget(self.list, 1)
        column.addWidget(self.buttons)
        self._update_buttons()
        self._work.read(lambda uow, actor: users.users(uow, actor), self._on_loaded)

    def _on_loaded(self, found: list[UserView]) -> None:
        self.list.clear()
        for user in found:
            if not user.active or user.id == self._owner_id:
                continue
            item = QListWidgetItem(user.full_name or user.login)
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            self.list.addItem(item)
        self._update_buttons()

    def names(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def choose(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).text() == name:
                self.list.setCurrentRow(row)
                return

    def _update_buttons(self, *_args: Any) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.list.currentItem() is not None)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)), item.text())
        super().accept()


class DeclineDialog(QDialog):
    """A reason from the list (editable here for those who may change
    settings) and an optional note."""

    chosen = Signal(object, str)  # reason id, note

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.setWindowTitle(self.tr("Decline the request"))
        self.resize(420, 0)
        self.reason = QComboBox()
        self.reason.currentIndexChanged.connect(self._update_buttons)
        self.edit_button = QPushButton(self.tr("Edit list…"))
        self.edit_button.setVisible(ctx.actor.can(Permission.SETTINGS))
        self.edit_button.clicked.connect(self.edit_reasons)
        self.note = QLineEdit()
        self.note.setMaxLength(1000)
        self.note.setPlaceholderText(self.tr("Optional: a word for your colleagues"))
        row = QHBoxLayout()
        row.addWidget(self.reason, 1)
        row.addWidget(self.edit_button)
        form = QFormLayout()
        form.addRow(self.tr("Reason"), row)
        form.addRow(self.tr("Note"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Decline"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.buttons)
        self.editor: ReasonsDialog | None = None
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        _read_db(self._work, lambda db, _actor: reason_list.reasons(db), self._on_loaded)

    def _on_loaded(self, found: list[ReasonView]) -> None:
        current = self.reason.currentData()
        self.reason.clear()
        for reason in found:
            self.reason.addItem(reason_name(reason), reason.id)
        index = self.reason.findData(current)
        if index >= 0:
            self.reason.setCurrentIndex(index)
        self._update_buttons()

    def choose(self, name: str) -> None:
        self.reason.setCurrentIndex(self.reason.findText(name))

    def edit_reasons(self) -> None:
        editor = ReasonsDialog(self._ctx, self)
        editor.finished.connect(lambda _result: self.refresh())
        editor.finished.connect(editor.deleteLater)
        self.editor = editor
        editor.open()

    def _update_buttons(self, *_args: Any) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.reason.currentData() is not None)

    def accept(self) -> None:
        reason_id = self.reason.currentData()
        if reason_id is None:
            return
        self.chosen.emit(int(reason_id), self.note.text().strip())
        super().accept()


class ReasonsDialog(QDialog):
    """The reasons to decline for: add, rename, hide and show. A hidden reason
    stays on the requests declined with it."""

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.reasons: list[ReasonView] = []
        self.names: TypeNamesDialog | None = None
        self.setWindowTitle(self.tr("Reasons to decline"))
        self.resize(440, 420)
        self.list = QListWidget()
        self.list.currentRowChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.tr("Add…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.hide_button = QPushButton(self.tr("Hide"))
        self.add_button.clicked.connect(lambda: self._ask_names(None))
        self.rename_button.clicked.connect(lambda: self._ask_names(self.current()))
        self.hide_button.clicked.connect(self._on_hide_button_clicked)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.hide_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.list, 1)
        column.addLayout(buttons)
        column.addWidget(close)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        _read_db(
            self._work, lambda db, _actor: reason_list.reasons(db, with_hidden=True), self._loaded
        )

    def _loaded(self, found: list[ReasonView]) -> None:
        row = self.list.currentRow()
        self.reasons = found
        self.list.clear()
        for reason in found:
            text = reason_name(reason)
            if reason.hidden:
                text = self.tr("%1 (hidden)").replace("%1", text)
            item = QListWidgetItem(text)
            item.setToolTip(f"{reason.name_en} / {reason.name_ru}")
            self.list.addItem(item)
        self.list.setCurrentRow(min(row, len(found) - 1))
        self._update_buttons()

    def current(self) -> ReasonView | None:
        row = self.list.currentRow()
        return self.reasons[row] if 0 <= row < len(self.reasons) else None

    def _update_buttons(self, *_args: Any) -> None:
        chosen = self.current()
        self.rename_button.setEnabled(chosen is not None)
        self.hide_button.setEnabled(chosen is not None)
        if chosen is not None:
            self.hide_button.setText(self.tr("Show") if chosen.hidden else self.tr("Hide"))

    def _ask_names(self, reason: ReasonView | None) -> None:
        title = self.tr("New reason") if reason is None else self.tr("Rename the reason")
        dialog = TypeNamesDialog(
            title, reason.name_en if reason else "", reason.name_ru if reason else "", self
        )
        dialog.accepted.connect(lambda: self._save_names(reason, dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.names = dialog
        dialog.open()

    def _save_names(self, reason: ReasonView | None, dialog: TypeNamesDialog) -> None:
        en, ru = dialog.name_en.text(), dialog.name_ru.text()
        if reason is None:
            self.add(en, ru)
        else:
            self.rename(reason.id, en, ru)

    def add(self, name_en: str, name_ru: str) -> None:
        self._work.run(
            lambda db, actor: reason_list.add_reason(db, actor, name_en, name_ru),
            lambda _view: self.refresh(),
        )

    def rename(self, reason_id: int, name_en: str, name_ru: str) -> None:
        self._work.run(
            lambda db, actor: reason_list.set_reason(
                db, actor, reason_id, name_en=name_en, name_ru=name_ru
            ),
            lambda _view: self.refresh(),
        )

    def _on_hide_button_clicked(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        hidden = not chosen.hidden
        self._work.run(
            lambda db, actor: reason_list.set_reason(db, actor, chosen.id, hidden=hidden),
            lambda _view: self.refresh(),
        )


def _finder(kinds: tuple[str, ...]) -> Any:
    def find(uow: Any, actor: Any, text: str) -> list[SearchHit]:
        return [h for h in search.search(uow, actor, text, limit=LINK_LIMIT) if h.kind in kinds]

    return find


def link_dialog(
    ctx: UiContext, view: RequestView, parent: Any = None, *, deals: bool
) -> LinkTargetDialog:
    """The app's search, limited to deals or to clients, leads and contact
    persons, started with the sender's address."""
    text = view.sender_email or view.sender_phone or view.sender_name or ""
    if deals:
        what = QCoreApplication.translate(
            "RequestLink", "Attach the request to an open deal: no new deal is made for it."
        )
        dialog = LinkTargetDialog(
            ctx, what, parent, text=view.sender_name, finder=_finder(("deal",))
        )
        dialog.setWindowTitle(QCoreApplication.translate("RequestLink", "Attach to a deal"))
        return dialog
    what = QCoreApplication.translate(
        "RequestLink", "Put the request on the card of a client, lead or contact person."
    )
    return LinkTargetDialog(
        ctx, what, parent, text=text, finder=_finder(("client", "lead", "contact"))
    )
