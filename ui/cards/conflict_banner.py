"""A card's sync conflicts (issue #20): "2 fields conflict after sync —
Review" above the card while this laptop and the server disagree on some
of its fields; "Review" opens the conflict list narrowed to this card.

Hidden when there is nothing to say, and on a database that is no replica
(``ctx.replica`` None, or the first read says so: then it stops listening).
Reads on the read lane, again after every sync and after a conflict was
resolved (the change bus's "sync" kind).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

from services.core.changes import Changes
from services.sync import card_conflicts
from services.sync.card_conflicts import CardConflicts
from ui.context import UiContext
from ui.widgets.plain import plain_label
from ui.widgets.work import Work


class ConflictBanner(QFrame):
    review_requested = Signal()

    def __init__(self, ctx: UiContext, kind: str, object_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx, self._kind, self._id = ctx, kind, object_id
        self._work = Work(ctx, self)
        self.found: CardConflicts | None = None
        self.dialog: Any = None
        self.setObjectName("conflictBanner")
        self.setStyleSheet(
            "#conflictBanner { background: palette(alternate-base);"
            " border-bottom: 1px solid palette(mid); }"
        )
        self.text = plain_label("")
        self.review = QPushButton(self.tr("Review"))
        self.review.clicked.connect(self.open_list)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.text, 1)
        row.addWidget(self.review)
        self.setVisible(False)
        self.listening = False
        if ctx.replica is not None and kind in card_conflicts.MODELS:
            self.listening = True
            ctx.bus.changed.connect(self._on_bus_changed)
            self.refresh()

    def refresh(self) -> None:
        kind, object_id, db = self._kind, self._id, self._ctx.db
        self._work.submit(
            self._ctx.reads,
            lambda: card_conflicts.of_card(db, self._ctx.actor, kind, object_id),
            self._on_loaded,
            self._on_failed,
        )

    def _on_loaded(self, found: CardConflicts) -> None:
        self.found = found
        if not found.replica and self.listening:
            self.listening = False
            self._ctx.bus.changed.disconnect(self._on_bus_changed)
        count = len(found.conflicts)
        self.text.setText(self.tr("%n field(s) conflict after sync", "", count))
        self.setVisible(count > 0)

    def _on_failed(self, _exc: BaseException) -> None:
        self.setVisible(False)  # the card says itself why it cannot be read

    def _on_bus_changed(self, changes: Changes) -> None:
        if (
            changes.touches("sync")
            or changes.touches("sync_conflict")
            or changes.touches_card(self._kind, self._id)
        ):
            self.refresh()

    def open_list(self) -> None:
        from ui.dialogs.sync_conflicts import SyncConflictsDialog

        self.review_requested.emit()
        self.dialog = SyncConflictsDialog(self._ctx, self.window(), card=(self._kind, self._id))
        self.dialog.open()
