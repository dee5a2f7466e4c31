"""Settings: phone region, display time zone and the other database-wide
settings (``services.core.settings``), the interface language and mail defaults
(per computer, QSettings), and the linked mailboxes; email templates and AI
drafting and the rest on their own pages, chosen from a list of sections on
the left and loaded the first time they are shown."""

from __future__ import annotations

import functools
from typing import Any
from zoneinfo import available_timezones

import phonenumbers
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.core import settings, timezones
from services.core import use_cases as core_cases
from services.mail import accounts
from ui.context import UiContext
from ui.mail.account_dialog import AccountDialog
from ui.settings.admin_page import AdminPage
from ui.settings.ai_page import AiPage
from ui.settings.calendar_page import CalendarPage
from ui.settings.database_page import DatabasePage
from ui.settings.deputies_page import DeputiesPage
from ui.settings.fields_page import FieldsPage
from ui.settings.inbound_page import InboundPage
from ui.settings.pipelines_page import PipelinesPage
from ui.settings.scenarios_page import ScenariosPage
from ui.settings.templates_page import TemplatesPage
from ui.settings.types_page import TypesPage
from ui.settings.users_page import UsersPage
from ui.shell import i18n
from ui.shell.icons import icon
from ui.shell.preferences import Preferences
from ui.widgets.country_names import country_choices
from ui.widgets.lazy_tabs import LazyTabs
from ui.widgets.plain import plain_label, tooltip
from ui.widgets.questions import confirm_destructive
from ui.widgets.section_tabs import SectionTabs
from ui.widgets.work import Work

DB_KEYS = ("default_region", "default_timezone", "softphone_command", "link_minutes")


def regions() -> list[tuple[str, str]]:
    """(code, "Country (CC)") in the window's language, sorted by name."""
    return country_choices(phonenumbers.SUPPORTED_REGIONS)


@functools.cache
def zones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def _searchable(combo: QComboBox) -> None:
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = combo.completer()
    assert completer is not None  # editable combos have one
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


def _align_labels(*forms: QFormLayout) -> None:
    """One label column for all groups, so the fields line up."""
    labels = [
        item.widget()
        for form in forms
        for row in range(form.rowCount())
        if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
    ]
    widest = max((label.sizeHint().width() for label in labels if label is not None), default=0)
    for label in labels:
        if label is not None:
            label.setMinimumWidth(widest)


class SettingsPanel(QWidget):
    def __init__(self, ctx: UiContext, prefs: Preferences | None = None, parent: Any = None):
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._prefs = prefs or Preferences()
        self.dialog: AccountDialog | None = None

        self.region = QComboBox()
        for code, label in regions():
            self.region.addItem(label, code)
        _searchable(self.region)
        self.timezone = QComboBox()
        self.timezone.addItem(
            self.tr("As on this computer (%1)").replace("%1", timezones.machine_zone()), ""
        )
        for name in zones():
            self.timezone.addItem(name.replace("_", " "), name)
        _searchable(self.timezone)
        self.softphone = QLineEdit()
        self.softphone.setPlaceholderText(self.tr("empty: open tel: links with the system"))
        self.link_minutes = QSpinBox()
        self.link_minutes.setRange(1, 7 * 24 * 60)
        self.link_minutes.setSuffix(self.tr(" min"))
        self.language = QComboBox()
        for code, label in i18n.language_names():
            self.language.addItem(label, code)
        self.language_note = QLabel(self.tr("The language changes after a restart."))
        self.language_note.setProperty("role", "muted")
        self.sync_minutes = QSpinBox()
        self.sync_minutes.setRange(1, 1440)
        self.sync_minutes.setSuffix(self.tr(" min"))

        general = QGroupBox(self.tr("Working with clients"))
        form = general_form = QFormLayout(general)
        form.addRow(self.tr("Phone numbers without a country code are in"), self.region)
        form.addRow(self.tr("Show times in the zone"), self.timezone)
        form.addRow(self.tr("Softphone command"), self.softphone)
        form.addRow(self.tr("Link earlier mail and calls every"), self.link_minutes)
        # Database-wide settings are the administrator's: a manager sees them
        # read-only and still saves what is theirs (language, mail check).
        self.shared_note = QLabel(self.tr("Only an administrator can change these."))
        self.shared_note.setProperty("role", "muted")
        if not ctx.actor.can_admin():
            for widget in (self.region, self.timezone, self.softphone, self.link_minutes):
                widget.setEnabled(False)
            form.addRow(self.shared_note)

        look = QGroupBox(self.tr("Interface"))
        form = look_form = QFormLayout(look)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.language_note)

        mail = QGroupBox(self.tr("Mail accounts"))
        self.accounts = QListWidget()
        self.accounts.setFixedHeight(96)
        self.add_account = QPushButton(icon("new"), self.tr("Add account…"))
        self.add_account.clicked.connect(self._on_add_account_clicked)
        mail_form = QFormLayout()
        mail_form.addRow(self.tr("New accounts check for mail every"), self.sync_minutes)
        column = QVBoxLayout(mail)
        column.addWidget(self.accounts)
        row = QHBoxLayout()
        row.addWidget(self.add_account)
        row.addStretch()
        column.addLayout(row)
        column.addLayout(mail_form)

        database = QGroupBox(self.tr("Database"))
        self.database_place = QLabel(ctx.db.url)
        self.database_place.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.database_place.setWordWrap(True)
        self.backup_button = QPushButton(self.tr("Back up…"))
        self.backup_button.clicked.connect(self._on_backup_button_clicked)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        db_form = QFormLayout()
        db_form.addRow(self.tr("Stored in"), self.database_place)
        db_column = QVBoxLayout(database)
        db_column.addLayout(db_form)
        db_row = QHBoxLayout()
        db_row.addWidget(self.backup_button)
        db_row.addWidget(self.restore_button)
        db_row.addStretch()
        db_column.addLayout(db_row)
        # a team server is backed up by its admin; a copy holds every manager's records
        if not ctx.db.is_sqlite or not ctx.actor.can_admin():
            self.backup_button.setEnabled(False)
            self.restore_button.setEnabled(False)

        _align_labels(general_form, look_form, mail_form, db_form)
        self.save_button = QPushButton(self.tr("Save settings"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.saved_label = plain_label()
        self.saved_label.setProperty("role", "muted")
        footer = QHBoxLayout()
        footer.addWidget(self.save_button)
        footer.addWidget(self.saved_label, 1)

        body = QWidget()
        body.setMaximumWidth(760)
        layout = QVBoxLayout(body)
        for group in (general, look, mail, database):
            group.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            layout.addWidget(group)
        layout.addLayout(footer)
        layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(16, 12, 16, 12)
        holder_layout.addWidget(body)
        holder_layout.addStretch()
        scroll.setWidget(holder)

        # a list of sections on the left: a dozen Russian tab names were wider than 1366 px
        self.tabs = SectionTabs()
        self.tabs.list.setAccessibleName(self.tr("Settings sections"))
        self.tabs.addTab(scroll, self.tr("General"))
        # Built when first shown (ui/widgets/lazy_tabs.py): a start never pays for them.
        self._pages = LazyTabs(self.tabs)
        for key, label, factory in (
            ("templates", self.tr("Templates"), lambda: TemplatesPage(ctx)),
            ("ai", self.tr("AI drafting"), lambda: AiPage(ctx)),
            ("scenarios", self.tr("Scenarios"), lambda: ScenariosPage(ctx)),
            ("types", self.tr("Interaction types"), lambda: TypesPage(ctx)),
            ("fields", self.tr("Fields"), lambda: FieldsPage(ctx)),
            ("pipelines", self.tr("Pipelines"), lambda: PipelinesPage(ctx)),
            ("users", self.tr("Users"), lambda: UsersPage(ctx)),
            ("deputies", self.tr("Deputies"), lambda: DeputiesPage(ctx)),
            ("calendar", self.tr("Working calendar"), lambda: CalendarPage(ctx)),
            ("database", self.tr("Database"), lambda: DatabasePage(ctx, self._prefs)),
            ("inbound", self.tr("Sources && rules"), lambda: InboundPage(ctx)),
        ):
            self._pages.add(key, label, factory)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.tabs)

    @property
    def templates_page(self) -> TemplatesPage:
        return self._pages.page("templates")  # type: ignore[return-value]

    @property
    def ai_page(self) -> AiPage:
        return self._pages.page("ai")  # type: ignore[return-value]

    @property
    def scenarios_page(self) -> ScenariosPage:
        return self._pages.page("scenarios")  # type: ignore[return-value]

    @property
    def types_page(self) -> TypesPage:
        return self._pages.page("types")  # type: ignore[return-value]

    @property
    def fields_page(self) -> FieldsPage:
        return self._pages.page("fields")  # type: ignore[return-value]

    @property
    def pipelines_page(self) -> PipelinesPage:
        return self._pages.page("pipelines")  # type: ignore[return-value]

    @property
    def users_page(self) -> UsersPage:
        return self._pages.page("users")  # type: ignore[return-value]

    @property
    def deputies_page(self) -> DeputiesPage:
        return self._pages.page("deputies")  # type: ignore[return-value]

    @property
    def calendar_page(self) -> CalendarPage:
        return self._pages.page("calendar")  # type: ignore[return-value]

    @property
    def database_page(self) -> DatabasePage:
        return self._pages.page("database")  # type: ignore[return-value]

    @property
    def inbound_page(self) -> InboundPage:
        return self._pages.page("inbound")  # type: ignore[return-value]

    def _on_tabs_current_changed(self, _index: int) -> None:
        page = self.tabs.currentWidget()
        if isinstance(page, TemplatesPage | AiPage | AdminPage | ScenariosPage) and not page.loaded:
            page.refresh()

    def refresh(self) -> None:
        """Reload the General tab, and the other tabs once they have been shown."""
        for page in self._pages.built():  # a page never shown loads when it is
            if isinstance(page, DatabasePage):
                continue
            if getattr(page, "loaded", False) or self.tabs.currentWidget() is page:
                page.refresh()  # type: ignore[attr-defined]

        def load(uow: Any, actor: Any) -> tuple[dict[str, str], list[accounts.AccountView]]:
            values = {key: settings.get(uow, key) for key in DB_KEYS}
            return values, accounts.list_accounts(uow, actor)

        self._work.read(load, self._on_loaded)

    def _on_loaded(self, result: tuple[dict[str, str], list[Any]]) -> None:
        values, mailboxes = result
        self.region.setCurrentIndex(max(0, self.region.findData(values["default_region"])))
        self.timezone.setCurrentIndex(max(0, self.timezone.findData(values["default_timezone"])))
        self.softphone.setText(values["softphone_command"])
        self.link_minutes.setValue(int(values["link_minutes"] or 60))
        self.language.setCurrentIndex(max(0, self.language.findData(self._prefs.language)))
        self.sync_minutes.setValue(self._prefs.sync_minutes)
        self.accounts.clear()
        for acc in mailboxes:
            item = QListWidgetItem(icon("mail"), acc.email)
            if acc.last_error:
                item.setToolTip(tooltip(acc.last_error))
            self.accounts.addItem(item)
        if not mailboxes:
            self.accounts.addItem(
                self.tr("No mailbox linked yet: link one with “Add account…” below.")
            )

    def values(self) -> dict[str, str]:
        return {
            "default_region": self.region.currentData() or "",
            "default_timezone": self.timezone.currentData() or "",
            "softphone_command": self.softphone.text().strip(),
            "link_minutes": str(self.link_minutes.value()),
        }

    def save(self) -> None:
        self._prefs.language = self.language.currentData()
        self._prefs.sync_minutes = self.sync_minutes.value()
        self._prefs.sync()
        if not self._ctx.actor.can_admin():  # only their own choices are theirs to save
            self._on_saved(None)
            return
        values = self.values()

        self.save_button.setEnabled(False)
        self._work.run(
            lambda db, actor: core_cases.save_settings(db, actor, values),
            self._on_saved,
            self._on_save_failed,
        )

    def _on_saved(self, _result: object) -> None:
        self.save_button.setEnabled(True)
        self.saved_label.setText(self.tr("Saved."))

    def _on_save_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.saved_label.setText("")
        self._ctx.report_error(exc)

    def _on_add_account_clicked(self) -> None:
        self.dialog = AccountDialog(self._ctx, self.sync_minutes.value(), self)
        self.dialog.added.connect(lambda _view: self.refresh())
        self.dialog.open()

    def _on_backup_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Back up the database"),
            "touchpoint-backup.sqlite3",
            self.tr("Touchpoint database (*.sqlite3)"),
        )
        if path:
            self.backup_to(path)

    def backup_to(self, path: str) -> None:
        from pathlib import Path

        self._work.run(
            lambda db, actor: core_cases.backup_database(db, actor, Path(path)),
            self._on_backup_done,
        )

    def _on_backup_done(self, result: Any) -> None:
        self.saved_label.setText(self.tr("Backed up to %1").replace("%1", str(result.path)))

    def _on_restore_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Restore the database"),
            "",
            self.tr("Touchpoint database (*.sqlite3);;All files (*)"),
        )
        if not path:
            return
        if confirm_destructive(
            self,
            self.tr("Restore the database"),
            self.tr(
                "Replace everything in Touchpoint with this backup? The current "
                "database is kept next to it, and Touchpoint should be restarted after."
            ),
            self.tr("Restore the database"),
        ):
            self.restore_from(path)

    def restore_from(self, path: str) -> None:
        from pathlib import Path

        self._work.run(
            lambda db, actor: core_cases.restore_database(db, actor, Path(path)),
            self._on_restore_done,
        )

    def _on_restore_done(self, result: Any) -> None:
        self.saved_label.setText(
            self.tr("Restored. Restart Touchpoint; the previous database is kept as %1").replace(
                "%1", str(result.path)
            )
        )
