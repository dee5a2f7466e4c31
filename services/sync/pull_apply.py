"""Applying one pulled batch to the replica (services/sync/pull.py reads it).

One SQLite transaction per batch holds the rows, their clocks, the
replica's clock and the cursor. Records go in registry order (what a record
names first), tombstones last (children first). The fast way loads the
batch's local ids and clocks in a few queries and flushes once per kind;
if the replica's constraints refuse something (a name clash with a record
made here) the batch is rolled back and applied again the careful way, one
savepoint per record, and the refused record is listed in
``sync_state["unresolved"]`` while the rest goes in. How each item is
written is services/sync/pull_records.py's.
"""

from __future__ import annotations

import json
import time

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.storage import Database
from services.sync import card_arrival, state
from services.sync.clock import Hlc, receive
from services.sync.pull import APPLYING, MAX_UNRESOLVED, RANK, Batch
from services.sync.pull_records import Applier
from services.sync.tables import KINDS, LINKS

MAX_ARRIVED = 5000


def _keep_arrived(session: Session, new: list[str]) -> None:
    """Only once the replica was seeded whole (``seeded``, set by a complete
    pull): the first copy brings everything on every contact person anyway."""
    if not new or not state.get(session, "seeded"):
        return
    old = json.loads(state.get(session, "arrived") or "[]")
    merged = list(dict.fromkeys([*old, *new]))[-MAX_ARRIVED:]
    state.put(session, "arrived", json.dumps(merged))


def _keep_entered(session: Session, new: list[str], since: int) -> None:
    """Note cards that entered the view (card_arrival.note)."""
    card_arrival.note(session, new, since)


def _advance_clock(session: Session, newest: str | None) -> None:
    node = state.get(session, "node")
    if newest is None or not node:
        return
    result = receive(state.last_clock(session), Hlc.decode(newest), int(time.time() * 1000), node)
    state.put(session, "hlc_last", result.clock.encode())


def _keep_unresolved(session: Session, new: list[str]) -> None:
    if not new:
        return
    old = json.loads(state.get(session, "unresolved") or "[]")
    merged = list(dict.fromkeys([*old, *new]))[-MAX_UNRESOLVED:]
    state.put(session, "unresolved", json.dumps(merged))


def _apply(
    replica: Database, server: Database, batch: Batch, *, careful: bool, brought: list[str]
) -> int:
    records = [i for i in batch.items if i.kind in KINDS]
    ordered = sorted(
        (i for i in records if i.values is not None), key=lambda i: (RANK[i.kind], i.seq)
    )
    # Links after the records they name, in feed order (a removal and a
    # re-creation in one batch end as on the server), before removals.
    linked = sorted((i for i in batch.items if i.kind in LINKS), key=lambda i: i.seq)
    tombstones = sorted(
        (i for i in records if i.values is None), key=lambda i: (-RANK[i.kind], i.seq)
    )
    with replica.uow() as uow:
        session = uow.session
        session.info[APPLYING] = True
        since = state.cursor(session)  # before this batch
        applier = Applier(session, server, careful=careful, whole=bool(brought))
        applier.preload(batch.items)
        kind = None
        with session.no_autoflush:  # one insert per kind, not one per lookup
            for item in [*ordered, *linked, *tombstones]:
                if item.kind != kind:
                    applier.flush_new()  # what the next kind names gets its id
                    kind = item.kind
                applier.apply(item)
            applier.flush_new()
        _advance_clock(session, applier.newest)
        _keep_unresolved(session, applier.unresolved)
        if state.get(session, "seeded"):  # the first copy brings every card whole
            applier.entered += applier.new_cards
        _keep_entered(session, applier.entered, since)
        card_arrival.forget(session, brought)
        _keep_arrived(session, applier.arrived)
        state.put(session, "cursor", str(batch.cursor))
        state.put(session, "last_pull_at", state.now_text())
        uow.commit()
    return applier.changed


def apply_batch(
    replica: Database, server: Database, batch: Batch, *, brought: list[str] | None = None
) -> int:
    """One batch in one replica transaction with the cursor; records changed.
    ``brought``: the cards a batch read whole (card_arrival.py), taken off
    ``sync_state["entered"]`` in the same transaction."""
    try:
        return _apply(replica, server, batch, careful=False, brought=brought or [])
    except IntegrityError:
        return _apply(replica, server, batch, careful=True, brought=brought or [])
