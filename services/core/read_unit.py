"""A reader's unit of work that makes its ORM Session only when asked (issue #16)."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect

from services.core.storage import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker
    from sqlalchemy.pool import PoolProxiedConnection


class ReadUnit(UnitOfWork):
    """A reader's unit of work that makes its ORM Session only when asked.

    A feed page runs only prepared statements on the driver's connection:
    for it a Session (its transaction bookkeeping, identity map, rollback
    and close) cost more than the page's SQL (issue #16). So did a Core
    ``Connection`` (its begin, events and close: ~30 µs of a page in a new
    unit of work), so the unit takes the driver's connection from the pool
    itself and begins the read on it (SQLite: a deferred ``BEGIN``, as every
    reader's; PostgreSQL: the driver's own transaction at the first
    statement); the pool's return rolls it back. A Session asked for later
    joins that transaction through a Core connection on the same driver
    connection, so everything in the unit still reads one snapshot.

    While anyone listens to the engine's ``before_cursor_execute`` (the
    tests that catch database work on the GUI thread), the transaction is
    begun through SQLAlchemy as before, so the listener sees the unit start.
    """

    def __init__(
        self,
        engine: Engine,
        readers: Callable[[], sessionmaker[Session]],
        actor_id: int | None,
    ) -> None:
        self.actor_id = actor_id
        self._committed = False
        self._engine = engine
        self._readers = readers
        self._session: Session | None = None
        self._connection: Connection | None = None
        self._pooled: PoolProxiedConnection | None = None
        self._driver: Any = None
        self._info: dict[Any, Any] = {"actor_id": actor_id}

    @property
    def session(self) -> Session:  # type: ignore[override]
        if self._session is None:
            sessions = self._readers()
            if self._driver is None:  # nothing read yet: a reader's Session, as ever
                self._session = sessions(info=self._info)
            else:
                self._session = sessions(bind=self._core_connection(), info=self._info)
        return self._session

    def _core_connection(self) -> Connection:
        """A Core connection in the transaction already begun on the driver."""
        if self._connection is None:
            assert self._pooled is not None
            self._connection = Connection(self._engine, connection=self._pooled)
            self._pooled = None  # the Connection returns it to the pool now
        return self._connection

    def __enter__(self) -> ReadUnit:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._session is not None:
                if not self._committed:
                    self._session.rollback()
                self._session.close()
        finally:
            if self._connection is not None:
                self._connection.close()  # ends its transaction (rolled back)
            elif self._pooled is not None:
                self._pooled.close()  # back to the pool, which rolls back

    def commit(self) -> None:
        if self._session is not None:
            super().commit()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.commit()
        elif self._pooled is not None:
            self._driver.commit()
        self._committed = True

    @property
    def info(self) -> dict[Any, Any]:
        return self._session.info if self._session is not None else self._info

    @property
    def dialect(self) -> Dialect:
        return self._engine.dialect

    def dbapi_connection(self, *, flush: bool = False) -> Any:
        if self._session is not None:
            return super().dbapi_connection(flush=flush)
        if self._driver is None:
            self._begin()
        return self._driver

    def _begin(self) -> None:
        engine = self._engine
        if engine.dispatch.before_cursor_execute:  # watched: begin where it is seen
            self._connection = engine.connect()
            self._connection.begin()
            self._driver = self._connection.connection.dbapi_connection
            return
        self._pooled = engine.raw_connection()
        self._driver = self._pooled.dbapi_connection
        if engine.dialect.name == "sqlite":
            self._driver.execute("BEGIN")
