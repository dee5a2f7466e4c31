"""The linking job's pass over calls: the same owner rule as letters, on
the call's one number (a card number with an extension matches on its main
number); calls placed before follow their number's owners, except calls
linked or unlinked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Integer, Table, bindparam, func, select, union, update

from models import CallRecord, ContactPoint, User
from models.ids import new_uid
from services.core import prepared, timezones
from services.core.storage import UnitOfWork
from services.interactions.interaction_input import search_text
from services.linking import bulk, call_bulk, placement, rule, staging

_CALLS = cast(Table, CallRecord.__table__)
# Calls the rule may (re)place: never those linked or unlinked by hand.
_BY_RULE = CallRecord.link_rule.is_(None) | (CallRecord.link_rule == "auto")
# Core statement: bulk updates by key without the ORM's version checks
# (these rows are only ever changed by the job and by manual links).
_LINK_CALL = (
    update(_CALLS)
    .where(_CALLS.c.id == bindparam("item"))
    .values(
        interaction_id=bindparam("interaction_id"),
        link_rule="auto",
        link_reason=bindparam("link_reason"),
        link_tie=bindparam("link_tie"),
    )
)


@dataclasses.dataclass
class CallTally:
    linked: int = 0
    moved: int = 0
    ties: int = 0
    # the cards moved items left: their feeds changed too
    left: set[tuple[str, int]] = dataclasses.field(default_factory=set)


def considered(
    uow: UnitOfWork, values: Sequence[str] | None, placed_after: int | None
) -> list[int]:
    """Calls the rule may place whose number is on some card. A card number
    with an extension matches on its main number; those are few, so they are
    looked up by their main numbers instead of a LIKE join (which scans every
    call for every card number). On SQLite one statement compiled once per
    shape, the values as a JSON list (three ORM queries built each run cost
    ~3 ms, more than their SQL)."""
    dialect = prepared.dialect_of(uow)
    if dialect.name == "sqlite":
        params: dict[str, Any] = {} if placed_after is None else {"placed_after": placed_after}
        if values is not None:
            params["values"] = json.dumps(sorted({rule.main_number(v) for v in values}))
        statement = prepared.prepared(
            dialect,
            ("link.calls", values is None, placed_after is not None),
            lambda: _considered_sqlite(named=values is not None, placed=placed_after is not None),
        )
        return [cid for (cid,) in statement.rows(uow, params, autoflush=True)]
    return _considered_queries(uow, values, placed_after)


def _considered_queries(
    uow: UnitOfWork, values: Sequence[str] | None, placed_after: int | None
) -> list[int]:
    point = ContactPoint
    with_extension = uow.session.scalars(
        select(point.normalized).where(point.kind == "phone", point.normalized.like("%;ext=%"))
    )
    mains = sorted({rule.main_number(v) for v in with_extension})
    queries = [_exact()]
    if mains:
        queries.append(select(CallRecord.id).where(CallRecord.number.in_(mains)))
    found: set[int] = set()
    for query in queries:
        query = query.where(_BY_RULE)
        if values is not None:
            query = query.where(CallRecord.number.in_({rule.main_number(v) for v in values}))
        if placed_after is not None:
            query = query.where(
                CallRecord.interaction_id.is_(None) | (CallRecord.id > placed_after)
            )
        found.update(uow.session.scalars(query))
    return sorted(found)


def _exact() -> Any:
    point = ContactPoint
    return select(CallRecord.id).join(
        point, (point.kind == "phone") & (point.normalized == CallRecord.number)
    )


def _considered_sqlite(*, named: bool, placed: bool) -> Any:
    """``considered``'s queries as one: calls whose number a card has, and
    calls on the main number of a card number with an extension (SQLite's
    ``instr``/``substr``: ``rule.main_number`` cuts at the first ";")."""
    point = ContactPoint
    cut = func.instr(point.normalized, ";")
    mains = select(func.substr(point.normalized, 1, cut - 1)).where(
        point.kind == "phone", point.normalized.like("%;ext=%")
    )
    queries = [_exact(), select(CallRecord.id).where(CallRecord.number.in_(mains))]
    narrowed = []
    for query in queries:
        query = query.where(_BY_RULE)
        if named:
            query = query.where(CallRecord.number.in_(rule.json_list("values")))
        if placed:
            newer = CallRecord.id > bindparam("placed_after", type_=Integer)
            query = query.where(CallRecord.interaction_id.is_(None) | newer)
        narrowed.append(query)
    both = union(*narrowed).subquery()
    return select(both.c.id).order_by(both.c.id)


def run_chunk(
    uow: UnitOfWork, ids: list[int], zone: str, now: dt.datetime, tally: CallTally
) -> None:
    """Place the calls IDS (a chunk of ``considered``): in a few
    set-based statements (``call_bulk``; SQLite and PostgreSQL), elsewhere
    row by row."""
    if not bulk.set_based(uow.session):
        _run_chunk(uow, ids, zone, now, tally)
        return
    ((fallback_owner,),) = prepared.prepared(
        prepared.dialect_of(uow), "link.first_user", lambda: select(func.min(User.id))
    ).rows(uow, {}, autoflush=True)
    linked, ties, placed = call_bulk.run_chunk(uow, ids, zone, now, fallback_owner)
    tally.linked += linked
    tally.ties += ties
    links = _rerank(uow, placed, now, tally)
    if links:
        staging.update_by_id(uow.session, _LINK_CALL, _CALLS, links, {"link_rule": "auto"})


def _run_chunk(
    uow: UnitOfWork, ids: list[int], zone: str, now: dt.datetime, tally: CallTally
) -> None:
    session = uow.session
    calls = session.execute(
        select(
            CallRecord.id,
            CallRecord.number,
            CallRecord.interaction_id,
            CallRecord.started_at,
            CallRecord.direction,
            CallRecord.duration_s,
            CallRecord.result,
            CallRecord.user_id,
            CallRecord.source,
            CallRecord.call_key,
            CallRecord.link_reason,
            CallRecord.link_tie,
        )
        .where(CallRecord.id.in_(ids), _BY_RULE)
        .order_by(CallRecord.id)
    ).all()
    candidates = rule.candidates_of(uow, "phone", {c.number for c in calls})
    decided = [(c, rule.decide([c.number], candidates)) for c in calls]
    fresh = [(c, d) for c, d in decided if d is not None and c.interaction_id is None]
    placed = [(c, d) for c, d in decided if d is not None and c.interaction_id is not None]
    links: list[dict[str, Any]] = []
    if fresh:
        fallback_owner = session.scalar(select(func.min(User.id)))
        ids_new = placement.insert_interactions(
            session, [_interaction_row(c, d, zone, now, fallback_owner) for c, d in fresh]
        )
        for (c, d), iid in zip(fresh, ids_new, strict=True):
            links.append(_link_row(c.id, iid, d))
        placement.set_contacts(
            session, {iid: d.contact_ids for (_c, d), iid in zip(fresh, ids_new, strict=True)}
        )
        tally.linked += len(fresh)
        tally.ties += sum(1 for _c, d in fresh if d.tie)
    links += _rerank(uow, placed, now, tally)
    if links:
        staging.update_by_id(session, _LINK_CALL, _CALLS, links, {"link_rule": "auto"})


def _rerank(
    uow: UnitOfWork, placed: Sequence[tuple[Any, rule.Decision]], now: dt.datetime, tally: CallTally
) -> list[dict[str, Any]]:
    """Calls placed earlier follow their number's owners now; returns the
    calls whose link changed."""
    if not placed:
        return []
    session = uow.session
    links = []
    state = placement.current(session, (c.interaction_id for c, _d in placed))
    moves, contacts = [], {}
    for c, d in placed:
        if c.interaction_id not in state:
            continue
        client_id, lead_id, _direction, old_contacts = state[c.interaction_id]
        moved = (client_id, lead_id) != (d.client_id, d.lead_id)
        if moved:
            tally.left.update(placement.cards(client_id, lead_id, old_contacts))
            moves.append(
                {
                    "iid": c.interaction_id,
                    "client_id": d.client_id,
                    "lead_id": d.lead_id,
                    "direction": c.direction,
                }
            )
        if old_contacts != d.contact_ids:
            contacts[c.interaction_id] = d.contact_ids
        if moved or c.link_reason != d.reason() or c.link_tie != d.tie:
            links.append(_link_row(c.id, c.interaction_id, d))
    placement.move(session, moves, now)
    placement.set_contacts(session, contacts)
    tally.moved += len(moves)
    return links


def _link_row(call_id: int, interaction_id: int, d: rule.Decision) -> dict[str, Any]:
    return {
        "item": call_id,
        "interaction_id": interaction_id,
        "link_reason": d.reason(),
        "link_tie": d.tie,
    }


def _interaction_row(
    c: Any, d: rule.Decision, zone: str, now: dt.datetime, fallback_owner: int | None
) -> dict[str, Any]:
    local, utc = timezones.split_input_time(c.started_at, zone)
    extension = d.owner.value.partition(";ext=")[2]
    body = f"{c.result or 'call'}, {c.duration_s or 0} s"
    if extension:
        body += f", ext. {extension}"
    owner = c.user_id or fallback_owner
    return {
        "uid": new_uid(),
        "row_version": 1,
        "created_at": now,
        "updated_at": now,
        "type": "call",
        "direction": c.direction,
        "state": "done",
        "start_local": local,
        "start_tz": zone,
        "start_utc": utc,
        "duration_min": (c.duration_s + 59) // 60 if c.duration_s else None,
        "owner_id": owner,
        "client_id": d.client_id,
        "lead_id": d.lead_id,
        "subject": None,
        "body": body,
        "search_text": search_text(None, body),
        "source_kind": "call",
        "source_key": f"{c.source}:{c.call_key}",
        "done_at": now,
        "created_by_id": owner,
    }
