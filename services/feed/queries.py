"""The SQL of the feed, built once per query shape and reused.

Each source of a feed (planned calls, done calls, notes ...) is a small
query that walks an index from the cursor and stops after one page; their
union is merged and cut to the page. A shape (whose feed, which section,
which filters are set, where the cursor sits) always gives the same
statement, so it is built once and cached with bind parameters: building
SQLAlchemy objects cost more than running the queries.
"""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal_column,
    null,
    select,
    tuple_,
    union_all,
)

from models import (
    AuditEntry,
    Interaction,
    Note,
    ScenarioRunStep,
    Task,
    folding,
    interaction_contacts,
)
from services.core.audit import CARD_KINDS
from services.core.like import LIKE_ESCAPE as LIKE_ESCAPE
from services.core.like import MAX_SEARCH as MAX_SEARCH
from services.core.like import like_pattern as like_pattern

SNIPPET = 500
NON_INTERACTION_TYPES = ("note", "task", "change")


@dataclasses.dataclass(frozen=True)
class Shape:
    """Everything that changes the SQL text of a feed page (not its values)."""

    scope: str  # client | lead | deal | contact
    section: str  # p | h
    ascending: bool
    cursor_rank: int | None  # None: no cursor (first page of the section)
    interaction_types: bool = False  # filter interactions by type
    notes: bool = True
    tasks: bool = True
    changes: bool = True
    interactions: bool = True
    owner: bool = False
    since: bool = False
    until: bool = False
    text: bool = False
    # False: the card's row only (``pages.page``'s ``detail``).
    detail: bool = True


_cache: dict[Shape, Select[Any]] = {}
_lock = threading.Lock()


def statement(shape: Shape) -> Select[Any]:
    cached = _cache.get(shape)
    if cached is None:
        built = _build(shape)
        with _lock:
            cached = _cache.setdefault(shape, built)
    return cached


def _keys(
    rank: int,
    id_col: Any,
    t_col: Any,
    state: str,
    values: tuple[Any, Any, Any, Any] | None = None,
) -> list[Any]:
    """What a source contributes to the merge: its sort key, its state and,
    for a note, task or card change, the values its row shows (owner, title,
    text, deal). An interaction's are read after the page is cut
    (``_columns``): sorting and cutting narrow rows costs less than carrying
    every interaction's text through the merge. The other kinds are few on a
    card, so carrying theirs spares the page a join per kind (issue #16).
    The kind is told by the section and the rank (``page_items.KINDS``)."""
    owner, title, text, deal = values or (None, None, None, None)
    return [
        literal_column(str(rank), Integer).label("rank"),
        id_col.label("id"),
        t_col.label("at_utc"),
        literal_column(f"'{state}'", String).label("state"),
        _or_null(owner, Integer).label("owner_id"),
        _or_null(title, String).label("title"),
        _or_null(text, String).label("text"),
        _or_null(deal, Integer).label("deal_id"),
    ]


def _or_null(value: Any, type_: Any) -> Any:
    """A typed NULL where a source has no such value (PostgreSQL types a
    UNION's column from its sources; a bare NULL in all of them is text)."""
    return cast(null(), type_) if value is None else value


def _scope(model: Any, scope: str) -> ColumnElement[bool]:
    value = bindparam("scope_id", type_=Integer)
    if scope == "contact":
        if model is Interaction:
            return Interaction.id.in_(
                select(interaction_contacts.c.interaction_id).where(
                    interaction_contacts.c.contact_id == value
                )
            )
        return model.contact_id == value  # type: ignore[no-any-return]
    return getattr(model, f"{scope}_id") == value  # type: ignore[no-any-return]


def _keyset(t_col: Any, id_col: Any, rank: int, shape: Shape) -> ColumnElement[bool] | None:
    """Rows after the cursor (t, rank, id) in the page order.

    Same rank: a row value comparison, which SQLite and PostgreSQL both run
    as one index range. Other ranks only compare the time.
    """
    if shape.cursor_rank is None:
        return None
    t = bindparam("cur_t", type_=t_col.type)
    i = bindparam("cur_id", type_=Integer)
    if shape.ascending:
        if rank > shape.cursor_rank:
            return t_col >= t  # type: ignore[no-any-return]
        if rank < shape.cursor_rank:
            return t_col > t  # type: ignore[no-any-return]
        return tuple_(t_col, id_col) > tuple_(t, i)
    if rank < shape.cursor_rank:
        return t_col <= t  # type: ignore[no-any-return]
    if rank > shape.cursor_rank:
        return t_col < t  # type: ignore[no-any-return]
    return tuple_(t_col, id_col) < tuple_(t, i)


def _filters(shape: Shape, t_col: Any, owner_col: Any, text_col: Any | None) -> list[Any]:
    conds: list[Any] = []
    if shape.owner:
        conds.append(owner_col == bindparam("owner_id", type_=Integer))
    if shape.since:
        conds.append(t_col >= bindparam("since", type_=t_col.type))
    if shape.until:
        conds.append(t_col < bindparam("until", type_=t_col.type))
    if shape.text:
        if text_col is None:
            conds.append(literal_column("1") == literal_column("0"))
        else:
            conds.append(text_col.like(bindparam("text_like", type_=String), escape=LIKE_ESCAPE))
    return conds


def _branch(
    shape: Shape,
    rank: int,
    cols: list[Any],
    source: Any,
    conds: list[Any],
    t_col: Any,
    id_col: Any,
) -> Any:
    key = _keyset(t_col, id_col, rank, shape)
    if key is not None:
        conds = [*conds, key]
    order = (t_col.asc(), id_col.asc()) if shape.ascending else (t_col.desc(), id_col.desc())
    return (
        select(*cols)
        .select_from(source)
        .where(*conds)
        .order_by(*order)
        .limit(bindparam("lim", type_=Integer))
        .subquery()
    )


def _interaction_branch(shape: Shape, state: str, history: bool) -> Any:
    i = Interaction
    cols = _keys(0, i.id, i.start_utc, state)
    conds: list[Any] = [i.state == state, _scope(i, shape.scope)]
    if history:
        if shape.interaction_types:
            conds.append(i.type.in_(bindparam("itypes", expanding=True)))
        conds += _filters(shape, i.start_utc, i.owner_id, i.search_text)
    return _branch(shape, 0, cols, i, conds, i.start_utc, i.id)


def _planned(shape: Shape) -> list[Any]:
    task_t = func.coalesce(Task.deadline, Task.created_at)
    tasks = _branch(
        shape,
        2,
        _keys(2, Task.id, task_t, "planned", _task_values()),
        Task,
        [Task.done.is_(False), _scope(Task, shape.scope)],
        task_t,
        Task.id,
    )
    return [_interaction_branch(shape, "planned", history=False), tasks]


def _history(shape: Shape) -> list[Any]:
    parts: list[Any] = []
    if shape.interactions:
        parts += [_interaction_branch(shape, s, history=True) for s in ("done", "cancelled")]
    if shape.notes:
        conds = [
            _scope(Note, shape.scope),
            *_filters(shape, Note.created_at, Note.author_id, Note.search_text),
        ]
        keys = _keys(
            1,
            Note.id,
            Note.created_at,
            "done",
            (Note.author_id, None, _snippet(Note.body), Note.deal_id),
        )
        parts.append(_branch(shape, 1, keys, Note, conds, Note.created_at, Note.id))
    if shape.tasks:
        conds = [
            Task.done.is_(True),
            _scope(Task, shape.scope),
            *_filters(shape, Task.done_at, Task.assignee_id, folding.in_sql(Task.title)),
        ]
        keys = _keys(2, Task.id, Task.done_at, "done", _task_values())
        parts.append(_branch(shape, 2, keys, Task, conds, Task.done_at, Task.id))
    if shape.changes:
        a = AuditEntry
        conds = [
            a.entity_kind.in_([literal_column(f"'{k}'", String) for k in CARD_KINDS]),
            _scope(a, shape.scope),
            *_filters(shape, a.at, a.user_id, folding.in_sql(a.new)),
        ]
        change_text = case(
            (a.field == "created", a.new),
            else_=func.coalesce(a.old, "") + " → " + func.coalesce(a.new, ""),
        )
        values = (a.user_id, a.entity_kind + "." + a.field, change_text, a.deal_id)
        keys = _keys(3, a.id, a.at, "done", values)
        parts.append(_branch(shape, 3, keys, a, conds, a.at, a.id))
    return parts


def _task_values() -> tuple[Any, Any, Any, Any]:
    return (Task.assignee_id, Task.title, None, Task.deal_id)


def _build(shape: Shape) -> Select[Any]:
    """The page's keys merged from every source and cut to the page, then
    each interaction's columns read by its primary key (``_columns``)."""
    parts = _planned(shape) if shape.section == "p" else _history(shape)
    if not parts:
        parts = [_interaction_branch(dataclasses.replace(shape, text=False), "never", True)]
    merged = union_all(*(select(*p.c) for p in parts)).subquery()
    order = (
        (merged.c.at_utc.asc(), merged.c.rank.asc(), merged.c.id.asc())
        if shape.ascending
        else (merged.c.at_utc.desc(), merged.c.rank.desc(), merged.c.id.desc())
    )
    page = select(merged).order_by(*order).limit(bindparam("lim", type_=Integer)).subquery("page")
    return _columns(page, shape)


#: Whose an interaction is, read only where the scope does not say it: in
#: a client's feed every interaction is the client's (an interaction has
#: exactly one party), in a lead's the lead's (``page_items.card_fields``).
PARTY_READ = ("contact", "deal")


def _columns(page: Any, shape: Shape) -> Select[Any]:
    """The feed's row (see ``page_items.card_fields``) for each key of the page, in
    page order: an interaction's own columns joined on its primary key, a
    note's, task's or change's carried from its source (``_keys``). The
    detail (direction, duration, who took part, a contact's or deal's
    interaction's party) comes last, only when the shape asks for it."""
    i = Interaction
    step = ScenarioRunStep
    source = page.outerjoin(i, and_(page.c.rank == literal_column("0"), i.id == page.c.id))
    # A scenario step's interaction: the page asks for its run only then.
    source = source.outerjoin(step, step.interaction_id == i.id)
    detail: list[Any] = []
    if shape.detail:
        # Who took part, in the same statement: one row per contact person
        # of an interaction, next to each other (the ORDER BY ties them),
        # merged by ``page_items.merged``. A join costs a third of a correlated
        # ``group_concat`` per row (issue #16); the page's LIMIT cut the
        # keys before it.
        contact = interaction_contacts.c.contact_id
        source = source.outerjoin(
            interaction_contacts, interaction_contacts.c.interaction_id == i.id
        )
        detail = [i.direction, i.duration_min, contact.label("contact_id")]
        if shape.scope in PARTY_READ:
            detail += [i.client_id, i.lead_id]
    order = (
        (page.c.at_utc.asc(), page.c.rank.asc(), page.c.id.asc())
        if shape.ascending
        else (page.c.at_utc.desc(), page.c.rank.desc(), page.c.id.desc())
    )
    return (
        select(
            page.c.rank,
            page.c.id,
            i.type,
            page.c.state,
            page.c.at_utc,
            func.coalesce(i.owner_id, page.c.owner_id, type_=Integer).label("owner_id"),
            func.coalesce(i.subject, page.c.title, type_=String).label("title"),
            func.coalesce(_snippet(i.body), page.c.text, type_=String).label("text"),
            func.coalesce(i.deal_id, page.c.deal_id, type_=Integer).label("deal_id"),
            i.start_tz.label("tz"),
            i.source_kind.label("source"),
            step.id.label("step_id"),
            *detail,
        )
        .select_from(source)
        .order_by(*order)
    )


def _snippet(body: Any) -> Any:
    return func.substr(body, literal_column("1"), literal_column(str(SNIPPET)))
