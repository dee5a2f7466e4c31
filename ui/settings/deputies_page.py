"""Settings → Deputies (#20): who stands in for whom and until when, adding
a deputy before an absence and ending one early.

Every user works here on their own periods (as the absent colleague or as
the deputy); an administrator sees and sets anyone's. A period changes whose
clients the deputy sees, so after a change the acting user's view of
colleagues is read again before the change is posted on the bus: an open
client list or card then reloads with what the user may see now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
)

from services.core import bootstrap, settings, timezones, users
from services.core.changes import Changes, Outcome
from services.core.views import UserView
from services.parties import deputies, transfers
from services.parties.deputies import DeputyPeriod
from ui.context import UiContext
from ui.settings.admin_page import AdminPage
from ui.widgets import claimed_keys, timefmt
from ui.widgets.questions import confirm_destructive


@dataclasses.dataclass(frozen=True)
class Loaded:
    periods: list[DeputyPeriod]
    colleagues: list[UserView]  # active, by full name
    zone: str  # the window's time zone


class DeputyDialog(QDialog):
    """A colleague and an end; for an administrator also whose absence."""

    def __init__(
        self, colleagues: list[UserView], me: int, admin: bool, zone: str, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a deputy"))
        self._zone = zone
        self._colleagues = colleagues
        self.absent = QComboBox()
        self.deputy = QComboBox()
        for person in colleagues:
            self.absent.addItem(person.full_name or person.login, person.id)
        self.absent.setCurrentIndex(max(0, self.absent.findData(me)))
        self._offer_deputies()
        self.absent.currentIndexChanged.connect(self._on_absent_current_index_changed)
        self.until = QDateTimeEdit()
        self.until.setCalendarPopup(True)
        self.until.setTimeZone(QTimeZone(zone.encode()))
        now = QDateTime.currentDateTime().toTimeZone(QTimeZone(zone.encode()))
        self.until.setMinimumDateTime(now)
        self.until.setMaximumDateTime(now.addDays(transfers.MAX_DEPUTY_DAYS - 1))
        self.until.setDateTime(now.addDays(7))
        form = QFormLayout(self)
        if admin:
            form.addRow(self.tr("For whom"), self.absent)
        form.addRow(self.tr("Deputy"), self.deputy)
        form.addRow(self.tr("Until"), self.until)
        note = QLabel(self.tr("Until then the deputy sees the absent colleague's clients."))
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(self.deputy.count() > 0)
        form.addRow(buttons)

    def _offer_deputies(self) -> None:
        """Everyone but the absent colleague: nobody stands in for themselves
        (the use case refuses it too), and the choice made stays if it can."""
        absent = self.absent.currentData()
        kept = self.deputy.currentData()
        self.deputy.clear()
        for person in self._colleagues:
            if person.id != absent:
                self.deputy.addItem(person.full_name or person.login, person.id)
        self.deputy.setCurrentIndex(max(0, self.deputy.findData(kept)))

    def _on_absent_current_index_changed(self, _index: int) -> None:
        self._offer_deputies()
        self.ok.setEnabled(self.deputy.count() > 0)

    def chosen(self) -> tuple[int, int, dt.datetime]:
        """(absent, deputy, until in UTC)."""
        until = dt.datetime.fromtimestamp(self.until.dateTime().toSecsSinceEpoch(), dt.UTC)
        return int(self.absent.currentData()), int(self.deputy.currentData()), until


class DeputiesPage(AdminPage):
    """An AdminPage for its loading, but open to every user: each changes
    only their own periods, and the use cases refuse anything else."""

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.editable = True
        self.read_only_note.setVisible(False)
        self.data = Loaded([], [], "UTC")
        # a colleague added or deactivated (Settings → Users, elsewhere) is
        # offered, or no longer, without leaving the page
        ctx.bus.changed.connect(self._on_bus_changed)
        intro = QLabel(
            self.tr(
                "A deputy stands in for a colleague who is away: until the end you set,"
                " the deputy sees the absent colleague's clients, then no longer."
            )
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Deputy"), self.tr("Stands in for"), self.tr("Until")])
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.empty = QLabel(
            self.tr(
                "Nobody stands in for anyone now. Going away? Add a deputy (Ctrl+N):"
                " a colleague who sees your clients until you are back."
            )
        )
        self.empty.setWordWrap(True)
        self.empty.setProperty("role", "muted")
        self.add_button = QPushButton(self.tr("Add a deputy…"))
        self.add_button.setToolTip(self.tr("Add a deputy (Ctrl+N)"))
        self.end_button = QPushButton(self.tr("End now"))
        self.end_button.setToolTip(self.tr("End the chosen period now (Delete)"))
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.end_button.clicked.connect(self._on_end_button_clicked)
        # Ctrl+N is the window's "new interaction" too: the page claims it
        claimed_keys.claim(self, QKeySequence("Ctrl+N"), self._on_add_button_clicked)
        end = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self)
        end.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        end.activated.connect(self._on_end_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.end_button)
        row.addStretch(1)
        self.column.addWidget(intro)
        self.column.addWidget(self.list, 1)
        self.column.addWidget(self.empty)
        self.column.addLayout(row)
        self.column.addStretch(0)
        self._show()

    def refresh(self) -> None:
        def load(uow: Any, actor: Any) -> Loaded:
            return Loaded(
                deputies.periods(uow, actor), users.users(uow, actor), settings.display_zone(uow)
            )

        self._work.read(load, self._on_loaded)

    def _on_bus_changed(self, changes: Changes) -> None:
        if self.loaded and changes.touches("user"):
            self.refresh()

    def _on_loaded(self, data: Loaded) -> None:
        self.loaded = True
        self.data = data
        self._show()

    def _show(self) -> None:
        zone = timezones.zone(self.data.zone)
        self.list.clear()
        for period in self.data.periods:
            until = timefmt.when(period.until.astimezone(zone), self.data.zone)
            item = QTreeWidgetItem([period.deputy_name, period.absent_name, until])
            item.setData(0, Qt.ItemDataRole.UserRole, period.id)
            self.list.addTopLevelItem(item)
        for column in range(3):  # names apart from the next column, whatever their length
            self.list.resizeColumnToContents(column)
            self.list.setColumnWidth(column, max(self.list.columnWidth(column) + 32, 180))
        first = self.list.topLevelItem(0)
        if first is not None:
            self.list.setCurrentItem(first)
        self.list.setVisible(bool(self.data.periods))
        self.empty.setVisible(not self.data.periods)
        self._update_buttons()

    def current(self) -> DeputyPeriod | None:
        item = self.list.currentItem()
        row = -1 if item is None else self.list.indexOfTopLevelItem(item)
        return self.data.periods[row] if 0 <= row < len(self.data.periods) else None

    def _update_buttons(self) -> None:
        self.end_button.setEnabled(self.current() is not None)

    def _on_list_current_item_changed(self, *_args: Any) -> None:
        self._update_buttons()

    def add_deputy(self, absent: int, deputy: int, until: dt.datetime) -> None:
        me = self._ctx.actor.id
        self._change(
            lambda db, actor: transfers.set_deputy(
                db, actor, deputy, until, absent=None if absent == me else absent
            )
        )

    def end(self, period_id: int) -> None:
        self._change(lambda db, actor: deputies.end_period(db, actor, period_id))

    def _on_add_button_clicked(self) -> None:
        ctx = self._ctx
        dialog = DeputyDialog(
            self.data.colleagues, ctx.actor.id, ctx.actor.can_admin(), self.data.zone, self
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.add_deputy(*dialog.chosen())

    def _on_end_button_clicked(self) -> None:
        period = self.current()
        if period is None:
            return
        if confirm_destructive(
            self,
            self.tr("End the deputy period"),
            self.tr("End now? %1 will no longer see the clients of %2.")
            .replace("%1", period.deputy_name)
            .replace("%2", period.absent_name),
            self.tr("End the deputy period"),
        ):
            self.end(period.id)

    def _change(self, use_case: Any) -> None:
        """Run the use case, then read who the user sees now, on the write lane."""
        ctx = self._ctx

        def task() -> tuple[Outcome[Any], Any]:
            done = use_case(ctx.db, ctx.actor)
            with ctx.db.reader(ctx.actor.id) as uow:
                return done, bootstrap.who_acts(uow.session, ctx.actor.login)

        self._work.submit(ctx.writes, task, self._on_changed, None)

    def _on_changed(self, result: tuple[Outcome[Any], Any]) -> None:
        done, actor = result
        self._ctx.actor = actor  # a deputy's view of colleagues' clients changed
        self._ctx.bus.deliver(done)
        self.refresh()
