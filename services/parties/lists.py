"""Keyset pages of the big lists (clients, leads, contacts) for lazy Qt models.

A page is one query: filter, sort and cut in SQL, the next page starting
after the last row's key (name, id) or (id) - never OFFSET, so page 500
costs what page 1 costs. The text filter is the search index (names,
emails, phone digits; the last word as a prefix), see ``services.feed.search``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    func,
    join,
    not_,
    null,
    or_,
    outerjoin,
    select,
    tuple_,
)

from models import Client, Contact, ContactPoint, Lead, PartyShare, User
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.core.views import ListKey, ListPage, ListRow
from services.feed import search

# The mapped classes' tables, not their ORM attributes: a statement over ORM
# attributes (or an ``aliased()`` class) configures every mapper of the app
# before it compiles (~50 ms), and the client list's first page is on the way
# to the window's first paint (issue #16). The SQL is the same.
_clients = Client.__table__
_leads = Lead.__table__
_contacts = Contact.__table__
_points = ContactPoint.__table__
_users = User.__table__
_shares = PartyShare.__table__

SORTS = ("name", "id")
MAX_PAGE = 1000


def _first_point(kind: str, owner_col: Any, owner_id: Any, *, column: Any = None) -> Any:
    """The first (oldest) email or phone of a card, as typed (or ``column``
    of it: the phone's E.164, which the list shows formatted)."""
    return (
        select(_points.c.raw if column is None else column)
        .where(owner_col == owner_id, _points.c.kind == kind)
        .order_by(_points.c.id)
        .limit(1)
        .scalar_subquery()
    )


@dataclasses.dataclass(frozen=True)
class _List:
    kind: str
    model: Any
    name: Any  # the column sorted by "name"
    # (columns labelled as ListRow fields, FROM clause, visibility condition)
    shape: Callable[[Any], tuple[list[Any], Any, ColumnElement[bool]]]


def _owners(actor: Actor) -> Any:
    """Whose records a list shows: the actor's own and those of colleagues
    they stand in for or head (``Actor.also_sees``); one expanding
    parameter, so the statement is built and cached once."""
    return bindparam("list_actor", list(actor.owner_ids), expanding=True)


def _shape(spec: _List, actor: Actor) -> tuple[list[Any], Any, ColumnElement[bool]]:
    """``spec.shape`` for ``actor``, plus the clients or leads shared with
    them (``party_shares``, as a team database's ``tp_shared``)."""
    cols, source, visible = spec.shape(_owners(actor))
    if spec.kind in ("client", "lead"):
        column = _shares.c.client_id if spec.kind == "client" else _shares.c.lead_id
        me = bindparam("list_me", actor.id, Integer)
        visible = visible | spec.model.c.id.in_(select(column).where(_shares.c.user_id == me))
    return cols, source, visible


def _client_shape(me: Any) -> tuple[list[Any], Any, ColumnElement[bool]]:
    cols = [
        _clients.c.id.label("id"),
        _clients.c.name.label("name"),
        _clients.c.owner_id.label("owner_id"),
        _users.c.full_name.label("owner_name"),
        _first_point("phone", _points.c.client_id, _clients.c.id).label("phone"),
        _first_point(
            "phone", _points.c.client_id, _clients.c.id, column=_points.c.normalized
        ).label("phone_number"),
        _first_point("email", _points.c.client_id, _clients.c.id).label("email"),
        _clients.c.region.label("region"),
        cast(null(), String).label("company"),
        _clients.c.address.label("address"),
        cast(null(), String).label("position"),
        _clients.c.id.label("client_id"),
        cast(null(), Integer).label("lead_id"),
    ]
    source = join(_clients, _users, _users.c.id == _clients.c.owner_id)
    return cols, source, _clients.c.owner_id.in_(me)


def _lead_shape(me: Any) -> tuple[list[Any], Any, ColumnElement[bool]]:
    cols = [
        _leads.c.id.label("id"),
        _leads.c.name.label("name"),
        _leads.c.owner_id.label("owner_id"),
        _users.c.full_name.label("owner_name"),
        _first_point("phone", _points.c.lead_id, _leads.c.id).label("phone"),
        _first_point("phone", _points.c.lead_id, _leads.c.id, column=_points.c.normalized).label(
            "phone_number"
        ),
        _first_point("email", _points.c.lead_id, _leads.c.id).label("email"),
        _leads.c.region.label("region"),
        _leads.c.company.label("company"),
        cast(null(), String).label("address"),
        cast(null(), String).label("position"),
        cast(null(), Integer).label("client_id"),
        _leads.c.id.label("lead_id"),
    ]
    source = join(_leads, _users, _users.c.id == _leads.c.owner_id)
    return cols, source, _leads.c.owner_id.in_(me)


_party_client = _clients.alias("party_client")
_party_lead = _leads.alias("party_lead")


def _contact_shape(me: Any) -> tuple[list[Any], Any, ColumnElement[bool]]:
    pc, pl = _party_client, _party_lead
    owner = func.coalesce(pc.c.owner_id, pl.c.owner_id)
    cols = [
        _contacts.c.id.label("id"),
        _contacts.c.full_name.label("name"),
        owner.label("owner_id"),
        _users.c.full_name.label("owner_name"),
        _first_point("phone", _points.c.contact_id, _contacts.c.id).label("phone"),
        _first_point(
            "phone", _points.c.contact_id, _contacts.c.id, column=_points.c.normalized
        ).label("phone_number"),
        _first_point("email", _points.c.contact_id, _contacts.c.id).label("email"),
        func.coalesce(pc.c.region, pl.c.region).label("region"),
        func.coalesce(pc.c.name, pl.c.name).label("company"),
        cast(null(), String).label("address"),
        _contacts.c.position.label("position"),
        _contacts.c.client_id.label("client_id"),
        _contacts.c.lead_id.label("lead_id"),
    ]
    source = (
        outerjoin(_contacts, pc, pc.c.id == _contacts.c.client_id)
        .outerjoin(pl, pl.c.id == _contacts.c.lead_id)
        .join(_users, _users.c.id == owner)
    )
    return cols, source, pc.c.owner_id.in_(me) | pl.c.owner_id.in_(me)


_LISTS = {
    "client": _List("client", _clients, _clients.c.name, _client_shape),
    "lead": _List("lead", _leads, _leads.c.name, _lead_shape),
    "contact": _List("contact", _contacts, _contacts.c.full_name, _contact_shape),
}


def _archived(kind: str, archived: bool) -> ColumnElement[bool]:
    """Archived cards only, or (the default) none of them; a contact person
    counts as archived with its client or lead."""
    model = _LISTS[kind].model
    gone: ColumnElement[bool] = model.c.archived_at.is_not(None)
    if kind == "contact":
        gone = or_(
            gone,
            # coalesce: NULL IN (...) is NULL, and NOT NULL would hide the row.
            func.coalesce(_contacts.c.client_id, 0).in_(
                select(_clients.c.id).where(_clients.c.archived_at.is_not(None))
            ),
            func.coalesce(_contacts.c.lead_id, 0).in_(
                select(_leads.c.id).where(_leads.c.archived_at.is_not(None))
            ),
        )
    return gone if archived else not_(gone)


def _filters(
    uow: UnitOfWork,
    actor: Actor,
    spec: _List,
    visible: ColumnElement[bool],
    text: str | None,
    archived: bool = False,
) -> list[Any]:
    conds: list[Any] = [_archived(spec.kind, archived)]
    if not actor.can(Permission.CLIENTS_VIEW_ALL):
        conds.append(visible)
    q = search.query_for(uow, text)
    if q is not None:
        conds.append(spec.model.c.id.in_(search.matching_ids(uow, spec.kind, q)))
    elif text and text.strip():
        # Only punctuation: nothing can match it.
        conds.append(spec.model.c.id.is_(None))
    return conds


def _page(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    text: str | None,
    after: ListKey | None,
    limit: int,
    sort: str,
    descending: bool,
    archived: bool = False,
) -> ListPage:
    if sort not in SORTS:
        raise ValidationError(
            f"Sort by one of {', '.join(SORTS)}, not {sort!r}",
            code="parties.lists.sort_one_not",
            params={"sorts": str(", ".join(SORTS)), "sort": repr(sort)},
        )
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(
            f"Page size must be between 1 and {MAX_PAGE}",
            code="parties.lists.page_size_must_between",
            params={"max_page": str(MAX_PAGE)},
        )
    if after is not None and (after.sort, after.descending) != (sort, descending):
        raise ValidationError(
            "This page key belongs to another sort order: start from the top",
            code="parties.lists.page_key_belongs_another",
        )
    spec = _LISTS[kind]
    cols, source, visible = _shape(spec, actor)
    conds = _filters(uow, actor, spec, visible, text, archived)
    ident = spec.model.c.id
    if sort == "name":
        order = [spec.name.desc(), ident.desc()] if descending else [spec.name, ident]
        if after is not None:
            if after.name is None:
                raise ValidationError(
                    "This page key has no name to continue after",
                    code="parties.lists.page_key_has_no",
                )
            name = bindparam("after_name", after.name, String)
            key = tuple_(spec.name, ident)
            mark = tuple_(name, bindparam("after_id", after.id, Integer))
            # The plain bound lets PostgreSQL walk the name index from the key.
            if descending:
                conds += [spec.name <= name, key < mark]
            else:
                conds += [spec.name >= name, key > mark]
    else:
        order = [ident.desc()] if descending else [ident]
        if after is not None:
            mark_id = bindparam("after_id", after.id, Integer)
            conds.append(ident < mark_id if descending else ident > mark_id)
    stmt: Select[Any] = (
        select(*cols).select_from(source).where(*conds).order_by(*order).limit(limit + 1)
    )
    rows = list(uow.session.connection().execute(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    page = tuple(ListRow(kind=kind, **row._asdict()) for row in rows)
    last = page[-1] if page and more else None
    next_key = (
        ListKey(sort, descending, last.name if sort == "name" else None, last.id)
        if last is not None
        else None
    )
    return ListPage(page, next_key)


def client_page(
    uow: UnitOfWork,
    actor: Actor,
    *,
    text: str | None = None,
    after: ListKey | None = None,
    limit: int = 200,
    sort: str = "name",
    descending: bool = False,
    archived: bool = False,
) -> ListPage:
    """One page of the clients the actor may see; ``after`` is the previous
    page's ``next``. Columns: name, owner, first phone and email, region,
    address."""
    return _page(uow, actor, "client", text, after, limit, sort, descending, archived)


def lead_page(
    uow: UnitOfWork,
    actor: Actor,
    *,
    text: str | None = None,
    after: ListKey | None = None,
    limit: int = 200,
    sort: str = "name",
    descending: bool = False,
    archived: bool = False,
) -> ListPage:
    """Like ``client_page``, for leads (``company`` instead of an address)."""
    return _page(uow, actor, "lead", text, after, limit, sort, descending, archived)


def contact_page(
    uow: UnitOfWork,
    actor: Actor,
    *,
    text: str | None = None,
    after: ListKey | None = None,
    limit: int = 200,
    sort: str = "name",
    descending: bool = False,
    archived: bool = False,
) -> ListPage:
    """Like ``client_page``, for contact persons: ``company`` and ``region``
    are their client's or lead's, and so is the owner."""
    return _page(uow, actor, "contact", text, after, limit, sort, descending, archived)


def _count(
    uow: UnitOfWork, actor: Actor, kind: str, text: str | None, archived: bool = False
) -> int:
    spec = _LISTS[kind]
    _cols, _source, visible = _shape(spec, actor)
    conds = _filters(uow, actor, spec, visible, text, archived)
    stmt = select(func.count()).select_from(spec.model)
    if kind == "contact" and not actor.can(Permission.CLIENTS_VIEW_ALL):
        pc, pl = _party_client, _party_lead
        stmt = stmt.outerjoin(pc, pc.c.id == _contacts.c.client_id).outerjoin(
            pl, pl.c.id == _contacts.c.lead_id
        )
    return int(uow.session.connection().execute(stmt.where(*conds)).scalar_one())


def count_clients(
    uow: UnitOfWork, actor: Actor, text: str | None = None, archived: bool = False
) -> int:
    """How many clients the list shows with this filter (its header)."""
    return _count(uow, actor, "client", text, archived)


def count_leads(
    uow: UnitOfWork, actor: Actor, text: str | None = None, archived: bool = False
) -> int:
    return _count(uow, actor, "lead", text, archived)


def count_contacts(
    uow: UnitOfWork, actor: Actor, text: str | None = None, archived: bool = False
) -> int:
    return _count(uow, actor, "contact", text, archived)
