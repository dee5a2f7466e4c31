"""My agenda before its first read answers: it showed an empty table with
headers only, as if nothing were planned. Now it says "Loading…", then
shows the agenda, or says what to do when nothing is planned, or that it
could not be read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.errors import DatabaseBusy
from services.core.storage import Database
from services.interactions import actions as interactions
from services.parties import records as parties
from tests.ui.helpers import HeldLane, make_ctx
from ui.agenda.agenda_panel import AgendaPanel


def _panel(qtbot: QtBot, db: Database, lane: HeldLane) -> AgendaPanel:
    panel = AgendaPanel(make_ctx(db, reads=lane))
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.show()
    return panel


def _plan(db: Database, subject: str) -> None:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ромашка»").id
        interactions.create(
            uow,
            actor,
            interactions.NewInteraction(
                type="call",
                planned=True,
                start=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
                subject=subject,
                client_id=client,
            ),
        )
        uow.commit()


def test_loading_then_the_agenda(qtbot: QtBot, sqlite_db: Database, russian: None) -> None:
    _plan(sqlite_db, "Согласовать спецификацию")
    lane = HeldLane()
    panel = _panel(qtbot, sqlite_db, lane)
    panel.refresh()
    assert panel.empty.isVisible()
    assert panel.empty.title.text() == "Загрузка…"
    assert not panel.tree.isVisible()
    lane.run_all()
    assert panel.tree.isVisible()
    assert not panel.empty.isVisible()
    assert panel.selected_item().subject == "Согласовать спецификацию"  # type: ignore[union-attr]
    panel.refresh()  # a later read keeps the list on screen while it runs
    assert panel.tree.isVisible()
    lane.run_all()


def test_loading_then_what_to_do_when_nothing_is_planned(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    lane = HeldLane()
    panel = _panel(qtbot, sqlite_db, lane)
    panel.refresh()
    assert panel.empty.title.text() == "Загрузка…"
    lane.run_all()
    assert panel.empty.isVisible()
    assert panel.empty.title.text() == "Ничего не запланировано"
    assert "Ctrl+N" in panel.empty.hint.text()
    assert panel.empty.hint.isVisible()


class BusyLane(HeldLane):
    """A read lane whose every read meets another program's write lock."""

    def submit(self, fn: object, on_done: object, on_error: Any) -> None:
        on_error(DatabaseBusy(5))


def test_a_failed_first_read_says_so(qtbot: QtBot, sqlite_db: Database, russian: None) -> None:
    panel = _panel(qtbot, sqlite_db, BusyLane())
    panel.refresh()
    assert panel.empty.title.text() == "Не удалось загрузить мои дела"
    assert panel.empty.hint.text().startswith("База данных занята")
    assert not panel._ctx.errors  # type: ignore[attr-defined]  # said in place, no dialog
