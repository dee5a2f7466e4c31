"""A table model over a list that can hold 100k rows: it keeps the ids and
rows of the pages fetched so far and asks for the next keyset page when the
view scrolls near the end (canFetchMore/fetchMore). Search and sort run in
SQL: a new query resets the model and starts from the first page.

Pages load on the reads lane; a page that arrives after the query changed
is dropped (each query has a generation number).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from services.core.access import Actor
from ui.context import UiContext
from ui.widgets.plain import tooltip
from ui.widgets.work import Uow, Work

PAGE = 200
Index = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True)
class Column:
    key: str  # the sort key the service understands, or "" when not sortable
    title: str
    text: Callable[[Any], str]
    align_right: bool = False
    tooltip: Callable[[Any], str] | None = None


@dataclasses.dataclass(frozen=True)
class Query:
    text: str = ""
    sort: str = ""
    descending: bool = False
    archived: bool = False  # the archived cards only (the list's "Archived" filter)


@dataclasses.dataclass(frozen=True)
class Page:
    rows: list[Any]
    cursor: Any  # None when this was the last page


class ListSource(Protocol):
    """What a list shows, and how it fetches one page of it."""

    kind: str

    def columns(self) -> list[Column]: ...

    def page(self, uow: Uow, actor: Actor, query: Query, cursor: Any, limit: int) -> Page: ...

    def count(self, uow: Uow, actor: Actor, query: Query) -> int | None: ...


class LazyListModel(QAbstractTableModel):
    count_known = Signal(object)  # int: rows matching the query
    loading_changed = Signal(bool)
    page_loaded = Signal()

    def __init__(self, ctx: UiContext, source: ListSource, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.source = source
        self._columns = source.columns()
        self._rows: list[Any] = []
        self._ids: list[int] = []
        self._cursor: Any = None
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self.query = Query()
        self.total: int | None = None
        self.pages_loaded = 0
        self._resetting = False

    # -- queries --------------------------------------------------------------

    def set_query(self, query: Query) -> None:
        """Start over with ``query``: rows go, the first page loads."""
        self.beginResetModel()
        self._generation += 1
        self.query = query
        self._rows, self._ids = [], []
        self._cursor = None
        self._exhausted = False
        self._loading = False
        self.total = None
        self.pages_loaded = 0
        self._resetting = True  # views may ask for more while told of the reset
        self.endResetModel()
        self._resetting = False
        self._load_page()
        self._load_count()

    def reload(self) -> None:
        self.set_query(self.query)

    def _load_page(self) -> None:
        if self._loading or self._exhausted:
            return
        self._loading = True
        self.loading_changed.emit(True)
        generation, query, cursor = self._generation, self.query, self._cursor
        source = self.source
        self._work.read(
            lambda uow, actor: source.page(uow, actor, query, cursor, PAGE),
            lambda page: self._on_page(generation, page),
            lambda exc: self._on_failed(generation, exc),
        )

    def _load_count(self) -> None:
        generation, query = self._generation, self.query
        source = self.source
        self._work.read(
            lambda uow, actor: source.count(uow, actor, query),
            lambda total: self._on_count(generation, total),
            lambda exc: self._on_failed(generation, exc),
        )

    def _on_page(self, generation: int, page: Page) -> None:
        if generation != self._generation:
            return  # an answer to a query nobody shows any more
        # Still "loading" while the rows go in: a view told of the insert
        # must not start the next page in the middle of this one.
        self._cursor = page.cursor
        self._exhausted = page.cursor is None
        if page.rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self._ids.extend(int(r.id) for r in page.rows)
            self.endInsertRows()
        self._loading = False
        self.pages_loaded += 1
        self.loading_changed.emit(False)
        self.page_loaded.emit()

    def _on_count(self, generation: int, total: int | None) -> None:
        if generation == self._generation:
            self.total = total
            self.count_known.emit(total)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._exhausted = True
            self.loading_changed.emit(False)
            self._ctx.report_error(exc)

    # -- rows ---------------------------------------------------------------

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, object_id: int) -> int | None:
        try:
            return self._ids.index(object_id)
        except ValueError:
            return None

    def is_loading(self) -> bool:
        return self._loading

    # -- Qt model -----------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        busy = self._exhausted or self._loading or self._resetting
        return not parent.isValid() and not busy

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._load_page()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = self._columns[index.column()]
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(column.tooltip(row)) if column.tooltip else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return self._ids[index.row()]
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def is_sortable(self, column: int) -> bool:
        return 0 <= column < len(self._columns) and bool(self._columns[column].key)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self.is_sortable(column):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = self._columns[column].key
        if (key, descending) != (self.query.sort, self.query.descending):
            self.set_query(dataclasses.replace(self.query, sort=key, descending=descending))
