"""Widgets and field builders of the interaction dialog. They hold no
strings of their own: captions arrive translated from the dialog."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTimeEdit,
    QWidget,
)

from services.core.views import ClientView, ContactView, DealRow, UserView
from ui.widgets import glyphs, labels, stage_names
from ui.widgets.hints import FieldHint, with_hint
from ui.widgets.plain import plain_label, tooltip

MUTED = "color: palette(placeholder-text);"
CONTACT_ROWS = 6  # the contact list shows this many before it scrolls
BANNER_STYLE = (
    "QLabel#nextStepBanner { background: #fff4e5; color: #663c00;"
    " border: 1px solid #ffd8a8; border-radius: 4px; padding: 8px 10px; }"
)


class FormRows:
    """A form whose rows are found by key, each with a hint line under its field."""

    def __init__(self) -> None:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        form.setHorizontalSpacing(12)
        self.form = form
        self.hints: dict[str, FieldHint] = {}
        self.rows: dict[str, QWidget] = {}

    def add(self, key: str, caption: str, field: Any) -> None:
        hint = FieldHint()
        box = with_hint(field, hint)
        self.hints[key] = hint
        label = QLabel(caption)
        label.setMinimumHeight(24)
        self.form.addRow(label, box)
        self.rows[key] = box

    def set_visible(self, key: str, visible: bool) -> None:
        self.form.setRowVisible(self.rows[key], visible)

    def is_visible(self, key: str) -> bool:
        return self.form.isRowVisible(self.rows[key])


def heading_label(text: str) -> QLabel:
    heading = plain_label(text)
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setWeight(font.Weight.DemiBold)
    heading.setFont(font)
    return heading


def banner_label(reason: str) -> QLabel:
    """Why the dialog opened (the next-step rule); hidden when there is no reason."""
    banner = plain_label(reason)
    banner.setWordWrap(True)
    banner.setObjectName("nextStepBanner")
    banner.setStyleSheet(BANNER_STYLE)
    banner.setVisible(bool(reason))
    return banner


def muted_label(text: str = "") -> QLabel:
    label = plain_label(text)
    label.setStyleSheet(MUTED)
    return label


def party_name_label() -> QLabel:
    label = QLabel()
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setWeight(font.Weight.DemiBold)
    label.setFont(font)
    return label


def date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    return edit


def time_edit() -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    return edit


def separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def wall_time_of(date: QDateEdit, time: QTimeEdit) -> dt.datetime:
    d, t = date.date(), time.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def show_wall_time(date: QDateEdit, time: QTimeEdit, wall: dt.datetime) -> None:
    """Set both editors without reporting it as the user's edit."""
    date.blockSignals(True)
    time.blockSignals(True)
    date.setDate(QDate(wall.year, wall.month, wall.day))
    time.setTime(QTime(wall.hour, wall.minute))
    date.blockSignals(False)
    time.blockSignals(False)


def fill_types(combo: QComboBox, types: Sequence[str]) -> None:
    """The interaction types, with "call" chosen; signals stay quiet."""
    combo.blockSignals(True)
    combo.clear()
    for code in types:
        combo.addItem(glyphs.type_icon(code, 18), labels.type_label(code), code)
    combo.blockSignals(False)
    index = combo.findData("call")
    combo.setCurrentIndex(max(index, 0))


def contact_item(text: str, contact_id: int, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, contact_id)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def checked_ids(items: QListWidget) -> tuple[int, ...]:
    ids = []
    for row in range(items.count()):
        item = items.item(row)
        if item.checkState() == Qt.CheckState.Checked:
            ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
    return tuple(ids)


def fill_owners(
    combo: QComboBox,
    users: Sequence[UserView],
    party: ClientView | None,
    wanted: int,
    unknown_caption: str,
) -> None:
    """Everyone who can own it, plus the party's owner, with ``wanted`` chosen."""
    combo.blockSignals(True)
    combo.clear()
    for user in users:
        combo.addItem(user.full_name or user.login, user.id)
    if party is not None and combo.findData(party.owner_id) < 0:
        combo.addItem(party.owner_name, party.owner_id)
    if combo.findData(wanted) < 0:
        combo.addItem(unknown_caption, wanted)
    combo.setCurrentIndex(combo.findData(wanted))
    combo.blockSignals(False)


def fill_deals(
    combo: QComboBox,
    deals: Sequence[DealRow],
    deal_id: int | None,
    *,
    no_deal: str,
    closed: Callable[[str], str],
    staged: Callable[[str, str], str],
) -> None:
    """ "No deal", then open deals by title, then closed ones; ``deal_id`` chosen."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(no_deal, None)
    ordered = sorted(deals, key=lambda d: (not d.active, d.title.casefold()))
    for deal in ordered:
        text = deal.title if deal.active else closed(deal.title)
        if deal.stage and deal.active:
            text = staged(text, stage_names.shown(deal.stage))
        combo.addItem(text, deal.id)
    combo.setCurrentIndex(max(combo.findData(deal_id), 0))
    combo.blockSignals(False)


def fill_contacts(
    items: QListWidget,
    placeholder: QLabel,
    contacts: Sequence[ContactView],
    chosen: set[int],
    with_position: Callable[[str, str], str],
) -> None:
    """Checkable contacts, at least ``CONTACT_ROWS`` rows tall (fewer when
    there are fewer) and taller as the dialog grows; a long name and position
    elided, in full in its tooltip; ``placeholder`` when there are none."""
    items.blockSignals(True)
    items.clear()
    for contact in contacts:
        text = contact.full_name
        if contact.position:
            text = with_position(text, contact.position)
        item = contact_item(text, contact.id, contact.id in chosen)
        item.setToolTip(tooltip(text))
        items.addItem(item)
    items.blockSignals(False)
    has = bool(contacts)
    items.setVisible(has)
    placeholder.setVisible(not has)
    if has:
        rows = min(len(contacts), CONTACT_ROWS)
        items.setMinimumHeight(rows * items.sizeHintForRow(0) + 2 * items.frameWidth() + 2)


def contact_list() -> QListWidget:
    """The interaction's contact persons: one line each, no sideways scrolling."""
    items = QListWidget()
    items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    items.setTextElideMode(Qt.TextElideMode.ElideRight)
    items.setUniformItemSizes(True)
    items.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return items
