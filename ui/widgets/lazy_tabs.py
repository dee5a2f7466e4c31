"""Tabs whose pages are built the first time they are shown or asked for.

The main window builds every screen at start; a settings page (templates,
scenarios, the working calendar ...) costs tens of milliseconds to build and
most starts never show it (issue #16: cold start). ``add`` puts a light
placeholder in the tab; ``page(key)`` or showing the tab builds the page from
its factory and puts it in the placeholder's place, so ``tabs.currentWidget()``
and ``setCurrentWidget(page)`` see the real page. A screen that owns tabs
keeps its attribute names as properties over ``page`` (see
``ui/settings/settings_panel.py``, whose "tabs" are a list of sections:
``ui/widgets/section_tabs.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QWidget

from ui.widgets.section_tabs import SectionTabs


class LazyTabs(QObject):
    def __init__(self, tabs: QTabWidget | SectionTabs) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self._waiting: dict[str, tuple[QWidget, str, Callable[[], QWidget]]] = {}
        self._built: dict[str, QWidget] = {}
        # Connected before the owner's own slots: they see the built page.
        tabs.currentChanged.connect(self._on_tabs_current_changed)

    def add(self, key: str, label: str, factory: Callable[[], QWidget]) -> None:
        holder = QWidget()
        self._tabs.addTab(holder, label)
        self._waiting[key] = (holder, label, factory)

    def page(self, key: str) -> QWidget:
        found = self._built.get(key)
        if found is not None:
            return found
        holder, label, factory = self._waiting.pop(key)
        page = factory()
        index = self._tabs.indexOf(holder)
        current = self._tabs.currentIndex()
        blocked = self._tabs.blockSignals(True)
        try:
            self._tabs.removeTab(index)
            self._tabs.insertTab(index, page, label)
            self._tabs.setCurrentIndex(current)
        finally:
            self._tabs.blockSignals(blocked)
        holder.deleteLater()
        self._built[key] = page
        return page

    def built(self) -> list[QWidget]:
        """The pages built so far, in the order they were built."""
        return list(self._built.values())

    def _on_tabs_current_changed(self, index: int) -> None:
        shown = self._tabs.widget(index)
        for key, (holder, _label, _factory) in list(self._waiting.items()):
            if holder is shown:
                self.page(key)
                return
