"""Writing clocks: ``sync_clock`` rows and the node's last clock.

Every side that moves a merge unit's clock writes it here: the change
log's flush hook (services/sync/log.py) for a local edit or a server write,
the server's apply step for a pushed action (apply_writes.py), the laptop
taking the server's verdict (push.py, put_back.py) or a pulled batch's
clocks (pull_records.py), a share, a deputy period or a link logged by
hand (share_kind.py, deputy_kind.py, log_links.py). Kept apart from the
hook because the cost lives here: on the team server each statement
carries the table's row-level policies, on a laptop a pull writes a
clock row for every pulled field, so how rows are batched decides what a
sync costs (``set_clocks``, ``local_clocks``).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Integer, Table, bindparam, delete, insert, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from models.sync import SyncClock, SyncState, SyncTombstone

# Migration 0042's function: the caller's policies apply, its plan is made
# once per connection (the statement alone was planned anew every time).
_PG_UPSERT = text(
    "SELECT tp_sync_set_clocks(CAST(:kinds AS text[]), CAST(:uids AS text[]), "
    "CAST(:fields AS text[]), CAST(:hlcs AS text[]), :user_id)"
).bindparams(bindparam("user_id", type_=Integer))


def set_clocks(
    session: Session,
    stamps: dict[tuple[str, str, str], str],
    user_id: int | None,
) -> None:
    """Upsert ``sync_clock`` rows in multi-row statements, not one per row:
    on the team server every statement on it carries the table's row-level
    policies, which made a statement per clock row ~35 ms a pushed record.
    There the rows travel as arrays to one function (``_PG_UPSERT``,
    migration 0042) whose plan the server keeps: the upsert's policies take
    25-35 ms to plan."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        if stamps:
            keys = list(stamps)
            conn.execute(
                _PG_UPSERT,
                {
                    "kinds": [k for k, _u, _f in keys],
                    "uids": [u for _k, u, _f in keys],
                    "fields": [f for _k, _u, f in keys],
                    "hlcs": [stamps[key] for key in keys],
                    "user_id": user_id,
                },
            )
        return
    local_clocks(
        session,
        [
            {"kind": k, "uid": u, "field": f, "hlc": h, "user_id": user_id}
            for (k, u, f), h in stamps.items()
        ],
    )


# Migration 0048's functions: a pushed removal's two writes, planned once
# per connection (as plain statements each was planned anew, ~12 ms for
# the DELETE: the table's policies probe every kind's table).
_PG_FORGET = text("SELECT tp_sync_forget_clocks(:kind, :uid)")
_PG_MOVE_TOMBSTONE = text("SELECT tp_sync_move_tombstone(:kind, :uid, :hlc)")


def forget_clocks(session: Session, kind: str, uid: str) -> None:
    """Delete every ``sync_clock`` row of one record (a removal): on the
    team server through ``_PG_FORGET`` (the caller's policies apply as to
    the plain DELETE), on a replica the plain DELETE."""
    if session.connection().dialect.name == "postgresql":
        session.flush()  # what the ORM statement's autoflush did
        session.connection().execute(_PG_FORGET, {"kind": kind, "uid": uid})
        return
    session.execute(delete(SyncClock).where(SyncClock.kind == kind, SyncClock.uid == uid))


def move_tombstone(session: Session, kind: str, uid: str, hlc: str) -> None:
    """Set the clock of a record's tombstone (a removal pushed after the
    server's own): ``_PG_MOVE_TOMBSTONE`` on the team server, else the
    plain UPDATE."""
    if session.connection().dialect.name == "postgresql":
        session.flush()
        session.connection().execute(_PG_MOVE_TOMBSTONE, {"kind": kind, "uid": uid, "hlc": hlc})
        return
    session.execute(
        update(SyncTombstone)
        .where(SyncTombstone.kind == kind, SyncTombstone.uid == uid)
        .values(hlc=hlc)
    )


def local_clocks(session: Session, rows: list[dict[str, Any]]) -> None:
    """Upsert a replica's ``sync_clock`` rows (kind, uid, field, hlc,
    user_id): one statement compiled once, run for every row (a multi-row
    VALUES is compiled afresh for each 150: the linking job's 1,400 new
    interactions spent ~2 s of CPU there on a laptop; a pull's ORM object
    per clock, ~100,000 for a week of 10,000 rows, most of its CPU)."""
    if not rows:
        return
    one = sqlite.insert(cast(Table, SyncClock.__table__))
    session.connection().execute(
        one.on_conflict_do_update(
            index_elements=["kind", "uid", "field"],
            set_={"hlc": one.excluded.hlc, "user_id": one.excluded.user_id},
        ),
        rows,
    )


def save_hlc(session: Session, hlc: str, *, had: bool) -> None:
    conn = session.connection()
    if had:
        conn.execute(update(SyncState).where(SyncState.key == "hlc_last").values(value=hlc))
    else:
        conn.execute(insert(cast(Table, SyncState.__table__)), [{"key": "hlc_last", "value": hlc}])
