"""The left navigation: one entry per section of the window."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QListWidget, QListWidgetItem, QWidget

from ui.shell.icons import icon

# (key, icon) in display order; the labels are translated in ``labels()``.
SECTIONS = (
    ("clients", "clients"),
    ("leads", "leads"),
    ("contacts", "contacts"),
    ("deals", "deals"),
    ("agenda", "agenda"),
    ("inbound", "inbound"),
    ("mail", "mail"),
    ("settings", "settings"),
)


def labels() -> dict[str, str]:
    return {
        "clients": QCoreApplication.translate("Navigation", "Clients"),
        "leads": QCoreApplication.translate("Navigation", "Leads"),
        "contacts": QCoreApplication.translate("Navigation", "Contacts"),
        "deals": QCoreApplication.translate("Navigation", "Deals"),
        "agenda": QCoreApplication.translate("Navigation", "My agenda"),
        "inbound": QCoreApplication.translate("Navigation", "Inbound"),
        "mail": QCoreApplication.translate("Navigation", "Mail"),
        "settings": QCoreApplication.translate("Navigation", "Settings"),
    }


class NavigationBar(QListWidget):
    section_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setIconSize(QSize(20, 20))
        self.setSpacing(1)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        names = labels()
        for key, icon_name in SECTIONS:
            item = QListWidgetItem(icon(icon_name), names[key])
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 36))
            self.addItem(item)
        widest = max(self.fontMetrics().horizontalAdvance(text) for text in names.values())
        self.setFixedWidth(max(180, widest + 20 + 64))
        self.currentItemChanged.connect(self._on_current_item_changed)

    def section_keys(self) -> list[str]:
        return [key for key, _ in SECTIONS]

    def current_key(self) -> str | None:
        item = self.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def select(self, key: str) -> None:
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.setCurrentRow(row)
                return

    def item_for(self, key: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(Qt.ItemDataRole.UserRole) == key:
                return self.item(row)
        return None

    def set_count(self, key: str, count: int, tip: str = "") -> None:
        """A section's counter after its name (Inbound: the new requests)."""
        item = self.item_for(key)
        if item is not None:
            name = labels()[key]
            item.setText(f"{name}  ({count})" if count else name)
            item.setToolTip(tip)

    def _on_current_item_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None:
            self.section_chosen.emit(item.data(Qt.ItemDataRole.UserRole))
