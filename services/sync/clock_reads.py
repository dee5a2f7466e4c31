"""Reads of ``sync_clock`` and ``sync_conflicts`` that name their rows.

On a team server both tables are under row-level security that looks the
record up in its own table (migration 0037: a login reads the clocks and
conflicts of the records it sees, nothing else). PostgreSQL runs a policy
before any condition of the query that is not leakproof, and plans the
policy into every statement. So every read here is, per kind,
``kind = :kind AND uid = ANY(:uids)``:

- equality is leakproof, so the condition is an index scan on the primary
  key below the policy, and the policy runs on the named rows only (a row
  comparison ``(kind, uid) IN (...)`` became one index arm per key);
- on PostgreSQL the uids travel as one array parameter, so the statement's
  text is the same whatever the count. The clocks' read is a function
  (migration 0042) whose generic plan the server keeps per connection: the
  plain statement, its row count visible in the array, was planned anew
  (custom plan) on every call.

SQLite (a replica) gets a plain ``IN`` list: it has no arrays and no policy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, any_, bindparam, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.sync import SyncClock, SyncConflict

CHUNK = 500  # uids per statement (SQLite's parameter limit for the IN list)

Record = tuple[str, str]  # (kind, uid)


def by_kind(records: Iterable[Record]) -> dict[str, list[str]]:
    """The distinct uids of each kind, in first-seen order."""
    out: dict[str, dict[str, None]] = defaultdict(dict)
    for kind, uid in records:
        out[kind][uid] = None
    return {kind: list(uids) for kind, uids in out.items()}


def uid_in(
    column: InstrumentedAttribute[str], uids: Sequence[str], dialect: str
) -> ColumnElement[bool]:
    """``column`` is one of ``uids``: one array parameter on PostgreSQL."""
    if dialect == "postgresql":
        # here, not at the top: a SQLite process never loads this dialect (#16)
        from sqlalchemy.dialects import postgresql

        return column == any_(bindparam(None, list(uids), type_=postgresql.ARRAY(String)))
    return column.in_(uids)


def _named(
    session: Session, model: Any, columns: Sequence[Any], records: Iterable[Record]
) -> list[Any]:
    dialect = session.get_bind().dialect.name
    rows: list[Any] = []
    for kind, uids in by_kind(records).items():
        for start in range(0, len(uids), CHUNK):
            part = uids[start : start + CHUNK]
            rows += session.execute(
                select(*columns).where(model.kind == kind, uid_in(model.uid, part, dialect))
            ).all()
    return rows


# Migration 0042's function: the same read, its plan kept by the server.
_PG_CLOCKS = text(
    "SELECT kind, uid, field, hlc, user_id FROM tp_sync_clock_rows(:kind, CAST(:uids AS text[]))"
)


def clock_rows(session: Session, records: Iterable[Record]) -> list[Any]:
    """Every field clock of these records (kind, uid, field, hlc, user_id)
    that this login may read."""
    if session.get_bind().dialect.name == "postgresql":
        conn = session.connection()
        return [
            row
            for kind, uids in by_kind(records).items()
            for start in range(0, len(uids), CHUNK)
            for row in conn.execute(_PG_CLOCKS, {"kind": kind, "uids": uids[start : start + CHUNK]})
        ]
    columns = (SyncClock.kind, SyncClock.uid, SyncClock.field, SyncClock.hlc, SyncClock.user_id)
    return _named(session, SyncClock, columns, records)


def conflicts_of(session: Session, records: Iterable[Record]) -> list[SyncConflict]:
    """Every conflict kept on these records (resolved or not)."""
    return [row[0] for row in _named(session, SyncConflict, (SyncConflict,), records)]
