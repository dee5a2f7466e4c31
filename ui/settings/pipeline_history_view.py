"""The settings history under Settings → Pipelines: who changed the chosen
pipeline and its stages, and when (services/parties/pipeline_history.py says
why these edits are kept here and not in the deals' card history). Names
are shown as plain text: an administrator typed them, but they are data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem

from services.parties.pipeline_history import PipelineChange
from ui.widgets import timefmt


def describe(change: PipelineChange) -> str:
    """One change as a sentence in the user's language."""
    if change.field == "requires_planned":
        return (
            QCoreApplication.translate(
                "PipelineHistory", "A deal must now always have a planned next step"
            )
            if change.new == "True"
            else QCoreApplication.translate(
                "PipelineHistory", "A planned next step is no longer required"
            )
        )
    if change.field == "created":
        return QCoreApplication.translate("PipelineHistory", "Pipeline created as «%1»").replace(
            "%1", change.new or ""
        )
    template = {
        "name": QCoreApplication.translate("PipelineHistory", "Renamed from «%1» to «%2»"),
        "stage_added": QCoreApplication.translate("PipelineHistory", "Stage «%2» added"),
        "stage_renamed": QCoreApplication.translate(
            "PipelineHistory", "Stage «%1» renamed to «%2»"
        ),
        "stage_moved": QCoreApplication.translate(
            "PipelineHistory", "Stage «%1» moved to place %2"
        ),
        "stage_removed": QCoreApplication.translate("PipelineHistory", "Stage «%1» removed"),
    }.get(change.field, f"{change.field}: «%1» → «%2»")
    # one pass (as ui/shell/error_text.py): a stage named "%2" stays as typed
    values = {"1": change.old or "", "2": change.new or ""}
    return re.sub(r"%([12])", lambda m: values[m[1]], template)


class PipelineHistoryView(QTreeWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("Change")])
        self.setAccessibleName(self.tr("Changes to this pipeline"))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.zone: str | None = None

    def show_changes(self, changes: Sequence[PipelineChange]) -> None:
        self.clear()
        for change in changes:
            who = change.user or self.tr("System")
            self.addTopLevelItem(
                QTreeWidgetItem([timefmt.when(change.at, self.zone), who, describe(change)])
            )

    def rows(self) -> list[tuple[str, str]]:
        """(who, change) per row, newest first: what a reader sees."""
        items = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [(item.text(1), item.text(2)) for item in items if item is not None]
