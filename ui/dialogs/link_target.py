"""Choosing the card a letter goes to: a client, a contact person or a lead,
found by typing part of a name, phone or email (the app's search)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from services.core.views import SearchHit
from services.feed import search
from ui.context import UiContext
from ui.shell.icons import icon
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

SEARCH_DELAY_MS = 250
KINDS = ("client", "contact", "lead")
LIMIT = 40
ICON_NAMES = {"client": "clients", "contact": "contacts", "lead": "leads", "deal": "deals"}


@dataclasses.dataclass(frozen=True)
class LinkTarget:
    kind: str  # client | contact | lead
    id: int
    name: str


def kind_label(kind: str) -> str:
    return {
        "client": QCoreApplication.translate("LinkTargetDialog", "Client"),
        "contact": QCoreApplication.translate("LinkTargetDialog", "Contact person"),
        "lead": QCoreApplication.translate("LinkTargetDialog", "Lead"),
        "deal": QCoreApplication.translate("LinkTargetDialog", "Deal"),
    }.get(kind, kind)


def find_targets(uow: Any, actor: Any, text: str) -> list[SearchHit]:
    """Clients, contact persons and leads matching ``text``, best first."""
    return [h for h in search.search(uow, actor, text, limit=LIMIT) if h.kind in KINDS]


class LinkTargetDialog(QDialog):
    chosen = Signal(object)  # LinkTarget

    def __init__(
        self,
        ctx: UiContext,
        what: str,
        parent: Any = None,
        *,
        text: str = "",
        finder: Callable[[Any, Any, str], list[SearchHit]] = find_targets,
    ) -> None:
        super().__init__(parent)
        self._finder = finder  # what may be chosen: by default a client, contact or lead
        self._work = Work(ctx, self)
        self.setWindowTitle(self.tr("Link to a card"))
        self.resize(520, 460)
        intro = QLabel(what)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.edit = QLineEdit(text)
        self.edit.setPlaceholderText(
            self.tr("Client, contact person or lead: name, phone or email")
        )
        self.edit.setClearButtonEnabled(True)
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.returnPressed.connect(self._search)
        self.results = QListWidget()
        self.results.setIconSize(QSize(20, 20))
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.results.currentItemChanged.connect(self._update_buttons)
        self.status = plain_label()
        self.status.setProperty("role", "muted")
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Link"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.edit)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._search)
        self._update_buttons()
        if text.strip():
            self._search()
        else:
            self.status.setText(self.tr("Type to search."))

    def target(self) -> LinkTarget | None:
        item = self.results.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return value if isinstance(value, LinkTarget) else None

    def search_now(self, text: str) -> None:
        self.edit.setText(text)
        self._search()

    def accept(self) -> None:
        target = self.target()
        if target is None:
            return
        self.chosen.emit(target)
        super().accept()

    def _on_edit_text_edited(self, _text: str) -> None:
        self.timer.start()

    def _search(self) -> None:
        self.timer.stop()
        text = self.edit.text().strip()
        if not text:
            self.results.clear()
            self.status.setText(self.tr("Type to search."))
            self._update_buttons()
            return
        self.status.setText(self.tr("Searching…"))
        finder = self._finder
        self._work.read(lambda uow, actor: finder(uow, actor, text), self._on_found)

    def _on_found(self, hits: list[SearchHit]) -> None:
        self.results.clear()
        for hit in hits:
            detail = " · ".join(
                part
                for part in (kind_label(hit.kind), hit.party_name if hit.kind == "contact" else "")
                if part
            )
            if hit.snippet:
                detail = f"{detail} · {hit.snippet}"
            glyph = icon(ICON_NAMES.get(hit.kind, "clients"))
            item = QListWidgetItem(glyph, f"{hit.title}\n{detail}")
            item.setData(Qt.ItemDataRole.UserRole, LinkTarget(hit.kind, hit.id, hit.title))
            self.results.addItem(item)
        if hits:
            self.results.setCurrentRow(0)
        self.status.setText("" if hits else self.tr("Nothing found"))
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.target() is not None)
