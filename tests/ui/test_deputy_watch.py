"""A deputy period set or ended on another computer (or through the CLI),
or reaching its end, shows in the open window without a restart (#20):
the window reads whom its user sees again when it becomes active and every
half minute, off the GUI thread, and posts the change on the bus; the open
client list and card follow. "Another computer" is a second Database on the
same SQLite file or PostgreSQL database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from models import Deputy
from services.core.storage import Database, open_database
from services.parties import deputies, transfers
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.clients.list_panel import ListPanel
from ui.shell.deputy_watch import DeputyWatch

CLIENT = "ООО Клиент Анны"


@pytest.fixture
def elsewhere(db_url: str) -> Iterator[Database]:
    other = open_database(db_url)
    yield other
    other.dispose()


def _names(panel: ListPanel) -> set[str]:
    model = panel.model
    return {model.index(r, 0).data() for r in range(model.rowCount())}


def test_a_period_set_and_ended_elsewhere_shows_without_a_restart(
    qtbot: QtBot, db: Database, team: Team, elsewhere: Database, tmp_path: Path
) -> None:
    with db.uow(team.anna.id) as uow:
        client = parties.add_client(uow, team.anna, CLIENT)
        uow.commit()
    ctx = make_ctx(db, login="boris")
    clients = ListPanel(ctx, "client")
    qtbot.addWidget(clients)
    clients.resize(900, 500)
    clients.show()
    watch = DeputyWatch(ctx)
    watch.start()
    assert CLIENT not in _names(clients)

    # Anna, on her computer, names Boris her deputy; Boris's window comes to the front
    period = transfers.set_deputy(
        elsewhere, team.anna, "boris", dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    ).value
    QApplication.instance().applicationStateChanged.emit(  # type: ignore[union-attr]
        Qt.ApplicationState.ApplicationActive
    )
    qtbot.waitUntil(lambda: CLIENT in _names(clients))
    assert team.anna.id in ctx.actor.also_sees
    card = CardWidget(
        ctx,
        "client",
        client.id,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(card)
    card.resize(1200, 700)
    card.show()
    qtbot.waitUntil(lambda: card.data is not None)
    assert card.stack.currentWidget() is not card.failure

    # she is back early and ends it from the CLI; the half-minute check follows
    deputies.end_period(elsewhere, team.anna, period.id)
    watch.timer.timeout.emit()
    qtbot.waitUntil(lambda: CLIENT not in _names(clients))
    qtbot.waitUntil(lambda: card.stack.currentWidget() is card.failure)
    assert team.anna.id not in ctx.actor.also_sees

    # a period that reaches its end: as if its end passed meanwhile
    transfers.set_deputy(
        elsewhere, team.anna, "boris", dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    )
    watch.timer.timeout.emit()
    qtbot.waitUntil(lambda: CLIENT in _names(clients))
    with elsewhere.uow() as uow:
        uow.session.execute(
            update(Deputy).values(until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        uow.commit()
    watch.timer.timeout.emit()
    qtbot.waitUntil(lambda: CLIENT not in _names(clients))
    watch.stop()
    assert not ctx.errors  # type: ignore[attr-defined]


def test_nothing_is_posted_while_nothing_changed(qtbot: QtBot, db: Database, team: Team) -> None:
    ctx = make_ctx(db, login="boris")
    posted: list[object] = []
    ctx.bus.changed.connect(posted.append)
    watch = DeputyWatch(ctx)
    watch.start()
    watch.timer.timeout.emit()
    watch.stop()
    assert posted == []
    assert not ctx.errors  # type: ignore[attr-defined]
