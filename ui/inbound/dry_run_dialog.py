"""The dry run (SPEC G5): the source's last N requests replayed with the
rules as they would be, side by side with what happened when each arrived.
It reads only; nothing is assigned, created or moved (not even a queue)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from services.inbound import dry_run as replay
from services.inbound.routing import RuleSpec
from services.inbound.views import DryRunRow
from ui.context import UiContext
from ui.inbound import texts
from ui.shell import error_text
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.work import Work

CHANGED = QColor(255, 196, 0, 60)


class DryRunDialog(QDialog):
    def __init__(
        self,
        ctx: UiContext,
        source_id: int,
        rules: Sequence[RuleSpec] | None,
        last: int,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._work = Work(ctx, self)
        self.rows: list[DryRunRow] = []
        self.setWindowTitle(self.tr("Dry run: the last %1 requests").replace("%1", str(last)))
        self.resize(1100, 560)
        self.summary = plain_label(self.tr("Replaying…"))
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(7)
        self.tree.setHeaderLabels(
            [
                self.tr("Request"),
                self.tr("Rule now"),
                self.tr("Would go to"),
                self.tr("Would make"),
                self.tr("Rule then"),
                self.tr("Went to"),
                self.tr("Made"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 240)  # the sender and subject: elided, whole in the tooltip
        for section in range(1, 7):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        note = plain_label(
            self.tr(
                "Nothing is saved or assigned by a dry run. Rows in colour would go "
                "differently with these rules."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(self.tree, 1)
        column.addWidget(note)
        column.addWidget(buttons)
        specs = list(rules) if rules is not None else None
        work = self._work
        work.submit(
            ctx.reads,
            lambda: replay.dry_run(ctx.db, ctx.actor, source_id, last=last, rules=specs),
            self._on_replayed,
            self._on_failed,
        )

    def _on_replayed(self, rows: list[DryRunRow]) -> None:
        self.rows = rows
        self.tree.clear()
        for row in rows:
            would_owner = row.would_owner or (
                self.tr("role %1").replace("%1", texts.role_label(row.would_role))
                if row.would_role
                else "—"
            )
            would = texts.effect_label(row.would_effect)
            if row.would_new_lead:
                would = self.tr("%1, new lead").replace("%1", would)
            request = " — ".join(part for part in (row.sender, row.subject) if part) or "—"
            item = QTreeWidgetItem(
                [
                    request,
                    row.would_rule or "—",
                    would_owner,
                    would,
                    row.did_rule or "—",
                    row.did_owner or "—",
                    texts.effect_label(row.did_effect) if row.did_effect else "—",
                ]
            )
            item.setToolTip(0, tooltip(request))
            if not row.same:
                for section in range(7):
                    item.setBackground(section, QBrush(CHANGED))
            item.setData(0, Qt.ItemDataRole.UserRole, row.request_id)
            self.tree.addTopLevelItem(item)
        changed = sum(1 for row in rows if not row.same)
        if not rows:
            self.summary.setText(self.tr("This source has no requests yet to try the rules on."))
        else:
            self.summary.setText(
                self.tr("%1 of %2 requests would go differently.")
                .replace("%1", str(changed))
                .replace("%2", str(len(rows)))
            )

    def _on_failed(self, exc: BaseException) -> None:
        self.summary.setText(
            self.tr("The dry run failed: %1").replace("%1", error_text.message(exc))
        )
