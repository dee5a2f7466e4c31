"""One step of a scenario being edited: its type, its delay in working days,
its time of day in the client's zone, and what it says.

The form holds a ``StepSpec`` (a frozen dataclass) and hands back a new one
on every change; the rules (variables, auto-send only for letters) are the
service's, checked on save, except what the form can show at once: the
auto-send box is off and disabled for anything but a letter.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from services.interactions.types import TypeView
from services.scenarios.store import StepSpec
from services.templates.store import TemplateView
from ui.widgets import labels
from ui.widgets.hints import FieldHint

EMAIL = "email"
MAX_DELAY = 365
# field names the service's ValidationError uses -> the widget it is about
FIELDS = ("type", "delay", "time", "subject", "prompt", "auto_send", "owner rule")


class StepForm(QWidget):
    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.type_combo = QComboBox()
        self.delay = QSpinBox()
        self.delay.setRange(0, MAX_DELAY)
        self.delay.setSuffix(self.tr(" working days"))
        self.delay_note = FieldHint()
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.time.setToolTip(self.tr("The time of day in the client's time zone"))
        self.subject = QLineEdit()
        self.subject.setPlaceholderText(self.tr("e.g. Proposal for {{ client.name }}"))
        self.template = QComboBox()
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(
            self.tr("The text, or with AI the prompt; variables such as {{ contact.first_name }}")
        )
        self.prompt.setTabChangesFocus(True)
        self.prompt.setFixedHeight(72)
        self.ai = QCheckBox(self.tr("Written by AI"))
        self.auto_send = QCheckBox(self.tr("Send by itself when due"))
        self.owner = QComboBox()
        self.owner.addItem(self.tr("As the scenario says"), None)
        self.owner.addItem(self.tr("Who starts the scenario"), "starter")
        self.owner.addItem(self.tr("The client's owner"), "client_owner")
        self.hint = FieldHint()

        # one under the other: side by side, the Russian pair made the form wider
        # than Settings leaves it beside the list of sections at 1366 px
        flags = QVBoxLayout()
        flags.setSpacing(2)
        flags.addWidget(self.ai)
        flags.addWidget(self.auto_send)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Type"), self.type_combo)
        timing = QHBoxLayout()
        timing.addWidget(self.delay)
        timing.addWidget(self.time)
        timing.addStretch(1)
        form.addRow(self.tr("Wait, then at"), timing)
        form.addRow("", self.delay_note)
        form.addRow(self.tr("Subject"), self.subject)
        form.addRow(self.tr("Template"), self.template)
        form.addRow(self.tr("Text or prompt"), self.prompt)
        form.addRow("", flags)
        form.addRow(self.tr("Owner"), self.owner)
        form.addRow("", self.hint)

        self.type_combo.currentIndexChanged.connect(self._on_any_changed)
        self.delay.valueChanged.connect(self._on_any_changed)
        self.time.timeChanged.connect(self._on_any_changed)
        self.subject.textEdited.connect(self._on_any_changed)
        self.template.currentIndexChanged.connect(self._on_any_changed)
        self.prompt.textChanged.connect(self._on_any_changed)
        self.ai.toggled.connect(self._on_any_changed)
        self.auto_send.toggled.connect(self._on_any_changed)
        self.owner.currentIndexChanged.connect(self._on_any_changed)

    def set_choices(self, types: list[TypeView], templates: list[TemplateView]) -> None:
        """The visible interaction types and the active templates."""
        self._loading = True
        self.type_combo.clear()
        for t in types:
            self.type_combo.addItem(labels.type_label(t.code), t.code)
        self.template.clear()
        self.template.addItem(self.tr("None: the text below"), None)
        for template in templates:
            name = template.name + (self.tr(" (AI)") if template.ai else "")
            self.template.addItem(name, template.id)
        self._loading = False

    def set_spec(self, spec: StepSpec | None, first: bool = False) -> None:
        self._loading = True
        self.setEnabled(spec is not None)
        spec = spec or StepSpec(type=EMAIL)
        if self.type_combo.findData(spec.type) < 0:  # a hidden type kept by an old step
            self.type_combo.addItem(labels.type_label(spec.type), spec.type)
        self.type_combo.setCurrentIndex(self.type_combo.findData(spec.type))
        self.delay.setValue(spec.delay_days)
        self.delay_note.show_info(
            self.tr("counted from the start of the scenario")
            if first
            else self.tr("counted from the previous step")
        )
        self.time.setTime(QTime(spec.time_minutes // 60, spec.time_minutes % 60))
        self.subject.setText(spec.subject)
        self.template.setCurrentIndex(max(0, self.template.findData(spec.template_id)))
        self.prompt.setPlainText(spec.prompt)
        self.ai.setChecked(spec.ai)
        self.auto_send.setChecked(spec.auto_send)
        self.owner.setCurrentIndex(max(0, self.owner.findData(spec.owner_rule)))
        self.hint.clear_hint()
        self._loading = False
        self._sync_auto_send()

    def spec(self) -> StepSpec:
        at = self.time.time()
        code = self.type_combo.currentData() or EMAIL
        return StepSpec(
            type=code,
            delay_days=self.delay.value(),
            time_minutes=at.hour() * 60 + at.minute(),
            subject=self.subject.text(),
            template_id=self.template.currentData(),
            prompt=self.prompt.toPlainText(),
            ai=self.ai.isChecked(),
            auto_send=self.auto_send.isChecked() and code == EMAIL,
            owner_rule=self.owner.currentData(),
        )

    def _sync_auto_send(self) -> None:
        email = self.type_combo.currentData() == EMAIL
        self.auto_send.setEnabled(email)
        if not email:
            self.auto_send.setChecked(False)
        self.auto_send.setToolTip("" if email else self.tr("Only a letter can be sent by itself."))

    def _on_any_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._sync_auto_send()
        self.hint.clear_hint()
        self.changed.emit()


def same(a: StepSpec, b: StepSpec) -> bool:
    return dataclasses.astuple(a) == dataclasses.astuple(b)
