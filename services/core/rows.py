"""INSERT of many plain rows straight through the driver, for hot import paths.

``session.execute(insert(table), dicts)`` compiles, then builds and
type-processes a parameter dict per row inside SQLAlchemy: ~10-20 µs a row,
as much as SQLite's own work on a narrow row, and most of what the mail
header scan spends writing a batch. ``insert_rows`` sends one INSERT made
once per dialect with the rows as tuples, each value passed through its
column type's own bind processor (so UTCDateTime, Boolean and the rest store
exactly what the Core insert stores), on the unit of work's connection and
transaction. Like a Core insert it fires no ORM event. Columns left out get
the database's default (NULL), so a table with a Python-side default on a
column left out is refused.

On SQLite the rows go as multi-row ``VALUES`` lists (up to 999 values a
statement, the oldest SQLite's bound) rather than an executemany: each
execution of a statement opens its triggers' tables again, so a batch of
interactions, whose two FTS5 triggers index every row, costs ~40 % less
that way (200 rows of a bench letter's text: ~175 -> ~100 µs a row); plain
rows ~8 -> ~6 µs. The rows get their ids in the same order either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

_Processor = Callable[[Any], Any] | None
_MADE: dict[tuple[str, str, tuple[str, ...]], tuple[str, tuple[_Processor, ...]]] = {}
_LOCK = threading.Lock()
SQLITE_VALUES = 999  # bound values a multi-row statement holds at most on SQLite
SQLITE_ROWS = 100  # and rows


def _statement(
    dialect: Dialect, table: Table, columns: tuple[str, ...]
) -> tuple[str, tuple[_Processor, ...]]:
    key = (dialect.name, table.fullname, columns)
    found = _MADE.get(key)
    if found is None:
        for column in table.c:  # a value the Core insert would have made in Python
            if column.name not in columns and column.default is not None:
                raise ValueError(f"insert_rows: {table.name}.{column.name} has a default")
        quote = dialect.identifier_preparer
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO {quote.format_table(table)} "
            f"({', '.join(quote.quote(name) for name in columns)}) "
            f"VALUES ({', '.join(mark for _ in columns)})"
        )
        processors = tuple(
            table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
        )
        found = (sql, processors)
        with _LOCK:
            _MADE[key] = found
    return found


def insert_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """INSERT ROWS (values in the order of COLUMNS) into TABLE; how many."""
    connection = session.connection()
    sql, processors = _statement(connection.dialect, table, tuple(columns))
    values = [tuple(row) for row in rows]
    if not values:
        return 0
    if set(map(len, values)) != {len(processors)}:
        raise ValueError(f"insert_rows: a row of {table.name} is not {len(processors)} values")
    if any(p is not None for p in processors):
        # Column by column: each processor mapped over its column, not a
        # Python loop over every value of every row.
        by_column: list[Sequence[Any]] = list(zip(*values, strict=True))
        for index, process in enumerate(processors):
            if process is not None:
                by_column[index] = list(map(process, by_column[index]))
        values = list(zip(*by_column, strict=True))
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql(sql, values)
        return len(values)
    head, one = sql.split(" VALUES ", 1)
    page = max(1, min(SQLITE_ROWS, SQLITE_VALUES // len(columns)))
    full = f"{head} VALUES {', '.join([one] * page)}"
    for start in range(0, len(values), page):
        part = values[start : start + page]
        flat = tuple(chain.from_iterable(part))
        statement = full if len(part) == page else f"{head} VALUES {', '.join([one] * len(part))}"
        connection.exec_driver_sql(statement, flat)
    return len(values)


def select_in(
    session: Session,
    table: Table,
    columns: Sequence[str],
    equal: Sequence[tuple[str, Any]],
    member: str,
    values: Iterable[Any],
) -> list[tuple[Any, ...]]:
    """``SELECT COLUMNS FROM TABLE WHERE <name> = <value> ... AND MEMBER IN
    (VALUES)`` straight through the driver, for hot import paths: an
    expanding IN through SQLAlchemy costs more than SQLite's lookups (~7
    µs a letter in the header scan for each such query, against ~3). Values
    pass through their column types' bind processors; only columns whose
    values come back as stored (integers, strings) may be read."""
    wanted = list(dict.fromkeys(values))
    if not wanted:
        return []
    connection = session.connection()
    dialect = connection.dialect
    for name in columns:
        column_type = table.c[name].type.dialect_impl(dialect)
        if column_type.result_processor(dialect, None) is not None:
            raise ValueError(f"select_in: {table.name}.{name} needs a result processor")
    quote = dialect.identifier_preparer
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    conditions = [f"{quote.quote(name)} = {mark}" for name, _v in equal]
    conditions.append(f"{quote.quote(member)} IN ({', '.join(mark for _ in wanted)})")
    sql = (
        f"SELECT {', '.join(quote.quote(name) for name in columns)} "
        f"FROM {quote.format_table(table)} WHERE {' AND '.join(conditions)}"
    )
    params = [_bound(table, name, value, dialect) for name, value in equal]
    convert = table.c[member].type.dialect_impl(dialect).bind_processor(dialect)
    params += wanted if convert is None else [convert(v) for v in wanted]
    return [tuple(row) for row in connection.exec_driver_sql(sql, tuple(params))]


def _bound(table: Table, name: str, value: Any, dialect: Dialect) -> Any:
    convert = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
    return value if convert is None else convert(value)
