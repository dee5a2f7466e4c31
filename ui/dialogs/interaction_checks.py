"""What the interaction dialog tells before saving: the line beside When
("10:00 Almaty = 08:00 your time"), a hint under each field it can judge by
itself, a service's refusal under the field it names, and whether Save is
enabled.

A mixin of :class:`~ui.dialogs.interaction_dialog.InteractionDialog`, kept
apart from the layout and the flow; its strings are translated in this
class's context.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from services.core import timezones
from services.core.errors import UserError, ValidationError
from ui.dialogs import interaction_fields as fields
from ui.dialogs.interaction_hints import (
    FIELD_KEYS,
    Problems,
    blocks_saving,
    show_problems,
    start_time_problem,
)
from ui.shell import error_text
from ui.widgets import timefmt

if TYPE_CHECKING:
    from PySide6.QtWidgets import (
        QCheckBox,
        QComboBox,
        QDateEdit,
        QDialog,
        QLabel,
        QPushButton,
        QTimeEdit,
    )

    from services.core.views import ClientView, InteractionView
    from ui.context import UiContext
    from ui.widgets.hints import FieldHint

    _Base = QDialog
else:
    _Base = object  # at run time a plain mixin: the dialog brings QDialog


class InteractionChecks(_Base):
    """Time, zones and validation of the dialog's form."""

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
            if self.party is not None and self.party.timezone == self._zone:
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

    if TYPE_CHECKING:
        # What the dialog and its other mixins define, for the type checker
        # only. Last in the class: pyside6-lupdate loses the translation
        # context of the code after a def inside an if.
        _ctx: UiContext
        _zone: str
        _display_zone: str
        _time_touched: bool
        _busy: bool
        _loaded: bool
        _server_errors: dict[str, str]
        collect_only: bool
        party: ClientView | None
        interaction: InteractionView | None
        type_combo: QComboBox
        planned: QCheckBox
        date_edit: QDateEdit
        time_edit: QTimeEdit
        zone_label: QLabel
        rows: fields.FormRows
        hints: dict[str, FieldHint]
        general_hint: FieldHint
        ok_button: QPushButton
        scenario_button: QPushButton

        def _state_buttons(self) -> tuple[QPushButton, ...]: ...
        def checked_contacts(self) -> tuple[int, ...]: ...
