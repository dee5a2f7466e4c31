"""The baselines of ``bench/replica.py``: the rows a pull or a sync wrote,
read back from the server and written into another PostgreSQL database
with one executemany per table and statement kind, in one transaction.

Apart from the measurements so that the three baselines (the pull's
rows, the laptop's records, the week's mixed changes) share one timed
write and one read of rows by uid.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from replica_week import OFFLINE_KINDS
from sqlalchemy import Connection, Executable, bindparam, create_engine, select

from models import Client, Contact, ContactPoint, CustomValue, Interaction, Note, SyncLog, Task
from services.core.storage import open_database
from services.sync.tables import kind_of, synced_kinds

Writes = list[tuple[Executable, list[dict[str, Any]]]]
CHUNK = 1000  # uids per IN (...)

TABLES = {
    "clients": Client,
    "contacts": Contact,
    "contact_points": ContactPoint,
    "interactions": Interaction,
    "notes": Note,
    "tasks": Task,
    "custom_values": CustomValue,
}


def _fresh(row: Any) -> dict[str, Any]:
    """A server row to write elsewhere: its sync_seq is the target's to assign."""
    return dict(row._mapping) | {"sync_seq": None}


def rows_by_uid(conn: Connection, table: Any, uids: Sequence[str]) -> list[dict[str, Any]]:
    return [
        _fresh(r)
        for start in range(0, len(uids), CHUNK)
        for r in conn.execute(select(table).where(table.c.uid.in_(uids[start : start + CHUNK])))
    ]


def timed_writes(target_url: str, writes: Writes) -> tuple[float, int]:
    """The statements run in one transaction of ``target_url``: seconds, rows."""
    target = create_engine(target_url)
    started = time.perf_counter()
    with target.begin() as conn:
        for statement, rows in writes:
            if rows:
                conn.execute(statement, rows)
    elapsed = time.perf_counter() - started
    target.dispose()
    return elapsed, sum(len(rows) for _, rows in writes)


def bulk_insert(source_url: str, target_url: str) -> tuple[float, int]:
    """The synced rows of ``source_url`` inserted into ``target_url``: seconds, rows."""
    source = create_engine(source_url)
    writes: Writes = []
    with source.connect() as conn:
        for spec in synced_kinds():
            if spec.kind == "interaction_type":  # the migrations made them already
                continue
            table = spec.model.__table__
            writes.append((table.insert(), [_fresh(r) for r in conn.execute(select(table))]))
    source.dispose()
    open_database(target_url).dispose()  # the same schema, empty
    return timed_writes(target_url, writes)


def insert_pushed(server_url: str, copy_url: str, path: Path) -> tuple[float, int]:
    """The records the laptop created, as the server now holds them,
    inserted into a copy of the server made before the sync."""
    replica = create_engine(f"sqlite:///{path}")
    with replica.connect() as conn:
        made = {
            kind: list(
                conn.execute(
                    select(SyncLog.uid).where(SyncLog.kind == kind, SyncLog.field == "*created")
                ).scalars()
            )
            for kind in OFFLINE_KINDS
        }
    replica.dispose()
    source = create_engine(server_url)
    writes: Writes = []
    with source.connect() as conn:
        for kind in OFFLINE_KINDS:
            table = kind_of(kind).model.__table__
            writes.append((table.insert(), rows_by_uid(conn, table, made[kind])))
    source.dispose()
    return timed_writes(copy_url, writes)


def write_changes(
    server_url: str, copy_url: str, done: dict[str, dict[str, list[Any]]]
) -> tuple[float, int]:
    """The week's rows as the server holds them after the sync, written into
    the copy made before it: one executemany per table and statement."""
    source = create_engine(server_url)
    writes: Writes = []
    with source.connect() as conn:
        for name, what in done.items():
            table: Any = TABLES[name].__table__
            if name == "custom_values":
                writes.append((table.insert(), [_fresh(r) for r in conn.execute(select(table))]))
                removed = [{"f": f, "e": e} for f, e in what.get("removed", [])]
                writes.append(
                    (
                        table.delete().where(
                            table.c.field_id == bindparam("f"),
                            table.c.entity_id == bindparam("e"),
                        ),
                        removed,
                    )
                )
                continue
            writes.append((table.insert(), rows_by_uid(conn, table, what.get("made", []))))
            edited = what.get("edited", [])
            if edited:
                columns = sorted({c for _, cols in edited for c in cols})
                latest = list({uid: None for uid, _ in edited})
                rows = [
                    {"u": r["uid"], **{f"v_{c}": r[c] for c in columns}}
                    for r in rows_by_uid(conn, table, latest)
                ]
                writes.append(
                    (
                        table.update()
                        .where(table.c.uid == bindparam("u"))
                        .values({c: bindparam(f"v_{c}") for c in columns}),
                        rows,
                    )
                )
    source.dispose()
    return timed_writes(copy_url, writes)
