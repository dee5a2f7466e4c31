"""A feed with its filter bar: what a card, a deal or a contact shows.

Double click (or Enter) opens an item (``item_activated``); Delete cancels
the selected interaction and offers Undo; the list asks for the next page
when the user scrolls near its end. An imported letter or call can say why
it is here (Ctrl+I), be unlinked from the card, and a call can play its
recording with the system player. A task or a note shows its history
(Ctrl+H); a colleague's note is offered for editing to its author and
administrators only.

This module holds the list, its pages and its states (loading, empty,
filtered, failed); what can be done to one item lives in
``feed_item_actions``, a mixin of the view with its own translation context.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QListView, QStackedWidget, QVBoxLayout, QWidget

from services.core import timezones
from services.core.errors import UserError
from services.core.users import users as colleagues
from services.core.views import FeedItem
from services.feed.pages import FeedFilter, FeedScope
from services.interactions.interaction_input import known_types
from ui.agenda.reschedule_dialog import WhenDialog
from ui.context import UiContext
from ui.feed.feed_delegate import FeedDelegate
from ui.feed.feed_item_actions import HISTORY_KEY, WHY_KEY, FeedItemActions
from ui.feed.feed_model import FeedModel
from ui.feed.filter_bar import FeedFilterBar
from ui.feed.why_bar import WhyBar
from ui.widgets import claimed_keys
from ui.widgets.empty_state import EmptyHint
from ui.widgets.undo_bar import UndoBar
from ui.widgets.work import Work

if TYPE_CHECKING:
    from ui.dialogs.interaction_dialog import NextStepDialog
    from ui.dialogs.record_history_dialog import RecordHistoryDialog

# Ask for the next page when less than this many screens remain below.
PREFETCH_SCREENS = 1.5


class FeedList(QListView):
    """The list itself; Delete and Enter are the feed's, not the card's."""

    delete_pressed = Signal()
    enter_pressed = Signal(QModelIndex)
    edit_pressed = Signal()  # F2 on an item the feed edits itself (a task, a note)
    history_pressed = Signal()  # Ctrl+H: the selected task's or note's history

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # Whether F2 is the feed's (a task selected) or the window's (edit the card).
        self.edits_current: Callable[[], bool] = lambda: False

    def event(self, event: QEvent) -> bool:
        # Delete here cancels the selected item, even if the window has a
        # Delete shortcut of its own; F2 edits a selected task.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and not event.modifiers()
            and (
                event.key() == Qt.Key.Key_Delete
                or (event.key() == Qt.Key.Key_F2 and self.edits_current())
            )
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.matches(QKeySequence.StandardKey.Delete) or event.key() == Qt.Key.Key_Delete:
            self.delete_pressed.emit()
            return
        if event.key() == Qt.Key.Key_F2 and self.edits_current():
            self.edit_pressed.emit()
            return
        if QKeySequence(event.keyCombination()) == HISTORY_KEY:
            self.history_pressed.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            index = self.currentIndex()
            if index.isValid():
                self.enter_pressed.emit(index)
                return
        super().keyPressEvent(event)


class FeedView(FeedItemActions, QWidget):
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
        self.next_step_dialog: NextStepDialog | None = None
        self.when_dialog: WhenDialog | None = None
        self.history_dialog: RecordHistoryDialog | None = None
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
        # rows as wide as the list, laid out again when it is resized: they kept
        # their first width (a scroll bar and cut dates on a narrower deal card)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMouseTracking(True)
        self.list.setFrameShape(QListView.Shape.NoFrame)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_context_menu)
        # double click or Enter; not ``activated``, which also fires on a
        # double click and would open the item twice
        self.list.doubleClicked.connect(self._on_list_activated)
        self.list.enter_pressed.connect(self._on_list_activated)
        self.list.delete_pressed.connect(self.cancel_current)
        self.list.edit_pressed.connect(self.edit_current)
        self.list.history_pressed.connect(self.history_current)
        self.list.edits_current = lambda: self._current_kind() in ("task", "note")
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
        # F5 is the window's "read again" too: the feed claims it (claimed_keys)
        claimed_keys.claim(self, QKeySequence(QKeySequence.StandardKey.Refresh), self.refresh)
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

    # --- choices, state -------------------------------------------------------------

    def _load_choices(self) -> None:
        def fetch(uow: Any, actor: Any) -> tuple[list[str], list[Any]]:
            return known_types(uow, include_hidden=True), colleagues(uow, actor)

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
        if item is not None and item.kind == "task":
            self.edit_task(item)
        elif item is not None and item.kind == "note":
            self.edit_note(item)
        elif item is not None:
            self.item_activated.emit(item.kind, item.id)

    def _current_kind(self) -> str | None:
        item = self.current_item()
        return item.kind if item is not None else None

    def _on_list_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.current_changed.emit(self.model.item(current.row()) if current.isValid() else None)

    def _on_list_context_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
        item = self.model.item(index.row()) if index.isValid() else None
        if item is None:
            return
        self.list.setCurrentIndex(index)
        self.menu_for(item).popup(self.list.viewport().mapToGlobal(pos))
