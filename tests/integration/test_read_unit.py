"""A reader's unit of work makes its ORM Session only when asked (issue #16):
prepared statements alone run without one, a Session asked for later works
in the same transaction, and the connection goes back to the pool, on
SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from models import Client
from services.core import settings
from services.core.access import Actor
from services.core.read_unit import ReadUnit
from services.core.storage import Database
from services.feed import pages as feed
from tests.integration.helpers import client


def test_a_feed_page_needs_no_session(db: Database, actor: Actor) -> None:
    cid = client(db, "ООО «Север»")
    pool = db.engine.pool
    before = pool.checkedout()  # type: ignore[attr-defined]
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
    assert pool.checkedout() == before  # type: ignore[attr-defined]


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
