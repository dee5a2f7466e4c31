"""A table model of rows read a keyset page at a time, on scroll.

Lists that grow for years (inbound requests, letters on no card) hold
the rows read so far and ask for the next page after the last row
(``canFetchMore``/``fetchMore``), never OFFSET; a refresh starts a new
generation so a page that arrives late from the one before is dropped.
A model says only how to read a page after a row, its columns' titles and
how to show a row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from ui.context import UiContext
from ui.widgets.work import Work

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)
PageReader = Callable[[Any, Any], list[R]]  # (uow, actor) -> rows, on the read lane


def italic_font() -> QFont:
    """The font of a cell that shows a stand-in (no subject, no text) or a mark."""
    font = QFont()
    font.setItalic(True)
    return font


class KeysetTableModel(QAbstractTableModel, Generic[R]):
    loading_changed = Signal(bool)
    load_failed = Signal(object)
    COLUMNS = 0  # how many columns a row shows

    def __init__(self, ctx: UiContext, parent: Any = None, *, page_size: int) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.page_size = page_size
        self._rows: list[R] = []
        self._has_more = False
        self._loading = False
        self._generation = 0
        self.loaded_once = False
        self.error: BaseException | None = None

    def page_after(self, last: R | None, limit: int) -> PageReader[R]:
        """How to read the ``limit`` rows after ``last`` (None: the first page)."""
        raise NotImplementedError

    def header(self, section: int) -> str | None:
        """The title of column ``section`` (the model's own ``tr``)."""
        raise NotImplementedError

    # --- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._has_more = True
        self._loading = False
        self.error = None
        self.endResetModel()
        self.fetchMore(ROOT)

    def canFetchMore(self, parent: Index = ROOT) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index = ROOT) -> None:  # noqa: N802 - Qt override
        if not self.canFetchMore(parent):
            return
        generation = self._generation
        read = self.page_after(self._rows[-1] if self._rows else None, self.page_size)
        self._set_loading(True)
        self._work.read(
            read,
            lambda rows: self._on_page(generation, rows),
            lambda exc: self._on_failed(generation, exc),
        )

    def _on_page(self, generation: int, rows: list[R]) -> None:
        if generation != self._generation:
            return
        self._has_more = len(rows) >= self.page_size
        self.loaded_once = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(ROOT, first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self._set_loading(False)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._has_more = False
        self.error = exc
        self._set_loading(False)
        self.load_failed.emit(exc)

    def _set_loading(self, loading: bool) -> None:
        self._loading = loading
        self.loading_changed.emit(loading)

    @property
    def is_loading(self) -> bool:
        return self._loading

    # --- rows -----------------------------------------------------------------------

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: int) -> int | None:
        for n, row in enumerate(self._rows):
            if row.id == row_id:
                return n
        return None

    def rowCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.header(section)
