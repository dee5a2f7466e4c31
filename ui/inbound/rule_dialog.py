"""One rule of a source (the seed's "Расширенная настройка"): its condition
(keywords separated by ";"), whom the request goes to, and what is made of
it. "Try it" replays the source's last requests with the rule as edited,
before anything is saved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from services.inbound import setup
from services.inbound.routing import RuleSpec
from services.inbound.rule_choices import RuleChoices
from services.inbound.setup import RuleInput
from services.inbound.views import RuleView
from ui.context import UiContext
from ui.inbound import texts
from ui.inbound.dry_run_dialog import DryRunDialog
from ui.settings.form_parts import muted
from ui.widgets import stage_names
from ui.widgets.work import Work

ASSIGN_MODES = ("round_robin", "role", "user", "client_owner")
ACTIONS = ("deal", "ticket", "reject", "none")
DRY_RUN_DEFAULT = 50


def _spec(rule: RuleView | RuleInput, rule_id: int | None, position: int) -> RuleSpec:
    """What the routing reads of a saved rule or of the one being edited."""
    return RuleSpec(
        id=rule_id,
        name=rule.name,
        position=position,
        is_default=rule.is_default,
        keywords=rule.keywords,
        whole_word=rule.whole_word,
        known_to_owner=rule.known_to_owner,
        assign_mode=rule.assign_mode,
        role_id=rule.role_id,
        user_id=rule.user_id,
        queue_user_ids=tuple(rule.queue_user_ids),
        action=rule.action,
        pipeline_id=rule.pipeline_id,
        stage_id=rule.stage_id,
        deal_owner_id=rule.deal_owner_id,
        rejection_reason_id=rule.rejection_reason_id,
    )


def spec_of(view: RuleView) -> RuleSpec:
    return _spec(view, view.id, view.position)


def draft_rules(
    saved: Sequence[RuleView], editing: RuleView | None, edited: RuleInput
) -> list[RuleSpec]:
    """The source's active rules with the edited one in its place (a new one last)."""
    if editing is not None:
        draft = _spec(edited, editing.id, editing.position)
    else:
        draft = _spec(edited, None, max((r.position for r in saved), default=0) + 10)
    specs = [spec_of(r) for r in saved if r.active and (editing is None or r.id != editing.id)]
    if edited.active:
        specs.append(draft)
    return sorted(specs, key=lambda r: (r.position, r.id or 0))


class RuleDialog(QDialog):
    saved = Signal(object)  # RuleView

    def __init__(
        self,
        ctx: UiContext,
        source_id: int,
        rules: Sequence[RuleView],
        choices: RuleChoices,
        rule: RuleView | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.source_id = source_id
        self.rules = list(rules)
        self.rule = rule
        self.choices = choices
        self.dry_run: DryRunDialog | None = None
        self.setWindowTitle(self.tr("New rule") if rule is None else self.tr("Edit the rule"))
        self.resize(560, 0)

        self.name = QLineEdit(rule.name if rule else "")
        self.name.setMaxLength(200)
        self.keywords = QLineEdit(rule.keywords if rule else "")
        self.keywords.setPlaceholderText(self.tr("price; invoice; счёт; прайс"))
        self.whole_word = QCheckBox(self.tr("Whole words only"))
        self.whole_word.setChecked(bool(rule and rule.whole_word))
        self.is_default = QCheckBox(self.tr("Default rule: applies when no other rule matches"))
        self.is_default.setChecked(bool(rule and rule.is_default))
        self.active = QCheckBox(self.tr("Active"))
        self.active.setChecked(rule.active if rule else True)
        self.known_to_owner = QCheckBox(
            self.tr("Requests from known clients go to the client's owner")
        )
        self.known_to_owner.setChecked(rule.known_to_owner if rule else True)

        self.assign_mode = QComboBox()
        for mode, label in (
            ("round_robin", self.tr("The next user in a queue")),
            ("role", self.tr("A role: the first member to take it owns it")),
            ("user", self.tr("One user")),
            ("client_owner", self.tr("The client's owner only")),
        ):
            self.assign_mode.addItem(label, mode)
        self.assign_mode.currentIndexChanged.connect(self._update_fields)
        self.role = QComboBox()
        for role in choices.roles:
            self.role.addItem(texts.role_label(role.name), role.id)
        self.user = QComboBox()
        for user in choices.users:
            self.user.addItem(user.name, user.id)
        self.queue = QListWidget()
        self.queue.setMaximumHeight(110)
        queued = list(rule.queue_user_ids) if rule else []
        for user in sorted(
            choices.users, key=lambda u: queued.index(u.id) if u.id in queued else len(queued)
        ):
            item = QListWidgetItem(user.name)
            item.setData(Qt.ItemDataRole.UserRole, user.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = user.id in queued
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.queue.addItem(item)

        self.action = QComboBox()
        for action, label in (
            ("deal", self.tr("Create a deal")),
            ("ticket", self.tr("Create a support ticket")),
            ("reject", self.tr("Decline with a reason")),
            ("none", self.tr("Only assign")),
        ):
            self.action.addItem(label, action)
        self.action.currentIndexChanged.connect(self._update_fields)
        self.pipeline = QComboBox()
        for pipeline in choices.pipelines:
            self.pipeline.addItem(stage_names.shown(pipeline.name), pipeline.id)
        self.pipeline.currentIndexChanged.connect(self._fill_stages)
        self.stage = QComboBox()
        self.deal_owner = QComboBox()
        self.deal_owner.addItem(self.tr("Whoever gets the request"), None)
        for user in choices.users:
            self.deal_owner.addItem(user.name, user.id)
        self.reason = QComboBox()
        russian = QLocale().language() == QLocale.Language.Russian
        for reason in choices.reasons:
            self.reason.addItem(reason.name_ru if russian else reason.name_en, reason.id)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Keywords"), self.keywords)
        form.addRow(
            "",
            muted(
                self.tr("Separated by “;”. Found in the subject or the text, in any case; ё is е.")
            ),
        )
        form.addRow("", self.whole_word)
        form.addRow("", self.is_default)
        form.addRow("", self.active)
        form.addRow("", self.known_to_owner)
        form.addRow(self.tr("Otherwise assign to"), self.assign_mode)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("User"), self.user)
        form.addRow(self.tr("Queue"), self.queue)
        form.addRow(self.tr("Action"), self.action)
        form.addRow(self.tr("Pipeline"), self.pipeline)
        form.addRow(self.tr("Stage"), self.stage)
        form.addRow(self.tr("Deal owner"), self.deal_owner)
        form.addRow(self.tr("Reason"), self.reason)
        self.form = form

        self.last = QSpinBox()
        self.last.setRange(1, 1000)
        self.last.setValue(DRY_RUN_DEFAULT)
        self.try_button = QPushButton(self.tr("Try on the last requests…"))
        self.try_button.setToolTip(
            self.tr("Replay the source's last requests with this rule, before saving")
        )
        self.try_button.clicked.connect(self.try_rule)
        trial = QHBoxLayout()
        trial.addWidget(self.try_button)
        trial.addWidget(self.last)
        trial.addStretch(1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addLayout(trial)
        column.addWidget(self.buttons)
        self._select(self.assign_mode, rule.assign_mode if rule else "round_robin")
        self._select(self.action, rule.action if rule else "deal")
        if rule is not None:
            self._select(self.role, rule.role_id)
            self._select(self.user, rule.user_id)
            self._select(self.pipeline, rule.pipeline_id)
            self._select(self.deal_owner, rule.deal_owner_id)
            self._select(self.reason, rule.rejection_reason_id)
        self._fill_stages()
        if rule is not None:
            self._select(self.stage, rule.stage_id)
        self._update_fields()

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _fill_stages(self, *_args: Any) -> None:
        self.stage.clear()
        self.stage.addItem(self.tr("The first stage"), None)
        chosen = self.pipeline.currentData()
        for pipeline in self.choices.pipelines:
            if pipeline.id == chosen:
                for stage in pipeline.stages:
                    self.stage.addItem(stage_names.shown(stage.name), stage.id)

    def _update_fields(self, *_args: Any) -> None:
        mode, action = self.assign_mode.currentData(), self.action.currentData()
        for widget, shown in (
            (self.role, mode == "role"),
            (self.user, mode == "user"),
            (self.queue, mode == "round_robin"),
            (self.pipeline, action == "deal"),
            (self.stage, action == "deal"),
            (self.deal_owner, action in ("deal", "ticket")),
            (self.reason, action == "reject"),
        ):
            self.form.setRowVisible(widget, shown)

    def queue_ids(self) -> tuple[int, ...]:
        return tuple(
            int(self.queue.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.queue.count())
            if self.queue.item(row).checkState() == Qt.CheckState.Checked
        )

    def rule_input(self) -> RuleInput:
        mode, action = self.assign_mode.currentData(), self.action.currentData()
        return RuleInput(
            name=self.name.text(),
            keywords=self.keywords.text(),
            whole_word=self.whole_word.isChecked(),
            is_default=self.is_default.isChecked(),
            known_to_owner=self.known_to_owner.isChecked(),
            assign_mode=mode,
            role_id=self.role.currentData() if mode == "role" else None,
            user_id=self.user.currentData() if mode == "user" else None,
            queue_user_ids=self.queue_ids() if mode == "round_robin" else (),
            action=action,
            pipeline_id=self.pipeline.currentData() if action == "deal" else None,
            stage_id=self.stage.currentData() if action == "deal" else None,
            deal_owner_id=self.deal_owner.currentData() if action in ("deal", "ticket") else None,
            rejection_reason_id=self.reason.currentData() if action == "reject" else None,
            active=self.active.isChecked(),
        )

    def try_rule(self) -> None:
        rules = draft_rules(self.rules, self.rule, self.rule_input())
        dialog = DryRunDialog(self._ctx, self.source_id, rules, self.last.value(), self)
        dialog.finished.connect(dialog.deleteLater)
        self.dry_run = dialog
        dialog.open()

    def save(self) -> None:
        edited, source_id, rule = self.rule_input(), self.source_id, self.rule
        if rule is None:
            self._work.run(
                lambda db, actor: setup.add_rule(db, actor, source_id, edited), self._on_saved
            )
        else:
            self._work.run(
                lambda db, actor: setup.set_rule(db, actor, rule.id, edited), self._on_saved
            )

    def _on_saved(self, view: RuleView) -> None:
        self.saved.emit(view)
        self.accept()
