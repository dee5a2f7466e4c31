"""What the interaction dialog shows: its widgets, their rows with a hint
under each, and the buttons, built once.

A mixin of :class:`~ui.dialogs.interaction_dialog.InteractionDialog`, kept
apart so that the dialog's module reads as the flow (load, show, save) and
this one as the layout; its strings are translated in this class's context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from services.interactions.interaction_input import MAX_SUBJECT
from ui.dialogs import interaction_fields as fields
from ui.dialogs.party_search import PartySearch
from ui.widgets.hints import FieldHint

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from services.core.views import ClientView, DealRow
    from ui.widgets.work import Work

    _Base = QDialog
else:
    _Base = object  # at run time a plain mixin: the dialog brings QDialog


class InteractionForm(_Base):
    """The dialog's widgets; the slots they call are the dialog's."""

    def _build(self, reason: str) -> None:
        self.setWindowTitle(self._title())
        self.heading = fields.heading_label(self._title())
        self.banner = fields.banner_label(reason)

        self.type_combo = QComboBox()
        self.type_combo.currentIndexChanged.connect(self._on_type_combo_changed)
        self.planned = QCheckBox(self.tr("Planned"))
        self.planned.setToolTip(
            self.tr("Planned: it is still to happen. Clear it to log what was done.")
        )
        self.planned.setChecked(True)
        self.planned.toggled.connect(self._on_planned_toggled)
        type_row = QHBoxLayout()
        type_row.addWidget(self.type_combo, 1)
        type_row.addSpacing(12)
        type_row.addWidget(self.planned)

        self.date_edit = fields.date_edit()
        self.time_edit = fields.time_edit()
        self.date_edit.dateChanged.connect(self._on_time_edited)
        self.time_edit.timeChanged.connect(self._on_time_edited)
        self.zone_label = fields.muted_label()
        when_row = QHBoxLayout()
        when_row.addWidget(self.date_edit)
        when_row.addWidget(self.time_edit)
        when_row.addSpacing(8)
        when_row.addWidget(self.zone_label, 1)

        self.party_label = fields.party_name_label()
        self.party_picker = QComboBox()
        self.party_search = PartySearch(self.party_picker, self._work, self._on_party_chosen, self)
        editor = self.party_picker.lineEdit()
        assert editor is not None  # an editable combo always has one
        editor.setPlaceholderText(self.tr("Type to find a client"))
        party_box = QHBoxLayout()
        party_box.addWidget(self.party_label, 1)
        party_box.addWidget(self.party_picker, 1)
        self.party_picker.setVisible(not self._party_fixed)
        self.party_label.setVisible(self._party_fixed)

        self.deal_combo = QComboBox()
        self.deal_combo.addItem(self.tr("No deal"), None)
        self.deal_combo.currentIndexChanged.connect(lambda _i: self._field_edited("deal"))

        self.contacts = fields.contact_list()
        self.contacts.itemChanged.connect(lambda _i: self._field_edited("contacts"))
        self.no_contacts = fields.muted_label()
        self.no_contacts.setWordWrap(True)
        self.no_contacts.hide()

        self.owner_combo = QComboBox()
        self.owner_combo.currentIndexChanged.connect(lambda _i: self._field_edited("owner"))

        self.subject = QLineEdit()
        self.subject.setMaxLength(MAX_SUBJECT)
        self.subject.setPlaceholderText(self.tr("What the letter is about"))
        self.subject.textEdited.connect(lambda _t: self._field_edited("subject"))

        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(self.tr("What was said, agreed or needs preparing"))
        self.body.setMinimumHeight(90)
        self.body.textChanged.connect(lambda: self._field_edited("body"))
        self.outcome = QPlainTextEdit()
        self.outcome.setPlaceholderText(
            self.tr("How it went; added to the notes when you press Complete")
        )
        self.outcome.setMaximumHeight(70)

        self.rows = fields.FormRows()
        self.form = self.rows.form
        self.hints: dict[str, FieldHint] = self.rows.hints
        self.rows.add("type", self.tr("Type"), type_row)
        self.rows.add("start", self.tr("When"), when_row)
        party_caption = self.tr("Client")
        self.rows.add("party", party_caption, party_box)
        self.rows.add("deal", self.tr("Deal"), self.deal_combo)
        contacts_box = QVBoxLayout()
        contacts_box.setSpacing(0)
        contacts_box.addWidget(self.contacts)
        contacts_box.addWidget(self.no_contacts)
        self.rows.add("contacts", self.tr("Contacts"), contacts_box)
        self.rows.add("owner", self.tr("Owner"), self.owner_combo)
        self.rows.add("subject", self.tr("Subject"), self.subject)
        self.rows.add("body", self.tr("Notes"), self.body)
        self.rows.add("outcome", self.tr("Outcome"), self.outcome)
        self.rows.set_visible("subject", False)
        self.rows.set_visible("outcome", False)

        self.general_hint = FieldHint()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(
            self.tr("Save") if not self.collect_only else self.tr("Plan next step"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.clicked.connect(self._on_ok_button_clicked)
        self.close_button.clicked.connect(self.reject)
        self.complete_button = QPushButton(self.tr("Complete"))
        self.complete_button.setToolTip(self.tr("Mark it done; the outcome is added to the notes"))
        # not "Cancel …": it sat beside the dialog's Cancel and read the same
        self.cancel_interaction_button = QPushButton(self.tr("Mark as cancelled"))
        self.cancel_interaction_button.setToolTip(
            self.tr("It stays in the feed, struck through; you can restore it later")
        )
        self.restore_button = QPushButton(self.tr("Restore as planned"))
        self.restore_button.setToolTip(self.tr("Set it back to planned, at the time shown above"))
        # seed 000: with the client and a contact person given, a whole chain
        self.scenario_button = QPushButton(self.tr("Apply a scenario…"))
        self.scenario_button.setToolTip(self.tr("Plan every step of a scenario instead"))
        self.scenario_button.clicked.connect(self._on_scenario_button_clicked)
        action_row = QHBoxLayout()
        action_row.setSpacing(6)
        for button in (*self._state_buttons(), self.scenario_button):
            button.setAutoDefault(False)
            button.hide()
            action_row.addWidget(button)
        action_row.addStretch(1)
        action_row.addWidget(self.buttons)
        self.complete_button.clicked.connect(self._on_complete_button_clicked)
        self.cancel_interaction_button.clicked.connect(self._on_cancel_interaction_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addSpacing(2)
        layout.addLayout(self.form)
        layout.addWidget(self.general_hint)
        layout.addWidget(fields.separator())
        layout.addLayout(action_row)
        submit = QShortcut(QKeySequence("Ctrl+Return"), self)
        submit.activated.connect(self._on_ok_button_clicked)
        self._set_enabled_all(False)

    def _fit(self) -> None:
        """As wide and tall as the loaded form needs: the dialog is shown
        before its data, and the zone line ("10:00 Алматы = 08:00 по вашему
        времени") and the contact list came later and were cut."""
        self.resize(self.size().expandedTo(self.minimumSizeHint()))

    def _state_buttons(self) -> tuple[QPushButton, ...]:
        return (self.complete_button, self.cancel_interaction_button, self.restore_button)

    def _title(self) -> str:
        if self.collect_only:
            return self.tr("Plan the next step")
        if self._interaction_id is not None:
            return self.tr("Interaction")
        return self.tr("New interaction")

    def _set_enabled_all(self, enabled: bool) -> None:
        for widget in (
            self.type_combo,
            self.planned,
            self.date_edit,
            self.time_edit,
            self.party_picker,
            self.deal_combo,
            self.contacts,
            self.owner_combo,
            self.subject,
            self.body,
            self.outcome,
        ):
            widget.setEnabled(enabled)

    if TYPE_CHECKING:
        # What the dialog and its other mixins define, for the type checker
        # only. Last in the class: pyside6-lupdate loses the translation
        # context of the code after a def inside an if.
        _work: Work
        _interaction_id: int | None
        _party_fixed: bool
        collect_only: bool

        def _field_edited(self, key: str) -> None: ...
        def _on_type_combo_changed(self, *_args: Any) -> None: ...
        def _on_planned_toggled(self, planned: bool) -> None: ...
        def _on_time_edited(self, *_args: Any) -> None: ...
        def _on_party_chosen(self, party: ClientView, party_deals: list[DealRow]) -> None: ...
        def _on_ok_button_clicked(self) -> None: ...
        def _on_scenario_button_clicked(self) -> None: ...
        def _on_complete_button_clicked(self) -> None: ...
        def _on_cancel_interaction_button_clicked(self) -> None: ...
        def _on_restore_button_clicked(self) -> None: ...
