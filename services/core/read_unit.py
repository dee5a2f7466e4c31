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


#: Connections kept between readers (``ReadUnit``'s ``idle``): the read
#: lane's and one more; the pool keeps the rest for everyone else.
IDLE_READERS = 2


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

    ``idle`` (SQLite): connections a reader ended on, rolled back and kept
    checked out for the next reader (at most ``IDLE_READERS``): the pool's
    checkout and return, with their events and reset, were ~30 µs of a feed
    page in a new unit of work, a tenth of it (issue #16). An idle one holds
    no transaction, so it neither pins a snapshot nor blocks a checkpoint.
    """

    def __init__(
        self,
        engine: Engine,
        readers: Callable[[], sessionmaker[Session]],
        actor_id: int | None,
        idle: list[PoolProxiedConnection] | None = None,
    ) -> None:
        self.actor_id = actor_id
        self._idle = idle
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
                self._release(self._pooled)

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

    def _release(self, pooled: PoolProxiedConnection) -> None:
        """Kept idle for the next reader once rolled back, else back to the
        pool (which rolls back)."""
        idle = self._idle
        if idle is not None and len(idle) < IDLE_READERS:
            try:
                self._driver.rollback()
            except Exception:
                pooled.close()  # the pool resets it, or drops it
                raise
            idle.append(pooled)
            return
        pooled.close()

    def _begin(self) -> None:
        engine = self._engine
        if engine.dispatch.before_cursor_execute:  # watched: begin where it is seen
            self._connection = engine.connect()
            self._connection.begin()
            self._driver = self._connection.connection.dbapi_connection
            return
        pooled = None
        if self._idle:
            try:
                pooled = self._idle.pop()
            except IndexError:  # another thread took the last one
                pooled = None
            if pooled is not None and not pooled.is_valid:
                pooled.close()
                pooled = None
        self._pooled = pooled if pooled is not None else engine.raw_connection()
        self._driver = self._pooled.dbapi_connection
        if engine.dialect.name == "sqlite":
            self._driver.execute("BEGIN")
