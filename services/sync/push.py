"""Push a replica's pending change log to the team server, action by action.

Pending ``sync_log`` rows go up grouped by ``op_uid`` in ``seq`` order, a
batch of actions at a time; the server applies or refuses each action
whole (services/sync/apply.py), many actions to a transaction with a
savepoint each (services/sync/push_batches.py, apply_batch.py). Only after the server has
committed does the laptop mark the rows ``pushed`` (or ``refused`` with the
server's reason) in its own transaction: a crash between the two pushes
them again and the server answers "already applied", so nothing is applied
twice. A refused action's records are put back as the server has them, so
the laptop does not keep a change nobody accepted (services/sync/put_back.py).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from sqlalchemy import func, select, update

from models import User
from models.base import utcnow
from models.sync import SyncApplied, SyncConflict, SyncLog, SyncState
from services.core.access import Actor
from services.core.bootstrap import actor_for
from services.core.errors import UserError
from services.core.storage import Database, UnitOfWork
from services.sync import (
    apply,
    apply_fresh,
    clock_reads,
    links,
    push_batches,
    push_followers,
    put_back,
    record_cards,
    same_source,
    share_kind,
    tables,
)
from services.sync.apply import OpResult
from services.sync.apply_rows import Pushed, record_label
from services.sync.clock_writes import set_clocks
from services.sync.log import APPLYING, CREATED
from services.sync.refused import names as id_names
from services.sync.refused import record_of
from services.sync.types import Refusal

BATCH_OPS = 200


class PushResult(NamedTuple):
    pushed: int  # actions the server applied (now or before)
    refusals: tuple[Refusal, ...]
    conflicts: int
    clamped: bool  # the laptop's clock was too far ahead and was not trusted


def state_value(uow: UnitOfWork, key: str) -> str | None:
    return uow.session.scalar(select(SyncState.value).where(SyncState.key == key))


def put_state(uow: UnitOfWork, key: str, value: str) -> None:
    row = uow.session.get(SyncState, key)
    if row is None:
        uow.session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def server_actor(replica: Database, server: Database) -> Actor:
    with replica.reader() as uow:
        login = state_value(uow, "login")
    if not login:
        raise UserError(
            "This database is not a laptop replica: there is nothing to push",
            code="sync.push.not_replica",
        )
    with server.reader() as uow:
        return actor_for(uow, login)


def _pending(
    replica: Database, limit: int, only: Collection[str] | None = None
) -> list[tuple[str, list[Pushed]]]:
    with replica.reader() as uow:
        s = uow.session
        first = func.min(SyncLog.seq)
        chosen = () if only is None else (SyncLog.op_uid.in_(list(only)),)
        ops = [
            r.op_uid
            for r in s.execute(
                select(SyncLog.op_uid, first.label("first"))
                .where(SyncLog.state == "pending", *chosen)
                .group_by(SyncLog.op_uid)
                .order_by(first)
                .limit(limit)
            )
        ]
        if not ops:
            return []
        grouped: dict[str, list[Pushed]] = {op: [] for op in ops}
        for r in s.execute(
            select(SyncLog)
            .where(SyncLog.state == "pending", SyncLog.op_uid.in_(ops))
            .order_by(SyncLog.seq)
        ).scalars():
            grouped[r.op_uid].append(Pushed(r.seq, r.kind, r.uid, r.field, r.value, r.base, r.hlc))
    return list(grouped.items())


def push(
    replica: Database,
    server: Database,
    *,
    batch: int = BATCH_OPS,
    now_ms: int | None = None,
    only: Collection[str] | None = None,
) -> PushResult:
    """Push everything pending (or only the actions ``only`` names, the rest
    staying pending); each batch of actions is marked on the laptop once the
    server has committed it."""
    actor = server_actor(replica, server)
    pushed = conflicts = 0
    clamped = False
    refusals: list[Refusal] = []
    sender = push_batches.Sender(server, actor, now_ms)
    while True:
        ops = _pending(replica, batch, only)
        if not ops:
            break
        with server.engine.connect() as conn:
            before, fresh = _batch_reads(server, actor, conn, ops)
            results = sender.send_all(conn, ops, before, fresh)
        results = _record(replica, server, results)
        labels = _labels(replica, [rows[0] for rows, r in results if r.reason is not None])
        named: list[int] = []
        for rows, result in results:
            if result.outcome == push_followers.FOLLOWED:
                continue  # listed with the refusal it follows
            if result.reason is not None:
                what = labels.get((rows[0].kind, rows[0].uid)) or result.label
                refusals.append(
                    Refusal(
                        result.op_uid,
                        rows[0].kind,
                        rows[0].uid,
                        what,
                        result.reason,
                        result.code or "",
                        dict(result.params),
                    )
                )
                named.append(len(refusals) - 1)
            else:
                pushed += 1
            conflicts += len(result.conflicts)
            clamped = clamped or result.clamped
        _name_ids(replica, refusals, named)
    with replica.uow() as uow:
        uow.session.info[APPLYING] = True
        put_state(uow, "last_push_at", utcnow().isoformat())
        uow.commit()
    return PushResult(pushed, tuple(refusals), conflicts, clamped)


def _batch_reads(
    server: Database, actor: Actor, conn: Any, ops: list[tuple[str, list[Pushed]]]
) -> tuple[set[str], apply_fresh.Fresh]:
    """Under the login, once a batch: which of its actions the server has
    answered before (a laptop that died before it marked them), and which
    records it creates the server has never had (apply_fresh.py)."""
    with server.uow_on(conn, actor.id) as uow:
        before = set(
            uow.session.scalars(
                select(SyncApplied.op_uid).where(SyncApplied.op_uid.in_([op for op, _ in ops]))
            )
        )
        return before, apply_fresh.read(uow.session, (row for _, rows in ops for row in rows))


def _labels(replica: Database, rows: Sequence[Pushed]) -> dict[tuple[str, str], str]:
    """What the user calls each refused record, as the laptop now holds it."""
    out: dict[tuple[str, str], str] = {}
    if not rows:
        return out
    with replica.reader() as uow:
        tr = tables.Translator(uow.session)
        for row in rows:
            if row.kind in tables.LINKS:
                obj = links.owner_record(tr, row.kind, row.uid)
            elif row.kind == share_kind.SHARE:
                obj = share_kind.card_of(tr, row.uid)
            elif row.kind in tables.KINDS:
                obj = tables.find(tr, row.kind, row.uid)
            else:  # a deputy period: named by what it carried (apply_rows.label)
                obj = None
            if obj is not None:
                out[(row.kind, row.uid)] = record_label(obj)
    return out


def _name_ids(replica: Database, found: list[Refusal], which: Sequence[int]) -> None:
    """The server ids in these refusals' params, named as the laptop names
    them, and the card each opens: the same as the refused list says later
    (``replica sync --json`` and ``replica conflicts --refused --json``)."""
    if not which:
        return
    with replica.reader() as uow:
        tr = tables.Translator(uow.session)
        for i in which:
            r = found[i]
            card = record_cards.card_of(uow.session, record_of(tr, r.kind, r.uid))
            found[i] = dataclasses.replace(
                r,
                names=id_names(tr, r.params, r.label) if r.params else r.names,
                card_kind=card[0] if card else None,
                card_id=card[1] if card else None,
            )


def _record(
    replica: Database, server: Database, results: list[tuple[list[Pushed], OpResult]]
) -> list[tuple[list[Pushed], OpResult]]:
    """The server's verdicts, in the laptop's database, in one transaction."""
    refused = [(rows, r) for rows, r in results if r.reason is not None]
    applied = [(rows, r) for rows, r in results if r.reason is None]
    restore = put_back.server_copies(server, refused, applied)
    replaced = [pair for _, r in results for pair in r.replaced]
    theirs = same_source.server_ones(server, [t for _, t in replaced])
    taken = put_back.server_copies(server, [], [], theirs)
    results = _with_kept_conflicts(server, results)
    user_ids = _user_uids(server, [m for _, r in results for m in r.conflicts])
    with replica.uow() as uow:
        s = uow.session
        s.info[APPLYING] = True
        for rows, result in results:
            state = "refused" if result.reason is not None else "pushed"
            said = json.dumps(dict(result.params), ensure_ascii=False) if result.code else None
            # A refused part of an action is listed as an action of its own.
            part = {"op_uid": result.op_uid} if result.reason is not None else {}
            s.execute(
                update(SyncLog)
                .where(SyncLog.seq.in_([row.seq for row in rows]))
                .values(state=state, reason=result.reason, code=result.code, params=said, **part)
            )
            if result.clamped:
                won = dict(result.won)
                set_clocks(s, won, None)
            for met in result.conflicts:
                s.add(
                    SyncConflict(
                        kind=met.kind,
                        uid=met.uid,
                        field=met.field,
                        mine=met.mine,
                        theirs=met.theirs,
                        mine_hlc=met.mine_hlc,
                        theirs_hlc=met.theirs_hlc,
                        mine_user_id=_local_user(uow, user_ids.get(met.mine_user_id)),
                        theirs_user_id=_local_user(uow, user_ids.get(met.theirs_user_id)),
                        created_at=utcnow(),
                    )
                )
        # The laptop's copy of a letter or call the server held already
        # becomes the server's one (its letters and calls stay on it).
        same_source.rekey(s, replaced)
        for (kind_name, uid), copy in taken.items():
            put_back.as_server_has_it(uow, kind_name, uid, copy, False)
        made = {(r.kind, r.uid) for rows, _ in refused for r in rows if r.field == CREATED}
        # Children before what they name: the records of an action in reverse.
        for kind_name, uid in reversed(list(restore)):
            put_back.as_server_has_it(
                uow, kind_name, uid, restore[(kind_name, uid)], (kind_name, uid) in made
            )
        uow.commit()
    return results


def _with_kept_conflicts(
    server: Database, results: list[tuple[list[Pushed], OpResult]]
) -> list[tuple[list[Pushed], OpResult]]:
    """An action the server had applied before (the laptop died before it
    marked the rows) brings back the conflicts the server kept for it: they
    are found by the pushed clock of each unit."""
    again = [(rows, r) for rows, r in results if r.outcome == "already" and r.reason is None]
    if not again:
        return results
    out: dict[str, list[apply.Met]] = {}
    with server.reader() as uow:
        for rows, result in again:
            keys = {(r.kind, r.uid, r.field, r.hlc) for r in rows}
            found = [
                c
                for c in clock_reads.conflicts_of(uow.session, ((r.kind, r.uid) for r in rows))
                if (c.kind, c.uid, c.field, c.mine_hlc) in keys
            ]
            out[result.op_uid] = [
                apply.Met(
                    c.kind,
                    c.uid,
                    c.field,
                    c.mine,
                    c.theirs,
                    c.mine_hlc,
                    c.theirs_hlc,
                    c.mine_user_id,
                    c.theirs_user_id,
                )
                for c in found
            ]
    return [
        (rows, dataclasses.replace(r, conflicts=tuple(out[r.op_uid])) if r.op_uid in out else r)
        for rows, r in results
    ]


def _user_uids(server: Database, mets: Sequence[apply.Met]) -> dict[int | None, str]:
    ids = {i for m in mets for i in (m.mine_user_id, m.theirs_user_id) if i is not None}
    if not ids:
        return {}
    with server.reader() as uow:
        return {
            r.id: r.uid
            for r in uow.session.execute(select(User.id, User.uid).where(User.id.in_(ids)))
        }


def _local_user(uow: UnitOfWork, uid: str | None) -> int | None:
    if uid is None:
        return None
    return uow.session.scalar(select(User.id).where(User.uid == uid))


def pending_count(uow: UnitOfWork) -> int:
    return int(
        uow.session.scalar(
            select(func.count()).select_from(SyncLog).where(SyncLog.state == "pending")
        )
        or 0
    )
