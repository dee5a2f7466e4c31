"""A reader's unit of work makes its ORM Session only when asked (issue #16):
prepared statements alone run without one, a Session asked for later works
in the same transaction, and the connection goes back to the pool (on
SQLite: or waits, rolled back, for the next reader), on SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select

from models import Client
from services.core import bootstrap, settings
from services.core.access import Actor
from services.core.read_unit import IDLE_READERS, ReadUnit
from services.core.storage import Database
from services.feed import pages as feed
from tests.integration.helpers import NOW, client, interaction


def _in_use(db: Database) -> int:
    """Connections out of the pool but those kept idle between readers."""
    return db.engine.pool.checkedout() - db.idle_readers  # type: ignore[attr-defined, no-any-return]


def test_a_feed_page_needs_no_session(db: Database, actor: Actor) -> None:
    cid = client(db, "ООО «Север»")
    before = _in_use(db)
    with db.reader(actor.id) as uow:
        assert isinstance(uow, ReadUnit)
        page = feed.page(uow, actor, feed.FeedScope(client_id=cid))
        assert [i.title for i in page.items] == ["client.created"]
        assert uow._session is None  # only prepared statements ran
        driver = uow.dbapi_connection()
        # asked for afterwards, the Session reads in the same transaction
        assert uow.session.scalar(select(Client.name).where(Client.id == cid)) == "ООО «Север»"
        assert uow.session.connection().connection.dbapi_connection is driver
        assert uow.session.info["actor_id"] == actor.id
        assert uow.info is uow.session.info
    assert _in_use(db) == before


def test_a_session_first_reader_is_the_reader_it_was(db: Database, actor: Actor) -> None:
    cid = client(db, "ИП Ёлкин")
    with db.reader(actor.id) as uow:
        assert uow.session.get(Client, cid) is not None
        zone = settings.display_zone(uow)  # remembered by the session
        assert uow.session.info["display_zone"] == zone
        assert uow.dbapi_connection() is uow.session.connection().connection.dbapi_connection
        uow.commit()  # a reader may commit: nothing to write, no error
    with db.reader() as uow:
        assert settings.display_zone(uow) == zone
        assert uow.info["display_zone"] == zone


def _titles(db: Database, actor: Actor, cid: int) -> list[str]:
    with db.reader(actor.id) as uow:
        return [i.title for i in feed.page(uow, actor, feed.FeedScope(client_id=cid)).items]


def test_a_new_reader_sees_what_another_connection_committed(db: Database, actor: Actor) -> None:
    """The reader begins its transaction on the driver (no Core connection):
    a unit made after another one's commit reads that commit."""
    cid = client(db, "АО «Заря»")
    before = _in_use(db)
    with db.reader(actor.id) as held:  # a reader open meanwhile, on its own connection
        feed.page(held, actor, feed.FeedScope(client_id=cid))
        assert _titles(db, actor, cid) == ["client.created"]
        interaction(db, client_id=cid, type="call", subject="Звонок Ёжикову", start=NOW)
        assert sorted(_titles(db, actor, cid)) == ["client.created", "Звонок Ёжикову"]
        if db.is_sqlite:  # the open reader keeps its snapshot (WAL)
            page = feed.page(held, actor, feed.FeedScope(client_id=cid))
            assert [i.title for i in page.items] == ["client.created"]
    assert _in_use(db) == before


def test_a_failed_or_committed_reader_gives_its_connection_back(db: Database, actor: Actor) -> None:
    cid = client(db, "ООО «Восход»")
    before = _in_use(db)
    try:
        with db.reader(actor.id) as uow:
            feed.page(uow, actor, feed.FeedScope(client_id=cid))
            raise KeyError("boom")
    except KeyError:
        pass
    assert _in_use(db) == before
    with db.reader(actor.id) as uow:
        feed.page(uow, actor, feed.FeedScope(client_id=cid))
        uow.commit()  # ends the read; nothing to write
    assert _in_use(db) == before
    assert _titles(db, actor, cid) == ["client.created"]


def test_a_watched_engine_sees_the_reader_begin(sqlite_db: Database) -> None:
    """Tests that catch database work on the GUI thread (SQLite) listen to
    ``before_cursor_execute``: a reader's start must reach them."""
    db = sqlite_db
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    cid = client(db, "ИП Щукин")
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        assert _titles(db, actor, cid) == ["client.created"]
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
    assert seen


def test_readers_take_turns_on_kept_connections(db: Database, actor: Actor) -> None:
    """SQLite: a reader's connection, rolled back, serves the next reader
    (no pool checkout); at most IDLE_READERS wait, none holds a snapshot,
    and disposing the database gives them back."""
    cid = client(db, "ООО «Ёлка»")
    _titles(db, actor, cid)
    if not db.is_sqlite:
        assert db.idle_readers == 0  # PostgreSQL: the pool as ever
        return
    assert db.idle_readers == 1
    with db.reader(actor.id) as first:
        feed.page(first, actor, feed.FeedScope(client_id=cid))
        kept = first.dbapi_connection()
        assert db.idle_readers == 0  # taken
    with db.reader(actor.id) as second:
        feed.page(second, actor, feed.FeedScope(client_id=cid))
        assert second.dbapi_connection() is kept
    assert not kept.in_transaction
    readers = [db.reader(actor.id) for _ in range(IDLE_READERS + 2)]
    for uow in readers:  # several at once: each on its own connection
        uow.__enter__()
        feed.page(uow, actor, feed.FeedScope(client_id=cid))
    assert len({id(uow.dbapi_connection()) for uow in readers}) == len(readers)
    for uow in readers:
        uow.__exit__(None, None, None)
    assert db.idle_readers == IDLE_READERS
    interaction(db, client_id=cid, type="call", subject="Звонок Ёлкину", start=NOW)
    assert sorted(_titles(db, actor, cid)) == ["client.created", "Звонок Ёлкину"]
    db.dispose()
    assert db.idle_readers == 0
    assert db.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert sorted(_titles(db, actor, cid)) == ["client.created", "Звонок Ёлкину"]
