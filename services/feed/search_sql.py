"""The statement of a global search, for SQLite and PostgreSQL.

Ranking (README, "Global search ranks recent records"): first what names
the query — a client, lead or contact by its name or by one of its
addresses and numbers, a deal by its title, an interaction by its subject —
then notes and interactions that mention it in their text; within each of
these two tiers by kind (clients, leads, contacts, deals, notes,
interactions), and within a kind newest first. No score needs global
counts, so each kind's list is its index walked newest first and cut at
the number of hits asked for: at 1M records a common word costs what a
rare one does (issue #16). Both dialects rank the same way, so they give
the same hits in the same order.

The index is Alembic revision 0004 (what is indexed and how words are
folded) with 0026 (prefix indexes, interaction subjects on their own).
"""

from __future__ import annotations

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
    column,
    func,
    literal_column,
    null,
    select,
    table,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from models import Client, Contact, ContactPoint, Deal, Interaction, Lead, Note
from models.base import UTCDateTime
from services.core.errors import ValidationError
from services.feed.search_seen import MODELS, Seen
from services.feed.search_text import Query

# The rowid of the SQLite index is ``code * KIND_SPAN + id`` (revision 0004).
KIND_SPAN = 1 << 40
CODES = {
    "client": 1,
    "lead": 2,
    "contact": 3,
    "deal": 4,
    "note": 5,
    "interaction": 6,
    "point": 7,
}
#: rank = tier * TIER + the kind's code: names and subjects first.
TIER = 10
PG_CONFIG = "'pg_catalog.simple'::regconfig"


def check_dialect(dialect: str) -> None:
    if dialect not in ("sqlite", "postgresql"):
        raise ValidationError(
            f"Search is not available on {dialect}",
            code="feed.search.search_not_available",
            params={"dialect": str(dialect)},
        )


def _word(value: str) -> ColumnElement[Any]:
    """A constant written into the statement: bound, each would be one more
    parameter to convert on every search."""
    assert value.isalpha()
    return literal_column(f"'{value}'", String)


def _number(value: int) -> ColumnElement[Any]:
    return literal_column(str(int(value)), Integer)


def _text(name: str, q: Query | None, value: str | None) -> Any:
    """The query text: written in when ``q`` is given, else a parameter."""
    if q is None:
        return bindparam(name, type_=String)
    return bindparam(name, value, String)


def _matches(
    dialect: str,
    kind: str,
    q: Query | None,
    *,
    subject: bool = False,
    join: bool = True,
    fts: str | None = None,
) -> tuple[Any, list[Any], ColumnElement[Any], ColumnElement[Any]]:
    """(FROM clause, conditions, id, newest-first order) of ``kind``'s matches.

    ``subject``: interactions whose subject matches. ``join=False``: the
    caller needs no column of the kind's table, SQLite answers from the
    index alone. ``fts``: the FTS5 expression to use instead of ``q.fts``.
    """
    model = MODELS[kind]
    conds: list[Any]
    ident: Any
    if dialect == "sqlite":
        fts = _text("search_fts", q, (fts or q.fts) if q else None)
        if subject:
            index = table("search_index_subjects", column("rowid", Integer))
            match = literal_column("search_index_subjects").op("MATCH")(fts)
            conds, ident = [match], index.c.rowid
        else:
            # MATCH within the kind's rowid range: FTS5 seeks to it.
            index = table("search_index", column("rowid", Integer))
            base = CODES[kind] * KIND_SPAN
            match = literal_column("search_index").op("MATCH")(fts)
            conds = [
                match,
                index.c.rowid > _number(base),
                index.c.rowid < _number(base + KIND_SPAN),
            ]
            ident = index.c.rowid - _number(base)
        newest = index.c.rowid.desc()
        if not join:
            return index, conds, ident, newest
        return index.join(model, model.id == ident), conds, model.id, newest
    name, value = ("search_tsq_title", q.tsquery_title if q else None)
    if not subject:
        name, value = ("search_tsq", q.tsquery if q else None)
    tsq = func.to_tsquery(literal_column(PG_CONFIG), _text(name, q, value))
    vector: Any = literal_column(f"{model.__tablename__}.search_vector")
    return model, [vector.op("@@")(tsq)], model.id, model.id.desc()


# --- candidates and hits -------------------------------------------------------


def _limit(limit: int | None) -> Any:
    if limit:
        return bindparam("search_limit", limit, Integer)
    return bindparam("search_limit", type_=Integer)


def _candidates(dialect: str, q: Query | None, seen: Seen | None, limit: int | None) -> Any:
    """(kind, id, rank, point_id) of the newest ``limit`` visible matches of
    each kind and tier: together they hold the top ``limit`` of the ranking.

    A client, lead or contact can match by its name and by its addresses:
    those count once, with one matching address.
    """

    def newest(kind: str, tier: int, *, subject: bool = False) -> Select[Any]:
        visible = [seen.of(kind)] if seen else []
        source, conds, ident, order = _matches(
            dialect, kind, q, subject=subject, join=bool(visible)
        )
        found = (
            select(
                _word(kind).label("kind"),
                ident.label("id"),
                _number(tier * TIER + CODES[kind]).label("rank"),
                cast(null(), Integer).label("point_id"),
            )
            .select_from(source)
            .where(*conds, *visible)
            .order_by(order)
            .limit(_limit(limit))
            .subquery(f"newest_{kind}_{tier}")
        )
        return select(*found.c)

    source, conds, _ident, order = _matches(dialect, "point", q)
    p = ContactPoint
    card = case(
        (p.contact_id.is_not(None), _word("contact")),
        (p.client_id.is_not(None), _word("client")),
        else_=_word("lead"),
    )
    code = case(
        (p.contact_id.is_not(None), _number(CODES["contact"])),
        (p.client_id.is_not(None), _number(CODES["client"])),
        else_=_number(CODES["lead"]),
    )
    points = (
        select(
            card.label("kind"),
            func.coalesce(p.contact_id, p.client_id, p.lead_id).label("id"),
            code.label("rank"),
            p.id.label("point_id"),
        )
        .select_from(source)
        .where(*conds, *([seen.of("point")] if seen else []))
        .order_by(order)
        .limit(_limit(limit))
        .subquery("newest_point")
    )
    found = union_all(
        newest("client", 0),
        newest("lead", 0),
        newest("contact", 0),
        select(*points.c),
        newest("deal", 0),
        newest("interaction", 0, subject=True),
        newest("note", 1),
        newest("interaction", 1),
    ).subquery("search_found")
    return (
        select(
            found.c.kind,
            found.c.id,
            func.min(found.c.rank).label("rank"),
            func.max(found.c.point_id).label("point_id"),
        )
        .group_by(found.c.kind, found.c.id)
        .subquery("search_candidates")
    )


def _details(top: Any) -> Select[Any]:
    """The top hits with what a result row shows, best first."""
    point = aliased(ContactPoint, name="hit_point")
    pc = aliased(Client, name="hit_client")
    pl = aliased(Lead, name="hit_lead")
    text_null = cast(null(), String)
    int_null = cast(null(), Integer)

    def cols(kind: str, **given: Any) -> list[Any]:
        return [
            top.c.kind,
            top.c.id,
            top.c.rank,
            given["title"].label("title"),
            given.get("text", text_null).label("text"),
            given.get("type", text_null).label("type"),
            given.get("at", cast(null(), UTCDateTime())).label("at"),
            given.get("client_id", int_null).label("client_id"),
            given.get("lead_id", int_null).label("lead_id"),
            given.get("deal_id", int_null).label("deal_id"),
            given.get("contact_id", int_null).label("contact_id"),
            given.get("party", text_null).label("party_name"),
            (point.raw if kind in ("client", "lead", "contact") else text_null).label("point"),
        ]

    def on(kind: str, model: Any) -> ColumnElement[bool]:
        return and_(top.c.kind == _word(kind), model.id == top.c.id)

    def card(kind: str, model: Any, **given: Any) -> Select[Any]:
        return (
            select(*cols(kind, **given))
            .select_from(top.join(model, on(kind, model)))
            .outerjoin(point, point.id == top.c.point_id)
        )

    def on_party(kind: str, model: Any, **given: Any) -> Select[Any]:
        return (
            select(*cols(kind, party=func.coalesce(pc.name, pl.name), **given))
            .select_from(top.join(model, on(kind, model)))
            .outerjoin(pc, pc.id == model.client_id)
            .outerjoin(pl, pl.id == model.lead_id)
        )

    branches = [
        card("client", Client, title=Client.name, client_id=Client.id, party=Client.name),
        card("lead", Lead, title=Lead.name, text=Lead.company, lead_id=Lead.id, party=Lead.name),
        card(
            "contact",
            Contact,
            title=Contact.full_name,
            text=Contact.position,
            client_id=Contact.client_id,
            lead_id=Contact.lead_id,
            contact_id=Contact.id,
            party=func.coalesce(pc.name, pl.name),
        )
        .outerjoin(pc, pc.id == Contact.client_id)
        .outerjoin(pl, pl.id == Contact.lead_id),
        on_party(
            "deal",
            Deal,
            title=Deal.title,
            client_id=Deal.client_id,
            lead_id=Deal.lead_id,
            deal_id=Deal.id,
        ),
        on_party(
            "note",
            Note,
            title=text_null,
            text=Note.body,
            at=Note.created_at,
            client_id=Note.client_id,
            lead_id=Note.lead_id,
            deal_id=Note.deal_id,
            contact_id=Note.contact_id,
        ),
        on_party(
            "interaction",
            Interaction,
            title=Interaction.subject,
            text=Interaction.body,
            type=Interaction.type,
            at=Interaction.start_utc,
            client_id=Interaction.client_id,
            lead_id=Interaction.lead_id,
            deal_id=Interaction.deal_id,
        ),
    ]
    merged = union_all(*branches).subquery("search_hits")
    return select(merged).order_by(merged.c.rank, merged.c.kind, merged.c.id.desc())


def statement(
    dialect: str,
    q: Query | None,
    seen: Seen | None,
    limit: int | None,
) -> Select[Any]:
    """The search: ``seen`` None for a user who sees every record; ``q`` and
    ``limit`` None: given at execution (``search_fts`` or ``search_tsq`` and
    ``search_tsq_title``, ``search_limit``)."""
    check_dialect(dialect)
    found = _candidates(dialect, q, seen, limit)
    top = (
        select(found)
        .order_by(found.c.rank, found.c.kind, found.c.id.desc())
        .limit(_limit(limit))
        .cte("search_top")
    )
    return _details(top)


def ids_matching(dialect: str, kind: str, q: Query, fts: str | None = None) -> Any:
    """Ids of clients, leads or contacts whose name or own address/number
    matches: the text filter of ``services.parties.lists``. ``fts``: the
    FTS5 expression to use instead of ``q.fts`` (``search.fts_for``)."""
    if kind not in ("client", "lead", "contact"):
        raise ValueError(kind)
    check_dialect(dialect)
    source, conds, ident, _order = _matches(dialect, kind, q, join=False, fts=fts)
    # correlate(None): the caller filters the same table with ``IN (this)``.
    own = select(ident).select_from(source).where(*conds).correlate(None)
    owner_col = getattr(ContactPoint, f"{kind}_id")
    source, conds, _ident, _order = _matches(dialect, "point", q, fts=fts)
    points = (
        select(owner_col).select_from(source).where(*conds, owner_col.is_not(None)).correlate(None)
    )
    return union(own, points)
