"""The rows of a feed, loaded a keyset page at a time.

The model holds only what has been loaded. ``canFetchMore``/``fetchMore``
ask ``services.feed.pages.page`` for the next page on the reads lane; while a
page is on its way, one extra "loading" row sits at the end. Results of a
query that was replaced meanwhile (a new filter, a refresh) are dropped by
generation, so a slow old page never lands in a new list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from services.core import settings
from services.core.views import FeedItem, FeedPage
from services.feed import pages as feed
from services.feed.pages import FeedFilter, FeedScope
from ui.context import UiContext
from ui.feed import call_summary_words
from ui.widgets import labels
from ui.widgets.plain import tooltip
from ui.widgets.work import Work

# Start a feed at its history section: the cursor ``services.feed.pages`` uses
# for "the planned section is over" (the History tab shows changes only).
HISTORY_START = "h"

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def section_of(item: FeedItem) -> str:
    """Planned interactions and open tasks form the top section."""
    return "planned" if item.state == "planned" else "history"


ATTACHMENT_LINES = (".attachment_removed", ".attachment_restored")


class FeedModel(QAbstractListModel):
    ItemRole = Qt.ItemDataRole.UserRole + 1
    KindRole = Qt.ItemDataRole.UserRole + 2
    IdRole = Qt.ItemDataRole.UserRole + 3
    SectionRole = Qt.ItemDataRole.UserRole + 4  # "planned" | "history" | "loading"
    SectionStartRole = Qt.ItemDataRole.UserRole + 5  # first row of its section
    OverdueRole = Qt.ItemDataRole.UserRole + 6
    OwnerNameRole = Qt.ItemDataRole.UserRole + 7
    ScenarioRole = Qt.ItemDataRole.UserRole + 8  # the scenario step a planned item is

    loading_changed = Signal(bool)
    page_loaded = Signal(int)  # rows added by the page
    load_failed = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        parent: Any = None,
        *,
        page_size: int = feed.DEFAULT_PAGE,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.page_size = page_size
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self._items: list[FeedItem] = []
        self._scope: FeedScope | None = None
        self._filter = FeedFilter()
        self._history_only = False
        self._cursor: str | None = None
        self._has_more = False
        self._loading = False
        self._pending = False  # a request is out: no second one for the same page
        self._generation = 0
        self.pages_loaded = 0
        self.error: BaseException | None = None
        self.display_zone: str | None = None
        self.owner_names: dict[int, str] = {}

    # --- the query ------------------------------------------------------------------

    @property
    def scope(self) -> FeedScope | None:
        return self._scope

    @property
    def feed_filter(self) -> FeedFilter:
        return self._filter

    @property
    def history_only(self) -> bool:
        return self._history_only

    def set_query(
        self, scope: FeedScope, flt: FeedFilter | None = None, *, history_only: bool = False
    ) -> None:
        self._scope = scope
        self._filter = flt or FeedFilter()
        self._history_only = history_only
        self.refresh(keep_loaded=False)

    def set_filter(self, flt: FeedFilter) -> None:
        self._filter = flt
        self.refresh(keep_loaded=False)

    def refresh(self, *, keep_loaded: bool = True) -> None:
        """Load the feed again from the top; with ``keep_loaded`` as many
        rows as were there (up to one big page), so the list does not
        shrink under the user after a change."""
        wanted = len(self._items) if keep_loaded else 0
        self._generation += 1
        self.beginResetModel()
        self._items = []
        self._loading = False
        self._pending = False
        self._cursor = None
        self._has_more = False
        self.pages_loaded = 0
        self.error = None
        self.endResetModel()
        if self._scope is None:
            return
        limit = max(self.page_size, min(wanted, feed.MAX_PAGE))
        self._request(HISTORY_START if self._history_only else None, limit)

    # --- paging ---------------------------------------------------------------------

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def has_more(self) -> bool:
        return self._has_more

    def canFetchMore(self, parent: Index = _ROOT) -> bool:  # noqa: N802 - Qt override
        if parent.isValid() or self._scope is None:
            return False
        return self._has_more and not self._pending

    def fetchMore(self, parent: Index = _ROOT) -> None:  # noqa: N802 - Qt override
        if self.canFetchMore(parent):
            self._request(self._cursor, self.page_size)

    def _request(self, cursor: str | None, limit: int) -> None:
        scope, flt, generation = self._scope, self._filter, self._generation
        assert scope is not None
        # Set before any signal: model testers and views call fetchMore from
        # their slots, which must not ask for this page a second time.
        self._pending = True
        row = len(self._items)
        self.beginInsertRows(_ROOT, row, row)
        self._loading = True
        self.endInsertRows()
        self.loading_changed.emit(True)

        def fetch(uow: Any, actor: Any) -> tuple[str, FeedPage]:
            zone = settings.display_zone(uow)
            return zone, feed.page(
                uow, actor, scope, flt, cursor, limit, zone_name=zone, detail=False
            )

        self._work.read(
            fetch,
            lambda result: self._on_page(generation, result),
            lambda exc: self._on_failed(generation, exc),
        )

    def _on_page(self, generation: int, result: tuple[str, FeedPage]) -> None:
        if generation != self._generation:
            return
        zone, page = result
        self.display_zone = zone
        try:
            self._cursor = page.next_cursor
            self._has_more = page.next_cursor is not None
            self.pages_loaded += 1
            if page.items:
                first = len(self._items)
                self.beginInsertRows(_ROOT, first, first + len(page.items) - 1)
                self._items.extend(page.items)
                self.endInsertRows()
            self._drop_loading_row()
        finally:
            self._pending = False
        self.loading_changed.emit(False)
        self.page_loaded.emit(len(page.items))

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._has_more = False
        self.error = exc
        self._drop_loading_row()
        self._pending = False
        self.loading_changed.emit(False)
        self.load_failed.emit(exc)

    def _drop_loading_row(self) -> None:
        if self._loading:
            row = len(self._items)
            self.beginRemoveRows(_ROOT, row, row)
            self._loading = False
            self.endRemoveRows()

    # --- rows -----------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        if parent.isValid():
            return 0
        return len(self._items) + (1 if self._loading else 0)

    @property
    def loaded_count(self) -> int:
        return len(self._items)

    def items(self) -> tuple[FeedItem, ...]:
        return tuple(self._items)

    def item(self, row: int) -> FeedItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, kind: str, object_id: int) -> int | None:
        for row, item in enumerate(self._items):
            if item.kind == kind and item.id == object_id:
                return row
        return None

    def is_overdue(self, item: FeedItem) -> bool:
        return item.state == "planned" and item.start < self.clock()

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.item(index.row()) is None:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0:
            return None
        row = index.row()
        item = self.item(row)
        if item is None:
            if row != len(self._items) or not self._loading:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("Loading…")
            if role == self.SectionRole:
                return "loading"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.title_of(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.text_of(item)) or None
        if role == self.ItemRole:
            return item
        if role == self.KindRole:
            return item.kind
        if role == self.IdRole:
            return item.id
        if role == self.SectionRole:
            return section_of(item)
        if role == self.SectionStartRole:
            return row == 0 or section_of(self._items[row - 1]) != section_of(item)
        if role == self.OverdueRole:
            return self.is_overdue(item)
        if role == self.OwnerNameRole:
            return self.owner_names.get(item.owner_id) if item.owner_id is not None else None
        if role == self.ScenarioRole:
            return item.scenario_step
        return None

    def title_of(self, item: FeedItem) -> str:
        if item.kind == "change":
            return labels.change_title(item.title or "", item.text or "")
        if item.kind == "note":
            return labels.type_label("note")
        if item.title:
            return item.title
        return labels.type_label(item.type)

    def text_of(self, item: FeedItem) -> str:
        """The item's text as the row shows it: an imported call's stored
        English summary worded in the window's language, none for a card
        moved to or back from the archive."""
        text = item.text or ""
        if item.kind == "change" and (item.title or "").endswith(".archived_at"):
            return ""  # "2026-12-07T08:32:33.764058+00:00 →": the title says it
        if item.kind == "change" and (item.title or "").endswith(ATTACHMENT_LINES):
            return text.strip().removesuffix("→").removeprefix("→").strip()  # the file's name
        return call_summary_words.worded(text) if item.source == "call" else text

    def set_owner_names(self, names: dict[int, str]) -> None:
        self.owner_names = dict(names)
        if self._items:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._items) - 1), [self.OwnerNameRole]
            )

    def roleNames(self) -> dict[int, QByteArray]:  # noqa: N802 - Qt override
        names = dict(super().roleNames())
        names[self.ItemRole] = QByteArray(b"item")
        names[self.KindRole] = QByteArray(b"kind")
        names[self.IdRole] = QByteArray(b"objectId")
        names[self.SectionRole] = QByteArray(b"section")
        return names
