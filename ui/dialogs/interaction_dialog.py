"""The interaction dialog (SPEC A1-A5): log a call, plan a meeting, and
complete, cancel or restore one.

Times are entered in the client's zone and shown in the user's beside
them ("10:00 Almaty = 08:00 your time"). Each field has a hint line under
it; a ``ValidationError`` from the service lands under the field it names.
Completing (or cancelling) the last planned interaction of a deal that must
always have one opens :class:`NextStepDialog`, and both changes then go in
one service call.

This module holds the flow: loading, showing a new or an existing
interaction, the slots of the form and saving. Beside it, as mixins of the
dialog with their own translation contexts: ``interaction_form`` (the
widgets and their layout), ``interaction_checks`` (time, zones, hints and
validation) and ``interaction_state_changes`` (complete, cancel, restore,
the next step a deal needs, a scenario instead). Without words of their
own: ``interaction_data`` (loading, default times), ``interaction_fields``
(widgets and field builders), ``party_search``, ``interaction_hints``
(validation rules) and ``interaction_actions`` (the service calls).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QMessageBox

from services.core import timezones
from services.core.errors import EditConflict, UserError
from services.core.views import ClientView, ContactView, DealRow, InteractionView, UserView
from services.interactions.actions import NewInteraction
from ui.agenda.reschedule_dialog import WhenDialog
from ui.context import UiContext
from ui.dialogs import interaction_actions as actions
from ui.dialogs import interaction_conflict as conflicts
from ui.dialogs import interaction_fields as fields
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.interaction_checks import InteractionChecks
from ui.dialogs.interaction_data import (
    DialogData,
    deals_of,
    load_dialog_data,
    load_party,
    next_full_hour,
    next_working_morning,
)
from ui.dialogs.interaction_form import InteractionForm
from ui.dialogs.interaction_hints import FIELD_KEYS
from ui.dialogs.interaction_state_changes import InteractionStateChanges
from ui.dialogs.party_search import SEARCH_DELAY_MS
from ui.feed import call_summary_words
from ui.shell import error_text
from ui.widgets import labels
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


class InteractionDialog(InteractionForm, InteractionChecks, InteractionStateChanges, QDialog):
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
        self._body_shown = ("", "")  # (what the notes field shows, what is stored)
        self._party_fixed = any(v is not None for v in (client_id, lead_id, deal_id, contact_id))
        self._party_fixed = self._party_fixed or interaction_id is not None or self.collect_only

        self.setModal(True)
        self.setMinimumWidth(560)
        self._build(reason)
        self._start_loading()

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
        QTimer.singleShot(0, self, self._fit)  # once the new texts have laid out

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
        self.no_contacts.setText(
            self.tr(
                "No contact persons on this card yet: add them on the card's Contacts tab,"
                " then tick here who took part."
            )
            if self.party is not None
            else self.tr("Choose the client first: its contact persons are listed here to tick.")
        )
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
        self._show_body(view)
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

    def _show_body(self, view: InteractionView) -> None:
        """An imported call's stored English summary ("answered, 75 s") in the
        window's language, as the feed words it; :meth:`body_text` gives the
        stored words back while the text is not edited."""
        stored = view.body or ""
        shown = call_summary_words.worded(stored) if view.type == "call" else stored
        self._body_shown = (shown, stored)
        self.body.setPlainText(shown)

    def body_text(self) -> str:
        """The notes as they are to be stored: the record's own words unless
        the user changed what the field shows."""
        text = self.body.toPlainText()
        shown, stored = self._body_shown
        return stored if text == shown else text

    def _existing_title(self, view: InteractionView) -> str:
        kind = labels.type_label(view.type)
        if self.party is None:
            return kind
        return self.tr("%1 with %2").replace("%1", kind).replace("%2", self.party.name)

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
            body=self.body_text().strip() or None,
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
            ).ask(self._on_conflict_dialog_accepted)
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


class NextStepDialog(InteractionDialog):
    """Plans (but does not save) the next interaction of a deal; ``collected``
    carries the ``NewInteraction`` for the caller's one-call write."""

    def __init__(
        self, ctx: UiContext, *, interaction_id: int, reason: str = "", parent: Any = None
    ) -> None:
        super().__init__(ctx, parent=parent, next_step_of=interaction_id, reason=reason)
