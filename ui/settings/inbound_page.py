"""Settings → Sources & rules (SPEC G2-G4, the seed's "Обращения и заявки"):
the request sources with their "Process requests" flag, and each source's
rules in the order they are tried, with a dry run over the last requests."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.inbound import setup
from services.inbound.rule_choices import RuleChoices, rule_choices
from services.inbound.views import RuleView, SourceView
from services.mail import accounts
from services.mail.accounts import AccountView
from ui.context import UiContext
from ui.inbound import texts
from ui.inbound.dry_run_dialog import DryRunDialog
from ui.inbound.rule_dialog import DRY_RUN_DEFAULT, RuleDialog
from ui.inbound.source_dialogs import MappingDialog, SourceDialog, TokenDialog
from ui.settings import inbound_rule_rows
from ui.settings.admin_page import AdminPage
from ui.settings.form_parts import muted
from ui.shell import formatting
from ui.widgets.empty_state import EmptyHint
from ui.widgets.plain import plain_label, quoted, tooltip
from ui.widgets.questions import destructive_box
from ui.widgets.restore_dialog import RestoreDialog
from ui.widgets.two_line_delegate import SUBTITLE_ROLE, TwoLineDelegate
from ui.widgets.work import reading


class InboundPage(AdminPage):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(ctx, parent)
        self.sources: list[SourceView] = []
        self.rules: list[RuleView] = []
        self.accounts: list[AccountView] = []
        self.choices: RuleChoices | None = None
        self.dialog: QDialog | None = None

        self.source_list = QListWidget()
        self.source_list.setItemDelegate(TwoLineDelegate(self.source_list))
        self.source_list.setUniformItemSizes(True)
        self.source_list.currentRowChanged.connect(self._on_source_row_changed)
        self.add_source_button = QPushButton(self.tr("Add source…"))
        self.add_source_button.clicked.connect(self.add_source)
        self.removed_button = QPushButton(self.tr("Removed…"))
        self.removed_button.setToolTip(self.tr("Removed sources, to restore one"))
        self.removed_button.clicked.connect(self.show_removed)
        self.removed_button.setEnabled(self.editable)
        self.no_sources = EmptyHint(
            self.tr("No request sources"),
            self.tr("Add your info@ mailbox, the web-form mailbox or a Telegram bot."),
        )
        # shown once a read found no source (before that it only flashed), its title
        # wrapped: in one line it made the window grow past a 1366 px screen
        self.no_sources.hide()
        self.no_sources.title.setWordWrap(True)
        hint_column = self.no_sources.layout()
        if hint_column is not None:  # EmptyHint's column
            hint_column.setContentsMargins(4, 24, 4, 24)
        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        left_col.addWidget(plain_label(self.tr("Sources")))
        left_col.addWidget(self.source_list, 1)
        left_col.addWidget(self.no_sources, 1)
        left_col.addWidget(self.add_source_button)
        left_col.addWidget(self.removed_button)

        self.process = QCheckBox(self.tr("Process requests"))
        self.process.setToolTip(
            self.tr("New messages of this source become requests and its rules run on them")
        )
        self.process.clicked.connect(self._on_process_clicked)
        self.details = muted()
        self.token_button = QPushButton(self.tr("Bot token…"))
        self.token_button.clicked.connect(self.ask_token)
        self.mapping_button = QPushButton(self.tr("Form fields…"))
        self.mapping_button.clicked.connect(self.edit_mapping)
        self.remove_source_button = QPushButton(self.tr("Remove source…"))
        self.remove_source_button.clicked.connect(self.remove_source)
        source_buttons = QHBoxLayout()
        source_buttons.addWidget(self.process)
        source_buttons.addStretch(1)
        source_buttons.addWidget(self.mapping_button)
        source_buttons.addWidget(self.token_button)
        source_buttons.addWidget(self.remove_source_button)

        self.rule_tree = QTreeWidget()
        self.rule_tree.setHeaderLabels(
            [self.tr("Rule"), self.tr("Keywords"), self.tr("Assign to"), self.tr("Action")]
        )
        self.rule_tree.setRootIsDecorated(False)
        self.rule_tree.setUniformRowHeights(True)
        self.rule_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.rule_tree.header()
        header.setStretchLastSection(False)
        # the keywords and the queue share what the rule's name and action leave;
        # both are elided and in full in their tooltips (the keywords had 60 px)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        for column in (0, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.rule_tree.setStyleSheet("QTreeView::item { padding: 3px 2px; }")
        self.rule_tree.currentItemChanged.connect(self._update_buttons)
        self.rule_tree.itemDoubleClicked.connect(lambda *_: self.edit_rule())
        self.add_rule_button = QPushButton(self.tr("Add rule…"))
        self.edit_rule_button = QPushButton(self.tr("Edit…"))
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.dry_run_button = QPushButton(self.tr("Dry run…"))
        self.dry_run_button.setToolTip(
            self.tr("What the saved rules would do with the last requests, beside what happened")
        )
        self.add_rule_button.clicked.connect(lambda: self.edit_rule(new=True))
        self.edit_rule_button.clicked.connect(lambda: self.edit_rule())
        self.up_button.clicked.connect(lambda: self.move_rule(-1))
        self.down_button.clicked.connect(lambda: self.move_rule(1))
        self.remove_button.clicked.connect(self.remove_rule)
        self.dry_run_button.clicked.connect(self.run_dry)
        rule_buttons = QHBoxLayout()
        for button in (
            self.add_rule_button,
            self.edit_rule_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ):
            rule_buttons.addWidget(button)
        rule_buttons.addStretch(1)
        rule_buttons.addWidget(self.dry_run_button)

        self.source_box = QGroupBox()
        box_col = QVBoxLayout(self.source_box)
        box_col.addWidget(self.details)
        box_col.addLayout(source_buttons)
        box_col.addWidget(
            muted(self.tr("Rules are tried from the top; the first that matches applies."))
        )
        box_col.addWidget(self.rule_tree, 1)
        box_col.addLayout(rule_buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.source_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        self.column.addWidget(splitter, 1)
        ctx.bus.changed.connect(self._on_bus_changed)
        self._update_buttons()

    # --- loading --------------------------------------------------------------------

    def refresh(self) -> None:
        ctx = self._ctx

        def load() -> tuple[list[SourceView], list[RuleView], list[AccountView], RuleChoices]:
            found, choices = reading(
                ctx, lambda uow, actor: (accounts.list_accounts(uow, actor), rule_choices(uow))
            )()
            return (
                setup.list_sources(ctx.db, ctx.actor),
                setup.list_rules(ctx.db, ctx.actor),
                found,
                choices,
            )

        self._work.submit(ctx.reads, load, self._on_loaded, None)

    def _on_loaded(
        self, loaded: tuple[list[SourceView], list[RuleView], list[AccountView], RuleChoices]
    ) -> None:
        self.loaded = True
        current = self.current_source()
        self.sources, self.rules, self.accounts, self.choices = loaded
        self.source_list.blockSignals(True)
        self.source_list.clear()
        for source in self.sources:
            kind = texts.channel_label(source.kind)
            if not source.process_requests:
                kind += " · " + self.tr("not processed")
            item = QListWidgetItem(source.name)
            item.setData(SUBTITLE_ROLE, kind)
            lines = (source.name, kind, source.last_error)
            item.setToolTip(tooltip("\n".join(line for line in lines if line)))
            self.source_list.addItem(item)
        self.source_list.blockSignals(False)
        row = next(
            (n for n, s in enumerate(self.sources) if current and s.id == current.id),
            0 if self.sources else -1,
        )
        self.source_list.setCurrentRow(row)
        self.source_list.setVisible(bool(self.sources))
        self.no_sources.setVisible(not self.sources)
        self._show_source()

    def current_source(self) -> SourceView | None:
        row = self.source_list.currentRow()
        return self.sources[row] if 0 <= row < len(self.sources) else None

    def source_rules(self) -> list[RuleView]:
        source = self.current_source()
        found = [r for r in self.rules if source is not None and r.source_id == source.id]
        return sorted(found, key=lambda r: (r.position, r.id))

    def current_rule(self) -> RuleView | None:
        item = self.rule_tree.currentItem()
        rule_id = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return next((r for r in self.rules if r.id == rule_id), None)

    def _show_source(self) -> None:
        source = self.current_source()
        self.source_box.setVisible(source is not None)
        if source is None:
            return
        self.source_box.setTitle(source.name)
        self.process.setChecked(source.process_requests)
        lines = [texts.channel_label(source.kind)]
        if source.kind in ("mail_account", "web_form"):
            email = next((a.email for a in self.accounts if a.id == source.mail_account_id), "—")
            lines.append(
                self.tr("Mailbox %1, folder %2").replace("%1", email).replace("%2", source.folder)
            )
        if source.last_poll_at is not None:
            lines.append(
                self.tr("Last checked %1").replace("%1", formatting.date_time(source.last_poll_at))
            )
        if source.last_error:
            lines.append(self.tr("Last error: %1").replace("%1", source.last_error))
        self.details.setText("\n".join(lines))
        self.token_button.setVisible(source.kind == "telegram")
        self.mapping_button.setVisible(source.kind == "web_form")
        chosen = self.current_rule()
        self.rule_tree.clear()
        for rule in self.source_rules():
            item = QTreeWidgetItem(inbound_rule_rows.row(rule, self.choices))
            item.setData(0, Qt.ItemDataRole.UserRole, rule.id)
            item.setToolTip(1, tooltip(rule.keywords))
            item.setToolTip(2, tooltip(item.text(2)))
            self.rule_tree.addTopLevelItem(item)
            if chosen is not None and rule.id == chosen.id:
                self.rule_tree.setCurrentItem(item)
        self._update_buttons()

    def _update_buttons(self, *_args: Any) -> None:
        source, rule = self.current_source(), self.current_rule()
        rules = self.source_rules()
        index = rules.index(rule) if rule in rules else -1
        self.add_source_button.setEnabled(self.editable)
        self.process.setEnabled(self.editable and source is not None)
        self.token_button.setEnabled(self.editable)
        self.mapping_button.setEnabled(self.editable)
        self.remove_source_button.setEnabled(self.editable and source is not None)
        self.add_rule_button.setEnabled(self.editable and source is not None)
        for button in (self.edit_rule_button, self.remove_button):
            button.setEnabled(self.editable and rule is not None)
        self.up_button.setEnabled(self.editable and index > 0)
        self.down_button.setEnabled(self.editable and 0 <= index < len(rules) - 1)
        self.dry_run_button.setEnabled(self.editable and source is not None)

    # --- actions --------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def add_source(self) -> None:
        dialog = SourceDialog(self._ctx, self.accounts, self)
        dialog.saved.connect(self._done)
        self._open(dialog)

    def show_removed(self) -> None:
        """Removed sources with Restore; one comes back not processing."""
        dialog = RestoreDialog(
            self._ctx,
            self.tr("Removed sources"),
            self.tr("No removed sources."),
            setup.list_removed_sources,
            lambda source_id: lambda db, actor: setup.restore_source(db, actor, source_id),
            self,
        )
        dialog.restored.connect(self._done)
        self._open(dialog)

    def ask_token(self) -> None:
        source = self.current_source()
        if source is not None:
            self._open(TokenDialog(self._ctx, source, self))

    def edit_mapping(self) -> None:
        source = self.current_source()
        if source is not None:
            self._open(MappingDialog(self._ctx, source, self))

    def _on_process_clicked(self, checked: bool) -> None:
        source = self.current_source()
        if source is None:
            return
        self._work.run(
            lambda db, actor: setup.set_source(db, actor, source.id, process_requests=checked),
            self._done,
        )

    def edit_rule(self, *, new: bool = False) -> None:
        source, choices = self.current_source(), self.choices
        rule = None if new else self.current_rule()
        if source is None or choices is None or (rule is None and not new):
            return
        dialog = RuleDialog(self._ctx, source.id, self.source_rules(), choices, rule, self)
        dialog.saved.connect(self._done)
        self._open(dialog)

    def move_rule(self, step: int) -> None:
        rule, rules = self.current_rule(), self.source_rules()
        if rule is None or rule not in rules:
            return
        index = rules.index(rule)
        # "before" the rule that will follow it: one up is before the one above
        # it; one down is before the one two below (None: to the end).
        target = index - 1 if step < 0 else index + 2
        before = rules[target].id if 0 <= target < len(rules) else None
        self._work.run(lambda db, actor: setup.move_rule(db, actor, rule.id, before), self._done)

    def remove_rule(self) -> None:
        rule = self.current_rule()
        if rule is None:
            return
        box, yes = destructive_box(
            self,
            self.tr("Remove the rule"),
            self.tr("Remove the rule %1? Requests it routed keep what it did.").replace(
                "%1", quoted(rule.name)
            ),
            self.tr("Remove the rule"),
        )
        box.finished.connect(
            lambda _r: (
                self._work.run(lambda db, actor: setup.remove_rule(db, actor, rule.id), self._done)
                if box.clickedButton() is yes
                else None
            )
        )
        self._open(box)

    def remove_source(self) -> None:
        """Archive the source after a confirmation: it is polled no more, its
        requests stay in Inbound."""
        source = self.current_source()
        if source is None:
            return
        box, yes = destructive_box(
            self,
            self.tr("Remove the source"),
            self.tr(
                "Remove the source %1? It will not be checked any more; "
                "its requests stay in Inbound."
            ).replace("%1", quoted(source.name)),
            self.tr("Remove the source"),
        )
        box.finished.connect(
            lambda _r: (
                self._work.run(
                    lambda db, actor: setup.remove_source(db, actor, source.id), self._done
                )
                if box.clickedButton() is yes
                else None
            )
        )
        self._open(box)

    def run_dry(self) -> None:
        source = self.current_source()
        if source is not None:
            self._open(DryRunDialog(self._ctx, source.id, None, DRY_RUN_DEFAULT, self))

    def _on_source_row_changed(self, _row: int) -> None:
        self._show_source()

    def _on_bus_changed(self, changes: Any) -> None:
        kinds = ("inbound_source", "inbound_rule", "mail_account", "user", "rejection_reason")
        if self.loaded and any(changes.touches(kind) for kind in kinds):
            self.refresh()
