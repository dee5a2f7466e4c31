"""The change log: every synced field a unit of work changes, with its clock.

One ``after_flush`` hook, beside the field-level audit (services/core/audit.py)
and reading the same attribute history (``audit.column_changes``), so no use
case can change a synced record without its log row, and a crash loses both
or neither (they share the transaction).

- On a **replica** (an SQLite file whose ``sync_state`` names a node) it
  writes one ``sync_log`` row per changed merge unit (a field, or a field
  group of merge.py) and ``*created`` / ``*tombstone`` rows for record
  events; all rows of one unit of work share one ``op_uid`` (a push applies
  them whole or not at all); ``base`` is the unit's clock as this replica
  last saw it; ``hlc`` comes from the node's clock, persisted in
  ``sync_state.hlc_last``; the local ``sync_clock`` takes the new clock.
- On a **server** (PostgreSQL) it only moves ``sync_clock`` of the written
  units past their current clock, so a colleague's online edit is ordered
  against a laptop's offline one.
- On a plain SQLite database (no node in ``sync_state``) it writes nothing.

Pull and push set ``session.info["sync_applying"]`` while they store what
the other side decided: those writes are not new edits and are not logged.

Where the clocks are written (``set_clocks``, ``local_clocks``,
``save_hlc``) is services/sync/clock_writes.py.

``sync_clock.field`` is the merge unit (``merge.merge_key``): a group's
clock is one row, so the group wins or loses together.
"""

from __future__ import annotations

import json
import time
import weakref
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import (
    Engine,
    Table,
    delete,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.orm import Session, sessionmaker

from models.base import utcnow
from models.ids import new_uid
from models.sync import SyncClock, SyncLog, SyncState, SyncTombstone
from services.core.audit import column_changes
from services.sync import clock, clock_reads, merge, tables
from services.sync.clock import Hlc
from services.sync.clock_writes import save_hlc, set_clocks

APPLYING = "sync_applying"  # session.info flag: pull/push storing the other side's verdict
OP_UID = "sync_op_uid"  # session.info: the op of this unit of work
CREATED = "*created"
TOMBSTONE = "*tombstone"
RESOLVED = "*resolved"  # a conflict resolved on the laptop: the server's copy closes too
SERVER_NODE = "srv"  # the server's clock for writes with no acting user (jobs)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


Change = tuple[tables.SyncKind, Any, str, frozenset[str]]  # kind, row, event, changed fields
# The kinds a laptop changes, by model class ("down" kinds are only received).
BY_MODEL: dict[type, tables.SyncKind] = {k.model: k for k in tables.synced_kinds("both")}


def kind_of(obj: Any) -> tables.SyncKind | None:
    return BY_MODEL.get(type(obj))


def _changes(session: Session) -> list[Change]:
    """What this flush did to synced records, before anything is queried."""
    found: list[Change] = []
    for obj in session.new:
        kind = kind_of(obj)
        if kind is not None:
            found.append((kind, obj, CREATED, frozenset(kind.fields)))
    for obj in session.dirty:
        kind = kind_of(obj)
        if kind is None:
            continue
        if not session.is_modified(obj, include_collections=False):
            continue
        changed = frozenset(
            key for key, _old, _new in column_changes(obj, ()) if key in kind.fields
        )
        if changed:
            found.append((kind, obj, "edit", changed))
    for obj in session.deleted:
        kind = kind_of(obj)
        if kind is not None:
            found.append((kind, obj, TOMBSTONE, frozenset()))
    return found


def units(kind: tables.SyncKind, fields: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Merge unit -> its columns (all of a group's, whichever one changed), in
    the kind's column order (a log reads the same on every run)."""
    out: dict[str, tuple[str, ...]] = {}
    wanted = set(fields)
    for field in [f for f in kind.fields if f in wanted] + sorted(wanted - set(kind.fields)):
        unit = merge.merge_key(kind.kind, field)
        if unit not in out:
            out[unit] = tuple(f for f in kind.fields if merge.merge_key(kind.kind, f) == unit)
    return out


def node_state(session: Session) -> dict[str, str]:
    """This database's replica ``node`` and ``hlc_last`` (empty off a replica):
    every writer of log rows reads them to stamp the next clock."""
    rows = session.connection().execute(
        select(SyncState.key, SyncState.value).where(SyncState.key.in_(("node", "hlc_last")))
    )
    return {r.key: r.value for r in rows}


def _clocks(
    session: Session, keys: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], str]:
    wanted = set(keys)
    rows = clock_reads.clock_rows(session, ((k, u) for k, u, _f in wanted))
    return {key: r.hlc for r in rows if (key := (r.kind, r.uid, r.field)) in wanted}


def _after_flush(session: Session, _context: Any) -> None:
    if session.info.get(APPLYING):
        return
    _dispatch(session, _changes(session))


def record_bulk(
    session: Session, kind: str, ids: Iterable[int], fields: Iterable[str] | None
) -> None:
    """Log what a bulk statement did (the flush hook sees ORM flushes only).

    A use case that writes synced rows with ``update()``/``insert()`` calls
    this in the same transaction, after the statement, with the ids it wrote
    and the columns it set (``fields=None``: the rows were created). The rows
    are read back as they now stand, so the log carries the new values.
    """
    if session.info.get(APPLYING) or not writes_logged(session):
        return
    spec = tables.KINDS[kind]
    wanted = sorted(set(ids))
    changed = frozenset(spec.fields if fields is None else fields) & frozenset(spec.fields)
    if not wanted or not changed:
        return
    event_ = CREATED if fields is None else "edit"
    changes: list[Change] = []
    for start in range(0, len(wanted), 500):
        changes.extend(
            (spec, obj, event_, changed)
            for obj in session.scalars(
                select(spec.model)
                .where(spec.model.id.in_(wanted[start : start + 500]))
                .execution_options(populate_existing=True)
            )
        )
    _dispatch(session, changes)


def is_replica(session: Session) -> bool:
    """Whether writes here are logged to be pushed (a laptop replica): no
    query on PostgreSQL, one look at ``sync_state`` on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        return False
    return bool(node_state(session).get("node"))


def writes_logged(session: Session) -> bool:
    """Whether writes here are logged or clocked (a replica or a team server):
    a plain database skips reading the rows back (an import of thousands)."""
    if session.get_bind().dialect.name == "postgresql":
        return _is_team(session)
    return bool(node_state(session).get("node"))


def _dispatch(session: Session, changes: list[Change]) -> None:
    if not changes:
        return
    with session.no_autoflush:
        if session.get_bind().dialect.name != "postgresql":
            _replica(session, changes)
        elif _is_team(session):
            _server(session, changes)


_TEAM: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def _is_team(session: Session) -> bool:
    """A team database (row-level security installed, revision 0025 or later):
    asked once per engine, in the transaction that first writes a synced row."""
    engine = session.get_bind().engine
    if engine not in _TEAM:
        _TEAM[engine] = bool(
            session.connection().scalar(
                text(
                    "SELECT to_regclass('sync_clock') IS NOT NULL "
                    "AND to_regprocedure('tp_me()') IS NOT NULL"
                )
            )
        )
    return _TEAM[engine]


def _server(session: Session, changes: list[Change]) -> None:
    actor = session.info.get("actor_id")
    node = f"u{actor}" if isinstance(actor, int) else SERVER_NODE
    stamps: dict[tuple[str, str, str], str] = {}
    tr = tables.Translator(session)
    gone: list[tuple[str, str]] = []
    for kind, obj, event_, fields in changes:
        uid = tr.record_uid(kind.kind, obj)
        if uid is None:
            continue
        if event_ == TOMBSTONE:
            gone.append((kind.kind, uid))  # the table's trigger writes the tombstone
            continue
        for unit in units(kind, fields):
            stamps[(kind.kind, uid, unit)] = ""
    for k, u in gone:
        session.connection().execute(
            delete(SyncClock).where(SyncClock.kind == k, SyncClock.uid == u)
        )
    if not stamps:
        return
    known = _clocks(session, stamps)
    last = max((Hlc.decode(h) for h in known.values()), default=clock.ZERO)
    hlc = clock.tick(last, wall_ms(), node).encode()
    set_clocks(session, dict.fromkeys(stamps, hlc), actor if isinstance(actor, int) else None)


def next_clock(last: Hlc, node: str) -> Hlc:
    """The clock of a local edit (one place, so a test can swap the clock)."""
    return clock.tick(last, wall_ms(), node)


def next_stamp(state: dict[str, str]) -> str:
    """The clock of this node's next local edit, after its last one
    (``state`` as ``node_state`` read it, with a node)."""
    last = Hlc.decode(state["hlc_last"]) if state.get("hlc_last") else clock.ZERO
    return next_clock(last, state["node"]).encode()


def log_one(
    session: Session, state: dict[str, str], kind: str, uid: str, field: str, value: str | None
) -> None:
    """One row in this replica's log under the node's next clock, which is
    then saved: a share, a deputy period, a resolved conflict."""
    hlc = next_stamp(state)
    op_uid = session.info.setdefault(OP_UID, new_uid())
    row = log_row(op_uid, kind, uid, field, value, None, hlc, utcnow())
    session.connection().execute(insert(cast(Table, SyncLog.__table__)), [row])
    save_hlc(session, hlc, had=bool(state.get("hlc_last")))


def _replica(session: Session, changes: list[Change]) -> None:
    state = node_state(session)
    node = state.get("node")
    if not node:
        return  # a plain single-user database: no log, nothing changes
    op_uid = session.info.setdefault(OP_UID, new_uid())
    actor = session.info.get("actor_id")
    user_id = actor if isinstance(actor, int) else None
    now = utcnow()
    rows: list[dict[str, Any]] = []
    keys: dict[tuple[str, str, str], str | None] = {}  # unit -> its value (None: created)
    created: list[tuple[str, str, str]] = []  # kind, uid, values
    tombstones: list[tuple[str, str]] = []
    tr = tables.Translator(session)
    for kind, obj, event_, fields in changes:
        uid = tr.record_uid(kind.kind, obj)
        if uid is None:
            continue  # a custom value of a field or card already gone
        if event_ == TOMBSTONE:
            tombstones.append((kind.kind, uid))
            continue
        values = tables.encode(session, kind.kind, obj, tr)
        if event_ == CREATED:
            created.append((kind.kind, uid, json.dumps(values, ensure_ascii=False)))
        for unit, columns in units(kind, fields).items():
            value = json.dumps({c: values.get(c) for c in columns}, ensure_ascii=False)
            keys[(kind.kind, uid, unit)] = None if event_ == CREATED else value
    known = _clocks(session, keys)
    # Later than this node's last edit and than every clock it has seen of
    # these fields: an edit made after seeing a value always beats it.
    last = max(
        [Hlc.decode(state["hlc_last"]) if state.get("hlc_last") else clock.ZERO]
        + [Hlc.decode(h) for h in known.values()]
    )
    hlc = next_clock(last, node).encode()
    for k, u, values_text in created:
        rows.append(log_row(op_uid, k, u, CREATED, values_text, None, hlc, now))
    for (k, u, unit), edited in keys.items():
        if edited is not None:
            rows.append(log_row(op_uid, k, u, unit, edited, known.get((k, u, unit)), hlc, now))
    for k, u in tombstones:
        rows.append(log_row(op_uid, k, u, TOMBSTONE, None, None, hlc, now))
    conn = session.connection()
    if rows:
        conn.execute(insert(cast(Table, SyncLog.__table__)), rows)
    for k, u in tombstones:
        conn.execute(delete(SyncClock).where(SyncClock.kind == k, SyncClock.uid == u))
    # A uid made of other uids (a custom value) can be made again after removal.
    for k, u in [*tombstones, *((k, u) for k, u, _ in created if k == "custom_value")]:
        conn.execute(delete(SyncTombstone).where(SyncTombstone.kind == k, SyncTombstone.uid == u))
    if tombstones:
        conn.execute(
            insert(cast(Table, SyncTombstone.__table__)),
            [{"kind": k, "uid": u, "hlc": hlc, "deleted_at": now} for k, u in tombstones],
        )
    set_clocks(session, dict.fromkeys(keys, hlc), user_id)
    save_hlc(session, hlc, had=bool(state.get("hlc_last")))


def log_row(
    op_uid: str,
    kind: str,
    uid: str,
    field: str,
    value: str | None,
    base: str | None,
    hlc: str,
    now: Any,
) -> dict[str, Any]:
    """One ``sync_log`` row, pending, as every writer of the log inserts it."""
    return {
        "op_uid": op_uid,
        "kind": kind,
        "uid": uid,
        "field": field,
        "value": value,
        "base": base,
        "hlc": hlc,
        "state": "pending",
        "created_at": now,
    }


def log_resolved(session: Session, kind: str, uid: str, conflict: dict[str, str]) -> None:
    """On a replica: say in this action that the user resolved a conflict
    (``field``, ``mine_hlc``, ``theirs_hlc``), so the push closes the
    server's copy of it. Nothing on a server or a plain database."""
    if session.get_bind().dialect.name == "postgresql":
        return
    state = node_state(session)
    if state.get("node"):
        log_one(session, state, kind, uid, RESOLVED, json.dumps(conflict))


def _new_op(session: Session) -> None:
    session.info.pop(OP_UID, None)


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "after_commit", _new_op)
    event.listen(factory, "after_rollback", _new_op)
