"""The read-only table the long lists share (clients, leads and contact
persons; inbound requests; letters on no card): whole rows, one at a time,
no grid, headers to the left, so every list looks and selects alike."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView

from ui.shell import formatting


def row_table(model: QAbstractItemModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def date_time_width(table: QTableView) -> int:
    """Wide enough for any date and time in the user's format: the rows
    arrive later, page by page, so the column cannot size to them."""
    sample = formatting.date_time(dt.datetime(2000, 12, 28, 23, 59, tzinfo=dt.UTC))
    return table.fontMetrics().horizontalAdvance(sample)
