"""The main window: assembles the navigation, the sections, the card tabs
and the status bar. Each section is a panel of its own package; this file
only wires them together and owns the window-wide shortcuts.

The client list is built (and its modules imported) before the window is
shown; every other section a moment later, one per turn of the event loop,
or at once when it is asked for (issue #16: building and importing them all
first was most of the start's time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from services.core.changes import Changes
from ui.clients.list_panel import ListPanel
from ui.context import UiContext
from ui.search.search_popup import SearchPopup
from ui.shell import navigation
from ui.shell.deputy_watch import DeputyWatch
from ui.shell.empty_state import DemoOffer
from ui.shell.new_interaction import NewInteraction
from ui.shell.preferences import Preferences
from ui.shell.record_actions import RecordActions
from ui.shell.status_bar import StatusBar
from ui.shell.workspace import Workspace
from ui.widgets.undo_bar import UndoBar

if TYPE_CHECKING:
    from ui.inbound.inbound_panel import InboundPanel
    from ui.mail.mail_panel import MailPanel

SECTIONS_LATEST_MS = 1000  # the other sections' build waits for the client list at most this long


class Sections(dict[str, QWidget]):
    """The window's section panels by key: a panel not built yet is built
    when asked for (``window.panels["settings"]``); ``values()`` and ``get``
    see the built ones only."""

    def __init__(self, build: Callable[[str], QWidget]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> QWidget:
        return self._build(key)


class MainWindow(QMainWindow):
    # Every section is built (the client list first, the rest just after):
    # the app then starts its background work.
    sections_built = Signal()

    def __init__(self, ctx: UiContext, prefs: Preferences | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        self.prefs = prefs or Preferences()
        self.setWindowTitle(self.tr("Touchpoint"))
        self.resize(1280, 800)
        self.navigation = navigation.NavigationBar()
        self.workspace = Workspace(ctx)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        self.undo_bar = UndoBar()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.workspace, 1)
        right.addWidget(self.undo_bar)
        row.addLayout(right, 1)
        self.setCentralWidget(central)
        self.setStatusBar(StatusBar(ctx))

        self.clients = ListPanel(ctx, "client")
        self.demo_offer = DemoOffer(ctx)
        self._clients_page = QStackedWidget()
        self._clients_page.addWidget(self.demo_offer)
        self._clients_page.addWidget(self.clients)
        self.panels = Sections(self._build_section)
        self.panels["clients"] = self._clients_page
        # Until built, a section is an empty placeholder in the stack.
        self._placeholders: dict[str, QWidget] = {}
        for key in self.navigation.section_keys():
            widget = self._clients_page if key == "clients" else QWidget()
            if key != "clients":
                self._placeholders[key] = widget
            self.workspace.sections.addWidget(widget)
        self.clients.open_requested.connect(self.open_card)
        self.clients.count_known.connect(self._on_clients_count_known)
        self.demo_offer.loaded.connect(self._on_demo_offer_loaded)
        self.search = SearchPopup(ctx, self)
        self.search.open_requested.connect(self.open_card)
        self.records = RecordActions(ctx, self, self.undo_bar, self.current_party)
        self.records.open_requested.connect(self.open_card)
        ctx.bus.changed.connect(self._on_bus_changed)
        # deputy periods set or ended elsewhere show without a restart
        self.deputy_watch = DeputyWatch(ctx, self)
        self.sections_built.connect(self.deputy_watch.start)
        self.demo_offer.new_client_requested.connect(lambda: self.records.new("client"))
        self.workspace.record_action.connect(self.records.run)
        self.workspace.inbound_activated.connect(self._on_workspace_inbound_activated)
        self._connect_list(self.clients)
        self.new_interaction = NewInteraction(ctx, self.current_party, self)
        self.new_interaction.saved.connect(self.refresh_work)
        self.workspace.changed.connect(self.refresh_work)
        self.clients.refresh()  # decides between the list and the demo offer
        self.navigation.section_chosen.connect(self.show_section)
        self._shortcuts()
        self.navigation.select(
            self.prefs.section
            if self.prefs.section in self.navigation.section_keys()
            else "clients"
        )
        geometry = self.prefs.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._fit_to_screen()
        # The other sections are built once the client list has its first
        # answer (rows, none, or an error): built before it, they held the GUI
        # thread (~50 ms) while the rows waited to be painted (issue #16).
        # At the latest after SECTIONS_LATEST_MS, should that read be slow.
        self._sections_started = False
        self._waiting_for_list = self.clients.model.is_loading()
        if self._waiting_for_list:
            self.clients.model.loading_changed.connect(self._on_clients_loading_changed)
            QTimer.singleShot(SECTIONS_LATEST_MS, self, self._start_sections)
        else:
            self._start_sections()

    def _on_clients_loading_changed(self, loading: bool) -> None:
        if not loading:
            self._start_sections()

    def _start_sections(self) -> None:
        if self._sections_started:
            return
        self._sections_started = True
        if self._waiting_for_list:
            self.clients.model.loading_changed.disconnect(self._on_clients_loading_changed)
        QTimer.singleShot(0, self, self._build_next_section)

    def _section_factories(self) -> dict[str, Callable[[], QWidget]]:
        ctx = self._ctx

        def board() -> QWidget:
            from ui.deals.board_panel import BoardPanel

            return BoardPanel(ctx)

        def agenda() -> QWidget:
            from ui.agenda.agenda_panel import AgendaPanel

            return AgendaPanel(ctx)

        def settings() -> QWidget:
            from ui.settings.settings_panel import SettingsPanel

            return SettingsPanel(ctx, self.prefs)

        return {
            "leads": lambda: ListPanel(ctx, "lead"),
            "contacts": lambda: ListPanel(ctx, "contact"),
            "deals": board,
            "agenda": agenda,
            "inbound": lambda: self._inbound_panel(ctx),
            "mail": lambda: self._mail_panel(ctx),
            "settings": settings,
        }

    def _build_section(self, key: str) -> QWidget:
        """Builds a section, puts it in its placeholder's place, wires it."""
        placeholder = self._placeholders.pop(key, None)
        if placeholder is None:
            raise KeyError(key)
        panel = self._section_factories()[key]()
        self.panels[key] = panel
        stack = self.workspace.sections
        index = stack.indexOf(placeholder)
        stack.insertWidget(index, panel)
        if stack.currentWidget() is placeholder:
            stack.setCurrentWidget(panel)
        stack.removeWidget(placeholder)
        placeholder.deleteLater()
        signal = getattr(panel, "open_requested", None)
        if signal is not None:
            signal.connect(self.open_card)
        if key in ("leads", "contacts"):
            self._connect_list(panel)
        return panel

    def _build_next_section(self) -> None:
        """The sections not built yet, one per turn of the event loop, so
        that the client list's rows arriving meanwhile are painted first."""
        for key in self.navigation.section_keys():
            if key in self._placeholders:
                self._build_section(key)
                QTimer.singleShot(0, self, self._build_next_section)
                return
        import ui.cards  # noqa: F401 - the first card then opens as fast as the next

        self.sections_built.emit()

    def _fit_to_screen(self) -> None:
        """The last geometry (or 1280x800), shrunk and moved to lie on the
        screen's free area: a 1366x768 laptop has no room for 800 px plus a
        frame, and a geometry saved on a bigger monitor must not open with
        the status bar off-screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w = max(frame.width() - self.width(), 0)
        extra_h = max(frame.height() - self.height(), 0)
        width = min(self.width(), area.width() - extra_w)
        height = min(self.height(), area.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        frame = self.frameGeometry()
        # the top-left corner (title bar, menus) stays on screen even when
        # the window's minimum size is wider than a small screen
        x = max(min(frame.x(), area.right() + 1 - frame.width()), area.left())
        y = max(min(frame.y(), area.bottom() + 1 - frame.height()), area.top())
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_to_screen()  # the frame's size is known once shown

    def _connect_list(self, panel: Any) -> None:
        panel.new_requested.connect(self.records.new)
        panel.action_requested.connect(self.records.run)

    def edit_current(self) -> None:
        """F2: edit the card in front, or the row selected in the list."""
        current = self.current_party()
        if current is not None:
            self.records.edit(*current)

    @property
    def inbound(self) -> InboundPanel:
        return cast("InboundPanel", self.panels["inbound"])

    @property
    def mail(self) -> MailPanel:
        return cast("MailPanel", self.panels["mail"])

    def _inbound_panel(self, ctx: UiContext) -> QWidget:
        from ui.inbound.inbound_panel import InboundPanel

        inbound = InboundPanel(ctx)
        inbound.counts_changed.connect(self._on_inbound_counts_changed)
        inbound.refresh_counts()
        return inbound

    def _on_inbound_counts_changed(self, counts: dict[str, int]) -> None:
        tip = self.tr("%1 new, %2 assigned").replace("%1", str(counts.get("new", 0)))
        self.navigation.set_count(
            "inbound", counts.get("new", 0), tip.replace("%2", str(counts.get("assigned", 0)))
        )

    def _on_workspace_inbound_activated(self, what: str, ident: int) -> None:
        """A request or ticket chosen on a card's tab opens in the Inbound section."""
        self.navigation.select("inbound")
        if what == "ticket":
            self.inbound.show_ticket(ident)
        else:
            self.inbound.show_request(ident)

    def _mail_panel(self, ctx: UiContext) -> QWidget:
        from ui.mail.mail_panel import MailPanel

        return MailPanel(ctx, self.prefs)

    def _shortcuts(self) -> None:
        keys: list[tuple[Any, Any]] = [
            (QKeySequence("Ctrl+K"), self.search.popup),
            (QKeySequence.StandardKey.New, self.new_interaction.start),
            (QKeySequence("Ctrl+Shift+N"), self.records.choose_new),
            (QKeySequence("F2"), self.edit_current),
            (QKeySequence.StandardKey.Close, self.workspace.close_current),
            (QKeySequence.StandardKey.Refresh, self.refresh),
            # Ctrl+Q on every system (Cmd+Q on macOS); Windows has no standard Quit key.
            (QKeySequence("Ctrl+Q"), self.close),
        ]
        for n, key in enumerate(self.navigation.section_keys(), start=1):
            keys.append((QKeySequence(f"Ctrl+{n}"), lambda k=key: self.navigation.select(k)))
        for sequence, slot in keys:
            shortcut = QShortcut(sequence, self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    def show_section(self, key: str) -> None:
        if self.navigation.current_key() != key:
            # the highlight follows (it calls back here with the key current)
            self.navigation.select(key)
            return
        panel = self.panels[key]
        self.workspace.sections.setCurrentWidget(panel)
        self.workspace.set_section_title(navigation.labels()[key])
        self.workspace.show_sections()
        self.prefs.section = key
        refresh = getattr(panel, "refresh", None)
        if key not in ("clients", "leads", "contacts") and refresh is not None:
            refresh()

    def current_section(self) -> str | None:
        return self.navigation.current_key()

    def open_card(self, kind: str, object_id: int, title: str | None = None) -> None:
        self.workspace.open_card(kind, object_id, title)

    def current_party(self) -> tuple[str, int] | None:
        """The card in front, else the row selected in the current list."""
        card = self.workspace.current_card()
        if card is not None:
            return card
        key = self.current_section()
        selected = getattr(self.panels.get(key or ""), "selected", None)
        if key == "clients":
            selected = self.clients.selected
        return selected() if selected is not None else None

    def refresh(self) -> None:
        """Reload what the data may have changed under (after a write)."""
        for panel in self.panels.values():
            refresh = getattr(panel, "refresh", None)
            if refresh is not None:
                refresh()
        self.clients.refresh()

    def refresh_work(self) -> None:
        """After an interaction or a deal changed: the agenda and the board
        (the lists keep their scroll position; F5 reloads them)."""
        for key in ("agenda", "deals"):
            refresh = getattr(self.panels.get(key), "refresh", None)
            if refresh is not None:
                refresh()

    def _on_bus_changed(self, changes: Changes) -> None:
        """A client came back (unarchived, added elsewhere) while the empty
        database's offer shows: the list decides again."""
        if changes.touches("client") and self._clients_page.currentWidget() is self.demo_offer:
            self.clients.refresh()

    def _on_clients_count_known(self, count: int) -> None:
        self._clients_page.setCurrentWidget(self.clients if count else self.demo_offer)

    def _on_demo_offer_loaded(self, _summary: object) -> None:
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.prefs.save_geometry(self.saveGeometry())
        self.deputy_watch.stop()
        super().closeEvent(event)
