"""The server's side of a push: one laptop action applied whole, or refused.

Runs on the team PostgreSQL under the user's own login, so row-level
security applies to every row read and written. Each action (``op_uid``)
is one transaction, or one savepoint of a batch's transaction
(services/sync/apply_batch.py):

- already in ``sync_applied``: nothing is done again ("already applied");
- every record is checked as its use case checks it: the role's permission,
  ``services.core.access.check`` on the record (before and after the
  change, so a record cannot be moved onto a card the user may not see),
  the use cases' own validators (names, regions, zones, owners, amounts,
  currencies) and the column's limits (required, length);
- per merge unit, last writer wins by the clock against ``sync_clock``
  (services/sync/merge.py); a write whose ``base`` is not the server's clock
  and whose value differs is kept as a ``sync_conflicts`` row;
- a clock too far ahead of the server's wall time is clamped to it
  (``clock.receive``) and said in the result;
- a tombstone deletes the record; an edit newer than a tombstone is
  refused ("removed"), an older one is beaten silently;
- anything refused (RLS, access, validation, a tombstone) rolls the whole
  action back and records it as refused with the reason.

Where this differs from replaying the use case itself (docs/offline-sync.md,
"Push"): the fields are written directly after the same checks; the
use cases' side effects (the next-step rule, a scenario run's planning,
history lines written by hand) are not run again on the server, because
the laptop already ran them and pushes their results as records.

This module is the action's transaction: already applied, applied, or
refused whole and recorded. How each pushed row is written (created,
edited per merge unit, removed, a conflict closed) is
services/sync/apply_writes.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Sequence

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError

from models.base import utcnow
from models.sync import SyncApplied, SyncConflict
from services.core.access import Actor
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork
from services.sync import same_source, tables
from services.sync.apply_batch import Batch, Careful
from services.sync.apply_fresh import Fresh
from services.sync.apply_rows import Pushed, label, params_of, records_of, refusal, with_uids
from services.sync.apply_rows import Why as Why
from services.sync.apply_writes import Key as Key
from services.sync.apply_writes import Met as Met
from services.sync.apply_writes import Op
from services.sync.log import APPLYING, wall_ms


@dataclasses.dataclass(frozen=True)
class OpResult:
    op_uid: str
    outcome: str  # applied | refused | already
    reason: str | None  # English, for the CLI and the log
    label: str
    conflicts: tuple[Met, ...] = ()
    clamped: bool = False
    # the server's clock of each unit this op won, for the laptop's sync_clock
    won: tuple[tuple[Key, str], ...] = ()
    touched: tuple[tuple[str, str], ...] = ()  # (kind, uid) of every record in the op
    # every edited unit's clock on the server after the op (won or not)
    after: tuple[tuple[Key, str], ...] = ()
    # a refusal's error code and params: the window words it in its language
    code: str | None = None
    params: tuple[tuple[str, str], ...] = ()
    # (laptop uid, server uid): a created interaction whose letter or call
    # the server holds already is the server's (services/sync/same_source.py)
    replaced: tuple[tuple[str, str], ...] = ()


def refused_row(op_uid: str, actor: Actor, why: Why) -> SyncApplied:
    """The server's note that it refused this action, and why."""
    return SyncApplied(
        op_uid=op_uid,
        user_id=actor.id,
        applied_at=utcnow(),
        outcome="refused",
        reason=why.reason,
        code=why.code,
        params=why.params_json(),
    )


@contextlib.contextmanager
def _unit(
    db: Database, actor: Actor, conn: Connection | None, batch: Batch | None
) -> Iterator[UnitOfWork]:
    """The action's unit of work: its own transaction, or the batch's."""
    if batch is not None:
        yield batch.uow
        return
    with db.uow(actor.id) if conn is None else db.uow_on(conn, actor.id) as uow:
        yield uow


def apply_op(
    db: Database,
    actor: Actor,
    op_uid: str,
    rows: Sequence[Pushed],
    *,
    now_ms: int | None = None,
    conn: Connection | None = None,
    unseen: bool = False,
    record_refusal: bool = True,
    fresh: Fresh | None = None,
    batch: Batch | None = None,
) -> OpResult:
    """Apply one laptop action in one transaction, or refuse all of it.

    ``conn``: a connection to run on (a push reuses one for its batch; each
    action is still its own transaction on it). ``unseen``: the caller read
    ``sync_applied`` for its whole batch and this action was not there (one
    query a batch, not one an action; one committed meanwhile still meets
    the primary key and is answered "already applied"). ``record_refusal``
    False: a refusal is answered but not kept in ``sync_applied`` (the
    caller retries the action in parts, services/sync/apply_split.py).
    ``fresh``: the uids the caller read for its batch as new on the server
    (services/sync/apply_fresh.py; each answered once). ``batch``: the
    action runs under a savepoint of the batch's transaction (or none in an
    optimistic batch, where a refusal raises ``Careful``) and its clocks
    are written with the batch's (services/sync/apply_batch.py)."""
    what = label(rows)
    with _unit(db, actor, conn, batch) as uow:
        session = uow.session
        session.info[APPLYING] = True
        seen = None if unseen else session.get(SyncApplied, op_uid)
        if seen is not None:
            return OpResult(
                op_uid,
                "already",
                seen.reason,
                what,
                code=seen.code,
                params=params_of(seen.params),
                replaced=() if seen.reason else same_source.replacements(session, rows),
                # refused before: the laptop puts its records back now
                touched=records_of(rows) if seen.reason else (),
            )
        # In a batch the action is its savepoint (none in an optimistic
        # batch: a refusal sends the batch again, careful); its clocks wait
        # for the batch.
        bare = batch is not None and batch.optimistic
        savepoint = None if batch is None or bare else session.begin_nested()
        reference = None if batch is None else batch.reference
        op = Op(uow, actor, wall_ms() if now_ms is None else now_ms, reference)
        if fresh is not None:
            op.fresh = fresh
        try:
            op.held = same_source.held(session, rows)
            for row in rows:
                op.run(row)
            if batch is None:
                op.write_clocks()
            session.flush()
        except (UserError, IntegrityError, DBAPIError, tables.MissingReference) as exc:
            if bare:
                raise Careful from exc
            (session if savepoint is None else savepoint).rollback()
            if reference is not None:  # what it found may be rolled back with it
                reference.forget_cards()
            why = with_uids(refusal(exc), op.tr)
            if record_refusal:
                session.add(refused_row(op_uid, actor, why))
                if batch is None:
                    uow.commit()
            return OpResult(
                op_uid,
                "refused",
                why.reason,
                what,
                touched=tuple(op.touched),
                code=why.code,
                params=tuple(why.params.items()),
            )
        for met in op.conflicts:
            session.add(SyncConflict(**dataclasses.asdict(met)))
        applied = SyncApplied(
            op_uid=op_uid, user_id=actor.id, applied_at=utcnow(), outcome="applied"
        )
        if batch is not None and bare:
            batch.hold(applied)  # one INSERT for the batch's, at its commit
        else:
            session.add(applied)
        try:
            if batch is None:
                uow.commit()
            else:
                session.flush()
                if savepoint is not None:
                    savepoint.commit()
        except IntegrityError as exc:
            # The same action committed meanwhile by another sync of this laptop.
            if bare:
                raise Careful from exc
            if savepoint is not None:
                savepoint.rollback()
            return OpResult(op_uid, "already", None, what)
        if batch is not None:
            batch.applied(op.pending, op.removed)
    return OpResult(
        op_uid,
        "applied",
        None,
        what,
        tuple(op.conflicts),
        op.clamped,
        tuple(op.won.items()),
        tuple(op.touched),
        tuple(op.after.items()),
        replaced=tuple(op.replaced.items()),
    )
