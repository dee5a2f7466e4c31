"""The interaction dialog (SPEC A1-A5): log a call, plan a meeting, and
complete, cancel or restore one.

Times are entered in the client's zone and shown in the user's beside
them ("10:00 Almaty = 08:00 your time"). Each field has a hint line under
it; a ``ValidationError`` from the service lands under the field it names.
Completing (or cancelling) the last planned interaction of a deal that must
always have one opens :class:`NextStepDialog`, and both changes then go in
one service call.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from services import deals, parties, settings, timezones
from services import interactions as ix
from services.errors import UserError, ValidationError
from services.interactions import NewInteraction
from services.views import ClientView, ContactView, DealView, InteractionView, UserView
from ui.context import UiContext
from ui.widgets import directory, glyphs, labels, timefmt
from ui.widgets.hints import FieldHint
from ui.widgets.work import Work, optional_service

# Service field names -> the dialog's field keys.
FIELD_KEYS = {
    "type": "type",
    "start": "start",
    "timezone": "start",
    "owner": "owner",
    "client": "party",
    "lead": "party",
    "deal": "deal",
    "contacts": "contacts",
    "subject": "subject",
    "body": "body",
}
SEARCH_DELAY_MS = 250


@dataclasses.dataclass(frozen=True)
class DialogData:
    """Everything the dialog shows, read in one unit of work."""

    types: list[str]
    display_zone: str
    users: list[UserView]
    party: ClientView | None
    deals: list[DealView]
    interaction: InteractionView | None
    deal_id: int | None
    contact_id: int | None


def deals_of(uow: Any, actor: Any, kind: str, object_id: int) -> list[DealView]:
    """Deals of a client or lead, from ``services.board`` when it is there."""
    fn = optional_service("services.board", "deals_of")
    if fn is None:
        return []
    return list(fn(uow, actor, kind, object_id))


def load_party(uow: Any, actor: Any, client_id: int | None, lead_id: int | None) -> ClientView:
    if client_id is not None:
        return parties.get_client(uow, actor, client_id)
    assert lead_id is not None
    return parties.get_lead(uow, actor, lead_id)


def _party_deals(uow: Any, actor: Any, party: ClientView, deal_id: int | None) -> list[DealView]:
    found = deals_of(uow, actor, party.kind, party.id)
    if deal_id is not None and not any(d.id == deal_id for d in found):
        found.append(deals.get(uow, actor, deal_id))
    return found


def next_working_morning(zone: str, now: dt.datetime | None = None) -> dt.datetime:
    """10:00 on the next weekday in ``zone``, as a naive wall time."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(timezones.zone(zone))
    day = now.date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(10, 0))


def next_full_hour(zone: str, now: dt.datetime | None = None) -> dt.datetime:
    now = (now or dt.datetime.now(dt.UTC)).astimezone(timezones.zone(zone))
    return now.replace(minute=0, second=0, microsecond=0, tzinfo=None) + dt.timedelta(hours=1)


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
        self.result_view: InteractionView | None = None
        self.action = ""
        self.spec: NewInteraction | None = None
        self.next_step_dialog: NextStepDialog | None = None
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
        self.heading = QLabel(self._title())
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(font.Weight.DemiBold)
        self.heading.setFont(font)
        self.banner = QLabel(reason)
        self.banner.setWordWrap(True)
        self.banner.setObjectName("nextStepBanner")
        self.banner.setStyleSheet(
            "QLabel#nextStepBanner { background: #fff4e5; color: #663c00;"
            " border: 1px solid #ffd8a8; border-radius: 4px; padding: 8px 10px; }"
        )
        self.banner.setVisible(bool(reason))

        self.hints: dict[str, FieldHint] = {}
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

        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.date_edit.dateChanged.connect(self._on_time_edited)
        self.time_edit.timeChanged.connect(self._on_time_edited)
        self.zone_label = QLabel()
        self.zone_label.setStyleSheet("color: palette(placeholder-text);")
        when_row = QHBoxLayout()
        when_row.addWidget(self.date_edit)
        when_row.addWidget(self.time_edit)
        when_row.addSpacing(8)
        when_row.addWidget(self.zone_label, 1)

        self.party_label = QLabel()
        self.party_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.party_label.font()
        font.setWeight(font.Weight.DemiBold)
        self.party_label.setFont(font)
        self.party_picker = QComboBox()
        self.party_picker.setEditable(True)
        self.party_picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor = self.party_picker.lineEdit()
        assert editor is not None  # an editable combo always has one
        editor.setPlaceholderText(self.tr("Type to find a client"))
        editor.textEdited.connect(self._on_party_text_edited)
        self.party_picker.activated.connect(self._on_party_picker_activated)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._search_parties)
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
        self.no_contacts = QLabel(self.tr("No contact persons on this card"))
        self.no_contacts.setStyleSheet("color: palette(placeholder-text);")
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

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(12)
        self.form = form
        self._rows: dict[str, QWidget] = {}
        self._add_row(form, "type", self.tr("Type"), type_row)
        self._add_row(form, "start", self.tr("When"), when_row)
        party_caption = self.tr("Client")
        self._add_row(form, "party", party_caption, party_box)
        self._add_row(form, "deal", self.tr("Deal"), self.deal_combo)
        contacts_box = QVBoxLayout()
        contacts_box.setSpacing(0)
        contacts_box.addWidget(self.contacts)
        contacts_box.addWidget(self.no_contacts)
        self._add_row(form, "contacts", self.tr("Contacts"), contacts_box)
        self._add_row(form, "owner", self.tr("Owner"), self.owner_combo)
        self._add_row(form, "subject", self.tr("Subject"), self.subject)
        self._add_row(form, "body", self.tr("Notes"), self.body)
        self._add_row(form, "outcome", self.tr("Outcome"), self.outcome)
        self._set_row_visible("subject", False)
        self._set_row_visible("outcome", False)

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
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for button in (self.complete_button, self.cancel_interaction_button, self.restore_button):
            button.setAutoDefault(False)
            button.hide()
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.buttons)
        self.complete_button.clicked.connect(self._on_complete_button_clicked)
        self.cancel_interaction_button.clicked.connect(self._on_cancel_interaction_button_clicked)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)

        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.HLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.banner)
        layout.addSpacing(2)
        layout.addLayout(form)
        layout.addWidget(self.general_hint)
        layout.addWidget(separator)
        layout.addLayout(actions)
        submit = QShortcut(QKeySequence("Ctrl+Return"), self)
        submit.activated.connect(self._on_ok_button_clicked)
        self._set_enabled_all(False)

    def _add_row(self, form: QFormLayout, key: str, caption: str, field: Any) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if isinstance(field, QWidget):
            column.addWidget(field)
        else:
            column.addLayout(field)
        hint = FieldHint()
        column.addWidget(hint)
        self.hints[key] = hint
        label = QLabel(caption)
        label.setMinimumHeight(24)
        form.addRow(label, box)
        self._rows[key] = box

    def _set_row_visible(self, key: str, visible: bool) -> None:
        self.form.setRowVisible(self._rows[key], visible)

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
        interaction = None
        client_id, lead_id, deal_id = self._ids["client"], self._ids["lead"], self._ids["deal"]
        contact_id = self._contact_id
        source = self._interaction_id or self._next_step_of
        if source is not None:
            found = ix.get(uow, actor, source)
            client_id, lead_id, deal_id = found.client_id, found.lead_id, found.deal_id
            if self._interaction_id is not None:
                interaction = found
        if contact_id is not None and client_id is None and lead_id is None:
            contact = parties.get_contact(uow, contact_id)
            client_id, lead_id = contact.client_id, contact.lead_id
        if deal_id is not None and client_id is None and lead_id is None:
            deal = deals.get(uow, actor, deal_id)
            client_id, lead_id = deal.client_id, deal.lead_id
        party = None
        party_deals: list[DealView] = []
        if client_id is not None or lead_id is not None:
            party = load_party(uow, actor, client_id, lead_id)
            party_deals = _party_deals(uow, actor, party, deal_id)
        return DialogData(
            types=ix.known_types(uow),
            display_zone=settings.display_zone(uow),
            users=directory.users(uow, actor),
            party=party,
            deals=party_deals,
            interaction=interaction,
            deal_id=deal_id,
            contact_id=contact_id,
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.general_hint.show_error(str(exc) if isinstance(exc, UserError) else "")
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)

    def _on_loaded(self, data: DialogData) -> None:
        self.data = data
        self.interaction = data.interaction
        self._display_zone = data.display_zone
        self._fill_types(data.types)
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

    def _fill_types(self, types: Sequence[str]) -> None:
        self.type_combo.blockSignals(True)
        self.type_combo.clear()
        for code in types:
            self.type_combo.addItem(glyphs.type_icon(code, 18), labels.type_label(code), code)
        self.type_combo.blockSignals(False)
        index = self.type_combo.findData("call")
        self.type_combo.setCurrentIndex(max(index, 0))
        self._on_type_combo_changed()

    def _fill_owners(
        self, users: Sequence[UserView], owner_id: int | None, party: ClientView | None
    ) -> None:
        self.owner_combo.blockSignals(True)
        self.owner_combo.clear()
        for user in users:
            self.owner_combo.addItem(user.full_name or user.login, user.id)
        if party is not None and self.owner_combo.findData(party.owner_id) < 0:
            self.owner_combo.addItem(party.owner_name, party.owner_id)
        wanted = owner_id if owner_id is not None else self._ctx.actor.id
        if self.owner_combo.findData(wanted) < 0:
            self.owner_combo.addItem(self.tr("User %1").replace("%1", str(wanted)), wanted)
        self.owner_combo.setCurrentIndex(self.owner_combo.findData(wanted))
        self.owner_combo.blockSignals(False)

    def _set_party(
        self, party: ClientView | None, party_deals: Sequence[DealView], deal_id: int | None
    ) -> None:
        self.party = party
        if party is not None:
            caption = (
                party.name
                if party.kind == "client"
                else self.tr("%1 (lead)").replace("%1", party.name)
            )
            self.party_label.setText(caption)
        self.deal_combo.blockSignals(True)
        self.deal_combo.clear()
        self.deal_combo.addItem(self.tr("No deal"), None)
        ordered = sorted(party_deals, key=lambda d: (not d.active, d.title.casefold()))
        for deal in ordered:
            text = deal.title if deal.active else self.tr("%1 (closed)").replace("%1", deal.title)
            if deal.stage and deal.active:
                text = self.tr("%1 — %2").replace("%1", text).replace("%2", deal.stage)
            self.deal_combo.addItem(text, deal.id)
        self.deal_combo.setCurrentIndex(max(self.deal_combo.findData(deal_id), 0))
        self.deal_combo.blockSignals(False)
        self._fill_contacts(party.contacts if party else ())
        zone = party.timezone if party is not None and party.timezone else self._display_zone
        self._set_zone(zone)

    def _fill_contacts(self, contacts: Sequence[ContactView]) -> None:
        self.contacts.blockSignals(True)
        self.contacts.clear()
        chosen = set(self.interaction.contact_ids) if self.interaction else set()
        if self._contact_id is not None:
            chosen.add(self._contact_id)
        for contact in contacts:
            text = contact.full_name
            if contact.position:
                text = self.tr("%1, %2").replace("%1", text).replace("%2", contact.position)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, contact.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if contact.id in chosen else Qt.CheckState.Unchecked
            )
            self.contacts.addItem(item)
        self.contacts.blockSignals(False)
        has = bool(contacts)
        self.contacts.setVisible(has)
        self.no_contacts.setVisible(not has)
        if has:
            rows = min(len(contacts), 4)
            self.contacts.setFixedHeight(rows * self.contacts.sizeHintForRow(0) + 6)

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
        self._set_row_visible("outcome", state == "planned")
        self.complete_button.setVisible(state == "planned")
        self.cancel_interaction_button.setVisible(state in ("planned", "done"))
        self.restore_button.setVisible(state == "cancelled")
        self.ok_button.setVisible(state != "cancelled")
        self.setWindowTitle(self._existing_title(view))
        self.heading.setText(self._existing_title(view))
        self._set_row_visible("body", bool(view.body))
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
        self.date_edit.blockSignals(True)
        self.time_edit.blockSignals(True)
        self.date_edit.setDate(QDate(wall.year, wall.month, wall.day))
        self.time_edit.setTime(QTime(wall.hour, wall.minute))
        self.date_edit.blockSignals(False)
        self.time_edit.blockSignals(False)
        self._update_zone_label()

    def wall_time(self) -> dt.datetime:
        d, t = self.date_edit.date(), self.time_edit.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())

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

    def _client_errors(self) -> dict[str, tuple[str, str]]:
        """field -> (level, message) from what the dialog can tell by itself."""
        found: dict[str, tuple[str, str]] = {}
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
            now = dt.datetime.now(dt.UTC)
            planned = self.planned.isChecked()
            if planned and instant < now - dt.timedelta(minutes=1):
                found["start"] = (
                    "warning",
                    self.tr("This time has passed: it will show as overdue"),
                )
            elif not planned and instant > now + dt.timedelta(minutes=5):
                found["start"] = (
                    "warning",
                    self.tr("This is in the future: tick Planned to plan it"),
                )
        return found

    def _validate(self) -> bool:
        problems = self._client_errors()
        for key, hint in self.hints.items():
            if key in self._server_errors:
                hint.show_error(self._server_errors[key])
            elif key in problems:
                level, text = problems[key]
                {"error": hint.show_error, "warning": hint.show_warning, "info": hint.show_info}[
                    level
                ](text)
            else:
                hint.clear_hint()
        blocking = {k for k, (level, _) in problems.items() if level in ("error", "info")}
        valid = self._loaded and not blocking and not self._server_errors and not self._busy
        self.ok_button.setEnabled(valid)
        for button in (self.complete_button, self.cancel_interaction_button, self.restore_button):
            button.setEnabled(self._loaded and not self._busy)
        return valid

    def _show_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            key = FIELD_KEYS.get(exc.field or "", "")
            if key not in self.hints or not self.form.isRowVisible(self._rows[key]):
                key = ""
            self._server_errors[key] = str(exc)
            if key == "":
                self.general_hint.show_error(str(exc))
            self._validate()
        elif isinstance(exc, UserError):
            self._server_errors[""] = str(exc)
            self.general_hint.show_error(str(exc))
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
        self._set_row_visible("subject", self.type_combo.currentData() == "email")
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

    def _on_party_text_edited(self, _text: str) -> None:
        self._search_timer.start()

    def _search_parties(self) -> None:
        text = self.party_picker.currentText().strip()
        self._work.read(
            lambda uow, actor: parties.list_clients(uow, actor, text=text or None, limit=20),
            self._on_parties_found,
        )

    def _on_parties_found(self, found: list[ClientView]) -> None:
        text = self.party_picker.currentText()
        self.party_picker.blockSignals(True)
        self.party_picker.clear()
        for party in found:
            self.party_picker.addItem(party.name, party.id)
        self.party_picker.setEditText(text)
        self.party_picker.blockSignals(False)
        if found:
            self.party_picker.showPopup()

    def _on_party_picker_activated(self, index: int) -> None:
        client_id = self.party_picker.itemData(index)
        if client_id is None:
            return

        def fetch(uow: Any, actor: Any) -> tuple[ClientView, list[DealView]]:
            party = parties.get_client(uow, actor, client_id)
            return party, _party_deals(uow, actor, party, None)

        self._work.read(fetch, self._on_party_chosen)

    def _on_party_chosen(self, result: tuple[ClientView, list[DealView]]) -> None:
        party, party_deals = result
        self._set_party(party, party_deals, None)
        self._field_edited("party")

    # --- actions --------------------------------------------------------------------

    def checked_contacts(self) -> tuple[int, ...]:
        ids = []
        for row in range(self.contacts.count()):
            item = self.contacts.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(ids)

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
            spec = self.new_interaction()
            self._write(lambda uow, actor: ix.create(uow, actor, spec), "created")
            return
        self._save_existing(self.interaction)

    def _save_existing(self, view: InteractionView) -> None:
        new_time = self.wall_time() if self._time_touched and view.state == "planned" else None
        zone = self._zone
        contacts = self.checked_contacts()
        contacts_changed = set(contacts) != set(view.contact_ids)
        if new_time is None and not contacts_changed:
            self.action = "unchanged"
            self.accept()
            return

        def save(uow: Any, actor: Any) -> InteractionView:
            result = view
            if new_time is not None:
                result = ix.reschedule(uow, actor, view.id, new_time, zone)
            if contacts_changed:
                ix.set_contacts(uow, actor, view.id, contacts)
                result = ix.get(uow, actor, view.id)
            return result

        self._write(save, "saved")

    def _write(self, fn: Callable[[Any, Any], InteractionView], action: str) -> None:
        self._set_busy(True)
        self._work.write(fn, lambda view: self._on_written(view, action), self._on_write_failed)

    def _on_written(self, view: InteractionView, action: str) -> None:
        self._busy = False
        self.result_view = view
        self.action = action
        self.saved.emit(view)
        self.accept()

    def _on_write_failed(self, exc: BaseException) -> None:
        self._show_error(exc)

    def _on_complete_button_clicked(self) -> None:
        self.complete()

    def complete(self, next_step: NewInteraction | None = None) -> None:
        view = self.interaction
        if view is None:
            return
        outcome = self.outcome.toPlainText().strip() or None
        self._set_busy(True, self.tr("Completing…"))
        self._work.write(
            lambda uow, actor: ix.complete(
                uow, actor, view.id, next_step=next_step, result=outcome
            ),
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
        self._work.write(
            lambda uow, actor: ix.cancel(uow, actor, view.id, next_step=next_step),
            lambda result: self._on_written(result, "cancelled"),
            lambda exc: self._on_rule_failed(exc, self.cancel_interaction),
        )

    def _on_restore_button_clicked(self) -> None:
        view = self.interaction
        if view is None:
            return
        start = self.wall_time() if self._time_touched else None
        zone = self._zone
        self._set_busy(True, self.tr("Restoring…"))
        self._work.write(
            lambda uow, actor: ix.restore(uow, actor, view.id, start=start, tz=zone),
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
