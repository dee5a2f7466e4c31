"""A push's batch of actions sent to the server, in transactions of many.

services/sync/push.py reads a batch of pending actions from the laptop;
this module sends them in order. Plain actions go in server batches
(services/sync/apply_batch.py: one transaction, the clocks written once;
no savepoints until an action is refused, then the batch again with a
savepoint each); an action that must be answered in parts or by its
letter goes alone, through services/sync/apply_split.py, after the batch
before it is committed. A batch whose commit fails is rolled back whole
and its actions are sent again one transaction each, with what the push
had learnt from them (rebased clocks, renamed interactions, refusals
followed) taken back first, so the answers are those of the one-by-one
push.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import Connection

from services.core.access import Actor
from services.core.storage import Database
from services.sync import apply_split, push_followers, same_source
from services.sync.apply import Key, OpResult, apply_op
from services.sync.apply_batch import Batch, Careful
from services.sync.apply_fresh import Fresh
from services.sync.apply_rows import Pushed
from services.sync.log import CREATED, RESOLVED, TOMBSTONE

Result = tuple[list[Pushed], OpResult]
Learnt = tuple[dict[tuple[Key, str], str | None], dict[str, str], dict[str, OpResult]]


@dataclasses.dataclass
class Sender:
    """What one push has learnt so far, for the actions after."""

    server: Database
    actor: Actor
    now_ms: int | None = None
    # A later edit of a unit whose base is this push's own earlier clock saw
    # what the server now holds after that earlier write: its base moves there.
    moved: dict[tuple[Key, str], str | None] = dataclasses.field(default_factory=dict)
    # Laptop uid -> server uid of interactions the server held already
    # (same_source): later actions of this push name the server's.
    names: dict[str, str] = dataclasses.field(default_factory=dict)
    gone: push_followers.Refused = dataclasses.field(default_factory=push_followers.Refused)

    def send_all(
        self,
        conn: Connection,
        ops: Sequence[tuple[str, list[Pushed]]],
        before: set[str],
        fresh: Fresh,
    ) -> list[Result]:
        """Every action's answer (parts and followers included), in order."""
        results: list[Result] = []
        at = 0
        careful = False
        while at < len(ops):
            start, saved = at, self._saved()
            batch = Batch(self.server, self.actor, conn, optimistic=not careful)
            out: list[Result] = []
            alone = False
            try:
                while at < len(ops) and not batch.full():
                    op_uid, rows = ops[at]
                    answered = self.send(conn, op_uid, rows, op_uid not in before, fresh, batch)
                    if answered is None:
                        alone = True  # goes alone, after this batch
                        break
                    out += answered
                    at += 1
                committed = batch.commit()
            except Careful:
                # An action was refused without a savepoint: all of it again, carefully.
                batch.abandon()
                self._restore(saved)
                at, careful = start, True
                continue
            except BaseException:
                batch.abandon()
                raise
            careful = False
            if committed:
                results += out
            else:
                self._restore(saved)
                for op_uid, rows in ops[start:at]:
                    results += self._alone(conn, op_uid, rows, op_uid not in before, fresh)
            if alone:
                op_uid, rows = ops[at]
                results += self._alone(conn, op_uid, rows, op_uid not in before, fresh)
                at += 1
        return results

    def _alone(
        self, conn: Connection, op_uid: str, rows: list[Pushed], unseen: bool, fresh: Fresh
    ) -> list[Result]:
        answered = self.send(conn, op_uid, rows, unseen, fresh, None)
        assert answered is not None
        return answered

    def send(
        self,
        conn: Connection,
        op_uid: str,
        rows: list[Pushed],
        unseen: bool,
        fresh: Fresh,
        batch: Batch | None,
    ) -> list[Result] | None:
        """One action's answers; None (nothing done) when it must go alone
        and ``batch`` was given."""
        rows = [_rebased(same_source.renamed(row, self.names), self.moved) for row in rows]
        rows, followers = self.gone.take(rows)
        if batch is not None and rows and (_alone(rows) or not batch.before(rows)):
            return None
        results: list[Result] = list(followers)
        if not rows:
            return results
        if batch is not None:
            parts = [
                (
                    rows,
                    apply_op(
                        self.server,
                        self.actor,
                        op_uid,
                        rows,
                        now_ms=self.now_ms,
                        unseen=unseen,
                        fresh=fresh,
                        batch=batch,
                    ),
                )
            ]
        else:
            # A linking job's chunk may come back in parts (apply_split.py).
            parts = apply_split.apply_parts(
                self.server,
                self.actor,
                op_uid,
                rows,
                now_ms=self.now_ms,
                conn=conn,
                unseen=unseen,
                fresh=fresh,
            )
        for part, result in parts:
            _remember(self.moved, part, result)
            self.gone.note(part, result)
            self.names.update(result.replaced)
            results.append((part, result))
        return results

    def _saved(
        self,
    ) -> tuple[dict[tuple[Key, str], str | None], dict[str, str], dict[str, OpResult]]:
        return dict(self.moved), dict(self.names), dict(self.gone.by_uid)

    def _restore(self, saved: Learnt) -> None:
        self.moved, self.names, self.gone.by_uid = saved


def _alone(rows: Sequence[Pushed]) -> bool:
    """An action that may be answered in parts, or by the letter or call it
    makes. A meeting logged or a call's subject edited (one interaction, no
    source) is applied whole either way and goes in the batch."""
    return apply_split.may_split(rows) or bool(same_source.created_sources(rows))


def _unit_key(row: Pushed) -> Key:
    return (row.kind, row.uid, row.field)


def _rebased(row: Pushed, moved: dict[tuple[Key, str], str | None]) -> Pushed:
    if row.base is None or row.field in (CREATED, TOMBSTONE, RESOLVED):
        return row
    key = (_unit_key(row), row.base)
    if key not in moved:
        return row
    return Pushed(row.seq, row.kind, row.uid, row.field, row.value, moved[key], row.hlc)


def _remember(
    moved: dict[tuple[Key, str], str | None], rows: Sequence[Pushed], result: OpResult
) -> None:
    after = dict(result.after)
    for row in rows:
        if row.field in (CREATED, TOMBSTONE, RESOLVED):
            continue
        key = _unit_key(row)
        if result.reason is not None:
            moved[(key, row.hlc)] = row.base
        elif key in after:
            moved[(key, row.hlc)] = after[key]
