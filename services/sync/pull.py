"""Pulling the server's changes into a laptop replica (docs/offline-sync.md).

The server numbers every committed insert and update of a synced row, and
every tombstone, from one sequence (``sync_seq``, migration 0025: a row
numbered n is never visible before every lower number that will commit).
A pull reads ``sync_seq > cursor`` under the user's own login, so
row-level security decides what comes down, in batches of ``batch`` rows in
number order; each batch is read in one REPEATABLE READ snapshot and applied
in one SQLite transaction that also moves the cursor, so a pull killed at
any point resumes where the last committed batch ended.

Per field (or field group, merge.py) the replica keeps the server's value
unless its own clock for that field is newer (an edit made here and not yet
accepted there): last writer wins, the same comparison the server makes.
Derived columns (``name_folded``, ``search_text``, ``start_utc``) are
recomputed here, never carried.

While a batch is applied the replica's session carries
``session.info["sync_applying"] = True``: the change-log hook
(services/sync/log.py) records nothing then, since these are not edits to
push back.

A record naming one that is not here yet (a deal whose client was edited
later, so numbered later) is completed by fetching what it names by uid;
one naming a record the user may not see (a deal they own on a colleague's
client) is left out and listed in ``sync_state["unresolved"]``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import defaultdict
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    bindparam,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from models import SyncTombstone
from services.core.storage import Database
from services.sync import clock_reads, state
from services.sync.clock import ClockError, Hlc
from services.sync.links import SEPARATOR
from services.sync.tables import (
    KINDS,
    LINKS,
    ORDER,
    LinkKind,
    SyncKind,
    Translator,
    encode,
    find,
    kind_of,
    synced_kinds,
)

APPLYING = "sync_applying"
DEFAULT_BATCH = 500
MAX_FETCH_DEPTH = 6
MAX_UNRESOLVED = 200
RANK = {kind: n for n, kind in enumerate(ORDER)}
TOMBSTONE = "*tombstone"


@dataclasses.dataclass(frozen=True)
class Item:
    """One pulled record (``values`` None: a tombstone) and its clocks."""

    kind: str
    uid: str
    seq: int
    values: dict[str, Any] | None
    clocks: dict[str, tuple[str, str | None]]  # merge key -> (hlc, writer's uid)
    hlc: str | None = None  # a tombstone's clock
    # A reference the login may not follow (a record it does not see).
    hidden: str | None = None


@dataclasses.dataclass
class Batch:
    items: list[Item]
    cursor: int  # where the next batch starts
    done: bool


def server_snapshot(server: Database) -> Connection:
    """A connection reading the server as of one moment (REPEATABLE READ on
    PostgreSQL), so a pull and its links see the same rows."""
    conn = server.engine.connect()
    if server.engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def is_clock(text: str) -> bool:
    try:
        Hlc.decode(text)
    except ClockError:
        return False
    return True


def _clocks(
    session: Session, tr: Translator, named: list[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, tuple[str, str | None]]]:
    """The server's field clocks of the (kind, uid) records, per kind and 500 uids."""
    out: dict[tuple[str, str], dict[str, tuple[str, str | None]]] = defaultdict(dict)
    rows = clock_reads.clock_rows(session, named)
    tr.prefetch("user", [r.user_id for r in rows if r.user_id is not None])
    for kind, uid, field, hlc, user_id in rows:
        if is_clock(hlc):  # a damaged clock counts as none: the value still comes
            out[(kind, uid)][field] = (hlc, None if user_id is None else tr.uid("user", user_id))
    return out


def record_items(session: Session, tr: Translator, found: list[tuple[SyncKind, Any]]) -> list[Item]:
    """Pulled rows encoded for the wire, with their clocks."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for spec, row in found:
        by_kind[spec.kind].append(row)
    for kind, rows in by_kind.items():
        spec = KINDS[kind]
        for field, target in spec.refs.items():
            if target in KINDS:
                tr.prefetch(target, [r[field] for r in rows if r[field] is not None])
    named = []
    for spec, row in found:
        uid = tr.record_uid(spec.kind, row)
        if uid is not None:
            named.append((spec, uid, row))
    clocks = _clocks(session, tr, [(spec.kind, uid) for spec, uid, _ in named])
    items = []
    for spec, uid, row in named:
        values = encode(session, spec.kind, row, tr)
        hidden = next((f for f in spec.refs if row[f] is not None and values[f] is None), None)
        items.append(
            Item(
                spec.kind,
                uid,
                int(row["sync_seq"]),
                values,
                clocks[(spec.kind, uid)],
                hidden=hidden,
            )
        )
    return items


@functools.cache
def _feed() -> Any:
    """The next ``:batch`` (number, kind) pairs of the whole feed after
    ``:cursor``, in one query (built once: it has a part per table)."""
    cursor, batch = bindparam("cursor", type_=BigInteger), bindparam("batch", type_=Integer)
    tables = [(spec.kind, spec.model.__table__) for spec in synced_kinds()]
    tables += [(link.kind, link.table) for link in LINKS.values()]
    tables.append((TOMBSTONE, SyncTombstone.__table__))
    parts = [
        select(literal(kind).label("kind"), table.c.sync_seq.label("seq"))
        .where(table.c.sync_seq > cursor)
        .order_by(table.c.sync_seq)
        .limit(batch)
        .subquery()
        .select()
        for kind, table in tables
    ]
    feed = union_all(*parts).subquery()
    return select(feed.c.kind, feed.c.seq).order_by(feed.c.seq).limit(batch + 1)


def read_batch(server: Database, cursor: int, batch: int) -> Batch:
    """The next ``batch`` numbered rows after ``cursor``, as the login sees them.

    One query finds the numbers and kinds of the batch; rows are then read
    only from the tables that have some, all in one snapshot."""
    with server_snapshot(server) as conn, Session(bind=conn) as session:
        tr = Translator(session)
        feed = conn.execute(_feed(), {"cursor": cursor, "batch": batch}).all()
        done = len(feed) <= batch
        feed = feed[:batch]
        if not feed:
            conn.rollback()
            return Batch([], cursor, True)
        cut = int(feed[-1].seq)
        kinds = {row.kind for row in feed}
        items: list[Item] = []
        if TOMBSTONE in kinds:
            tomb = SyncTombstone.__table__
            for r in conn.execute(
                select(tomb).where(tomb.c.sync_seq > cursor, tomb.c.sync_seq <= cut)
            ).mappings():
                if r["kind"] in KINDS or r["kind"] in LINKS:
                    items.append(Item(r["kind"], r["uid"], int(r["sync_seq"]), None, {}, r["hlc"]))
        found: list[tuple[SyncKind, Any]] = []
        for spec in synced_kinds():
            if spec.kind not in kinds:
                continue
            table = spec.model.__table__
            found += [
                (spec, row)
                for row in conn.execute(
                    select(table).where(table.c.sync_seq > cursor, table.c.sync_seq <= cut)
                ).mappings()
            ]
        items += record_items(session, tr, found)
        for link in LINKS.values():
            if link.kind in kinds:
                table = link.table
                rows = conn.execute(
                    select(table).where(table.c.sync_seq > cursor, table.c.sync_seq <= cut)
                ).mappings()
                items += link_items(tr, link, list(rows))
        conn.rollback()
    return Batch(items, cut, done)


def link_items(tr: Translator, link: LinkKind, rows: list[Any]) -> list[Item]:
    """Pulled link rows (services/sync/links.py) as items: the two records'
    uids as values. One on a record the login may not see (a mention of the
    user on a colleague's note it cannot read) is left out; one naming a
    record it may not see is hidden."""
    tr.prefetch(link.owner_kind, [r[link.owner] for r in rows])
    tr.prefetch(link.other_kind, [r[link.other] for r in rows])
    out = []
    for r in rows:
        owner = tr.uid(link.owner_kind, r[link.owner])
        if owner is None:
            continue
        other = tr.uid(link.other_kind, r[link.other])
        uid = f"{owner}{SEPARATOR}{other}"
        values = {link.owner: owner, link.other: other}
        hidden = link.other if other is None else None
        out.append(Item(link.kind, uid, int(r["sync_seq"] or 0), values, {}, hidden=hidden))
    return out


def fetch(server: Database, kind: str, uid: str) -> Item | None:
    """One record by uid, if the login sees it (None otherwise)."""
    spec = kind_of(kind)
    with server_snapshot(server) as conn, Session(bind=conn) as session:
        tr = Translator(session)
        row = find(tr, kind, uid)
        if row is None:
            return None
        table = spec.model.__table__
        key = [table.c[c.name] == getattr(row, c.key) for c in table.primary_key.columns]
        mapping = conn.execute(select(table).where(*key)).mappings().one()
        items = record_items(session, tr, [(spec, mapping)])
        conn.rollback()
    return items[0] if items else None


def pull(
    replica: Database, server: Database, *, batch: int = DEFAULT_BATCH, watch: Any = None
) -> int:
    """Everything numbered after the replica's cursor, batch by batch, then
    the records that left the user's view; returns the records changed.
    ``watch`` (services/sync/copying.py): progress, and a stop between batches."""
    from services.sync import grants
    from services.sync.visibility import bring_arrived_contacts, drop_hidden

    if batch < 1:
        raise ValueError("batch must be positive")
    from services.sync.pull_apply import apply_batch

    changed = 0
    while True:
        with replica.reader() as uow:
            cursor = state.cursor(uow.session)
        if watch is not None:
            watch.before(server, cursor)
        step = read_batch(server, cursor, batch)
        changed += apply_batch(replica, server, step)
        if watch is not None:
            watch.after([item.kind for item in step.items if item.values is not None])
        if step.done:
            break
    # contact persons moved onto a card the user sees: what is on them
    changed += bring_arrived_contacts(replica, server)
    changed += drop_hidden(replica, server)
    with replica.reader() as uow:
        login = state.get(uow.session, "login")
    if login:  # the shares and deputy periods the laptop's access check reads
        grants.mirror(replica, server, login)
    return changed
