"""A change another desktop makes reaches this desktop's change bus within
seconds (#19 item 5): the listener thread posts on the GUI thread."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text

from desktop.live_updates import LiveUpdates
from services.core import bootstrap
from services.core.changes import Changes
from services.core.storage import Database, open_database
from services.parties import records as parties
from ui.bus import ChangeBus


@pytest.fixture
def pg_db(pg_admin_url: str, pg_template: str) -> Iterator[Database]:
    from tests.conftest import _fresh_pg

    database = open_database(_fresh_pg(pg_admin_url, pg_template))
    yield database
    database.dispose()


@pytest.mark.postgres
def test_another_connections_change_is_posted_on_the_bus(qtbot: QtBot, pg_db: Database) -> None:
    db = pg_db
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    with db.uow(actor.id) as uow:
        client_id = parties.add_client(uow, actor, "ООО Живые обновления").id
        uow.commit()
    bus = ChangeBus()
    updates = LiveUpdates(db, actor, bus)
    try:
        with qtbot.waitSignal(updates.listening, timeout=10_000):
            updates.start()
        other = create_engine(db.engine.url)
        try:
            with qtbot.waitSignal(bus.changed, timeout=10_000) as posted, other.begin() as conn:
                conn.execute(
                    text("UPDATE clients SET name = 'ООО Другой компьютер' WHERE id = :i"),
                    {"i": client_id},
                )
        finally:
            other.dispose()
        changes = posted.args[0]
        assert isinstance(changes, Changes)
        assert changes.touches_card("client", client_id)
    finally:
        updates.stop()


def test_the_embedded_file_has_no_listener(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    updates = LiveUpdates(sqlite_db, actor, ChangeBus())
    updates.start()
    assert updates._thread is None
    updates.stop()
