"""A colleague moved an interaction, or changed its contact persons, while
it was open here (#19 item 4): the same per-field ConflictDialog as a
card's or a deal's edit, worded for an interaction, and the user's choice
put back into the form before it is saved again against the version saved
meanwhile.

``services.interactions.use_cases.save_changes`` reports ``start`` as an
ISO time (the form's wall time for "yours", the stored instant for
"saved") and ``contacts`` as comma-separated ids; this module turns them
into words and back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from services.core import timezones
from services.core.errors import EditConflict
from services.core.views import InteractionView
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.widgets import timefmt


def _instant(value: str, zone: str) -> dt.datetime:
    """A conflict's time: a naive one is the form's wall time in ``zone``."""
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezones.zone(zone))
    return parsed


def _ids(value: str | None) -> tuple[int, ...]:
    return tuple(int(part) for part in (value or "").split(",") if part.strip())


def _contact_names(contacts: QListWidget) -> dict[int, str]:
    names = {}
    for row in range(contacts.count()):
        item = contacts.item(row)
        names[int(item.data(Qt.ItemDataRole.UserRole))] = item.text()
    return names


def conflict_dialog(
    conflict: EditConflict, contacts: QListWidget, zone: str, display_zone: str, parent: Any
) -> ConflictDialog:
    """Both values per field, a time in the user's words and contact persons
    by name (an id the form does not list is shown as a number)."""
    names = _contact_names(contacts)

    def shown(field: str, value: str | None) -> str:
        if field == "start" and value:
            return timefmt.when(_instant(value, zone), display_zone)
        if field == "contacts":
            return ", ".join(names.get(i, f"#{i}") for i in _ids(value))
        return value or ""

    return ConflictDialog(conflict, parent, shown)


def chosen_time(dialog: ConflictDialog, zone: str) -> dt.datetime | None:
    """The wall time in ``zone`` the user chose, when the time was in conflict."""
    value = dialog.choices().get("start")
    if value is None:
        return None
    return _instant(value, zone).astimezone(timezones.zone(zone)).replace(tzinfo=None)


def check_contacts(dialog: ConflictDialog, contacts: QListWidget) -> None:
    """Ticks the contact persons the user chose, when they were in conflict."""
    if "contacts" not in dialog.choices():
        return
    wanted = set(_ids(dialog.choices()["contacts"]))
    for row in range(contacts.count()):
        item = contacts.item(row)
        on = int(item.data(Qt.ItemDataRole.UserRole)) in wanted
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def as_saved(view: InteractionView, dialog: ConflictDialog) -> InteractionView:
    """The interaction as saved meanwhile, as far as the next save compares
    it: its version, and its contact persons when they were in conflict (so
    that keeping yours is a change again)."""
    saved = {f.field: f.theirs for f in dialog.conflict.fields}
    contact_ids = _ids(saved["contacts"]) if "contacts" in saved else view.contact_ids
    return dataclasses.replace(
        view, row_version=dialog.conflict.current_version, contact_ids=contact_ids
    )
