"""Hot read statements compiled once and run on the DBAPI connection.

A feed page or a search runs a handful of small statements whose SQL text
never changes for a given shape. Executing them through SQLAlchemy costs
more than SQLite needs to answer them (cache key, parameter processing,
result rows: ~0.4 ms a page against ~0.15 ms of SQL at 1M rows, issue
#16). Here a statement is compiled once per dialect, its parameters are
converted by the same type processors SQLAlchemy would use, it runs on the
cursor of the unit of work's own connection (same transaction, same
snapshot) and comes back as plain tuples, with times parsed by
``fromisoformat`` instead of SQLAlchemy's regular expression.

Only for statements without expanding ``IN`` parameters; their answers are
the same as through SQLAlchemy, which the tests of each user check.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Executable
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, InvalidRequestError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

from models.base import UTCDateTime
from services.core.errors import DatabaseBusy
from services.core.storage import UnitOfWork, is_busy

Processor = Callable[[Any], Any]

#: False runs every prepared statement through SQLAlchemy instead: the tests
#: compare both paths page by page.
ENABLED = True


def _utc_from_text(value: Any) -> dt.datetime | None:
    """SQLite stores UTCDateTime as 'YYYY-MM-DD HH:MM:SS[.ffffff]'."""
    if value is None:
        return None
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]


def _utc_from_datetime(value: Any) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=dt.UTC)


_fromisoformat = dt.datetime.fromisoformat


def utc(value: Any) -> dt.datetime:
    """A UTCDateTime column's value as ``raw_rows`` gives it (SQLite's text,
    PostgreSQL's naive datetime) or as SQLAlchemy does (aware): aware UTC.
    The text gets its offset appended, one parse instead of parse and
    ``replace`` (a feed page converts fifty)."""
    if value.__class__ is str:
        try:
            found = _fromisoformat(value + "+00:00")
        except ValueError:  # a text that is not SQLAlchemy's plain format
            return _fromisoformat(value).replace(tzinfo=dt.UTC)
        # A date alone ignores the offset: midnight, naive.
        return found if found.tzinfo is not None else found.replace(tzinfo=dt.UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]
    return value  # type: ignore[no-any-return]


def _result_processor(type_: Any, dialect: Dialect) -> Processor | None:
    try:
        return type_.dialect_impl(dialect).result_processor(dialect, None)  # type: ignore[no-any-return]
    except (TypeError, ValueError, InvalidRequestError):
        # psycopg's Float asks the column's wire type, known only after a
        # query; float8 (CAST AS FLOAT) arrives as a Python float anyway.
        return None


class Prepared:
    """One statement compiled for one dialect."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        assert isinstance(statement, ClauseElement)
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("expanding parameters cannot be prepared")
        self.statement = statement
        self.sql = compiled.string
        self.positional = dialect.paramstyle in ("qmark", "numeric", "format")
        binds = compiled.binds
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.binds: dict[str, Processor | None] = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in binds.items()
        }
        # The values written into the statement (literals, bindparam(value=...)).
        self.defaults = {name: bind.value for name, bind in binds.items() if not bind.required}
        # ... converted once here: a feed page's statement holds some thirty
        # literals and only a handful of values a call (issue #16).
        self.fixed = {name: self._convert(name, value) for name, value in self.defaults.items()}
        self.required = tuple(name for name, bind in binds.items() if bind.required)
        # Positional (SQLite): the written values placed once; a call fills
        # the slots of the values it gives (a feed page's history statement
        # has 24 places, two values; issue #16).
        self._template = [self.fixed.get(name) for name in self.names]
        self._asked = tuple(
            (i, name, self.binds[name])
            for i, name in enumerate(self.names)
            if name not in self.fixed
        )
        self._written = tuple((i, name) for i, name in enumerate(self.names) if name in self.fixed)
        self.results: list[Processor | None] = []
        columns = getattr(statement, "selected_columns", ())
        for col in columns:
            if isinstance(col.type, UTCDateTime):
                self.results.append(
                    _utc_from_text if dialect.name == "sqlite" else _utc_from_datetime
                )
            else:
                self.results.append(_result_processor(col.type, dialect))
        self.converted = [(i, p) for i, p in enumerate(self.results) if p is not None]
        self.plain = not self.converted

    def _convert(self, name: str, value: Any) -> Any:
        proc = self.binds[name]
        return proc(value) if proc is not None and value is not None else value

    def params(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters: every bind's value converted by its type,
        ``values`` over the statement's own; a required one missing is a
        KeyError."""
        if self.positional:
            out = self._template.copy()
            for i, name, proc in self._asked:
                value = values[name]
                out[i] = proc(value) if proc is not None and value is not None else value
            if len(values) > len(self.required):  # a written value overridden
                for i, name in self._written:
                    if name in values:
                        out[i] = self._convert(name, values[name])
            return out
        converted = dict(self.fixed)
        convert = self._convert
        for name in self.required:
            converted[name] = convert(name, values[name])
        for name in values.keys() & self.fixed.keys():  # a written value overridden
            converted[name] = convert(name, values[name])
        return converted

    def rows(
        self, uow: UnitOfWork, values: Mapping[str, Any], *, autoflush: bool = False
    ) -> list[tuple[Any, ...]]:
        """``autoflush``: flush pending ORM changes first, as ``Session.execute``
        does (``Connection.execute``, which the feed used, does not)."""
        if not ENABLED:
            return self._through_sqlalchemy(uow, values, autoflush)
        found = self._fetch(uow, values, autoflush)
        if self.plain:
            return list(found)
        if len(self.converted) == 1:  # the common case: one time column
            i, proc = self.converted[0]
            return [(*row[:i], proc(row[i]), *row[i + 1 :]) for row in found]
        out = []
        for row in found:
            cells = list(row)
            for i, proc in self.converted:
                cells[i] = proc(cells[i])
            out.append(tuple(cells))
        return out

    def raw_rows(
        self, uow: UnitOfWork, values: Mapping[str, Any], *, autoflush: bool = False
    ) -> list[tuple[Any, ...]]:
        """The driver's rows as they come, no column converted: for a caller
        that converts each value once where it uses it (the feed's items;
        times with ``utc``). With ``ENABLED`` off, SQLAlchemy's rows."""
        if not ENABLED:
            return self._through_sqlalchemy(uow, values, autoflush)
        return self._fetch(uow, values, autoflush)

    def _through_sqlalchemy(
        self, uow: UnitOfWork, values: Mapping[str, Any], autoflush: bool
    ) -> list[tuple[Any, ...]]:
        session = uow.session
        merged = {**self.defaults, **values}
        if autoflush:
            return [tuple(r) for r in session.execute(self.statement, merged)]
        return [tuple(r) for r in session.connection().execute(self.statement, merged)]

    def write(self, uow: UnitOfWork, values: Mapping[str, Any]) -> None:
        """Run a statement that returns no rows (an upsert), pending ORM
        changes flushed first."""
        if not ENABLED:
            uow.session.execute(self.statement, {**self.defaults, **values})
            return
        self._fetch(uow, values, True, fetch=False)

    def _fetch(
        self, uow: UnitOfWork, values: Mapping[str, Any], autoflush: bool, *, fetch: bool = True
    ) -> list[tuple[Any, ...]]:
        params = self.params(values)
        raw = uow.dbapi_connection(flush=autoflush)
        cursor = raw.cursor()
        try:
            cursor.execute(self.sql, params)
            found = cast(list[tuple[Any, ...]], cursor.fetchall() if fetch else [])
        except Exception as exc:
            if is_busy(exc):
                raise DatabaseBusy() from exc
            dbapi = uow.dialect.loaded_dbapi
            if isinstance(exc, dbapi.Error):
                raise DBAPIError.instance(self.sql, params, exc, dbapi.Error) from exc
            raise
        finally:
            cursor.close()
        return found


_cache: dict[tuple[str, Any], Prepared] = {}
_lock = threading.Lock()


def prepared(dialect: Dialect, key: Any, build: Callable[[], Executable]) -> Prepared:
    """The statement ``build()`` makes for ``key``, compiled once per dialect."""
    found = _cache.get((dialect.name, key))
    if found is None:
        made = Prepared(build(), dialect)
        with _lock:
            found = _cache.setdefault((dialect.name, key), made)
    return found


def dialect_of(uow: UnitOfWork) -> Dialect:
    return uow.dialect
