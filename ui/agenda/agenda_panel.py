"""My agenda: planned interactions by overdue, today, this week and later,
done or moved in place (buttons, context menu, keys), and the notes in
which colleagues mention me."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.core import timezones
from services.core.changes import Changes
from services.core.errors import UserError, ValidationError
from services.core.views import Agenda, AgendaItem
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from ui.agenda import agenda_source
from ui.agenda.agenda_moves import MOVABLE, AgendaMoves
from ui.agenda.reschedule_dialog import WhenDialog
from ui.context import UiContext
from ui.dialogs import NextStepDialog
from ui.dialogs.task_actions import TaskActions
from ui.shell import error_text, formatting
from ui.shell.icons import icon
from ui.widgets.empty_state import EmptyHint
from ui.widgets.labels import type_label
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.work import Work

ITEM_ROLE = Qt.ItemDataRole.UserRole
CLIENT_WIDTH = 240
MENTIONS_WIDTH = 240


def section_title(key: str) -> str:
    return {
        "overdue": QCoreApplication.translate("AgendaPanel", "Overdue"),
        "today": QCoreApplication.translate("AgendaPanel", "Today"),
        "week": QCoreApplication.translate("AgendaPanel", "This week"),
        "later": QCoreApplication.translate("AgendaPanel", "Later"),
    }.get(key, key)


class AgendaPanel(AgendaMoves, QWidget):
    open_requested = Signal(str, object, str)

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        ctx.bus.changed.connect(self._on_bus_changed)
        self.dialog: Any = None
        self.context_menu: QMenu | None = None
        self.tasks = TaskActions(ctx, self)
        self.zone = timezones.machine_zone()  # the display zone, once the agenda is read
        self.heading = plain_label(self.tr("My agenda"))
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setWeight(QFont.Weight.DemiBold)
        self.heading.setFont(font)
        self.done_button = QPushButton(icon("done"), self.tr("Done"))
        self.done_button.setToolTip(self.tr("Mark the selected interaction done (Ctrl+D)"))
        self.done_button.clicked.connect(self.complete_selected)
        self.reschedule_button = QToolButton()
        self.reschedule_button.setText(self.tr("Reschedule"))
        self.reschedule_button.setIcon(icon("reschedule"))
        self.reschedule_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.reschedule_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.reschedule_button.setToolTip(
            self.tr("Move the selected interaction to another day or time (Ctrl+R)")
        )
        self.reschedule_button.clicked.connect(self.reschedule_selected)
        self.reschedule_button.setMenu(self._reschedule_menu())
        # a task's Edit (F2) as a button too, first so that showing it moves
        # no other button from under the pointer
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setToolTip(self.tr("Edit the selected task (F2)"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.open_button = QPushButton(icon("open"), self.tr("Open card"))
        self.open_button.setToolTip(self.tr("Open the card of the selected item (Enter)"))
        self.open_button.clicked.connect(self.open_selected)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.edit_button)
        top.addWidget(self.done_button)
        top.addWidget(self.reschedule_button)
        top.addWidget(self.open_button)

        self.tree = QTreeWidget()
        self._claim_task_keys(self.tree)
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(
            [self.tr("When"), self.tr("Type"), self.tr("Subject"), self.tr("Client or lead")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._on_tree_context_menu)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemActivated.connect(lambda _item, _col: self.open_selected())
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        # At 1366x768 beside the mentions the subject was cut at ~190 px: the
        # type takes what its words need, the client or lead gives way
        # (each cell's tooltip has the whole text).
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 170)
        self.tree.setColumnWidth(3, CLIENT_WIDTH)
        # Until the first read answers the list says so, then shows the
        # agenda or what to do when nothing is planned (it was a bare table).
        self.empty = EmptyHint(self.tr("Loading…"))
        self.loaded_once = False

        self.mentions = QListWidget()
        self.mentions.setWordWrap(True)
        self.mentions.setAlternatingRowColors(True)
        self.mentions.itemActivated.connect(self._on_mentions_item_activated)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        mentions_title = QLabel(self.tr("Mentions"))
        mentions_title.setFont(self._bold())
        side_layout.addWidget(mentions_title)
        side_layout.addWidget(self.mentions, 1)
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.tree)
        main_layout.addWidget(self.stack, 1)
        splitter = QSplitter()
        splitter.addWidget(main)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([940, MENTIONS_WIDTH])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        for sequence, slot in (
            ("Ctrl+D", self.complete_selected),
            ("Ctrl+R", self.reschedule_selected),
        ):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._update_buttons()

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        return font

    # -- loading ------------------------------------------------------------

    def refresh(self) -> None:
        now = dt.datetime.now(dt.UTC)
        self._work.read(
            lambda uow, actor: agenda_source.load(uow, actor, now),
            self._on_loaded,
            self._on_load_failed,
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        """Not "Loading…" for ever: say so, and report what is no user's doing."""
        shown = isinstance(exc, UserError) and not self.loaded_once
        if not self.loaded_once:
            self.empty.set_text(
                self.tr("Could not load the agenda"), error_text.message(exc) if shown else ""
            )
        if not shown:
            self._ctx.report_error(exc)

    def _on_bus_changed(self, changes: Changes) -> None:
        """Planned interactions, tasks and mentions, changed by anyone."""
        if self.isVisible() and any(changes.touches(k) for k in ("interaction", "task", "note")):
            self.refresh()

    def _on_loaded(self, data: Agenda) -> None:
        selected = self.selected_item()
        self.zone = data.zone
        title = self.tr("My agenda")
        self.heading.setText(f"{title} · {formatting.date(data.day)}")
        self.tree.clear()
        bold = self._bold()
        total = 0
        for key, section in agenda_source.sections(data):
            items = section.items
            if not items:
                continue
            count = str(section.total)
            if section.total > len(items):
                count = self.tr("%1 of %2").replace("%1", str(len(items))).replace("%2", count)
            group = QTreeWidgetItem([f"{section_title(key)} · {count}"])
            group.setFont(0, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            group.setFirstColumnSpanned(True)
            self.tree.addTopLevelItem(group)
            for item in items:
                row = QTreeWidgetItem(
                    group,
                    [
                        agenda_source.when_text(item, key, data.zone),
                        type_label(item.type),
                        agenda_source.subject_text(item),
                        " · ".join(x for x in (item.party_name, item.deal_title) if x),
                    ],
                )
                row.setData(0, ITEM_ROLE, item)
                row.setToolTip(2, tooltip(row.text(2)))
                row.setToolTip(3, tooltip(row.text(3)))
                if selected is not None and (item.kind, item.id) == (selected.kind, selected.id):
                    self.tree.setCurrentItem(row)
                total += 1
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)  # "16:00 (10:00 Almaty)" in full
        self.loaded_once = True
        if total:
            self.stack.setCurrentWidget(self.tree)
        else:
            self.empty.set_text(
                self.tr("Nothing planned"),
                self.tr(
                    "Calls, meetings and tasks you plan show here by day. Press Ctrl+N to "
                    "plan the next step, or open a card and plan it there."
                ),
            )
            self.stack.setCurrentWidget(self.empty)
        self.mentions.clear()
        for mention in data.mentions:
            when = formatting.date_time(mention.at, to_local=False)
            where = " · ".join(x for x in (mention.party_name, when) if x)
            text = f"{mention.author_name}: {mention.text}\n{where}"
            entry = QListWidgetItem(icon("mention"), text)
            entry.setData(ITEM_ROLE, mention)
            self.mentions.addItem(entry)
        if not data.mentions:
            placeholder = QListWidgetItem(self.tr("No one has mentioned you yet."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.mentions.addItem(placeholder)
        if self.tree.currentItem() is None:
            first = self.tree.topLevelItem(0)
            child = first.child(0) if first is not None else None
            if child is not None:
                self.tree.setCurrentItem(child)
        self._update_buttons()

    # -- selection ----------------------------------------------------------

    def selected_item(self) -> AgendaItem | None:
        current = self.tree.currentItem()
        return current.data(0, ITEM_ROLE) if current is not None else None

    def select_interaction(self, interaction_id: int) -> bool:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None
            for j in range(group.childCount()):
                child = group.child(j)
                if child is None:
                    continue
                item = child.data(0, ITEM_ROLE)
                if (item.kind, item.id) == ("interaction", interaction_id):
                    self.tree.setCurrentItem(child)
                    return True
        return False

    def selected(self) -> tuple[str, int] | None:
        item = self.selected_item()
        card = agenda_source.opens(item) if item is not None else None
        return (card[0], card[1]) if card is not None else None

    def _update_buttons(self) -> None:
        item = self.selected_item()
        movable = item is not None and item.kind in MOVABLE
        self.done_button.setEnabled(item is not None)
        self.reschedule_button.setEnabled(movable)
        self.edit_button.setVisible(item is not None and item.kind == "task")
        self.open_button.setEnabled(item is not None and agenda_source.opens(item) is not None)

    def open_selected(self) -> None:
        item = self.selected_item()
        card = agenda_source.opens(item) if item is not None else None
        if card is not None:
            self.open_requested.emit(*card)

    def _on_mentions_item_activated(self, entry: QListWidgetItem) -> None:
        mention = entry.data(ITEM_ROLE)
        if mention is None:
            return
        for kind in ("client", "lead", "deal", "contact"):
            object_id = getattr(mention, f"{kind}_id")
            if object_id is not None:
                self.open_requested.emit(kind, object_id, mention.party_name or "")
                return

    # -- writes -------------------------------------------------------------

    def _write(self, use_case: Any, on_error: Any = None) -> None:
        self._work.run(use_case, lambda _r: self.refresh(), on_error)

    def complete_selected(self) -> None:
        item = self.selected_item()
        if item is None:
            return
        if item.kind == "task":
            self.tasks.complete(item.id)
            return
        now = dt.datetime.now(item.start.tzinfo) if item.start is not None else None
        if item.start is None or now is None or item.start <= now:
            self._complete(item, None)
            return
        # planned for later but done already: when? (else "Last contact: tomorrow")
        self.dialog = dialog = WhenDialog(
            self.tr("When did it happen?"),
            now.replace(tzinfo=None, second=0, microsecond=0),
            self.tr("It was planned for %1. Mark it done at:").replace(
                "%1", formatting.date_time(item.start, to_local=False)
            ),
            self,
            past=True,
        )
        dialog.accepted.connect(lambda: self._complete(item, dialog.value()))
        dialog.open()

    def _complete(self, item: AgendaItem, at: dt.datetime | None) -> None:
        def on_error(exc: BaseException) -> None:
            if isinstance(exc, ValidationError) and exc.field == "next":
                self._ask_next_step(item, error_text.message(exc), at)
            else:
                self._ctx.report_error(exc)

        self._write(lambda db, actor: interactions.complete(db, actor, item.id, at=at), on_error)

    def _ask_next_step(self, item: AgendaItem, message: str, at: dt.datetime | None) -> None:
        """The deal must always have a next step (SPEC A4): plan it, then
        complete this one and save the next in the same transaction."""
        self.dialog = NextStepDialog(self._ctx, interaction_id=item.id, reason=message, parent=self)

        def collected(step: ix.NewInteraction) -> None:
            self._write(
                lambda db, actor: interactions.complete(db, actor, item.id, next_step=step, at=at)
            )

        self.dialog.collected.connect(collected)
        self.dialog.open()
