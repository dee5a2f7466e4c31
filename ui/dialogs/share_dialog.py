"""Share… on a client's or lead's card: who besides the owner sees it, and
adding or removing a colleague (#19 item 2, through
``services.parties.shares``). Removing is one click with Undo in the
window's bar rather than a question: it is as easy to put back.

The list reloads on every change to the card, so an Undo from the bar, or
a colleague sharing it from another desktop, shows while the dialog is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from services.core.changes import Changes
from services.core.errors import UserError
from services.core.users import users as colleagues
from services.core.views import UserView
from services.parties import records as parties
from services.parties import shares
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.plain import plain_label
from ui.widgets.work import Work


@dataclass(frozen=True)
class ShareState:
    """What the dialog shows: the card's owner, whom it is shared with, and
    the colleagues it could be shared with."""

    owner_id: int
    shared: tuple[shares.ShareView, ...]
    offered: tuple[UserView, ...]


def _load(uow: Any, actor: Any, kind: str, ident: int) -> ShareState:
    card: Any = (
        parties.get_client(uow, actor, ident)
        if kind == "client"
        else parties.get_lead(uow, actor, ident)
    )
    shared = tuple(shares.shared_with(uow, actor, kind, ident))
    taken = {s.user_id for s in shared} | {card.owner_id}
    offered = tuple(u for u in colleagues(uow, actor) if u.active and u.id not in taken)
    return ShareState(card.owner_id, shared, offered)


class ShareDialog(QDialog):
    unshared = Signal(object)  # shares.ShareView: the window offers Undo

    def __init__(self, ctx: UiContext, kind: str, ident: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.card = (kind, ident)
        self.state: ShareState | None = None
        self.setWindowTitle(self.tr("Share client") if kind == "client" else self.tr("Share lead"))
        self.setMinimumWidth(420)
        intro = QLabel(
            self.tr("These colleagues see this card and everything on it as if it were theirs:")
            if kind == "client"
            else self.tr(
                "These colleagues see this lead and everything on it as if it were theirs:"
            )
        )
        intro.setWordWrap(True)
        self.shared_list = QListWidget()
        self.shared_list.itemSelectionChanged.connect(self._update_buttons)
        self.empty = QLabel(self.tr("Nobody yet: only the owner and their managers see it."))
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.remove_button = QPushButton(self.tr("Stop sharing"))
        self.remove_button.setToolTip(self.tr("The colleague no longer sees this card (Undo)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.colleague = QComboBox()
        self.colleague.setToolTip(self.tr("A colleague to share this card with"))
        self.add_button = QPushButton(self.tr("Share"))
        self.add_button.clicked.connect(self.add_chosen)
        add_row = QHBoxLayout()
        add_row.addWidget(self.colleague, 1)
        add_row.addWidget(self.add_button)
        self.error = plain_label()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.shared_list)
        layout.addWidget(self.empty)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(add_row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._update_buttons()
        ctx.bus.changed.connect(self._on_bus_changed)
        self.reload()

    def reload(self) -> None:
        kind, ident = self.card
        self._work.read(
            lambda uow, actor: _load(uow, actor, kind, ident), self._on_loaded, self._on_failed
        )

    def _on_loaded(self, state: ShareState) -> None:
        self.state = state
        self.shared_list.clear()
        for share in state.shared:
            item = QListWidgetItem(share.user_name)  # a name is plain text in a list item
            item.setData(Qt.ItemDataRole.UserRole, share.user_id)
            self.shared_list.addItem(item)
        self.empty.setVisible(not state.shared)
        self.shared_list.setVisible(bool(state.shared))
        self.colleague.clear()
        for user in state.offered:
            self.colleague.addItem(user.full_name, user.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.shared_list.selectedItems()))
        self.add_button.setEnabled(self.colleague.count() > 0)
        self.colleague.setEnabled(self.colleague.count() > 0)

    def add_chosen(self) -> None:
        user_id = self.colleague.currentData()
        if user_id is not None:
            self._set(int(user_id), True)

    def remove_selected(self) -> None:
        items = self.shared_list.selectedItems()
        if items:
            self._set(int(items[0].data(Qt.ItemDataRole.UserRole)), False)

    def _set(self, user_id: int, on: bool) -> None:
        kind, ident = self.card
        self.error.hide()
        self.add_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self._work.run(
            lambda db, actor: shares.set_shared(db, actor, kind, ident, user_id, shared=on),
            self._on_set,
            self._on_failed,
        )

    def _on_set(self, view: shares.ShareView) -> None:
        if not view.shared and view.changed:
            self.unshared.emit(view)
        self.reload()

    def _on_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, UserError):
            self.error.setText(error_text.message(exc))
            self.error.show()
        else:
            self._ctx.report_error(exc)

    def _on_bus_changed(self, changes: Changes) -> None:
        kind, ident = self.card
        if self.isVisible() and changes.touches(kind, (ident,)):  # a closed one stays quiet
            self.reload()
