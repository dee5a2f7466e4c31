"""The interaction dialog (SPEC A1-A5): log a call, plan a meeting, and
complete, cancel or restore one.

Times are entered in the client's zone and shown in the user's beside
them ("10:00 Almaty = 08:00 your time"). Each field has a hint line under
it; a ``ValidationError`` from the service lands under the field it names.
Completing (or cancelling) the last planned interaction of a deal that must
always have one opens :class:`NextStepDialog`, and both changes then go in
one service call.

The parts without words of their own live beside this module:
``interaction_data`` (loading, default times), ``interaction_fields``
(widgets and field builders), ``party_search``, ``interaction_hints``
(validation) and ``interaction_actions`` (the service calls). Every
translated string stays here, in the dialog's own translation context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from services.core import timezones
from services.core.errors import EditConflict, UserError, ValidationError
from services.core.views import (
    ClientView,
    ContactView,
    DealRow,
    InteractionView,
    UserView,
)
from services.interactions import actions as ix
from services.interactions.actions import NewInteraction
from ui.agenda.reschedule_dialog import WhenDialog, restore_time
from ui.context import UiContext
from ui.dialogs import interaction_actions as actions
from ui.dialogs import interaction_conflict as conflicts
from ui.dialogs import interaction_fields as fields
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.interaction_data import (
    DialogData,
    deals_of,
    load_dialog_data,
    load_party,
    next_full_hour,
    next_working_morning,
)
from ui.dialogs.interaction_hints import (
    FIELD_KEYS,
    Problems,
    blocks_saving,
    show_problems,
    start_time_problem,
)
from ui.dialogs.party_search import SEARCH_DELAY_MS, PartySearch
from ui.shell import error_text
from ui.widgets import labels, timefmt
from ui.widgets.hints import FieldHint
from ui.widgets.work import Work

__all__ = [
    "FIELD_KEYS",
    "SEARCH_DELAY_MS",
    "DialogData",
    "InteractionDialog",
    "NextStepDialog",
    "deals_of",
    "load_party",
    "next_full_hour",
    "next_working_morning",
]


class InteractionDialog(QDialog):
    """New (``client_id``/``lead_id``/``deal_id``/``contact_id``) or existing
    (``interaction_id``) interaction. ``saved`` carries the
    ``InteractionView`` written; ``action`` says what was done."""

    saved = Signal(object)
    # With ``next_step_of``: the planned next step, for the caller to save.
    collected = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        *,
        client_id: int | None = None,
        lead_id: int | None = None,
        deal_id: int | None = None,
        interaction_id: int | None = None,
        contact_id: int | None = None,
        parent: Any = None,
        next_step_of: int | None = None,
        reason: str = "",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._ids = {"client": client_id, "lead": lead_id, "deal": deal_id}
        self._contact_id = contact_id
        self._interaction_id = interaction_id
        self._next_step_of = next_step_of
        self.collect_only = next_step_of is not None
        self.data: DialogData | None = None
        self.party: ClientView | None = None
        self.interaction: InteractionView | None = None
        self.scenario_dialog: Any = None
        self.result_view: InteractionView | None = None
        self.action = ""
        self.spec: NewInteraction | None = None
        self.next_step_dialog: NextStepDialog | None = None
        self.when_dialog: WhenDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self._done_at: dt.datetime | None = None
        self.confirm_box: QMessageBox | None = None
        self._zone = timezones.machine_zone()
        self._display_zone = self._zone
        self._time_touched = False
        self._busy = False
        self._loaded = False
        self._server_errors: dict[str, str] = {}
        self._party_fixed = any(v is not None for v in (client_id, lead_id, deal_id, contact_id))
        self._party_fixed = self._party_fixed or interaction_id is not None or self.collect_only

        self.setModal(True)
        self.setMinimumWidth(560)
        self._build(reason)
        self._start_loading()

    # --- layout ---------------------------------------------------------------------

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

        self.contacts = QListWidget()
        self.contacts.setMaximumHeight(96)
        self.contacts.itemChanged.connect(lambda _i: self._field_edited("contacts"))
        self.no_contacts = fields.muted_label(self.tr("No contact persons on this card"))
        self.no_contacts.hide()

        self.owner_combo = QComboBox()
        self.owner_combo.currentIndexChanged.connect(lambda _i: self._field_edited("owner"))

        self.subject = QLineEdit()
        self.subject.setMaxLength(ix.MAX_SUBJECT)
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
        self.cancel_interaction_button = QPushButton(self.tr("Cancel interaction"))
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

    def _state_buttons(self) -> tuple[QPushButton, ...]:
        return (self.complete_button, self.cancel_interaction_button, self.restore_button)

    def _title(self) -> str:
        if self.collect_only:
            return self.tr("Plan the next step")
        if self._interaction_id is not None:
            return self.tr("Interaction")
        return self.tr("New interaction")

    # --- loading --------------------------------------------------------------------

    def _start_loading(self) -> None:
        self.general_hint.show_info(self.tr("Loading…"))
        self._work.read(self._load, self._on_loaded, self._on_load_failed)

    def _load(self, uow: Any, actor: Any) -> DialogData:
        return load_dialog_data(
            uow,
            actor,
            client_id=self._ids["client"],
            lead_id=self._ids["lead"],
            deal_id=self._ids["deal"],
            contact_id=self._contact_id,
            interaction_id=self._interaction_id,
            next_step_of=self._next_step_of,
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.general_hint.show_error(error_text.message(exc) if isinstance(exc, UserError) else "")
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)

    def _on_loaded(self, data: DialogData) -> None:
        self.data = data
        self.interaction = data.interaction
        self._display_zone = data.display_zone
        labels.remember_types(data.type_names)
        fields.fill_types(self.type_combo, data.types)
        self._on_type_combo_changed()
        self._fill_owners(
            data.users, data.interaction.owner_id if data.interaction else None, data.party
        )
        self._set_party(data.party, data.deals, data.deal_id)
        self.general_hint.clear_hint()
        self._loaded = True
        if data.interaction is not None:
            self._show_existing(data.interaction)
        else:
            self._show_new()
        self._validate()

    def _fill_owners(
        self, users: Sequence[UserView], owner_id: int | None, party: ClientView | None
    ) -> None:
        wanted = owner_id if owner_id is not None else self._ctx.actor.id
        unknown = self.tr("User %1").replace("%1", str(wanted))
        fields.fill_owners(self.owner_combo, users, party, wanted, unknown)

    def _set_party(
        self, party: ClientView | None, party_deals: Sequence[DealRow], deal_id: int | None
    ) -> None:
        self.party = party
        if party is not None:
            caption = (
                party.name
                if party.kind == "client"
                else self.tr("%1 (lead)").replace("%1", party.name)
            )
            self.party_label.setText(caption)
        fields.fill_deals(
            self.deal_combo,
            party_deals,
            deal_id,
            no_deal=self.tr("No deal"),
            closed=lambda title: self.tr("%1 (closed)").replace("%1", title),
            staged=lambda text, stage: self.tr("%1 — %2").replace("%1", text).replace("%2", stage),
        )
        self._fill_contacts(party.contacts if party else ())
        zone = party.timezone if party is not None and party.timezone else self._display_zone
        self._set_zone(zone)

    def _fill_contacts(self, contacts: Sequence[ContactView]) -> None:
        chosen = set(self.interaction.contact_ids) if self.interaction else set()
        if self._contact_id is not None:
            chosen.add(self._contact_id)
        fields.fill_contacts(
            self.contacts,
            self.no_contacts,
            contacts,
            chosen,
            lambda name, position: self.tr("%1, %2").replace("%1", name).replace("%2", position),
        )

    def _show_new(self) -> None:
        self._set_enabled_all(True)
        if self.collect_only:
            self.planned.setChecked(True)
            self.planned.setEnabled(False)
            self._set_wall_time(next_working_morning(self._zone))
        else:
            self._set_wall_time(next_full_hour(self._zone))
        self._time_touched = False
        self.ok_button.setText(self.tr("Plan next step") if self.collect_only else self.tr("Save"))
        if not self._party_fixed:
            self.party_picker.setFocus()
        else:
            self.type_combo.setFocus()

    def _show_existing(self, view: InteractionView) -> None:
        self.type_combo.setCurrentIndex(max(self.type_combo.findData(view.type), 0))
        self.planned.setChecked(view.state == "planned")
        self._set_zone(view.start_tz)
        self._set_wall_time(view.start.replace(tzinfo=None))
        self._time_touched = False
        self.subject.setText(view.subject or "")
        self.body.setPlainText(view.body or "")
        self._set_enabled_all(True)
        fixed = self.tr("Fixed once saved: to change it, cancel this interaction and log a new one")
        for widget in (self.type_combo, self.owner_combo, self.deal_combo, self.subject):
            widget.setEnabled(False)
            widget.setToolTip(fixed)
        self.body.setReadOnly(True)
        self.body.setToolTip(fixed)
        self.planned.setEnabled(False)
        state = view.state
        self.date_edit.setEnabled(state != "done")
        self.time_edit.setEnabled(state != "done")
        self.contacts.setEnabled(state != "cancelled")
        self.rows.set_visible("outcome", state == "planned")
        self.complete_button.setVisible(state == "planned")
        self.cancel_interaction_button.setVisible(state in ("planned", "done"))
        self.restore_button.setVisible(state == "cancelled")
        self.ok_button.setVisible(state != "cancelled")
        self.setWindowTitle(self._existing_title(view))
        self.heading.setText(self._existing_title(view))
        self.rows.set_visible("body", bool(view.body))
        (self.outcome if state == "planned" else self.close_button).setFocus()
        if state == "cancelled":
            self.general_hint.show_info(
                self.tr("Cancelled. Restore it to plan it again; you can pick a new time first.")
            )
            self.restore_button.setDefault(True)

    def _existing_title(self, view: InteractionView) -> str:
        kind = labels.type_label(view.type)
        if self.party is None:
            return kind
        return self.tr("%1 with %2").replace("%1", kind).replace("%2", self.party.name)

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

    # --- time and zones -------------------------------------------------------------

    def _set_zone(self, zone: str) -> None:
        self._zone = zone
        self._update_zone_label()

    def _set_wall_time(self, wall: dt.datetime) -> None:
        fields.show_wall_time(self.date_edit, self.time_edit, wall)
        self._update_zone_label()

    def wall_time(self) -> dt.datetime:
        return fields.wall_time_of(self.date_edit, self.time_edit)

    def _instant(self) -> dt.datetime | None:
        try:
            return timezones.wall_to_utc(self.wall_time(), self._zone)
        except ValidationError:
            return None

    def _update_zone_label(self) -> None:
        wall = self.wall_time()
        instant = self._instant()
        city = timefmt.zone_city(self._zone)
        if instant is None:
            self.zone_label.setText("")
            return
        if self._zone == self._display_zone:
            if self.party is not None and self.party.timezone:
                text = self.tr("%1 time, the same as yours").replace("%1", city)
            else:
                text = self.tr("Your time (%1)").replace("%1", city)
        else:
            mine = instant.astimezone(timezones.zone(self._display_zone))
            mine_text = timefmt.hhmm(mine)
            if mine.date() != wall.date():
                mine_text = timefmt.day(mine.date(), wall.date()) + " " + mine_text
            text = (
                self.tr("%1 %2 = %3 your time")
                .replace("%1", timefmt.hhmm(wall))
                .replace("%2", city)
                .replace("%3", mine_text)
            )
        self.zone_label.setText(text)

    # --- validation -----------------------------------------------------------------

    def _field_edited(self, key: str) -> None:
        if self._server_errors.pop(key, None) is not None:
            self.hints[key].clear_hint()
        if self._server_errors.pop("", None) is not None:
            self.general_hint.clear_hint()
        self._validate()

    def _client_errors(self) -> Problems:
        """field -> (level, message) from what the dialog can tell by itself."""
        found: Problems = {}
        if not self._loaded:
            return found
        if self.type_combo.currentData() is None:
            found["type"] = ("error", self.tr("Choose the type"))
        if self.party is None:
            found["party"] = ("info", self.tr("Choose the client this interaction is with"))
        instant = self._instant()
        editable_time = self.interaction is None or self.interaction.state != "done"
        if instant is None:
            found["start"] = (
                "error",
                self.tr("%1 does not exist in %2: the clocks skip that hour")
                .replace("%1", timefmt.hhmm(self.wall_time()))
                .replace("%2", timefmt.zone_city(self._zone)),
            )
        elif (editable_time and self._time_touched) or self.interaction is None:
            problem = start_time_problem(instant, self.planned.isChecked(), dt.datetime.now(dt.UTC))
            if problem == "passed":
                found["start"] = (
                    "warning",
                    self.tr("This time has passed: it will show as overdue"),
                )
            elif problem == "future":
                found["start"] = (
                    "warning",
                    self.tr("This is in the future: tick Planned to plan it"),
                )
        return found

    def _validate(self) -> bool:
        problems = self._client_errors()
        show_problems(self.hints, self._server_errors, problems)
        ready = self._loaded and not self._busy
        valid = ready and not blocks_saving(problems) and not self._server_errors
        self.ok_button.setEnabled(valid)
        for button in self._state_buttons():
            button.setEnabled(ready)
        with_whom = (
            self.party is not None and self.party.kind == "client" and self.checked_contacts()
        )
        self.scenario_button.setVisible(self.interaction is None and not self.collect_only)
        self.scenario_button.setEnabled(ready and bool(with_whom))
        return valid

    def _on_scenario_button_clicked(self) -> None:
        """The chosen scenario replaces this one interaction: the dialog closes
        once the chain is planned."""
        from ui.scenarios.apply_dialog import ApplyScenarioDialog

        if self.party is None or not self.checked_contacts():
            return
        self.scenario_dialog = ApplyScenarioDialog(
            self._ctx, self.party.id, self.checked_contacts()[0], self
        )
        self.scenario_dialog.applied.connect(lambda _run: self.accept())
        self.scenario_dialog.finished.connect(self.scenario_dialog.deleteLater)
        self.scenario_dialog.open()

    def _show_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            key = FIELD_KEYS.get(exc.field or "", "")
            if key not in self.hints or not self.rows.is_visible(key):
                key = ""
            self._server_errors[key] = error_text.message(exc)
            if key == "":
                self.general_hint.show_error(error_text.message(exc))
            self._validate()
        elif isinstance(exc, UserError):
            self._server_errors[""] = error_text.message(exc)
            self.general_hint.show_error(error_text.message(exc))
            self._validate()
        else:
            self._ctx.report_error(exc)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        if busy:
            self.general_hint.show_info(text or self.tr("Saving…"))
        elif self.general_hint.level == "info":
            self.general_hint.clear_hint()
        self._validate()

    # --- slots ----------------------------------------------------------------------

    def _on_type_combo_changed(self, *_args: Any) -> None:
        self.rows.set_visible("subject", self.type_combo.currentData() == "email")
        self._field_edited("type")

    def _on_planned_toggled(self, planned: bool) -> None:
        if self._loaded and self.interaction is None and not self._time_touched:
            if planned:
                self._set_wall_time(next_full_hour(self._zone))
            else:
                now = dt.datetime.now(dt.UTC).astimezone(timezones.zone(self._zone))
                self._set_wall_time(now.replace(second=0, microsecond=0, tzinfo=None))
        self._field_edited("start")

    def _on_time_edited(self, *_args: Any) -> None:
        self._time_touched = True
        self._update_zone_label()
        self._field_edited("start")

    def _on_party_chosen(self, party: ClientView, party_deals: list[DealRow]) -> None:
        self._set_party(party, party_deals, None)
        self._field_edited("party")

    # --- actions --------------------------------------------------------------------

    def checked_contacts(self) -> tuple[int, ...]:
        return fields.checked_ids(self.contacts)

    def new_interaction(self) -> NewInteraction:
        """What the form says, as the service's input."""
        party = self.party
        code = self.type_combo.currentData() or "other"
        return NewInteraction(
            type=code,
            planned=self.planned.isChecked(),
            start=self.wall_time(),
            tz=self._zone,
            client_id=party.id if party is not None and party.kind == "client" else None,
            lead_id=party.id if party is not None and party.kind == "lead" else None,
            deal_id=self.deal_combo.currentData(),
            contact_ids=self.checked_contacts(),
            owner_id=self.owner_combo.currentData(),
            subject=self.subject.text().strip() or None if code == "email" else None,
            body=self.body.toPlainText().strip() or None,
        )

    def _on_ok_button_clicked(self) -> None:
        if not self._validate() or not self.ok_button.isVisible():
            return
        if self.collect_only:
            self.spec = self.new_interaction()
            self.action = "planned-next"
            self.collected.emit(self.spec)
            self.accept()
            return
        if self.interaction is None:
            self._write(actions.create(self.new_interaction()), "created")
            return
        self._save_existing(self.interaction)

    def _save_existing(self, view: InteractionView) -> None:
        new_time = self.wall_time() if self._time_touched and view.state == "planned" else None
        contacts = self.checked_contacts()
        if new_time is None and set(contacts) == set(view.contact_ids):
            self.action = "unchanged"
            self.accept()
            return
        self._write(actions.save_changes(view, new_time, self._zone, contacts), "saved")

    def _write(self, fn: actions.UseCase, action: str) -> None:
        self._set_busy(True)
        self._work.run(fn, lambda view: self._on_written(view, action), self._on_write_failed)

    def _on_written(self, view: InteractionView, action: str) -> None:
        self._busy = False
        self.result_view = view
        self.action = action
        self.saved.emit(view)
        self.accept()

    def _on_write_failed(self, exc: BaseException) -> None:
        if isinstance(exc, EditConflict) and self.interaction is not None:
            self._set_busy(False)
            self.conflict_dialog = conflicts.conflict_dialog(
                exc, self.contacts, self._zone, self._display_zone, self
            )
            self.conflict_dialog.accepted.connect(self._on_conflict_dialog_accepted)
            self.conflict_dialog.open()
            return
        self._show_error(exc)

    def _on_conflict_dialog_accepted(self) -> None:
        """The chosen values go into the form and are saved against the
        version saved meanwhile."""
        dialog, view = self.conflict_dialog, self.interaction
        assert dialog is not None
        assert view is not None
        wall = conflicts.chosen_time(dialog, self._zone)
        if wall is not None:
            self._set_wall_time(wall)
        conflicts.check_contacts(dialog, self.contacts)
        self.interaction = conflicts.as_saved(view, dialog)
        self._save_existing(self.interaction)

    def _on_complete_button_clicked(self) -> None:
        view = self.interaction
        if view is None:
            return
        now = dt.datetime.now(view.start.tzinfo)
        if view.start <= now:
            self._done_at = None
            self.complete()
            return
        # planned for later but done already: when? (else "Last contact: tomorrow")
        self.when_dialog = dialog = WhenDialog(
            self.tr("When did it happen?"),
            now.replace(tzinfo=None, second=0, microsecond=0),
            self.tr("It was planned for %1. Mark it done at:").replace(
                "%1", timefmt.when(view.start, self._display_zone)
            ),
            self,
            past=True,
        )
        dialog.accepted.connect(lambda: self._complete_at(dialog.value()))
        dialog.open()

    def _complete_at(self, at: dt.datetime) -> None:
        self._done_at = at
        self.complete()

    def complete(self, next_step: NewInteraction | None = None) -> None:
        view = self.interaction
        if view is None:
            return
        outcome = self.outcome.toPlainText().strip() or None
        self._set_busy(True, self.tr("Completing…"))
        self._work.run(
            actions.complete(view.id, next_step, outcome, self._done_at),
            lambda result: self._on_written(result, "completed"),
            lambda exc: self._on_rule_failed(exc, self.complete),
        )

    def _on_cancel_interaction_button_clicked(self) -> None:
        view = self.interaction
        if view is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Cancel interaction"),
            self.tr("Cancel this %1?").replace("%1", labels.type_label(view.type).lower()),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setInformativeText(
            self.tr("It stays in the feed, struck through. You can restore it later.")
        )
        yes = box.addButton(self.tr("Cancel interaction"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        self.confirm_box = box
        box.finished.connect(
            lambda _r: self.cancel_interaction() if box.clickedButton() is yes else None
        )
        box.open()

    def cancel_interaction(self, next_step: NewInteraction | None = None) -> None:
        view = self.interaction
        if view is None:
            return
        self._set_busy(True, self.tr("Cancelling…"))
        self._work.run(
            actions.cancel(view.id, next_step),
            lambda result: self._on_written(result, "cancelled"),
            lambda exc: self._on_rule_failed(exc, self.cancel_interaction),
        )

    def _on_restore_button_clicked(self) -> None:
        view = self.interaction
        if view is None:
            return
        if self._time_touched:
            self._restore(view, self.wall_time())
            return
        # its old time has usually passed: ask, or it comes back overdue
        self.when_dialog = dialog = WhenDialog(
            self.tr("Restore"), restore_time(view.start), self.tr("Plan it again for:"), self
        )
        dialog.accepted.connect(lambda: self._restore(view, dialog.value()))
        dialog.open()

    def _restore(self, view: InteractionView, start: dt.datetime) -> None:
        self._set_busy(True, self.tr("Restoring…"))
        self._work.run(
            actions.restore(view.id, start, self._zone),
            lambda result: self._on_written(result, "restored"),
            self._on_write_failed,
        )

    def _on_rule_failed(
        self, exc: BaseException, retry: Callable[[NewInteraction | None], None]
    ) -> None:
        """The deal needs a planned next step: ask for it, then retry with it."""
        if not (isinstance(exc, ValidationError) and exc.field == "next"):
            self._show_error(exc)
            return
        self._set_busy(False)
        view = self.interaction
        assert view is not None
        dialog = NextStepDialog(
            self._ctx,
            interaction_id=view.id,
            reason=self.tr(
                "This deal must always have a planned interaction. "
                "Plan the next step, and both are saved together."
            ),
            parent=self,
        )
        self.next_step_dialog = dialog
        dialog.collected.connect(retry)
        dialog.rejected.connect(self._on_next_step_rejected)
        dialog.open()

    def _on_next_step_rejected(self) -> None:
        self.general_hint.show_warning(
            self.tr("Nothing was changed: this deal needs a planned next step first.")
        )


class NextStepDialog(InteractionDialog):
    """Plans (but does not save) the next interaction of a deal; ``collected``
    carries the ``NewInteraction`` for the caller's one-call write."""

    def __init__(
        self, ctx: UiContext, *, interaction_id: int, reason: str = "", parent: Any = None
    ) -> None:
        super().__init__(ctx, parent=parent, next_step_of=interaction_id, reason=reason)
