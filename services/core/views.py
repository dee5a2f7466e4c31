"""Frozen dataclasses that the UI and the CLI receive: never ORM objects.

``to_json`` turns any of them into the stable JSON of the CLI contract.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# Split out so that a CLI call loads only the views it prints (issue #16);
# every name stays importable from here.
from services.core.party_views import ClientView as ClientView
from services.core.party_views import ContactPointView as ContactPointView
from services.core.party_views import ContactView as ContactView
from services.core.party_views import UserView as UserView
from services.core.view_json import to_json as to_json


@dataclasses.dataclass(frozen=True)
class DealView:
    id: int
    uid: str
    title: str
    pipeline_id: int
    pipeline: str
    stage_id: int
    stage: str
    owner_id: int
    client_id: int | None
    lead_id: int | None
    amount: Decimal | None
    currency: str
    active: bool
    archived: bool = False
    row_version: int = 0  # what an edit saves against


@dataclasses.dataclass(frozen=True)
class InteractionView:
    id: int
    uid: str
    type: str
    direction: str
    state: str
    start: dt.datetime  # aware, in the interaction's own zone
    start_tz: str
    duration_min: int | None
    owner_id: int
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_ids: tuple[int, ...]
    subject: str | None
    body: str | None
    row_version: int
    #: The interaction planned by the same call (done/cancel with a next step).
    next_id: int | None = None


@dataclasses.dataclass(frozen=True)
class ScenarioStepTag:
    """Which scenario run and step a planned interaction is, in parts, so the
    desktop words it in the user's language ("«New client», step 2 of 5")
    and says a failed step's error; the feed and My agenda carry it."""

    run_id: int
    scenario: str
    position: int
    steps: int
    run_state: str  # active | paused | stopped | cancelled | done
    step_state: str
    last_error: str

    @property
    def label(self) -> str:
        """The English label the CLI's feed has always shown."""
        return f"«{self.scenario}», step {self.position} of {self.steps}"


@dataclasses.dataclass(frozen=True)
class FeedItem:
    """One row of a feed: an interaction, a note, a task or a card change.

    ``id`` is the id within its ``kind``; ``key`` is unique across kinds.
    """

    kind: str  # interaction | note | task | change
    id: int
    type: str  # interaction type code, or "note" / "task" / "change"
    state: str  # planned | done | cancelled
    start: dt.datetime
    owner_id: int | None
    title: str
    text: str | None
    deal_id: int | None
    # An interaction imported from a letter or call ("email" | "call"): it
    # can say why it is here and be unlinked. None: entered in Touchpoint.
    source: str | None = None
    # Interactions only: whose it is and who took part (None / () otherwise).
    client_id: int | None = None
    lead_id: int | None = None
    direction: str | None = None
    duration_min: int | None = None
    contact_ids: tuple[int, ...] = ()
    # A step of a scenario run: "«Name», step 2 of 5" and the run's id.
    scenario: str | None = None
    scenario_run_id: int | None = None
    # The same step in parts (None when the item is no step of a run).
    scenario_step: ScenarioStepTag | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def of(cls, *values: Any) -> FeedItem:
        """An item from its first values in field order (the rest keep their
        defaults), without the frozen ``__init__`` (a field at a time through
        ``object.__setattr__``): a feed page builds hundreds of these and
        this was a third of its time (issue #16)."""
        if len(values) > len(_FEED_ITEM_FIELDS):
            raise TypeError(f"FeedItem has {len(_FEED_ITEM_FIELDS)} fields, not {len(values)}")
        item = object.__new__(cls)
        fields = item.__dict__
        fields.update(_FEED_ITEM_DEFAULTS)
        fields.update(zip(_FEED_ITEM_FIELDS, values, strict=False))
        if len(fields) < len(_FEED_ITEM_FIELDS):
            raise TypeError("FeedItem.of needs every field without a default")
        return item

    @classmethod
    def made(cls, fields: dict[str, Any]) -> FeedItem:
        """An item whose ``__dict__`` is ``fields``, which must name every
        field without a default and may leave out those with one (the class
        answers for them, as for any dataclass default): the feed's
        row-to-item step (``services.feed.page_items``) writes them as one
        dict display, half the cost of ``of`` (issue #16)."""
        if not _FEED_ITEM_REQUIRED <= fields.keys() <= _FEED_ITEM_NAMES:
            raise TypeError(f"Not a FeedItem's fields: {sorted(fields)}")
        item = object.__new__(cls)
        object.__setattr__(item, "__dict__", fields)
        return item

    @classmethod
    def made_all(cls, many: Iterable[dict[str, Any]]) -> list[FeedItem]:
        """``made`` for a page of items in one loop, without a method call
        and its look-ups per item (issue #16: a tenth of a page's time).
        Checked by count only (every field without a default, at most every
        field): the feed's two dict displays are the callers, and checking
        each dict's keys was a tenth of the items' time again."""
        least, most = len(_FEED_ITEM_REQUIRED), len(_FEED_ITEM_FIELDS)
        new, set_attr = object.__new__, object.__setattr__
        items = []
        for fields in many:
            if not least <= len(fields) <= most:
                raise TypeError(f"Not a FeedItem's fields: {sorted(fields)}")
            item = new(cls)
            set_attr(item, "__dict__", fields)
            items.append(item)
        return items


_FEED_ITEM_FIELDS = tuple(f.name for f in dataclasses.fields(FeedItem))
_FEED_ITEM_DEFAULTS = {
    f.name: f.default for f in dataclasses.fields(FeedItem) if f.default is not dataclasses.MISSING
}
_FEED_ITEM_NAMES = frozenset(_FEED_ITEM_FIELDS)
_FEED_ITEM_REQUIRED = _FEED_ITEM_NAMES - _FEED_ITEM_DEFAULTS.keys()


@dataclasses.dataclass(frozen=True)
class FeedPage:
    items: tuple[FeedItem, ...]
    next_cursor: str | None


# --- My agenda (services.interactions.agenda) --------------------------------------------


@dataclasses.dataclass(frozen=True)
class AgendaItem:
    """A planned interaction or an open task of the agenda's owner."""

    kind: str  # interaction | task
    id: int
    type: str  # interaction type code, or "task"
    subject: str | None  # the interaction's subject, or the task's title
    # Aware, in the interaction's own zone (a task: the display zone);
    # None for a task without a deadline (always in "later").
    start: dt.datetime | None
    client_id: int | None
    lead_id: int | None
    party_name: str | None  # the client's or lead's name
    deal_id: int | None
    deal_title: str | None
    # The scenario run and step a planned interaction is (None: no step).
    scenario_step: ScenarioStepTag | None = None

    @property
    def party_kind(self) -> str | None:
        if self.client_id is not None:
            return "client"
        return "lead" if self.lead_id is not None else None

    @property
    def party_id(self) -> int | None:
        return self.client_id if self.client_id is not None else self.lead_id


@dataclasses.dataclass(frozen=True)
class AgendaSection:
    items: tuple[AgendaItem, ...]
    total: int  # all items of the section; more than len(items) when cut at the limit


@dataclasses.dataclass(frozen=True)
class MentionItem:
    """A note that @mentions the agenda's owner."""

    note_id: int
    author_id: int
    author_name: str
    at: dt.datetime  # when it was written, in the display zone
    text: str  # the first 500 characters
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None
    party_name: str | None


@dataclasses.dataclass(frozen=True)
class Agenda:
    owner_id: int
    zone: str  # the display zone the sections were cut in
    day: dt.date  # "today" in that zone
    overdue: AgendaSection  # planned before now, oldest first
    today: AgendaSection  # from now to midnight
    this_week: AgendaSection  # tomorrow to the end of Sunday
    later: AgendaSection  # after this week; tasks without a deadline last
    mentions: tuple[MentionItem, ...]  # last 30 days, newest first


# --- Card indicators (services.feed.indicators) ----------------------------------


@dataclasses.dataclass(frozen=True)
class IndicatorInteraction:
    id: int
    type: str
    subject: str | None
    start: dt.datetime  # aware, in the interaction's own zone


@dataclasses.dataclass(frozen=True)
class Money:
    currency: str
    amount: Decimal


@dataclasses.dataclass(frozen=True)
class MonthCount:
    month: dt.date  # the first day of the month, in the display zone
    count: int


@dataclasses.dataclass(frozen=True)
class Indicators:
    kind: str  # client | lead | contact
    object_id: int
    last_contact: IndicatorInteraction | None  # the latest done interaction
    next_planned: IndicatorInteraction | None  # the earliest planned one (may be overdue)
    next_overdue: bool  # next_planned is before now
    open_deals: int  # active deals the actor may see
    open_amounts: tuple[Money, ...]  # their sum per currency, by currency code
    months: tuple[MonthCount, ...]  # done interactions, 12 months, oldest first


# --- Deals board (services.parties.board) -------------------------------------------


@dataclasses.dataclass(frozen=True)
class PipelineRef:
    id: int
    name: str
    requires_planned: bool


@dataclasses.dataclass(frozen=True)
class BoardDeal:
    id: int
    title: str
    pipeline_id: int
    stage_id: int
    stage: str
    client_id: int | None
    lead_id: int | None
    party_name: str | None  # the client's or lead's name
    amount: Decimal | None
    currency: str
    owner_id: int
    owner_name: str
    active: bool
    next_planned: dt.datetime | None  # the earliest planned interaction, display zone


@dataclasses.dataclass(frozen=True)
class BoardColumn:
    stage_id: int
    name: str
    position: int
    outcome: str | None  # won | lost | None
    deals: tuple[BoardDeal, ...]  # most recently changed first, at most the cap
    total: int  # all deals in the stage the actor may see


@dataclasses.dataclass(frozen=True)
class Board:
    pipelines: tuple[PipelineRef, ...]
    pipeline_id: int | None  # the one shown; None when there is no pipeline
    columns: tuple[BoardColumn, ...]  # its stages in order


# A deal as a picker or a Deals tab lists it: the card's own deal (DealView)
# or one row of its client's deals (BoardDeal); both have id, title, stage,
# amount, currency, active, client_id and lead_id.
DealRow = DealView | BoardDeal


# --- Big lists (services.parties.lists) ---------------------------------------------


@dataclasses.dataclass(frozen=True)
class ListRow:
    kind: str  # client | lead | contact
    id: int
    name: str
    owner_id: int
    owner_name: str
    phone: str | None  # the first phone as typed
    email: str | None  # the first email
    region: str | None  # a contact: its client's or lead's
    company: str | None  # a lead: its company; a contact: its client's or lead's name
    address: str | None  # clients only
    position: str | None  # contacts only
    client_id: int | None  # a client: itself; a contact: its client
    lead_id: int | None  # a lead: itself; a contact: its lead
    # The first phone's E.164 (the same phone as ``phone``): the list shows
    # every number in one format, whatever way it was typed
    phone_number: str | None = None


@dataclasses.dataclass(frozen=True)
class ListKey:
    """Where a page ends: pass ``ListPage.next`` back as ``after``."""

    sort: str  # name | id
    descending: bool
    name: str | None
    id: int


@dataclasses.dataclass(frozen=True)
class ListPage:
    rows: tuple[ListRow, ...]
    next: ListKey | None  # None: this was the last page


# --- Global search (services.feed.search) ----------------------------------------


@dataclasses.dataclass(frozen=True)
class SearchHit:
    """One thing found; open it by ``kind``/``id`` (or its client/lead/deal)."""

    kind: str  # client | lead | contact | deal | note | interaction
    id: int
    title: str  # name, deal title, subject, or a note's first line
    snippet: str  # the matching email/phone, or text around the first match
    client_id: int | None
    lead_id: int | None
    deal_id: int | None
    contact_id: int | None
    party_name: str | None  # the client's or lead's name
    type: str | None  # the interaction type
    at: dt.datetime | None  # an interaction's start / a note's time, display zone
