"""The replica's conflict list (issue #20): every field that this laptop and
the server both changed since the last sync, with both values, who wrote
them and when, and "Keep mine" / "Keep theirs" per row; below it the
changes the server refused, with its reason (worded from its error code
in the window's language).

Opened from the status bar's sync indicator and from a card's conflict
banner (then only that card's conflicts). Values, names and reasons come
from other people and other machines: shown as plain text, cut to a
readable length. Reads run on the read lane, a choice on the write lane
(``resolve_conflict`` is an ordinary edit with a new clock); the list
reads itself again after each choice and after every sync.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.changes import Changes
from services.core.errors import UserError
from services.sync import db_refusal
from services.sync.types import ConflictView, Refusal
from ui.context import UiContext
from ui.dialogs.conflict_card import CardLine
from ui.shell import error_text, formatting
from ui.widgets import labels
from ui.widgets.empty_state import EmptyHint
from ui.widgets.plain import plain_label, quoted
from ui.widgets.work import Work

MAX_VALUE = 300  # characters of a value shown; the card has the rest
# Posted after a choice: the indicator's counts and a card's banner read again.
RESOLVED = Changes.of(updated={"sync": [0]})


def kind_label(kind: str) -> str:
    names = {
        "client": QCoreApplication.translate("SyncConflicts", "Client"),
        "lead": QCoreApplication.translate("SyncConflicts", "Lead"),
        "contact": QCoreApplication.translate("SyncConflicts", "Contact person"),
        "deal": QCoreApplication.translate("SyncConflicts", "Deal"),
        "interaction": QCoreApplication.translate("SyncConflicts", "Interaction"),
        "note": QCoreApplication.translate("SyncConflicts", "Note"),
        "task": QCoreApplication.translate("SyncConflicts", "Task"),
        "memo": QCoreApplication.translate("SyncConflicts", "Memo"),
        "contact_point": QCoreApplication.translate("SyncConflicts", "Contact details"),
        "custom_value": QCoreApplication.translate("SyncConflicts", "Custom field"),
        "email_template": QCoreApplication.translate("SyncConflicts", "Template"),
        "party_share": QCoreApplication.translate("SyncConflicts", "Share with a colleague"),
        "deputy": QCoreApplication.translate("SyncConflicts", "Deputy"),
        "interaction_contact": QCoreApplication.translate(
            "SyncConflicts", "Contact person of an interaction"
        ),
    }
    return names.get(kind, kind.replace("_", " "))


def field_name(kind: str, field: str) -> str:
    """The field's label as the card says it, never its column name."""
    names = {
        "outcome": QCoreApplication.translate("SyncConflicts", "outcome"),
        "stage": QCoreApplication.translate("SyncConflicts", "stage"),
        "due_at": QCoreApplication.translate("SyncConflicts", "due time"),
        "planned_at": QCoreApplication.translate("SyncConflicts", "planned time"),
        "text": QCoreApplication.translate("SyncConflicts", "text"),
        "body": QCoreApplication.translate("SyncConflicts", "text"),
        "subject": QCoreApplication.translate("SyncConflicts", "subject"),
        "comment": QCoreApplication.translate("SyncConflicts", "comment"),
        "value": QCoreApplication.translate("SyncConflicts", "value"),
        "archived_at": QCoreApplication.translate("SyncConflicts", "archived"),
        "deleted_at": QCoreApplication.translate("SyncConflicts", "deleted"),
        "status": QCoreApplication.translate("SyncConflicts", "status"),
        "currency": QCoreApplication.translate("SyncConflicts", "currency"),
        "user_id": QCoreApplication.translate("SyncConflicts", "responsible"),
        "type_code": QCoreApplication.translate("SyncConflicts", "type"),
    }
    return names.get(field) or labels.field_label(f"{kind}.{field}")


def shown(value: str | None) -> str:
    """A conflict's value on one line, cut to a readable length; nothing as "(empty)"."""
    if value is None or not value.strip():
        return QCoreApplication.translate("SyncConflicts", "(empty)")
    text = " ".join(value.split())
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def refusal_reason(refusal: Refusal) -> str:
    """Why the server refused, in the window's language: worded from the
    refusal's code and params, a server's record id as the laptop names the
    record (``Refusal.names``), a column as the card labels it, the
    database's own refusal by its class (never the driver's English: a
    refusal stored with it is classed from it). A refusal stored before
    codes were kept (or one the catalogue does not know) keeps the server's
    own words."""
    names = {key: quoted(name) for key, name in refusal.names.items()}
    code, params = refusal.code, {**refusal.params, **names}
    if code in db_refusal.RAW:
        code, params = db_refusal.classify(None, params.get("detail", "")), {}
    elif not code:
        code, params = db_refusal.classify(None, refusal.reason), {}
        if code == db_refusal.OTHER:
            return refusal.reason
    relabelled = "field" in params
    if relabelled:
        params["field"] = field_name(refusal.kind, params["field"])
    # English too: the server's sentence names the column ("address is longer…")
    if code != refusal.code or refusal.names or relabelled:
        return error_text.worded(code, params) or refusal.reason
    return error_text.message(UserError(refusal.reason, code=code, params=params))


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return formatting.date_time(aware)


class ConflictRow(CardLine):
    """One conflict: the card and the field, both values, two choices."""

    chosen = Signal(int, str)  # conflict id, "mine" | "theirs"

    def __init__(self, view: ConflictView, parent: QWidget | None = None) -> None:
        super().__init__(view.card_kind, view.card_id, view.label, parent)
        self.view = view
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = plain_label(
            self.tr("%1: %2 · %3")
            .replace("%1", kind_label(view.kind))
            .replace("%2", " ".join(view.label.split())[:200])
            .replace("%3", field_name(view.kind, view.field))
        )
        font = title.font()
        font.setWeight(font.Weight.DemiBold)
        title.setFont(font)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.mine = self._value(view.mine)
        self.theirs = self._value(view.theirs)
        grid.addWidget(plain_label(self.tr("On this laptop:")), 0, 0)
        grid.addWidget(self.mine, 0, 1)
        grid.addWidget(self._who(view.mine_user, view.mine_at), 0, 2)
        grid.addWidget(plain_label(self.tr("On the server:")), 1, 0)
        grid.addWidget(self.theirs, 1, 1)
        grid.addWidget(self._who(view.theirs_user, view.theirs_at), 1, 2)
        self.keep_mine = QPushButton(self.tr("Keep mine"))
        self.keep_theirs = QPushButton(self.tr("Keep theirs"))
        self.keep_mine.clicked.connect(lambda: self._choose("mine"))
        self.keep_theirs.clicked.connect(lambda: self._choose("theirs"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.keep_theirs)
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addLayout(grid)
        column.addLayout(buttons)

    def _value(self, value: str | None) -> QLabel:
        label = plain_label(shown(value))
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _who(self, user: str | None, at: dt.datetime | None) -> QLabel:
        name = " ".join((user or "").split())[:100] or self.tr("someone")
        label = plain_label(self.tr("%1, %2").replace("%1", name).replace("%2", _when(at)))
        label.setStyleSheet("color: palette(placeholder-text);")
        return label

    def _choose(self, choice: str) -> None:
        self.keep_mine.setEnabled(False)
        self.keep_theirs.setEnabled(False)
        self.chosen.emit(self.view.id, choice)


class SyncConflictsDialog(QDialog):
    """The conflict list; ``card`` (kind, id) narrows it to one card's."""

    resolved = Signal(int)  # conflict id, after the choice was saved
    # a line's "Open card": the window that opened the list (its open_card) shows it
    open_requested = Signal(str, object, str)  # card kind, id, title

    def __init__(
        self,
        ctx: UiContext,
        parent: Any = None,
        *,
        card: tuple[str, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._card = card
        self.conflicts: list[ConflictView] = []
        self.refusals: list[Refusal] = []
        self.setWindowTitle(self.tr("Sync conflicts"))
        self.resize(760, 520)
        self.rows: list[ConflictRow] = []
        self.refusal_lines: list[CardLine] = []
        opener = getattr(parent, "open_card", None)
        if callable(opener):  # the main window: the card opens beside the list
            self.open_requested.connect(opener)
        self.refused_hint: QLabel | None = None  # what a refusal means, above them
        self.list = QWidget()
        self.list_column = QVBoxLayout(self.list)
        scroll = QScrollArea()
        scroll.setWidget(self.list)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.empty = EmptyHint(
            self.tr("No conflicts"),
            self.tr(
                "Every change made on this laptop agrees with the server. A conflict "
                "appears here when you and a colleague change the same field of a card "
                "before this laptop syncs; you then choose which value stays."
            ),
        )
        self.loading = plain_label(self.tr("Reading the conflicts…"))
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.loading)
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.empty)
        self.status = plain_label("")
        self.status.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.stack, 1)
        column.addWidget(self.status)
        column.addWidget(close)
        ctx.bus.changed.connect(self._on_bus_changed)
        self.refresh()

    def refresh(self) -> None:
        card, db, actor = self._card, self._ctx.db, self._ctx.actor

        def read() -> tuple[list[ConflictView], list[Refusal]]:
            from services.sync import card_conflicts, refused, use_cases

            if card is None:
                return list(use_cases.conflicts(db, actor)), refused.refusals(db)
            found = card_conflicts.of_card(db, actor, *card)
            uids = {found.uid} | {view.uid for view in found.conflicts}
            return list(found.conflicts), [r for r in refused.refusals(db) if r.uid in uids]

        self._work.submit(self._ctx.reads, read, self._on_loaded, self._on_failed)

    def _on_loaded(self, found: tuple[list[ConflictView], list[Refusal]]) -> None:
        self.conflicts, self.refusals = found
        while self.list_column.count():
            item = self.list_column.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows = []
        self.refusal_lines = []
        self.refused_hint = None
        if self.conflicts:
            self.list_column.addWidget(self._heading(self.tr("Both sides changed these fields")))
        for view in self.conflicts:
            row = ConflictRow(view)
            row.chosen.connect(self._on_row_chosen)
            row.card_requested.connect(self._on_card_requested)
            self.rows.append(row)
            self.list_column.addWidget(row)
        if self.refusals:
            self.list_column.addWidget(self._heading(self.tr("Refused by the server")))
            self.refused_hint = plain_label(
                self.tr(
                    "These changes were not made: the server keeps its values, and this "
                    "laptop takes them back when it syncs. Make a change again on its card "
                    "if it is still needed."
                )
            )
            self.refused_hint.setWordWrap(True)
            self.refused_hint.setStyleSheet("color: palette(placeholder-text);")
            self.list_column.addWidget(self.refused_hint)
            for refusal in self.refusals:
                self.list_column.addWidget(self._refusal(refusal))
        self.list_column.addStretch(1)
        self.stack.setCurrentIndex(1 if self.conflicts or self.refusals else 2)

    def _heading(self, text: str) -> QLabel:
        label = plain_label(text)
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        font.setWeight(font.Weight.DemiBold)
        label.setFont(font)
        return label

    def _refusal(self, refusal: Refusal) -> CardLine:
        line = CardLine(refusal.card_kind, refusal.card_id, refusal.label)
        label = plain_label(
            self.tr("%1: %2 — %3")
            .replace("%1", kind_label(refusal.kind))
            .replace("%2", " ".join(refusal.label.split())[:200])
            .replace("%3", " ".join(refusal_reason(refusal).split())[:500])
        )
        label.setWordWrap(True)
        row = QHBoxLayout(line)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label, 1)
        row.addWidget(line.open_button, 0, Qt.AlignmentFlag.AlignTop)
        line.card_requested.connect(self._on_card_requested)
        self.refusal_lines.append(line)
        return line

    def _on_card_requested(self, kind: str, object_id: int, label: str) -> None:
        """The list steps aside (it is modal): the card shows its own
        conflicts in its banner, which opens them again."""
        self.open_requested.emit(kind, object_id, label)
        self.accept()

    def _on_row_chosen(self, conflict_id: int, choice: str) -> None:
        from services.sync import use_cases

        self.status.setText(self.tr("Saving…"))
        self._work.run(
            lambda db, actor: use_cases.resolve_conflict(db, actor, conflict_id, choice),
            lambda _value: self._on_resolved(conflict_id),
            self._on_failed,
        )

    def _on_resolved(self, conflict_id: int) -> None:
        self.status.setText("")
        self.resolved.emit(conflict_id)
        self._ctx.bus.post(RESOLVED)  # reads the list again too

    def _on_bus_changed(self, changes: Changes) -> None:
        if changes.touches("sync") or changes.touches("sync_conflict"):
            self.refresh()

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)
            return
        self.status.setText(error_text.message(exc))
        for row in self.rows:
            row.keep_mine.setEnabled(True)
            row.keep_theirs.setEnabled(True)
