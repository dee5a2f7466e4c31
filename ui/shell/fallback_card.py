"""Opens the card of an object: ``ui.cards.CardWidget`` when it is there,
else a read-only summary (header fields and the first feed page)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from services import deals, feed, parties
from ui.context import UiContext


def make_card(ctx: UiContext, kind: str, object_id: int) -> QWidget:
    try:
        from ui.cards import CardWidget  # type: ignore[attr-defined]
    except ImportError:
        return SummaryCard(ctx, kind, object_id)
    widget: QWidget = CardWidget(ctx, kind, object_id)
    return widget


def _load(ctx: UiContext, kind: str, object_id: int) -> tuple[Any, Any]:
    with ctx.db.reader() as uow:
        if kind == "client":
            header: Any = parties.get_client(uow, ctx.actor, object_id)
            scope = feed.FeedScope(client_id=object_id)
        elif kind == "lead":
            header = parties.get_lead(uow, ctx.actor, object_id)
            scope = feed.FeedScope(lead_id=object_id)
        elif kind == "contact":
            header = parties.get_contact(uow, object_id)
            scope = feed.FeedScope(contact_id=object_id)
        else:
            header = deals.get(uow, ctx.actor, object_id)
            scope = feed.FeedScope(deal_id=object_id)
        page = feed.page(uow, ctx.actor, scope, limit=50)
    return header, page


class SummaryCard(QWidget):
    title_changed = Signal(str)

    def __init__(self, ctx: UiContext, kind: str, object_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.kind = kind
        self.object_id = object_id
        self.name = QLabel("…")
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields = QFormLayout()
        self.feed = QListWidget()
        self.feed.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addLayout(self.fields)
        layout.addWidget(self.feed, 1)
        ctx.reads.submit(lambda: _load(ctx, kind, object_id), self._on_loaded, ctx.report_error)

    def _on_loaded(self, result: tuple[Any, Any]) -> None:
        header, page = result
        tr = QCoreApplication.translate
        title = getattr(header, "name", None) or getattr(header, "full_name", None)
        title = title or getattr(header, "title", "")
        self.name.setText(title)
        self.title_changed.emit(title)
        rows: list[tuple[str, str]] = []
        if getattr(header, "owner_name", None):
            rows.append((tr("SummaryCard", "Owner"), header.owner_name))
        if getattr(header, "company", None):
            rows.append((tr("SummaryCard", "Company"), header.company))
        if getattr(header, "address", None):
            rows.append((tr("SummaryCard", "Address"), header.address))
        if getattr(header, "local_time", None) is not None:
            local = QLocale().toString(header.local_time.time(), QLocale.FormatType.ShortFormat)
            rows.append((tr("SummaryCard", "Local time"), f"{local} ({header.timezone})"))
        for point in getattr(header, "points", ()):
            what = tr("SummaryCard", "Phone") if point.kind == "phone" else tr("SummaryCard", "Email")
            rows.append((what, point.raw))
        if getattr(header, "stage", None):
            rows.append((tr("SummaryCard", "Stage"), header.stage))
        for label, value in rows:
            text = QLabel(value)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields.addRow(label + ":", text)
        locale = QLocale()
        for item in page.items:
            when = locale.toString(item.start.replace(tzinfo=None), QLocale.FormatType.ShortFormat)
            self.feed.addItem(f"{when}   {item.title}")
