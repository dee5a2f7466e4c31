"""New, Edit, Archive (with Undo), Convert and Share for clients, leads, contact
persons and deals, from wherever they are asked: a list's button or menu,
a card's Edit menu, Ctrl+Shift+N and F2. One place, so each action opens
the same dialog and says the same thing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from services.parties import deals, edit_cases, shares
from services.parties import records as parties
from ui.context import UiContext
from ui.widgets.plain import plain
from ui.widgets.undo_bar import UndoBar
from ui.widgets.work import Work

CardKey = tuple[str, int]


def _party_of(uow: Any, actor: Any, kind: str, ident: int) -> CardKey:
    """The client or lead a contact person or a deal belongs to."""
    view: Any = (
        parties.get_contact(uow, actor, ident)
        if kind == "contact"
        else deals.get(uow, actor, ident)
    )
    return ("client", view.client_id) if view.client_id is not None else ("lead", view.lead_id)


class RecordActions(QObject):
    open_requested = Signal(str, object, str)  # kind, id, title

    def __init__(
        self,
        ctx: UiContext,
        window: QWidget,
        undo_bar: UndoBar,
        current_party: Callable[[], CardKey | None],
    ) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._window = window
        self._work = Work(ctx, self)
        self.undo_bar = undo_bar
        self._current_party = current_party
        self.dialog: Any = None  # the dialog open now (tests drive it)
        self.kind_menu = QMenu(window)
        for kind, text in (
            ("client", self.tr("Client")),
            ("lead", self.tr("Lead")),
            ("contact", self.tr("Contact person")),
            ("deal", self.tr("Deal")),
        ):
            action = self.kind_menu.addAction(text)
            action.setData(kind)
            action.triggered.connect(lambda _checked=False, k=kind: self.new(k))

    # --- new ----------------------------------------------------------------------

    def choose_new(self) -> None:
        """Ctrl+Shift+N: which kind of card to create."""
        self.kind_menu.popup(QCursor.pos())

    def new(self, kind: str, parent_card: CardKey | None = None) -> None:
        if kind in ("contact", "deal") and parent_card is None:
            current = self._current_party()
            if current is None:
                self._tell(
                    self.tr("Open or select a client or a lead first: it will own the new card.")
                )
            elif current[0] in ("client", "lead"):
                self._open_new(kind, current)
            else:  # a contact's or a deal's card: its client or lead
                self._work.read(
                    lambda uow, actor: _party_of(uow, actor, *current),
                    lambda party: self._open_new(kind, party),
                )
            return
        self._open_new(kind, parent_card)

    def _open_new(self, kind: str, parent_card: CardKey | None) -> None:
        from ui.dialogs.deal_dialog import DealDialog  # loaded when first asked for (#16)
        from ui.dialogs.party_dialog import PartyDialog

        if kind == "deal":
            dialog: Any = DealDialog(self._ctx, parent_card=parent_card, parent=self._window)
            dialog.saved.connect(lambda v: self.open_requested.emit("deal", v.id, v.title))
        else:
            dialog = PartyDialog(self._ctx, kind, parent_card=parent_card, parent=self._window)
            dialog.saved.connect(lambda v: self._open_saved(kind, v))
            dialog.open_requested.connect(self.open_requested)
        self._show(dialog)

    def _open_saved(self, kind: str, view: Any) -> None:
        self.open_requested.emit(kind, view.id, getattr(view, "name", None) or view.full_name)

    def _show(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.open()

    def _tell(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, self.tr("Touchpoint"), text, parent=self._window
        )
        plain(box)
        self.dialog = box
        box.open()

    # --- edit, archive, convert -------------------------------------------------------

    def run(self, kind: str, ident: int, action: str) -> None:
        """What a card's menu or a list's context menu asked."""
        if action == "edit":
            self.edit(kind, ident)
        elif action in ("archive", "unarchive"):
            self.archive(kind, ident, action == "archive")
        elif action == "convert":
            self.convert(ident)
        elif action == "new_contact":
            self.new("contact", (kind, ident))
        elif action == "new_deal":
            self.new("deal", (kind, ident))
        elif action == "share" and kind in ("client", "lead"):
            self.share(kind, ident)

    def share(self, kind: str, ident: int) -> None:
        """The card's Share… dialog; removing a colleague offers Undo here,
        in the window's bar, so it outlives the dialog."""
        from ui.dialogs.share_dialog import ShareDialog

        dialog = ShareDialog(self._ctx, kind, ident, parent=self._window)
        dialog.unshared.connect(self._unshared)
        self._show(dialog)

    def _unshared(self, view: Any) -> None:
        text = self.tr("No longer shared with %1").replace("%1", view.user_name)
        self.undo_bar.show_message(
            text,
            lambda: self._work.run(
                lambda db, actor: shares.set_shared(
                    db, actor, view.kind, view.id, view.user_id, shared=True
                ),
                lambda _view: None,
            ),
        )

    def edit(self, kind: str, ident: int) -> None:
        def read(uow: Any, actor: Any) -> Any:
            if kind == "client":
                return parties.get_client(uow, actor, ident)
            if kind == "lead":
                return parties.get_lead(uow, actor, ident)
            if kind == "contact":
                return parties.get_contact(uow, actor, ident)
            return deals.get(uow, actor, ident)

        self._work.read(read, lambda view: self._edit_loaded(kind, view))

    def _edit_loaded(self, kind: str, view: Any) -> None:
        from ui.dialogs.deal_dialog import DealDialog
        from ui.dialogs.party_dialog import PartyDialog

        if kind == "deal":
            self._show(DealDialog(self._ctx, existing=view, parent=self._window))
        else:
            self._show(PartyDialog(self._ctx, kind, existing=view, parent=self._window))

    def archive(self, kind: str, ident: int, archived: bool = True) -> None:
        self._work.run(
            lambda db, actor: edit_cases.set_archived(db, actor, kind, ident, archived),
            self._archived,
        )

    def _archived(self, done: edit_cases.Archived) -> None:
        what = {
            "client": self.tr("Client"),
            "lead": self.tr("Lead"),
            "contact": self.tr("Contact person"),
            "deal": self.tr("Deal"),
        }[done.kind]
        if done.archived:
            text = self.tr("%1 archived").replace("%1", what)
            self.undo_bar.show_message(
                text, lambda: self.archive(done.kind, done.id, archived=False)
            )
        else:
            self.undo_bar.show_message(self.tr("%1 is back in the lists").replace("%1", what))

    def convert(self, lead_id: int) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Convert to client"),
            self.tr("Make this lead a client? Its contacts, deals and history move to it."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self._window,
        )
        plain(box)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(self.tr("Convert"))
        box.buttonClicked.connect(lambda button: self._convert(lead_id) if button is yes else None)
        self.dialog = box
        box.open()

    def _convert(self, lead_id: int) -> None:
        self._work.run(
            lambda db, actor: edit_cases.convert_lead(db, actor, lead_id),
            lambda view: self.open_requested.emit("client", view.id, view.name),
        )
