"""Letters from addresses that are on no card, a keyset page at a time
(``manual_links.unlinked`` pages by id, newest first)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt

from services.feed import sources as feed_sources
from services.linking import manual as manual_links
from services.linking.manual import UnlinkedLetter
from ui.context import UiContext
from ui.shell import formatting
from ui.widgets.keyset_model import ROOT, Index, KeysetTableModel, PageReader, italic_font
from ui.widgets.plain import tooltip

PAGE = 100


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


class UnlinkedModel(KeysetTableModel[UnlinkedRow]):
    LetterRole = Qt.ItemDataRole.UserRole + 1
    DATE, PERSON, SUBJECT = range(3)
    COLUMNS = 3

    def __init__(self, ctx: UiContext, parent: Any = None, *, page_size: int = PAGE) -> None:
        super().__init__(ctx, parent, page_size=page_size)

    def page_after(self, last: UnlinkedRow | None, limit: int) -> PageReader[UnlinkedRow]:
        after = last.id if last is not None else None
        return lambda uow, actor: load_page(uow, actor, after, limit)

    def rows(self) -> list[UnlinkedRow]:
        return list(self._rows)

    def remove(self, message_id: int) -> None:
        """Take a letter out of the list at once (it was just linked)."""
        row = self.row_of(message_id)
        if row is not None:
            self.beginRemoveRows(ROOT, row, row)
            del self._rows[row]
            self.endRemoveRows()

    # --- Qt -------------------------------------------------------------------------

    def header(self, section: int) -> str | None:
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
            return italic_font()
        return None
