"""Many laptop actions in one server transaction, each under a savepoint.

Why: the clocks an action moves are upserted by one call of migration
0042's function, and on the team server that call has a fixed cost of
~35 ms under load (its row-level policies' set-up) against ~0.2 ms a clock
row: measured 38 ms for 30 rows, 70 ms for 300, 576 ms for 3,000
(bench/README.md, "replica.py"). One call an action was the largest
single statement of a push. A batch writes the clocks of all its applied
actions in one call just before its commit.

The rules of one action (services/sync/apply.py) stay: each action runs
under a SAVEPOINT; a refused one rolls back to it alone and its refusal is
kept, the others commit together. The op uid bookkeeping is unchanged:
each applied or refused action has its ``sync_applied`` row in the same
transaction as its writes, so a server that dies mid-batch loses the
whole batch (nothing of it is committed) and the resumed push sends it
again, answered action by action as before; one that dies after the
commit answers "already applied" for every action of it.

The clocks held back are written to the database before an action that
could read them (one with a row of a record whose clocks wait: its edit
reads them), so every action reads the server's clocks as if each earlier
action had committed alone. Only the record's own clocks are read (a
custom value's or a link's uid names its card, whose clocks it never
reads). An action that only removes such a record (a custom value set and
cleared again) needs them neither: its removal deletes the record's clock
rows, so the held-back ones are dropped once it is applied instead of
being written first and deleted (an action refused keeps them).
An action that may be applied in parts (the linking job's placements,
services/sync/apply_split.py) or that makes an interaction of a letter or
call (whose server copy is found by the letter, not by uid) is not put in
a batch: the batch is committed first and the action runs alone, as
before. Should the batch's clock write or commit fail anyway
(a record moved out of the login's view by a later action of the same
batch), the batch is rolled back whole and the caller applies those
actions again one transaction each.

Optimistic first: a SAVEPOINT and its RELEASE are two round trips an
action (~2 of ~11 in the issue's mixed week, each ~5-15 ms on a loaded
server), and almost every action is applied. So a batch first runs its
actions with no savepoint at all; the first one refused (by a check or by
the database) raises ``Careful``, the whole transaction is rolled back
and the same actions are sent again in a batch with a savepoint each, as
described above, so every answer is the careful batch's.

Bounds: a batch is committed after ``MAX_ACTIONS`` actions, ``MAX_ROWS``
pushed rows, ``MAX_BYTES`` of pushed values or ``MAX_SECONDS`` open,
whichever comes first (checked between actions: one action is never
split), so locks taken by an action are held for seconds at most.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from models.sync import SyncApplied
from services.core.access import Actor
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork
from services.sync.apply_rows import Pushed
from services.sync.clock_writes import set_clocks
from services.sync.log import APPLYING, CREATED, TOMBSTONE
from services.sync.tables import CARDS, KINDS, Reference

Key = tuple[str, str, str]

MAX_ACTIONS = 100
MAX_ROWS = 2_000
MAX_BYTES = 2_000_000
MAX_SECONDS = 3.0


class Careful(Exception):
    """An action of an optimistic batch was refused: the batch is rolled
    back whole and sent again with a savepoint per action."""


class Batch:
    """One server transaction for many actions, opened at the first one."""

    def __init__(
        self, db: Database, actor: Actor, conn: Connection, *, optimistic: bool = False
    ) -> None:
        self.db = db
        self.actor = actor
        self.conn = conn
        self.optimistic = optimistic
        self._uow: UnitOfWork | None = None
        self.pending: dict[Key, str] = {}  # clocks of applied actions, not yet written
        self.actions = self.rows = self.bytes = 0
        self.started = 0.0
        self.failed = False
        # The reference data its actions found, shared by their translators.
        self.reference = Reference()
        # An optimistic batch's "applied" notes, inserted together at its commit.
        self.held: list[SyncApplied] = []

    @property
    def uow(self) -> UnitOfWork:
        if self._uow is None:
            self._uow = self.db.uow_on(self.conn, self.actor.id)
            self._uow.__enter__()
            self._uow.session.info[APPLYING] = True
            self.started = time.monotonic()
        return self._uow

    def full(self) -> bool:
        return (
            self.actions >= MAX_ACTIONS
            or self.rows >= MAX_ROWS
            or self.bytes >= MAX_BYTES
            or (self._uow is not None and time.monotonic() - self.started >= MAX_SECONDS)
        )

    def before(self, rows: Sequence[Pushed]) -> bool:
        """Counts the action in; writes the held-back clocks when it could
        read them. False: that write failed and the batch is lost (the
        caller sends it again one action at a time, this action too)."""
        self.actions += 1
        self.rows += len(rows)
        self.bytes += sum(len(row.value or "") for row in rows)
        if not self.pending:
            return True
        waiting = {(kind, uid) for kind, uid, _field in self.pending}
        if any((row.kind, row.uid) in waiting and row.field != TOMBSTONE for row in rows):
            try:
                self.write_clocks()
            except (UserError, DBAPIError):
                self.failed = True
        return not self.failed

    def applied(self, clocks: dict[Key, str], removed: Collection[tuple[str, str]] = ()) -> None:
        """An action released its savepoint: its clocks wait for the batch;
        those of the records it removed (kind, uid) are gone with them."""
        if removed:
            self.pending = {k: h for k, h in self.pending.items() if (k[0], k[1]) not in removed}
        self.pending.update(clocks)

    def hold(self, applied: SyncApplied) -> None:
        """An applied action's ``sync_applied`` row, written at the commit
        with the others (one statement, not one an action). Only in an
        optimistic batch: one that meets the primary key there (the action
        committed meanwhile by another sync) rolls the batch back and its
        actions are applied again one transaction each, answered "already
        applied" as before."""
        self.held.append(applied)

    def write_clocks(self) -> None:
        if self.pending:
            set_clocks(self.uow.session, self.pending, self.actor.id)
            self.pending = {}

    def commit(self) -> bool:
        """Write the clocks and commit; False: rolled back whole (the caller
        applies the batch's actions again, one transaction each)."""
        uow = self._uow
        if uow is None:
            return True
        self._uow = None
        try:
            if self.failed:
                return False
            try:
                if self.held:
                    uow.session.add_all(self.held)
                if self.pending:
                    set_clocks(uow.session, self.pending, self.actor.id)
                uow.commit()
            except (UserError, DBAPIError):
                return False
        finally:
            self.pending, self.held = {}, []
            uow.__exit__(None, None, None)
        return True

    def abandon(self) -> None:
        """Roll back whatever is open (an error the push does not answer)."""
        uow, self._uow = self._uow, None
        self.pending, self.held = {}, []
        if uow is not None:
            uow.__exit__(None, None, None)


def cards_may_change(row: Pushed) -> bool:
    """A row after which a client or lead the login saw may be handed over,
    gone or seen otherwise (the batch's ``Reference`` forgets its cards): a
    share, a deputy, a link, any removal, any change of a client or lead
    but its creation."""
    if row.kind not in KINDS:
        return True
    return row.field == TOMBSTONE or (row.kind in CARDS and row.field != CREATED)
