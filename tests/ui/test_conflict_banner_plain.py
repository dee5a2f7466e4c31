"""The card's sync-conflict banner on a database that is no replica (#20).

The desktop makes a replica driver for every database, so every card's
banner starts listening; on a plain database the first read says "no
replica", the banner stops listening and later reads cost no query.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import event

from services.core.storage import Database
from services.parties import use_cases as creating
from services.sync import card_conflicts
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget


def test_a_card_on_a_plain_database_asks_once_whether_it_is_a_replica(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    ctx = make_ctx(sqlite_db)
    ctx.replica = object()  # as desktop/container.py wires every database
    client = creating.add_client(sqlite_db, ctx.actor, "ООО «Обычная база»").value
    card = CardWidget(ctx, "client", client.id)
    qtbot.addWidget(card)
    card.show()
    qtbot.waitUntil(lambda: card.conflicts.found is not None)
    assert card.conflicts.found is not None
    assert not card.conflicts.found.replica
    assert not card.conflicts.listening
    assert not card.conflicts.isVisible()

    statements: list[str] = []

    def seen(_conn: object, _cursor: object, sql: str, *_args: object) -> None:
        statements.append(sql)

    event.listen(sqlite_db.engine, "before_cursor_execute", seen)
    try:
        found = card_conflicts.of_card(sqlite_db, ctx.actor, "client", client.id)
    finally:
        event.remove(sqlite_db.engine, "before_cursor_execute", seen)
    assert found.conflicts == ()
    assert not found.replica
    assert statements == []
