"""Letters from addresses that are on no card, a keyset page at a time
(``manual_links.unlinked`` pages by id, newest first)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from services.feed import sources as feed_sources
from services.linking import manual as manual_links
from services.linking.manual import UnlinkedLetter
from ui.context import UiContext
from ui.shell import formatting
from ui.widgets.plain import tooltip
from ui.widgets.work import Work

PAGE = 100
Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


@dataclasses.dataclass(frozen=True)
class UnlinkedRow:
    letter: UnlinkedLetter
    other: str  # the sender of a letter in, the recipient of a letter out

    @property
    def id(self) -> int:
        return self.letter.id


def load_page(uow: Any, actor: Any, after_id: int | None, limit: int) -> list[UnlinkedRow]:
    letters = manual_links.unlinked(uow, actor, after_id=after_id, limit=limit)
    others = feed_sources.counterparts(uow, [x.id for x in letters])
    return [UnlinkedRow(x, others.get(x.id) or x.sender or "") for x in letters]


class UnlinkedModel(QAbstractTableModel):
    LetterRole = Qt.ItemDataRole.UserRole + 1
    DATE, PERSON, SUBJECT = range(3)

    loading_changed = Signal(bool)
    load_failed = Signal(object)

    def __init__(self, ctx: UiContext, parent: Any = None, *, page_size: int = PAGE) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.page_size = page_size
        self._rows: list[UnlinkedRow] = []
        self._has_more = False
        self._loading = False
        self._generation = 0
        self.loaded_once = False
        self.error: BaseException | None = None

    # --- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._has_more = True
        self._loading = False
        self.error = None
        self.endResetModel()
        self.fetchMore(_ROOT)

    def canFetchMore(self, parent: Index = _ROOT) -> bool:  # noqa: N802 - Qt override
        return not parent.isValid() and self._has_more and not self._loading

    def fetchMore(self, parent: Index = _ROOT) -> None:  # noqa: N802 - Qt override
        if not self.canFetchMore(parent):
            return
        after = self._rows[-1].id if self._rows else None
        generation, limit = self._generation, self.page_size
        self._set_loading(True)
        self._work.read(
            lambda uow, actor: load_page(uow, actor, after, limit),
            lambda rows: self._on_page(generation, rows),
            lambda exc: self._on_failed(generation, exc),
        )

    def _on_page(self, generation: int, rows: list[UnlinkedRow]) -> None:
        if generation != self._generation:
            return
        self._has_more = len(rows) >= self.page_size
        self.loaded_once = True
        if rows:
            first = len(self._rows)
            self.beginInsertRows(_ROOT, first, first + len(rows) - 1)
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

    def row_at(self, row: int) -> UnlinkedRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[UnlinkedRow]:
        return list(self._rows)

    def row_of(self, message_id: int) -> int | None:
        for n, row in enumerate(self._rows):
            if row.id == message_id:
                return n
        return None

    def remove(self, message_id: int) -> None:
        """Take a letter out of the list at once (it was just linked)."""
        row = self.row_of(message_id)
        if row is not None:
            self.beginRemoveRows(_ROOT, row, row)
            del self._rows[row]
            self.endRemoveRows()

    # --- Qt -------------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else 3

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.DATE: self.tr("Date"),
            self.PERSON: self.tr("From / to"),
            self.SUBJECT: self.tr("Subject"),
        }.get(section)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        letter, column = row.letter, index.column()
        if role == self.LetterRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.DATE:
                return formatting.date_time(letter.sent_at)
            if column == self.PERSON:
                if letter.direction == "out":
                    return self.tr("To: %1").replace("%1", row.other)
                return row.other
            if column == self.SUBJECT:
                return letter.subject or self.tr("(no subject)")
        if role == Qt.ItemDataRole.ToolTipRole:
            if letter.rule == "manual_off":
                return self.tr("Taken off a card by hand: the linking job leaves it here")
            return tooltip(row.other) if column == self.PERSON else None
        if role == Qt.ItemDataRole.FontRole and column == self.SUBJECT and not letter.subject:
            font = QFont()
            font.setItalic(True)
            return font
        return None
