"""The linking job's ticker: runs when due, once, on the write lane."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pytestqt.qtbot import QtBot

from desktop.jobs import JobTicker
from services.core import bootstrap, settings
from services.core.storage import Database
from services.parties import records as parties

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


class InlineLane:
    def submit(self, fn: Any, on_done: Any, on_error: Any) -> None:
        on_done(fn())


def test_the_job_runs_when_due_and_not_again_before_its_interval(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    with sqlite_db.uow() as uow:
        parties.add_client(uow, bootstrap.actor_for(uow), "Acme", emails=["a@acme.example"])
        settings.put(uow, "link_minutes", "30")
        uow.commit()
    clock = [NOW]
    ticker = JobTicker(sqlite_db, InlineLane(), clock=lambda: clock[0])
    reports: list[object] = []
    ticker.linked.connect(reports.append)
    ticker.tick()
    assert len(reports) == 1
    clock[0] = NOW + dt.timedelta(minutes=10)
    ticker.tick()
    assert len(reports) == 1
    clock[0] = NOW + dt.timedelta(minutes=31)
    ticker.tick()
    assert len(reports) == 2


def test_asked_for_during_a_run_it_runs_once_more_after(qtbot: QtBot, sqlite_db: Database) -> None:
    from tests.ui.helpers import HeldLane

    lane = HeldLane()
    ticker = JobTicker(sqlite_db, lane, clock=lambda: NOW)
    reports: list[object] = []
    ticker.linked.connect(reports.append)
    ticker.run_now()
    ticker.run_now()  # an address saved while the first run reads the cards
    ticker.run_now()
    assert len(lane.pending) == 1
    lane.run_all()
    assert len(reports) == 1
    qtbot.waitUntil(lambda: len(lane.pending) == 1)  # one more, not two
    lane.run_all()
    assert len(reports) == 2
    qtbot.wait(20)
    assert lane.pending == []
