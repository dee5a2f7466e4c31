"""The feed of a client, lead, contact or deal (SPEC B4-B6).

Two sections: planned items first, soonest first; then done and cancelled
interactions, notes, finished tasks and card changes in time order (newest
first unless ``oldest_first``). Filters narrow only the second section:
planned items always show (B5).

Paging is by keyset, never OFFSET. Each source (planned calls, done calls,
notes ...) is its own small query that walks an index from the cursor and
stops after one page; the union of those few rows is merged and cut to the
page. So page 500 of a 50k-interaction client costs what page 1 costs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)

from models import AuditEntry, Deal, Interaction, Note, Task, interaction_contacts
from services import deals, parties, settings, timezones
from services.access import Actor
from services.audit import CARD_KINDS
from services.errors import ValidationError
from services.storage import UnitOfWork
from services.views import FeedItem, FeedPage

DEFAULT_PAGE = 50
MAX_PAGE = 500
SNIPPET = 500
NON_INTERACTION_TYPES = ("note", "task", "change")


@dataclasses.dataclass(frozen=True)
class FeedScope:
    """Whose feed: exactly one of the ids."""

    client_id: int | None = None
    lead_id: int | None = None
    contact_id: int | None = None
    deal_id: int | None = None
    # For a deal: everything of its client, not only this deal (B6).
    whole_history: bool = False


@dataclasses.dataclass(frozen=True)
class FeedFilter:
    types: tuple[str, ...] = ()
    owner_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    text: str | None = None
    upcoming_only: bool = False
    oldest_first: bool = False


@dataclasses.dataclass(frozen=True)
class _Cursor:
    section: str  # "p" planned, "h" history
    t: dt.datetime | None = None
    rank: int = 0
    id: int = 0

    def encode(self) -> str:
        if self.t is None:
            return self.section
        return f"{self.section}|{self.t.isoformat()}|{self.rank}|{self.id}"

    @classmethod
    def decode(cls, text: str | None) -> _Cursor:
        if not text:
            return cls("p")
        try:
            parts = text.split("|")
            if parts[0] not in ("p", "h"):
                raise ValueError(parts[0])
            if len(parts) == 1:
                return cls(parts[0])
            t = dt.datetime.fromisoformat(parts[1])
            if t.tzinfo is None:
                raise ValueError("naive")
            return cls(parts[0], t, int(parts[2]), int(parts[3]))
        except (ValueError, IndexError) as exc:
            raise ValidationError(f"Not a feed cursor: {text!r}") from exc


def _row(kind: str, rank: int, **cols: Any) -> list[Any]:
    text_null = cast(null(), String)
    return [
        literal_column(f"'{kind}'", String).label("kind"),
        literal_column(str(rank), Integer).label("rank"),
        cols["id"].label("id"),
        cols.get("type", literal_column(f"'{kind}'", String)).label("type"),
        cols.get("state", literal_column("'done'", String)).label("state"),
        cols["t"].label("at_utc"),
        cols.get("owner", text_null).label("owner_id"),
        cols.get("title", text_null).label("title"),
        cols.get("text", text_null).label("text"),
        cols.get("deal", text_null).label("deal_id"),
        cols.get("tz", text_null).label("tz"),
    ]


def _interactions(rank: int, state: str) -> tuple[list[Any], ColumnElement[bool], Any]:
    i = Interaction
    cols = _row(
        "interaction",
        rank,
        id=i.id,
        type=i.type,
        state=i.state,
        t=i.start_utc,
        owner=i.owner_id,
        title=i.subject,
        text=func.substr(i.body, 1, SNIPPET),
        deal=i.deal_id,
        tz=i.start_tz,
    )
    return cols, i.state == state, i.start_utc


def _scope_condition(model: Any, scope: FeedScope, contact_attr: str) -> ColumnElement[bool]:
    if scope.client_id is not None:
        return model.client_id == scope.client_id  # type: ignore[no-any-return]
    if scope.lead_id is not None:
        return model.lead_id == scope.lead_id  # type: ignore[no-any-return]
    if scope.deal_id is not None:
        return model.deal_id == scope.deal_id  # type: ignore[no-any-return]
    assert scope.contact_id is not None
    if contact_attr == "m2m":
        return Interaction.id.in_(
            select(interaction_contacts.c.interaction_id).where(
                interaction_contacts.c.contact_id == scope.contact_id
            )
        )
    return model.contact_id == scope.contact_id  # type: ignore[no-any-return]


def _keyset(
    t_col: Any, id_col: Any, rank: int, cursor: _Cursor, ascending: bool
) -> ColumnElement[bool] | None:
    if cursor.t is None:
        return None
    if ascending:
        if rank > cursor.rank:
            return t_col >= cursor.t  # type: ignore[no-any-return]
        if rank < cursor.rank:
            return t_col > cursor.t  # type: ignore[no-any-return]
        return or_(t_col > cursor.t, and_(t_col == cursor.t, id_col > cursor.id))
    if rank < cursor.rank:
        return t_col <= cursor.t  # type: ignore[no-any-return]
    if rank > cursor.rank:
        return t_col < cursor.t  # type: ignore[no-any-return]
    return or_(t_col < cursor.t, and_(t_col == cursor.t, id_col < cursor.id))


@dataclasses.dataclass
class _Branch:
    rank: int
    columns: list[Any]
    source: Any
    conditions: list[ColumnElement[bool]]
    t_col: Any
    id_col: Any

    def query(self, cursor: _Cursor, ascending: bool, limit: int) -> Select[Any]:
        conds = list(self.conditions)
        key = _keyset(self.t_col, self.id_col, self.rank, cursor, ascending)
        if key is not None:
            conds.append(key)
        order = (
            (self.t_col.asc(), self.id_col.asc())
            if ascending
            else (
                self.t_col.desc(),
                self.id_col.desc(),
            )
        )
        return (
            select(*self.columns)
            .select_from(self.source)
            .where(*conds)
            .order_by(*order)
            .limit(limit)
        )


def _planned_branches(scope: FeedScope) -> list[_Branch]:
    cols, state_cond, t = _interactions(0, "planned")
    task_t = func.coalesce(Task.deadline, Task.created_at)
    return [
        _Branch(
            0,
            cols,
            Interaction,
            [state_cond, _scope_condition(Interaction, scope, "m2m")],
            t,
            Interaction.id,
        ),
        _Branch(
            1,
            _row(
                "task",
                1,
                id=Task.id,
                state=literal_column("'planned'", String),
                t=task_t,
                owner=Task.assignee_id,
                title=Task.title,
                deal=Task.deal_id,
            ),
            Task,
            [Task.done.is_(False), _scope_condition(Task, scope, "contact_id")],
            task_t,
            Task.id,
        ),
    ]


def _history_branches(scope: FeedScope, flt: FeedFilter) -> list[_Branch]:
    wanted = set(flt.types)
    interaction_types = tuple(t for t in flt.types if t not in NON_INTERACTION_TYPES)
    text = flt.text.casefold().strip() if flt.text else None
    branches: list[_Branch] = []

    def common(t_col: Any, owner_col: Any, text_cond: Callable[[str], Any] | None) -> list[Any]:
        conds: list[Any] = []
        if flt.owner_id is not None:
            conds.append(owner_col == flt.owner_id)
        if flt.since is not None:
            conds.append(t_col >= flt.since)
        if flt.until is not None:
            conds.append(t_col < flt.until)
        if text:
            conds.append(text_cond(text) if text_cond else literal(False))
        return conds

    if not wanted or interaction_types:
        for state in ("done", "cancelled"):
            cols, state_cond, t = _interactions(0, state)
            conds = [state_cond, _scope_condition(Interaction, scope, "m2m")]
            if interaction_types:
                conds.append(Interaction.type.in_(interaction_types))
            conds += common(
                t,
                Interaction.owner_id,
                lambda q: Interaction.search_text.contains(q, autoescape=True),
            )
            branches.append(_Branch(0, cols, Interaction, conds, t, Interaction.id))
    if not wanted or "note" in wanted:
        conds = [_scope_condition(Note, scope, "contact_id")]
        conds += common(
            Note.created_at, Note.author_id, lambda q: Note.search_text.contains(q, autoescape=True)
        )
        branches.append(
            _Branch(
                1,
                _row(
                    "note",
                    1,
                    id=Note.id,
                    t=Note.created_at,
                    owner=Note.author_id,
                    text=func.substr(Note.body, 1, SNIPPET),
                    deal=Note.deal_id,
                ),
                Note,
                conds,
                Note.created_at,
                Note.id,
            )
        )
    if not wanted or "task" in wanted:
        conds = [Task.done.is_(True), _scope_condition(Task, scope, "contact_id")]
        conds += common(
            Task.done_at,
            Task.assignee_id,
            lambda q: func.lower(Task.title).contains(q, autoescape=True),
        )
        branches.append(
            _Branch(
                2,
                _row(
                    "task",
                    2,
                    id=Task.id,
                    t=Task.done_at,
                    owner=Task.assignee_id,
                    title=Task.title,
                    deal=Task.deal_id,
                ),
                Task,
                conds,
                Task.done_at,
                Task.id,
            )
        )
    if not wanted or "change" in wanted:
        a = AuditEntry
        conds = [a.entity_kind.in_(CARD_KINDS), _scope_condition(a, scope, "contact_id")]
        conds += common(a.at, a.user_id, lambda q: func.lower(a.new).contains(q, autoescape=True))
        branches.append(
            _Branch(
                3,
                _row(
                    "change",
                    3,
                    id=a.id,
                    t=a.at,
                    owner=a.user_id,
                    title=a.entity_kind + "." + a.field,
                    text=case(
                        (a.field == "created", a.new),
                        else_=func.coalesce(a.old, "") + " → " + func.coalesce(a.new, ""),
                    ),
                    deal=a.deal_id,
                ),
                a,
                conds,
                a.at,
                a.id,
            )
        )
    return branches


def _run(
    uow: UnitOfWork, branches: list[_Branch], cursor: _Cursor, ascending: bool, limit: int
) -> list[Any]:
    if not branches:
        return []
    parts = [b.query(cursor, ascending, limit + 1).subquery() for b in branches]
    merged = union_all(*(select(*p.c) for p in parts)).subquery()
    order = (
        (merged.c.at_utc.asc(), merged.c.rank.asc(), merged.c.id.asc())
        if ascending
        else (merged.c.at_utc.desc(), merged.c.rank.desc(), merged.c.id.desc())
    )
    return list(uow.session.execute(select(merged).order_by(*order).limit(limit + 1)).all())


def _item(row: Any, zone_name: str) -> FeedItem:
    tz = row.tz or zone_name
    return FeedItem(
        kind=row.kind,
        id=row.id,
        type=row.type,
        state=row.state,
        start=row.at_utc.astimezone(timezones.zone(tz)),
        owner_id=int(row.owner_id) if row.owner_id is not None else None,
        title=row.title,
        text=row.text,
        deal_id=int(row.deal_id) if row.deal_id is not None else None,
    )


def _resolve_scope(uow: UnitOfWork, actor: Actor, scope: FeedScope) -> FeedScope:
    given = [x for x in (scope.client_id, scope.lead_id, scope.contact_id, scope.deal_id) if x]
    if len(given) != 1:
        raise ValidationError("A feed is of exactly one client, lead, contact or deal")
    if scope.client_id is not None:
        parties.visible_client(uow, actor, scope.client_id)
    elif scope.lead_id is not None:
        parties.visible_lead(uow, actor, scope.lead_id)
    elif scope.contact_id is not None:
        contact = parties.get_contact(uow, scope.contact_id)
        if contact.client_id is not None:
            parties.visible_client(uow, actor, contact.client_id)
        elif contact.lead_id is not None:
            parties.visible_lead(uow, actor, contact.lead_id)
    else:
        assert scope.deal_id is not None
        deal: Deal = deals.visible_deal(uow, actor, scope.deal_id)
        if scope.whole_history:
            return FeedScope(client_id=deal.client_id, lead_id=deal.lead_id)
    return scope


def page(
    uow: UnitOfWork,
    actor: Actor,
    scope: FeedScope,
    flt: FeedFilter | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
) -> FeedPage:
    """One page of the feed; pass ``next_cursor`` back for the next page."""
    flt = flt or FeedFilter()
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(f"Page size must be between 1 and {MAX_PAGE}")
    scope = _resolve_scope(uow, actor, scope)
    zone_name = settings.display_zone(uow)
    pos = _Cursor.decode(cursor)
    rows: list[Any] = []
    next_cursor: str | None = None
    if pos.section == "p":
        rows = _run(uow, _planned_branches(scope), pos, True, limit)
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            return FeedPage(
                tuple(_item(r, zone_name) for r in rows),
                _Cursor("p", last.at_utc, last.rank, last.id).encode(),
            )
        if flt.upcoming_only:
            return FeedPage(tuple(_item(r, zone_name) for r in rows), None)
        pos = _Cursor("h")
    room = limit - len(rows)
    if room == 0:
        return FeedPage(tuple(_item(r, zone_name) for r in rows), "h")
    ascending = flt.oldest_first
    history = _run(uow, _history_branches(scope, flt), pos, ascending, room)
    if len(history) > room:
        history = history[:room]
        last = history[-1]
        next_cursor = _Cursor("h", last.at_utc, last.rank, last.id).encode()
    rows += history
    return FeedPage(tuple(_item(r, zone_name) for r in rows), next_cursor)
