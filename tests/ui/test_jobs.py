"""The linking job's runner: on the write lane, once more when asked mid-run."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from desktop.jobs import LinkingRunner
from services.core import scheduler
from services.core.storage import Database

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def test_asked_for_during_a_run_it_runs_once_more_after(qtbot: QtBot, sqlite_db: Database) -> None:
    from tests.ui.helpers import HeldLane

    lane = HeldLane()
    runner = LinkingRunner(sqlite_db, lane, clock=lambda: NOW)
    reports: list[object] = []
    runner.linked.connect(reports.append)
    runner.run_now()
    runner.run_now()  # an address saved while the first run reads the cards
    runner.run_now()
    assert runner.is_running("linking")
    assert len(lane.pending) == 1
    lane.run_all()
    assert len(reports) == 1
    qtbot.waitUntil(lambda: len(lane.pending) == 1)  # one more, not two
    lane.run_all()
    assert len(reports) == 2
    qtbot.wait(20)
    assert lane.pending == []
    with sqlite_db.reader() as uow:  # each run recorded, the next one an hour on
        state = scheduler.states(uow)["linking"]
    assert state.last_ok
    assert state.next_run_at == NOW + dt.timedelta(minutes=60)
