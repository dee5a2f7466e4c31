"""A feed with its filter bar: what a card, a deal or a contact shows.

Double click (or Enter) opens an item (``item_activated``); Delete cancels
the selected interaction and offers Undo; the list asks for the next page
when the user scrolls near its end. An imported letter or call can say why
it is here (Ctrl+I), be unlinked from the card, and a call can play its
recording with the system player.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.core import timezones
from services.core.errors import UserError, ValidationError
from services.core.users import users as colleagues
from services.core.views import FeedItem, InteractionView
from services.feed import sources as feed_sources
from services.feed.pages import FeedFilter, FeedScope
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.linking import use_cases as linking
from ui.agenda.reschedule_dialog import WhenDialog, restore_time
from ui.context import UiContext
from ui.feed.feed_delegate import FeedDelegate
from ui.feed.feed_model import FeedModel
from ui.feed.filter_bar import FeedFilterBar
from ui.feed.why_bar import WhyBar
from ui.shell import error_text
from ui.widgets import labels
from ui.widgets.empty_state import EmptyHint
from ui.widgets.plain import plain
from ui.widgets.undo_bar import UndoBar
from ui.widgets.work import Work

# Ask for the next page when less than this many screens remain below.
PREFETCH_SCREENS = 1.5
WHY_KEY = QKeySequence("Ctrl+I")
IMPORTED = ("email", "call")  # FeedItem.source of letters and calls that can explain themselves


class FeedList(QListView):
    """The list itself; Delete and Enter are the feed's, not the card's."""

    delete_pressed = Signal()
    enter_pressed = Signal(QModelIndex)

    def event(self, event: QEvent) -> bool:
        # Delete here cancels the selected item, even if the window has a
        # Delete shortcut of its own.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
            and not event.modifiers()
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            self.delete_pressed.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.enter_pressed.emit(index)
                return
        super().keyPressEvent(event)


class FeedView(QWidget):
    item_activated = Signal(str, object)  # kind, id
    new_requested = Signal()
    changed = Signal()  # the feed itself changed something (cancel, restore, undo)
    current_changed = Signal(object)  # FeedItem | None

    def __init__(
        self,
        ctx: UiContext,
        scope: FeedScope | None = None,
        parent: Any = None,
        *,
        history_only: bool = False,
        show_filters: bool = True,
        fixed_filter: FeedFilter | None = None,
        page_size: int = 50,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._scope = scope
        self._base_scope = scope
        self._history_only = history_only
        self._fixed = fixed_filter
        self.next_step_dialog: Any = None
        self.when_dialog: WhenDialog | None = None
        self._reselect: tuple[str, int] | None = None
        # Hand-offs to the desktop and questions to the user; tests replace them.
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self.confirm: Callable[[str, str], bool] = self._confirm

        self.model = FeedModel(ctx, self, page_size=page_size)
        self.filter_bar = FeedFilterBar()
        self.filter_bar.setVisible(show_filters)
        self.filter_bar.filter_changed.connect(self._on_filter_bar_filter_changed)
        self.filter_bar.whole_history_toggled.connect(self._on_filter_bar_whole_history_toggled)

        self.list = FeedList()
        self.list.setModel(self.model)
        self.list.setItemDelegate(FeedDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setMouseTracking(True)
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_context_menu)
        # double click or Enter; not ``activated``, which also fires on a
        # double click and would open the item twice
        self.list.doubleClicked.connect(self._on_list_activated)
        self.list.enter_pressed.connect(self._on_list_activated)
        self.list.delete_pressed.connect(self.cancel_current)
        self.list.selectionModel().currentChanged.connect(self._on_list_current_changed)
        self.list.verticalScrollBar().valueChanged.connect(self._on_scroll)

        self.empty = EmptyHint(
            self.tr("No interactions yet"),
            self.tr("Press Ctrl+N to log a call or plan a meeting."),
            self.tr("Log an interaction…"),
        )
        self.empty.action_clicked.connect(self._on_empty_action_clicked)
        self._empty_text = (
            self.empty.title.text(),
            self.empty.hint.text(),
            self.empty.button.text(),
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)

        self.why_bar = WhyBar(self)
        self.why_bar.unlink_clicked.connect(self._on_why_bar_unlink_clicked)
        self.undo_bar = UndoBar(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 8, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.filter_bar)
        column.addWidget(self.stack, 1)
        column.addWidget(self.why_bar)
        column.addWidget(self.undo_bar)

        self.model.loading_changed.connect(self._update_state)
        self.model.modelReset.connect(self._update_state)
        self.model.load_failed.connect(self._on_model_load_failed)
        self.model.page_loaded.connect(self._on_model_page_loaded)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.refresh)
        why = QShortcut(WHY_KEY, self)
        why.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        why.activated.connect(self.explain_current)

        self._load_choices()
        if scope is not None:
            self.set_scope(scope)

    # --- public ---------------------------------------------------------------------

    def set_scope(self, scope: FeedScope) -> None:
        self._base_scope = scope
        self.filter_bar.set_deal_mode(scope.deal_id is not None)
        self._scope = (
            dataclasses.replace(
                scope,
                whole_history=scope.whole_history or self.filter_bar.whole_history.isChecked(),
            )
            if scope.deal_id is not None
            else scope
        )
        self.model.set_query(self._scope, self.current_filter(), history_only=self._history_only)

    def set_empty_text(self, title: str, hint: str = "", action: str | None = None) -> None:
        self._empty_text = (title, hint, action or "")
        self._update_state()

    def refresh(self) -> None:
        """Reload after a change, keeping the selected item selected."""
        current = self.current_item()
        self._reselect = (current.kind, current.id) if current is not None else None
        self.model.refresh()

    def current_filter(self) -> FeedFilter:
        if self._fixed is not None:
            return self._fixed
        zone = self.model.display_zone or timezones.machine_zone()
        return self.filter_bar.feed_filter(zone)

    def current_item(self) -> FeedItem | None:
        index = self.list.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select(self, kind: str, object_id: int) -> bool:
        row = self.model.row_of(kind, object_id)
        if row is None:
            return False
        self.list.selectionModel().setCurrentIndex(
            self.model.index(row), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        return True

    def cancel_current(self) -> None:
        """Cancel the selected interaction ("delete"): it stays in the feed,
        struck through, and the undo bar can bring it back."""
        item = self.current_item()
        if item is None:
            return
        if item.kind != "interaction":
            self.undo_bar.show_message(self.tr("Only interactions can be cancelled"))
            return
        if item.state == "cancelled":
            self.undo_bar.show_message(self.tr("This interaction is cancelled already"))
            return
        self._cancel(item, None)

    def explain_current(self) -> None:
        item = self.current_item()
        if item is not None and item.kind == "interaction":
            self.explain(item)

    # --- imported letters and calls: why, unlink, recording -------------------------

    def explain(self, item: FeedItem) -> None:
        """Show why an interaction is on this card ("why is this here")."""
        self._work.read(
            lambda uow, actor: feed_sources.source_of(uow, actor, item.id),
            lambda source: self._on_source_explained(item, source),
        )

    def _on_source_explained(self, item: FeedItem, source: feed_sources.ItemSource) -> None:
        if source.imported:
            text = source.reason or self.tr("Imported by mail sync: the address was on the card.")
        elif item.type == "email":
            text = self.tr("Written or sent from Touchpoint on this card, not linked by address.")
        else:
            text = self.tr("Entered by hand on this card, not imported.")
        title = {
            "email": self.tr("Why is this letter here?"),
            "call": self.tr("Why is this call here?"),
        }.get(item.source or "", self.tr("Why is this here?"))
        self.why_bar.show_reason(item.id, title, text, can_unlink=source.imported)

    def unlink(self, item: FeedItem) -> None:
        """Take an imported letter or call off this card, after a question;
        the linking job never puts it back."""
        if item.kind != "interaction" or item.source not in IMPORTED:
            self.undo_bar.show_message(self.tr("Only imported letters and calls can be unlinked"))
            return
        question = (
            self.tr(
                "Take this letter off the card? It goes back to the unlinked letters, and the "
                "linking job will not put it here again."
            )
            if item.source == "email"
            else self.tr("Take this call off the card? The linking job will not put it here again.")
        )
        if not self.confirm(self.tr("Unlink from this card"), question):
            return
        self._work.run(
            lambda db, actor: linking.unlink_item(db, actor, item.id),
            lambda _source: self._on_unlinked(item),
        )

    def _on_unlinked(self, item: FeedItem) -> None:
        if self.why_bar.interaction_id == item.id:
            self.why_bar.dismiss()
        self.model.refresh()
        text = (
            self.tr("The letter is no longer on this card")
            if item.source == "email"
            else self.tr("The call is no longer on this card")
        )
        self.undo_bar.show_message(text)
        self.changed.emit()

    def play_recording(self, item: FeedItem) -> None:
        """Open a call's recording with the system player."""
        self._work.read(
            lambda uow, actor: feed_sources.source_of(uow, actor, item.id),
            self._on_recording_found,
        )

    def _on_recording_found(self, source: feed_sources.ItemSource) -> None:
        if not source.recording:
            self.undo_bar.show_message(self.tr("No recording was imported with this call"))
            return
        path = Path(source.recording).expanduser()
        if not path.is_file():
            self.undo_bar.show_message(
                self.tr("The recording %1 is not on this computer").replace("%1", str(path))
            )
            return
        if not self.open_url(QUrl.fromLocalFile(str(path.resolve()))):
            self.undo_bar.show_message(
                self.tr("No program to play %1 was found").replace("%1", path.name)
            )

    def _on_why_bar_unlink_clicked(self, interaction_id: object) -> None:
        row = self.model.row_of("interaction", int(str(interaction_id)))
        item = self.model.item(row) if row is not None else None
        if item is not None:
            self.unlink(item)

    def _confirm(self, title: str, text: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        plain(box)  # the text names a card or a subject
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def restore_current(self) -> None:
        """Back to planned at a time the user picks: its old one has
        usually passed, and coming back overdue helps nobody."""
        item = self.current_item()
        if item is None or item.kind != "interaction" or item.state != "cancelled":
            return
        self.when_dialog = dialog = WhenDialog(
            self.tr("Restore"),
            restore_time(item.start),
            self.tr("Plan it again for:"),
            self,
        )
        dialog.accepted.connect(lambda: self._restore(item.id, dialog.value()))
        dialog.open()

    def _restore(self, interaction_id: int, when: dt.datetime) -> None:
        self._work.run(
            lambda db, actor: interactions.restore(db, actor, interaction_id, start=when),
            self._on_restored,
        )

    # --- cancel with undo -----------------------------------------------------------

    def _cancel(self, item: FeedItem, next_step: ix.NewInteraction | None) -> None:
        self._work.run(
            lambda db, actor: interactions.cancel(db, actor, item.id, next_step=next_step),
            lambda view: self._on_cancelled(item, view),
            lambda exc: self._on_cancel_failed(item, exc),
        )

    def _on_cancelled(self, item: FeedItem, view: InteractionView) -> None:
        self._reselect = (item.kind, item.id)
        self.model.refresh()
        previous = item.state
        text = self.tr("%1 cancelled").replace("%1", labels.type_label(item.type))
        self.undo_bar.show_message(text, lambda: self._undo_cancel(view.id, previous))
        self.changed.emit()

    def _undo_cancel(self, interaction_id: int, previous: str) -> None:
        self._work.run(
            lambda db, actor: interactions.undo_cancel(db, actor, interaction_id, previous),
            self._on_restored,
        )

    def _on_restored(self, _view: InteractionView) -> None:
        self.refresh()
        self.changed.emit()

    def _on_cancel_failed(self, item: FeedItem, exc: BaseException) -> None:
        if isinstance(exc, ValidationError) and exc.field == "next":
            self._ask_next_step(item, error_text.message(exc))
            return
        self._ctx.report_error(exc)

    def _ask_next_step(self, item: FeedItem, reason: str) -> None:
        from ui.dialogs.interaction_dialog import NextStepDialog

        dialog = NextStepDialog(self._ctx, interaction_id=item.id, reason=reason, parent=self)
        self.next_step_dialog = dialog
        dialog.collected.connect(lambda spec: self._cancel(item, spec))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # --- choices, state -------------------------------------------------------------

    def _load_choices(self) -> None:
        def fetch(uow: Any, actor: Any) -> tuple[list[str], list[Any]]:
            return ix.known_types(uow, include_hidden=True), colleagues(uow, actor)

        self._work.read(fetch, self._on_choices_loaded, self._on_choices_failed)

    def _on_choices_failed(self, exc: BaseException) -> None:
        # the filter bar keeps its built-in types; a bug still gets reported
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)

    def _on_choices_loaded(self, result: tuple[list[str], list[Any]]) -> None:
        types, users = result
        self.filter_bar.set_types(types)
        self.filter_bar.set_users(users, self._ctx.actor.id)
        self.model.set_owner_names({u.id: u.full_name or u.login for u in users})

    def _only_changes(self) -> bool:
        """A new card's feed holds just "card created": nothing to work with
        yet, so it gets the empty state (the History tab keeps the changes)."""
        model = self.model
        if self._fixed is not None or model.has_more or model.is_loading:
            return False
        return all(item.kind == "change" for item in model.items())

    def _update_state(self, *_args: Any) -> None:
        model = self.model
        if model.is_loading or (model.rowCount() and not self._only_changes()):
            self.stack.setCurrentWidget(self.list)
            return
        if model.error is not None:
            message = str(model.error) if isinstance(model.error, UserError) else ""
            self.empty.set_text(self.tr("Could not load this feed"), message, self.tr("Try again"))
        elif self._fixed is None and self.filter_bar.is_filtered():
            self.empty.set_text(
                self.tr("Nothing matches these filters"),
                self.tr("Planned interactions always show; the filters narrow the history."),
                self.tr("Clear filters"),
            )
        else:
            title, hint, action = self._empty_text
            self.empty.set_text(title, hint, action or None)
        self.stack.setCurrentWidget(self.empty)

    def _on_empty_action_clicked(self) -> None:
        if self.model.error is not None:
            self.model.refresh(keep_loaded=False)
        elif self._fixed is None and self.filter_bar.is_filtered():
            self.filter_bar.clear()
        else:
            self.new_requested.emit()

    def _on_model_load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)
        self._update_state()

    def _on_model_page_loaded(self, _rows: int) -> None:
        if self._reselect is not None and self.select(*self._reselect):
            self._reselect = None

    def _on_filter_bar_filter_changed(self) -> None:
        self.model.set_filter(self.current_filter())

    def _on_filter_bar_whole_history_toggled(self, _checked: bool) -> None:
        if self._base_scope is not None:
            self.set_scope(self._base_scope)

    def _on_scroll(self, value: int) -> None:
        bar = self.list.verticalScrollBar()
        if bar.maximum() - value < self.list.viewport().height() * PREFETCH_SCREENS:
            self.model.fetchMore(QModelIndex())

    def _on_list_activated(self, index: QModelIndex) -> None:
        item = self.model.item(index.row())
        if item is not None:
            self.item_activated.emit(item.kind, item.id)

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(self.model.item(current.row()) if current.isValid() else None)

    def _on_list_context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        item = self.model.item(index.row()) if index.isValid() else None
        if item is None:
            return
        self.list.setCurrentIndex(index)
        self.menu_for(item).popup(self.list.viewport().mapToGlobal(pos))

    def menu_for(self, item: FeedItem) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.item_activated.emit(item.kind, item.id))
        if item.kind == "interaction":
            if item.state == "cancelled":
                menu.addAction(self.tr("Restore as planned"), self.restore_current)
            else:
                action = menu.addAction(self.tr("Cancel interaction"), self.cancel_current)
                action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        if item.kind == "interaction" and item.source in IMPORTED:
            menu.addSeparator()
            why = menu.addAction(self.tr("Why is this here?"), lambda: self.explain(item))
            why.setShortcut(WHY_KEY)
            if item.source == "call":
                menu.addAction(self.tr("Play recording"), lambda: self.play_recording(item))
            menu.addAction(self.tr("Unlink from this card…"), lambda: self.unlink(item))
        return menu
