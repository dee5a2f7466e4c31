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


class ReadUnit(UnitOfWork):
    """A reader's unit of work that makes its ORM Session only when asked.

    A feed page runs only prepared statements on the driver's connection:
    for it a Session (its transaction bookkeeping, identity map, rollback
    and close) cost more than the page's SQL (issue #16). The transaction
    is a Core connection's, begun on first use (SQLite: a deferred
    ``BEGIN`` as every reader's); a Session asked for later joins it, so
    everything in the unit still reads one snapshot.
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
        self._info: dict[Any, Any] = {"actor_id": actor_id}

    @property
    def session(self) -> Session:  # type: ignore[override]
        if self._session is None:
            sessions = self._readers()
            if self._connection is None:  # nothing read yet: a reader's Session, as ever
                self._session = sessions(info=self._info)
            else:
                self._session = sessions(bind=self._connection, info=self._info)
        return self._session

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

    def commit(self) -> None:
        if self._session is not None:
            super().commit()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.commit()
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
        if self._connection is None:
            self._connection = self._engine.connect()
            self._connection.begin()
        return self._connection.connection.dbapi_connection
