"""Global search (Ctrl+K) and the text filter of the big lists.

The user's text becomes words (``search_text``), the words one statement
(``search_sql``: what ranks first and why), prepared once per dialect and
role (``services.core.prepared``); the query, the actor and the limit are
its parameters. Here: the use case, and the hits a result list shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, String, bindparam, literal_column, select, table

from services.core import prepared, settings, timezones
from services.core.access import Actor, Permission
from services.core.errors import ValidationError
from services.core.storage import UnitOfWork
from services.core.views import SearchHit
from services.feed import search_sql
from services.feed.search_seen import seen_by
from services.feed.search_sql import CODES, KIND_SPAN, ids_matching
from services.feed.search_text import Query, fold, may_be_phone, one_line, parse, snippet

MAX_LIMIT = 200
TITLE = 80
#: Prefix lengths with an FTS5 prefix index of their own (revision 0026).
PREFIX_INDEXED = (2, 3)
#: A longer prefix is spelt out as the indexed words that start with it
#: when there are at most this many (``Query.fts_with``).
MAX_COMPLETIONS = 40


def query_for(uow: UnitOfWork, text: str | None) -> Query | None:
    """``parse`` with the database's default phone region."""
    if not text or not text.strip():
        return None
    if not may_be_phone(text):
        return parse(text)
    return parse(text, settings.get(uow, "default_region"))


def dialect_of(uow: UnitOfWork) -> str:
    return uow.session.get_bind().dialect.name


def _vocabulary() -> Select[Any]:
    terms = table("search_index_terms", literal_column("term"))
    start = bindparam("prefix_from", type_=String)
    stop = bindparam("prefix_to", type_=String)
    limit = bindparam("prefix_limit", type_=Integer)
    return (
        select(literal_column("term"))
        .select_from(terms)
        .where(literal_column("term") >= start, literal_column("term") < stop)
        .limit(limit)
    )


def fts_for(uow: UnitOfWork, q: Query) -> str:
    """The FTS5 expression of ``q`` on this database: a prefix without an
    index of its length spelt out as the words it stands for, if few."""
    word = q.last_word
    if word is None or len(word) in PREFIX_INDEXED or dialect_of(uow) != "sqlite":
        return q.fts
    compiled = prepared.prepared(prepared.dialect_of(uow), ("search", "terms"), _vocabulary)
    values = {
        "prefix_from": word,
        "prefix_to": word + "\U0010ffff",
        "prefix_limit": MAX_COMPLETIONS + 1,
    }
    terms = tuple(str(row[0]) for row in compiled.rows(uow, values))
    if len(terms) > MAX_COMPLETIONS:
        return q.fts
    return q.fts_with(terms)


def matching_ids(uow: UnitOfWork, kind: str, q: Query) -> Any:
    """``ids_matching`` with a long prefix spelt out (``fts_for``): the text
    filter of the big lists."""
    return ids_matching(dialect_of(uow), kind, q, fts_for(uow, q))


class _HitRow(NamedTuple):
    """A row of the statement, read off the cursor."""

    kind: str
    id: int
    rank: int
    title: str | None
    text: str | None
    type: str | None
    at: dt.datetime | None
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None
    party_name: str | None
    point: str | None


def _title(row: _HitRow) -> str:
    if row.title:
        return str(row.title)
    if row.kind == "note" and row.text:
        line = one_line(str(row.text).strip().splitlines()[0] if row.text.strip() else "")
        return line if len(line) <= TITLE else line[: TITLE - 1] + "…"
    return ""


def _hit(row: _HitRow, words: tuple[str, ...], zone: dt.tzinfo) -> SearchHit:
    title = _title(row)
    if row.point:
        text = str(row.point)
    elif row.kind in ("note", "interaction"):
        text = snippet(row.text, words)
    else:  # a lead's company, a contact's position
        text = one_line(row.text or "")
        text = "" if text == title else text
    return _new_hit(
        row.kind,
        int(row.id),
        title,
        text,
        row.client_id,
        row.lead_id,
        row.deal_id,
        row.contact_id,
        row.party_name,
        row.type,
        row.at.astimezone(zone) if row.at is not None else None,
    )


_HIT_FIELDS = tuple(f.name for f in dataclasses.fields(SearchHit))


def _new_hit(*values: Any) -> SearchHit:
    """A hit from its values in field order, without the frozen ``__init__``
    (a field at a time through ``object.__setattr__``: a fifth of the time
    of making a hit, as ``FeedItem.of`` found for the feed, issue #16)."""
    hit = object.__new__(SearchHit)
    hit.__dict__.update(zip(_HIT_FIELDS, values, strict=True))
    return hit


@functools.lru_cache(maxsize=16)
def _zone(name: str) -> dt.tzinfo:
    return timezones.zone(name)


def statement(dialect: str, actor: Actor, q: Query, limit: int) -> Select[Any]:
    """The search of ``q`` for ``actor`` with its values written in (to show
    or explain it); ``search`` runs the same statement, prepared once."""
    seen = None
    if not actor.can(Permission.CLIENTS_VIEW_ALL):
        owners = list(actor.owner_ids) if actor.also_sees else None
        seen = seen_by(actor.id, owners)
    return search_sql.statement(dialect, q, seen, limit)


@functools.lru_cache(maxsize=4)
def _several_owners(dialect: str) -> Select[Any]:
    """The search of a user who sees colleagues' records, built once."""
    return search_sql.statement(dialect, None, seen_by(None, []), None)


def search(
    uow: UnitOfWork,
    actor: Actor,
    text: str,
    *,
    limit: int = 30,
    zone_name: str | None = None,
) -> list[SearchHit]:
    """Clients, leads, contacts, deals, notes and interactions matching
    ``text``, best first (``search_sql``), only those the actor may see.

    A client, lead or contact found by its name and by its email counts once.
    ``zone_name``: the zone of ``SearchHit.at`` (default: the display zone).
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            f"Ask for 1 to {MAX_LIMIT} search results",
            code="feed.search.ask_search_results",
            params={"max_limit": str(MAX_LIMIT)},
        )
    q = query_for(uow, text)
    if q is None:
        return []
    zone = _zone(zone_name or settings.display_zone(uow))
    # One statement per dialect and role, compiled once: building it cost
    # 6-7 ms a search (issue #16); the query and the actor are parameters.
    dialect = prepared.dialect_of(uow)
    search_sql.check_dialect(dialect.name)
    sees_all = actor.can(Permission.CLIENTS_VIEW_ALL)
    values: dict[str, Any] = {"search_limit": limit}
    if dialect.name == "sqlite":
        values["search_fts"] = fts_for(uow, q)
    else:
        values["search_tsq"] = q.tsquery
        values["search_tsq_title"] = q.tsquery_title
    if not sees_all:
        values["search_actor"] = actor.id
    if not sees_all and actor.also_sees:
        # A deputy or a head: the owners they see are one expanding
        # parameter, which ``prepared`` cannot hold; SQLAlchemy caches the
        # compiled statement instead.
        values["search_owners"] = list(actor.owner_ids)
        found = uow.session.execute(_several_owners(dialect.name), values)
        rows = [tuple(row) for row in found]
    else:
        compiled = prepared.prepared(
            dialect,
            ("search", sees_all),
            lambda: search_sql.statement(
                dialect.name, None, None if sees_all else seen_by(None, None), None
            ),
        )
        rows = compiled.rows(uow, values)
    words = q.words
    return [_hit(_HitRow._make(row), words, zone) for row in rows]


__all__ = [
    "CODES",
    "KIND_SPAN",
    "Query",
    "SearchHit",
    "fold",
    "fts_for",
    "ids_matching",
    "matching_ids",
    "parse",
    "query_for",
    "search",
    "snippet",
    "statement",
]
