"""Bulk writes of the linking job on SQLite, through temporary tables.

On SQLite every statement of an ``executemany`` is a statement of its own:
each opens a statement journal for the foreign keys, and each INSERT into
interactions flushes the search index (its FTS5 trigger). A thousand
one-row statements cost 3-10x one statement of a thousand rows. So the rows
go into a temporary table (no index, no trigger, no constraint) with one
driver-level ``executemany``, values converted by the columns' own types as
SQLAlchemy would, and then into the real table with one ``INSERT ...
SELECT`` or ``UPDATE ... FROM``. Other databases take the plain statement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Column, Table, bindparam, text


def on_sqlite(session: Any) -> bool:
    return bool(session.get_bind().dialect.name == "sqlite")


def _fill(
    session: Any, stage: str, columns: Sequence[Column[Any]], rows: Sequence[Mapping[str, Any]]
) -> None:
    """A fresh TEMP table STAGE holding ROWS in COLUMNS (plus ``item`` when
    the rows have it), each value as the column's type binds it; a value a
    row lacks is the column's Python-side default, else NULL."""
    connection = session.connection()
    dialect = connection.dialect
    keyed = "item" in rows[0]
    names = (["item"] if keyed else []) + [c.name for c in columns]
    converters: list[tuple[str, Any, Any, dict[tuple[dt.datetime, Any], Any]]] = [
        (c.name, c.type.dialect_impl(dialect).bind_processor(dialect), c.default, {})
        for c in columns
    ]
    values = []
    for row in rows:
        out = [row["item"]] if keyed else []
        for name, process, default, seen in converters:
            value = row[name] if name in row else _default(default)
            if process is None or value is None:
                out.append(value)
            elif isinstance(value, dt.datetime):  # a run's rows share their times: convert once
                key = (value, value.tzinfo)  # equal instants in other zones are other values
                if key not in seen:
                    seen[key] = process(value)
                out.append(seen[key])
            else:
                out.append(process(value))
        values.append(tuple(out))
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{stage}")
    connection.exec_driver_sql(f"CREATE TEMP TABLE {stage} ({', '.join(names)})")
    marks = ", ".join("?" for _ in names)
    connection.exec_driver_sql(f"INSERT INTO {stage} ({', '.join(names)}) VALUES ({marks})", values)


def _default(default: Any) -> Any:
    """A column's Python-side default (a scalar, or a callable SQLAlchemy
    has wrapped to take the execution context), else None."""
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg


def insert_rows(session: Any, target: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT ROWS into TARGET (ids assigned in the order given)."""
    if not rows:
        return
    columns = [c for c in target.columns if not (c.primary_key and c.name == "id")]
    stage = f"tp_stage_{target.name}"
    _fill(session, stage, columns, rows)
    names = ", ".join(c.name for c in columns)
    connection = session.connection()
    connection.exec_driver_sql(
        f"INSERT INTO {target.name} ({names}) SELECT {names} FROM {stage} ORDER BY rowid"
    )
    connection.exec_driver_sql(f"DROP TABLE temp.{stage}")


def update_by_id(
    session: Any,
    statement: Any,
    target: Table,
    rows: list[dict[str, Any]],
    fixed: Mapping[str, Any],
) -> None:
    """Run ``statement`` (an UPDATE of ``target`` by ``id = :item`` setting
    the rows' other keys and the ``fixed`` values) for every row."""
    if not rows:
        return
    if not on_sqlite(session):
        session.execute(statement, rows)
        return
    names = [name for name in rows[0] if name != "item"]
    values = dict(fixed)
    for c in target.columns:  # what the statement's onupdate would set (updated_at)
        if c.onupdate is not None and c.name not in values and c.name not in names:
            values[c.name] = c.onupdate.arg(None)  # type: ignore[attr-defined]
    stage = f"tp_stage_{target.name}"
    _fill(session, stage, [target.c[n] for n in names], rows)
    sets = [f"{n} = s.{n}" for n in names] + [f"{n} = :{n}" for n in values]
    session.execute(
        text(
            f"UPDATE {target.name} SET {', '.join(sets)} FROM {stage} AS s "
            f"WHERE {target.name}.id = s.item"
        ).bindparams(*(bindparam(n, v, type_=target.c[n].type) for n, v in values.items()))
    )
    session.connection().exec_driver_sql(f"DROP TABLE temp.{stage}")
