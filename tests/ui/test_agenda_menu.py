"""The agenda's context menu (right click on a row, or the Menu key on the
selected one) offers what applies to the row: Open card, Done, Reschedule,
and for a task Edit… (F2) and Remove… (Del); a task also shows an Edit…
button, an interaction does not."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.interactions import tasks
from services.parties import records as parties
from tests.ui.test_agenda_board import plan
from tests.ui.test_main_window import make_ctx
from tests.ui.test_task_edit_ui import _select_task
from ui.agenda.agenda_panel import AgendaPanel
from ui.dialogs.task_dialog import TaskDialog

SOON = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) + dt.timedelta(days=2)


def _world(db: Database) -> tuple[int, int]:
    """A client with a planned call and a task: (call id, task id)."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ёлка»").id
        uow.session.flush()
        task = tasks.add_task(uow, actor, "client", client, "Позвонить Ёжикову", deadline=SOON)
        uow.commit()
    call = plan(db, days=1, subject="Созвон с Ёжиковым", client_id=client)
    return call, task


def _entries(menu: QMenu) -> dict[str, bool]:
    return {a.text().split("\t")[0]: a.isEnabled() for a in menu.actions() if not a.isSeparator()}


@pytest.mark.qt_log_ignore(
    "This plugin does not support (raise|grabbing the keyboard)"
)  # offscreen
def test_the_menu_offers_what_applies_to_the_row(qtbot: QtBot, sqlite_db: Database) -> None:
    call, task = _world(sqlite_db)
    panel = AgendaPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    _select_task(panel, task)
    assert panel.edit_button.isVisible()

    # the Menu key on the selected task
    panel.tree.setFocus()
    qtbot.keyClick(panel.tree, Qt.Key.Key_Menu)
    menu = panel.context_menu
    assert menu is not None
    assert _entries(menu) == {
        "Open card": True,
        "Done": True,
        "Reschedule": True,
        "Edit task…": True,
        "Remove task…": True,
    }
    assert menu.findChildren(QMenu)  # Reschedule's choices go with the menu
    menu.close()
    qtbot.keyClick(panel.tree, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert panel.context_menu is not menu  # Shift+F10 too
    assert panel.context_menu is not None
    panel.context_menu.close()

    # a right click on the call's row selects it: no task entries there
    assert panel.select_interaction(call)
    row = panel.tree.visualItemRect(panel.tree.currentItem()).center()
    _select_task(panel, task)
    panel.tree.customContextMenuRequested.emit(row)  # what Qt says on a right click there
    assert panel.selected_item() is not None
    assert (panel.selected_item().kind, panel.selected_item().id) == ("interaction", call)
    assert _entries(panel.context_menu) == {"Open card": True, "Done": True, "Reschedule": True}
    assert not panel.edit_button.isVisible()
    panel.context_menu.close()

    _select_task(panel, task)
    panel.edit_button.click()
    assert isinstance(panel.tasks.dialog, TaskDialog)
    panel.tasks.dialog.reject()
