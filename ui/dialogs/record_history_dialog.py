"""A task's or a note's history (History… on it in a card's feed): who,
when, old → new, one line each, newest first; the chosen line's whole old
and new text below it (a note's edit is many lines). Everything shown is
plain text: the values are what colleagues typed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from services.core import history
from services.core.errors import UserError
from services.core.history import HistoryEntry
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets import timefmt
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

SHOWN_CHARS = 80  # of a value in its line; the text below holds it whole
TIMES = ("deadline", "done_at")


def _line(value: str | None) -> str:
    line = " ".join((value or "").split())
    return line if len(line) <= SHOWN_CHARS else line[: SHOWN_CHARS - 1] + "…"


def value_text(entry: HistoryEntry, value: str | None, zone: str | None) -> str:
    """A value as a reader wants it: a time in the display zone, yes/no words."""
    if value is None or value == "":
        return "—"
    if entry.field in TIMES:
        try:
            return timefmt.when(dt.datetime.fromisoformat(value), zone)
        except ValueError:
            return value
    if entry.field == "done":
        return {
            "yes": QCoreApplication.translate("RecordHistory", "yes"),
            "no": QCoreApplication.translate("RecordHistory", "no"),
        }.get(value, value)
    return value


def describe(entry: HistoryEntry, zone: str | None) -> str:
    """One change as a line in the user's language."""
    if entry.field == "created":
        return QCoreApplication.translate("RecordHistory", "Created: «%1»").replace(
            "%1", _line(entry.new)
        )
    if entry.field == "removed":
        return QCoreApplication.translate("RecordHistory", "Removed: «%1»").replace(
            "%1", _line(entry.old)
        )
    if entry.field == "body":  # a note's text: many lines, shown whole below the list
        return QCoreApplication.translate("RecordHistory", "Text edited")
    if entry.field == "done":
        return (
            QCoreApplication.translate("RecordHistory", "Marked done")
            if entry.new_raw in ("True", "true")
            else QCoreApplication.translate("RecordHistory", "Reopened")
        )
    name = {
        "title": QCoreApplication.translate("RecordHistory", "Title"),
        "deadline": QCoreApplication.translate("RecordHistory", "Deadline"),
        "assignee": QCoreApplication.translate("RecordHistory", "Assignee"),
        "done_at": QCoreApplication.translate("RecordHistory", "Done at"),
        "author": QCoreApplication.translate("RecordHistory", "Author"),
        "client": QCoreApplication.translate("RecordHistory", "Client"),
        "lead": QCoreApplication.translate("RecordHistory", "Lead"),
        "deal": QCoreApplication.translate("RecordHistory", "Deal"),
        "contact": QCoreApplication.translate("RecordHistory", "Contact person"),
    }.get(entry.field, entry.field)
    values = {
        "1": name,
        "2": _line(value_text(entry, entry.old, zone)),
        "3": _line(value_text(entry, entry.new, zone)),
    }
    # one pass (as pipeline_history_view): a value typed as "%3" stays as typed
    return re.sub(
        r"%([123])",
        lambda m: values[m[1]],
        QCoreApplication.translate("RecordHistory", "%1: %2 → %3"),
    )


class RecordHistoryDialog(QDialog):
    """``kind`` is "task" or "note"; ``label`` its title or text start."""

    def __init__(
        self,
        ctx: UiContext,
        kind: str,
        record_id: int,
        label: str,
        zone: str | None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.kind, self.record_id, self.zone = kind, record_id, zone
        self.entries: list[HistoryEntry] = []
        self.setWindowTitle(
            self.tr("History of the task") if kind == "task" else self.tr("History of the note")
        )
        self.heading: QLabel = plain_label(_line(label))
        self.status: QLabel = plain_label(self.tr("Loading…"))
        self.table = QTreeWidget()
        self.table.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Change")])
        self.table.setAccessibleName(self.windowTitle())
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentItemChanged.connect(self._on_table_current_item_changed)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName(self.tr("The change in full"))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(split, 1)
        column.addWidget(self.status)
        column.addWidget(buttons)
        self.resize(720, 480)
        self._work.read(
            lambda uow, actor: history.history(uow, actor, kind, record_id),
            self.show_entries,
            self._on_failed,
        )

    def show_entries(self, entries: Sequence[HistoryEntry]) -> None:
        self.entries = list(entries)
        self.table.clear()
        for entry in self.entries:
            who = entry.user or self.tr("System")
            when = timefmt.when(entry.at, self.zone)
            self.table.addTopLevelItem(QTreeWidgetItem([when, who, describe(entry, self.zone)]))
        self.status.setText("" if self.entries else self.tr("No changes recorded."))
        self.status.setVisible(not self.entries)
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)
        self.table.setFocus()

    def rows(self) -> list[tuple[str, str]]:
        """(who, change) per row, newest first: what a reader sees."""
        items = (self.table.topLevelItem(i) for i in range(self.table.topLevelItemCount()))
        return [(item.text(1), item.text(2)) for item in items if item is not None]

    def _on_table_current_item_changed(
        self, current: QTreeWidgetItem | None, _previous: Any
    ) -> None:
        row = self.table.indexOfTopLevelItem(current) if current is not None else -1
        if not 0 <= row < len(self.entries):
            self.detail.clear()
            return
        entry = self.entries[row]
        if entry.field == "created":
            text = entry.new or ""
        elif entry.field == "removed":
            text = entry.old or ""
        else:
            text = "\n\n".join(
                (
                    self.tr("Before:") + "\n" + value_text(entry, entry.old, self.zone),
                    self.tr("After:") + "\n" + value_text(entry, entry.new, self.zone),
                )
            )
        self.detail.setPlainText(text)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.setText(error_text.message(exc))
            self.status.setVisible(True)
            return
        self._ctx.report_error(exc)
