"""The feed of a client, lead, contact or deal (SPEC B4-B6).

Two sections: planned items first, soonest first; then done and cancelled
interactions, notes, finished tasks and card changes in time order (newest
first unless ``oldest_first``). Filters narrow only the second section:
planned items always show (B5). Paging is by keyset, never OFFSET, so page
500 of a 50k-interaction client costs what page 1 costs; the SQL lives in
``feed_queries``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

from models import Contact, folding
from services.core import history, prepared, settings
from services.core.access import Actor
from services.core.errors import NotFoundError, ValidationError
from services.core.prepared import utc
from services.core.storage import UnitOfWork
from services.core.views import FeedItem, FeedPage
from services.feed import item_details, page_items
from services.feed.page_items import AT as _AT
from services.feed.page_items import ID as _ID
from services.feed.page_items import RANK as _RANK
from services.feed.page_items import merged as _merged
from services.feed.queries import (
    NON_INTERACTION_TYPES,
    PARTY_READ,
    Shape,
    like_pattern,
    statement,
)
from services.parties import deals
from services.parties import records as parties

DEFAULT_PAGE = 50
MAX_PAGE = 500


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


_NO_FILTER = FeedFilter()


@dataclasses.dataclass(frozen=True)
class _Cursor:
    section: str  # "p" planned, "h" history
    t: dt.datetime | None = None
    rank: int = 0
    id: int = 0

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
            rank = int(parts[2])
            if parts[0] == "p" and rank == 1:  # a planned task's rank before issue #16
                rank = 2
            return cls(parts[0], t, rank, int(parts[3]))
        except (ValueError, IndexError) as exc:
            raise ValidationError(
                f"Not a feed cursor: {text!r}",
                code="feed.pages.not_feed_cursor",
                params={"text": repr(text)},
            ) from exc


_START, _HISTORY = _Cursor("p"), _Cursor("h")


def _scope_key(scope: FeedScope) -> tuple[str, int]:
    for name in ("client", "lead", "deal", "contact"):
        value = getattr(scope, f"{name}_id")
        if value is not None:
            return name, value
    raise ValidationError(
        "A feed is of exactly one client, lead, contact or deal",
        code="feed.pages.feed_exactly_one_client",
    )


def _history_shape(base: Shape, flt: FeedFilter) -> tuple[Shape, dict[str, Any]]:
    unset = flt.owner_id is None and flt.since is None and flt.until is None
    if unset and not flt.types and not flt.text:  # the usual page: its shape made once (#16)
        return _unfiltered_shape(base), {}
    return _filtered_shape(base, flt)


@functools.lru_cache(maxsize=256)
def _unfiltered_shape(base: Shape) -> Shape:
    return _filtered_shape(base, FeedFilter())[0]


def _filtered_shape(base: Shape, flt: FeedFilter) -> tuple[Shape, dict[str, Any]]:
    wanted = set(flt.types)
    itypes = tuple(t for t in flt.types if t not in NON_INTERACTION_TYPES)
    text = folding.fold(flt.text) if flt.text else ""
    shape = dataclasses.replace(
        base,
        interactions=not wanted or bool(itypes),
        interaction_types=bool(itypes),
        notes=not wanted or "note" in wanted,
        tasks=not wanted or "task" in wanted,
        changes=not wanted or "change" in wanted,
        owner=flt.owner_id is not None,
        since=flt.since is not None,
        until=flt.until is not None,
        text=bool(text),
    )
    params: dict[str, Any] = {}
    if itypes:
        params["itypes"] = list(itypes)
    if flt.owner_id is not None:
        params["owner_id"] = flt.owner_id
    if flt.since is not None:
        params["since"] = flt.since
    if flt.until is not None:
        params["until"] = flt.until
    if text:
        params["text_like"] = like_pattern(text)
    return shape, params


def _fetch(
    uow: UnitOfWork,
    scope: tuple[str, int],
    section: str,
    cursor: _Cursor,
    flt: FeedFilter,
    limit: int,
    detail: bool = True,
) -> list[Any]:
    ascending = section == "p" or flt.oldest_first
    rank = cursor.rank if cursor.t is not None else None
    params: dict[str, Any] = {"scope_id": scope[1], "lim": limit + 1}
    if cursor.t is not None:
        params["cur_t"] = cursor.t
        params["cur_id"] = cursor.id
    if section == "p" or _unfiltered(flt):  # the usual page: no Shape made or hashed (#16)
        key = (uow.dialect.name, scope[0], section, ascending, rank, detail)
        compiled = _usual.get(key)
        if compiled is None:
            compiled = _usual[key] = _prepared(uow, _usual_shape(*key[1:]))
        found = compiled.raw_rows(uow, params)
        return _merged(found) if detail else found
    shape = Shape(
        scope=scope[0], section=section, ascending=ascending, cursor_rank=rank, detail=detail
    )
    if section == "h":
        shape, extra = _history_shape(shape, flt)
        params |= extra
    if shape.interaction_types:  # an expanding IN: through SQLAlchemy
        return _merged(list(uow.session.connection().execute(statement(shape), params)))
    return _merged(_prepared(uow, shape).raw_rows(uow, params))


def _unfiltered(flt: FeedFilter) -> bool:
    return not (
        flt.types
        or flt.text
        or flt.owner_id is not None
        or flt.since is not None
        or flt.until is not None
    )


def _prepared(uow: UnitOfWork, shape: Shape) -> prepared.Prepared:
    return prepared.prepared(prepared.dialect_of(uow), shape, lambda: statement(shape))


def _usual_shape(
    scope: str, section: str, ascending: bool, rank: int | None, detail: bool
) -> Shape:
    shape = Shape(
        scope=scope, section=section, ascending=ascending, cursor_rank=rank, detail=detail
    )
    return shape if section == "p" else _unfiltered_shape(shape)


#: The prepared statement of an unfiltered page by (dialect, scope, section,
#: ascending, cursor rank, detail): at most 2 x 4 x 8 x 5 x 2 entries.
_usual: dict[tuple[str, str, str, bool, int | None, bool], prepared.Prepared] = {}


def _resolve_scope(uow: UnitOfWork, actor: Actor, scope: FeedScope) -> tuple[str, int]:
    given = [x for x in (scope.client_id, scope.lead_id, scope.contact_id, scope.deal_id) if x]
    if len(given) != 1:
        raise ValidationError(
            "A feed is of exactly one client, lead, contact or deal",
            code="feed.pages.feed_exactly_one_client",
        )
    if scope.client_id is not None:
        parties.check_visible(uow, actor, "client", scope.client_id)
    elif scope.lead_id is not None:
        parties.check_visible(uow, actor, "lead", scope.lead_id)
    elif scope.contact_id is not None:
        # Only the contact's party is needed here, not its addresses and numbers.
        contact = uow.session.get(Contact, scope.contact_id)
        if contact is None:
            raise NotFoundError("Contact", scope.contact_id)
        if contact.client_id is not None:
            parties.check_visible(uow, actor, "client", contact.client_id)
        elif contact.lead_id is not None:
            parties.check_visible(uow, actor, "lead", contact.lead_id)
    else:
        assert scope.deal_id is not None
        deal = deals.visible_deal(uow, actor, scope.deal_id)
        if scope.whole_history:
            return _scope_key(FeedScope(client_id=deal.client_id, lead_id=deal.lead_id))
    return _scope_key(scope)


def _check_types(uow: UnitOfWork, types: tuple[str, ...]) -> None:
    """An unknown type would silently show nothing: say which types exist."""
    if not types:
        return
    from services.interactions.interaction_input import known_types

    allowed = [*known_types(uow), *NON_INTERACTION_TYPES]
    unknown = [t for t in types if t not in allowed]
    if unknown:
        raise ValidationError(
            f"Unknown feed type {unknown[0]!r}; use one of {', '.join(allowed)}",
            "types",
            code="feed.pages.unknown_feed_type_use",
            params={"unknown": repr(unknown[0]), "allowed": str(", ".join(allowed))},
        )


def page(
    uow: UnitOfWork,
    actor: Actor,
    scope: FeedScope,
    flt: FeedFilter | None = None,
    cursor: str | None = None,
    limit: int = DEFAULT_PAGE,
    zone_name: str | None = None,
    *,
    detail: bool = True,
) -> FeedPage:
    """One page of the feed; pass ``next_cursor`` back for the next page.

    ``zone_name`` is the display zone (read from the settings when absent).
    ``detail=False`` reads what a card's feed row shows and leaves out what
    it never does: an interaction's direction, duration and who took part
    (None, None, ()) and, in a contact's or deal's feed, its client and lead
    (None); opening an item reads the interaction whole. A page's SQL
    then skips the contacts join and four columns (issue #16).
    """
    flt = flt or _NO_FILTER
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError(
            f"Page size must be between 1 and {MAX_PAGE}",
            code="feed.pages.page_size_must_between",
            params={"max_page": str(MAX_PAGE)},
        )
    _check_types(uow, flt.types)
    key = _resolve_scope(uow, actor, scope)
    zone_name = zone_name or settings.display_zone(uow)
    pos = _Cursor.decode(cursor) if cursor else _START
    rows, next_cursor = _rows(uow, key, pos, flt, limit, detail)
    return FeedPage(_items(uow, rows, zone_name, key, detail), next_cursor)


def _rows(
    uow: UnitOfWork,
    key: tuple[str, int],
    pos: _Cursor,
    flt: FeedFilter,
    limit: int,
    detail: bool = True,
) -> tuple[list[Any], str | None]:
    """The page's rows and the cursor after them (None: the feed ends)."""
    rows: list[Any] = []
    if pos.section == "p":
        rows = _fetch(uow, key, "p", pos, flt, limit, detail)
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            return rows, _after("p", last)
        if flt.upcoming_only:
            return rows, None
        pos = _HISTORY
    room = limit - len(rows)
    if room == 0:
        return rows, "h"
    history = _fetch(uow, key, "h", pos, flt, room, detail)
    next_cursor: str | None = None
    if len(history) > room:
        history = history[:room]
        last = history[-1]
        next_cursor = _after("h", last)
    return rows + history, next_cursor


def _after(section: str, row: Any) -> str:
    """The cursor after ``row`` as ``_Cursor.decode`` reads it, written
    without a ``_Cursor`` made (issue #16)."""
    return f"{section}|{utc(row[_AT]).isoformat()}|{row[_RANK]}|{row[_ID]}"


def _items(
    uow: UnitOfWork,
    rows: list[Any],
    zone_name: str,
    scope: tuple[str, int],
    detail: bool = True,
) -> tuple[FeedItem, ...]:
    kind, ident = scope
    party: tuple[int | None, int | None] | None = None  # read with the detail
    if kind not in PARTY_READ:  # a client's or lead's feed: the scope says whose
        party = (ident, None) if kind == "client" else (None, ident)
    elif not detail:
        party = (None, None)
    items, changes, steps = page_items.items(rows, page_items.zone(zone_name), party)
    if steps:  # a scenario step on the page: its run's name
        items = list(item_details.with_scenarios(uow, items))
    if changes:  # card changes: names for the ids they hold
        return history.readable_feed_changes(uow, items)
    return tuple(items)
