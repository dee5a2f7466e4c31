"""Frozen dataclasses that the UI and the CLI receive: never ORM objects.

``to_json`` turns any of them into the stable JSON of the CLI contract.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any


@dataclasses.dataclass(frozen=True)
class UserView:
    id: int
    login: str
    full_name: str
    role: str | None
    permissions: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class ContactPointView:
    id: int
    kind: str
    raw: str
    normalized: str
    label: str | None


@dataclasses.dataclass(frozen=True)
class ContactView:
    id: int
    uid: str
    full_name: str
    position: str | None
    client_id: int | None
    lead_id: int | None
    points: tuple[ContactPointView, ...] = ()


@dataclasses.dataclass(frozen=True)
class ClientView:
    """A client or a lead card header (``kind`` says which)."""

    id: int
    uid: str
    kind: str
    name: str
    owner_id: int
    owner_name: str
    region: str | None
    timezone: str | None
    address: str | None = None
    points: tuple[ContactPointView, ...] = ()
    contacts: tuple[ContactView, ...] = ()
    custom: dict[str, str] = dataclasses.field(default_factory=dict)
    local_time: dt.datetime | None = None
    company: str | None = None


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

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclasses.dataclass(frozen=True)
class FeedPage:
    items: tuple[FeedItem, ...]
    next_cursor: str | None


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def to_json(value: Any) -> Any:
    """JSON-ready structure: datetimes ISO 8601 with offset, decimals as strings."""
    return _plain(value)
