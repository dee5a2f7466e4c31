"""The Inbound section by keyboard, as the agenda (Ctrl+D done, Ctrl+R
reschedule): a request offered to a role is taken with Ctrl+T, handed to a
colleague with Ctrl+R and declined with Delete, from the list; a key does
nothing where its button is not offered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.inbound import use_cases as inbound
from tests.conftest import make_team
from tests.integration import inbound_helpers as h
from tests.ui.helpers import make_ctx
from ui.inbound.inbound_panel import InboundPanel
from ui.inbound.request_dialogs import DeclineDialog, ReassignDialog


def test_take_reassign_and_decline_from_the_keyboard(qtbot: QtBot, sqlite_db: Database) -> None:
    team = make_team(sqlite_db)
    source = h.source(sqlite_db, team.admin)
    manager = h.role_id(sqlite_db, "Manager")
    h.rule(
        sqlite_db, team.admin, source, name="Роль", is_default=True, assign_mode="role",
        role_id=manager,
    )  # fmt: skip
    request_id = h.deliver(sqlite_db, source, "Хочу купить", "Позвоните мне")
    inbound.process(sqlite_db, source)
    ctx = make_ctx(sqlite_db, login="anna")
    panel = InboundPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    panel.refresh()
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.table.selectRow(panel.model.row_of(request_id))
    panel.table.setFocus()
    card = panel.card
    assert "Ctrl+T" in card.take_button.toolTip()

    qtbot.keyClick(panel.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert h.request(sqlite_db, request_id).owner_id == team.anna.id
    assert not card.take_button.isVisible()
    qtbot.keyClick(panel.table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # not offered
    assert h.request(sqlite_db, request_id).owner_id == team.anna.id

    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(card.dialog, ReassignDialog)
    card.dialog.reject()

    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert isinstance(card.dialog, DeclineDialog)
    card.dialog.reject()
    assert h.request(sqlite_db, request_id).state == "assigned"  # nothing without a reason
    assert not ctx.errors  # type: ignore[attr-defined]
