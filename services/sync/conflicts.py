"""Conflicts a sync kept: both sides changed one field to different values.

The server stores one when a pushed write met a value it had not seen; the
laptop stores the same one from the push's answer, so it can show it while
offline. The clock already chose a winner, so every copy is equal; the user
looks at both values and keeps one, which is an ordinary edit with a new
clock (logged by services/sync/log.py on a replica, clocked on the server).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from models import User
from models.base import utcnow
from models.sync import SyncConflict
from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, UserError, ValidationError
from services.core.storage import Database, UnitOfWork
from services.sync import record_cards, tables
from services.sync.apply_checks import check_record, validated
from services.sync.apply_rows import decoded, put, record_label
from services.sync.clock import Hlc
from services.sync.log import log_resolved, units
from services.sync.types import ConflictView

CHOICES = ("mine", "theirs")
CARD_KINDS = ("client", "lead", "contact", "deal")
MAX_SHOWN = 500


def _at(hlc: str) -> dt.datetime:
    return dt.datetime.fromtimestamp(Hlc.decode(hlc).wall_ms / 1000, dt.UTC)


def shown(value: str | None) -> str | None:
    """A stored JSON value as a person reads it: one column's value, or
    ``column: value`` pairs for a field group."""
    if value is None:
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return value[:MAX_SHOWN]
    if isinstance(data, dict):
        if len(data) == 1:
            data = next(iter(data.values()))
        else:
            return "; ".join(f"{k}: {v}" for k, v in data.items() if v is not None)[:MAX_SHOWN]
    return None if data is None else str(data)[:MAX_SHOWN]


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = uow.session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {r.id: r.full_name for r in rows}


def conflicts(
    db: Database, actor: Actor | None = None, *, kind: str | None = None, uid: str | None = None
) -> list[ConflictView]:
    """The unresolved conflicts (of one record when ``kind`` and ``uid`` are
    given) that the actor may see, oldest first."""
    with db.reader(actor.id if actor else None) as uow:
        query = select(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        if kind is not None:
            query = query.where(SyncConflict.kind == kind)
        if uid is not None:
            query = query.where(SyncConflict.uid == uid)
        rows = list(uow.session.scalars(query.order_by(SyncConflict.id)))
        names = _names(
            uow, {i for r in rows for i in (r.mine_user_id, r.theirs_user_id) if i is not None}
        )
        out: list[ConflictView] = []
        tr = tables.Translator(uow.session)
        for row in rows:
            sync_kind = tables.KINDS.get(row.kind)
            obj = tables.find(tr, row.kind, row.uid) if sync_kind else None
            if actor is not None and obj is not None:
                try:
                    check_record(uow, actor, row.kind, obj)
                except UserError:
                    continue  # a colleague's record: not this user's conflict
            card = record_cards.card_of(uow.session, obj)
            out.append(
                ConflictView(
                    id=row.id,
                    kind=row.kind,
                    uid=row.uid,
                    label=record_label(obj) if obj is not None else row.uid,
                    field=row.field,
                    mine=shown(row.mine),
                    theirs=shown(row.theirs),
                    mine_user=names.get(row.mine_user_id) if row.mine_user_id else None,
                    theirs_user=names.get(row.theirs_user_id) if row.theirs_user_id else None,
                    mine_at=_at(row.mine_hlc),
                    theirs_at=_at(row.theirs_hlc),
                    card_kind=card[0] if card else None,
                    card_id=card[1] if card else None,
                )
            )
    return out


def resolve_conflict(
    db: Database, actor: Actor, conflict_id: int, choice: str
) -> Outcome[ConflictView | None]:
    """Keep "mine" (the laptop's value) or "theirs" (the value it met): the
    chosen value is written as a new edit, whichever value the clock kept."""
    if choice not in CHOICES:
        raise ValidationError(
            f"Keep 'mine' or 'theirs', not {choice[:20]!r}",
            "keep",
            code="sync.conflicts.bad_choice",
            params={"choice": choice[:20]},
        )
    with db.uow(actor.id) as uow:
        s = uow.session
        row = s.get(SyncConflict, conflict_id)
        if row is None or row.resolved_at is not None:
            raise NotFoundError("Conflict", conflict_id)
        kind = tables.KINDS.get(row.kind)
        tr = tables.Translator(s)
        obj = tables.find(tr, row.kind, row.uid) if kind is not None else None
        if kind is None or obj is None:
            raise NotFoundError("Conflict", conflict_id)
        check_record(uow, actor, row.kind, obj)
        chosen = json.loads((row.mine if choice == "mine" else row.theirs) or "{}")
        columns = units(kind, [row.field]).get(row.field, ())
        pushed = {c: chosen.get(c) for c in columns if c in chosen}
        put(kind, obj, validated(uow, actor, kind, decoded(tr, kind, pushed)))
        row.resolved_at = utcnow()
        row.resolved_by_id = actor.id
        s.flush()
        log_resolved(
            s,
            row.kind,
            row.uid,
            {"field": row.field, "mine_hlc": row.mine_hlc, "theirs_hlc": row.theirs_hlc},
        )
        check_record(uow, actor, row.kind, obj)
        changes = _changes(row.kind, obj, conflict_id)
        uow.commit()
    return Outcome(None, changes)


def _changes(kind: str, obj: Any, conflict_id: int) -> Changes:
    cards: list[tuple[str, int]] = []
    if kind in CARD_KINDS:
        cards.append((kind, obj.id))
    for column, card in (("client_id", "client"), ("lead_id", "lead"), ("contact_id", "contact")):
        value = getattr(obj, column, None)
        if isinstance(value, int):
            cards.append((card, value))
    return Changes.of(updated={kind: [obj.id], "sync_conflict": [conflict_id]}, cards=cards)
