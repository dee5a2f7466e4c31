"""A card's change history as a person reads it: who, when, old → new;
and a task's or a note's, read by whoever sees the card it is on (a removed
one's by the card it was removed from: its history outlives it), a task's
also by whoever sees the task (its assignee).

The audit stores raw column values (ids, ``true``); a manager wants the
stage, the owner and the client by name, so the ids of the known references
are resolved here, at read time, in one query per referenced table. A name
that was later renamed shows as it is now: the id is what was stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select

from models import AuditEntry, Client, Contact, Deal, Lead, Note, Pipeline, Stage, Task, User
from services.core import access
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.core.views import FeedItem

KINDS = ("client", "lead", "contact", "deal", "task", "note")
ON_A_CARD = ("task", "note")  # read by who sees their card
MAX_ENTRIES = 2000  # a card's history, newest first; older entries stay stored

# Columns holding the id of another record, and the query naming those ids.
_REFERENCES: dict[str, tuple[type, str]] = {
    "owner_id": (User, "full_name"),
    "assignee_id": (User, "full_name"),
    "author_id": (User, "full_name"),
    "user_id": (User, "full_name"),
    "stage_id": (Stage, "name"),
    "pipeline_id": (Pipeline, "name"),
    "client_id": (Client, "name"),
    "deal_id": (Deal, "title"),
    "lead_id": (Lead, "name"),
    "contact_id": (Contact, "full_name"),
}
_MODELS: dict[str, type] = {
    "client": Client,
    "lead": Lead,
    "contact": Contact,
    "deal": Deal,
    "task": Task,
    "note": Note,
}
_BOOLEANS = {"True": "yes", "False": "no", "true": "yes", "false": "no"}


class NotOnThisLaptop(NotFoundError):
    """A note or task a laptop replica does not hold: most likely removed on
    the team server (a pulled removal leaves no line here: the server's
    audit does not travel), or an id never used here. Its history is on the
    server; the laptop cannot tell which, so it says both."""

    code = "core.history.not_on_this_laptop"

    def __init__(self, kind: str, ident: object) -> None:
        super().__init__(kind, ident)
        self.args = (
            f"{kind} {ident} is not on this laptop: it was removed on the team server or was "
            "never here; its history is on the team server",
        )


@dataclasses.dataclass(frozen=True)
class HistoryEntry:
    """One changed field; ``old``/``new`` are readable, ``*_raw`` as stored."""

    id: int
    at: dt.datetime
    user: str | None  # the colleague's name; None for the system (imports, jobs)
    field: str  # "created", a column without its "_id", or "custom.CODE"
    old: str | None
    new: str | None
    old_raw: str | None
    new_raw: str | None


def _field_name(field: str) -> str:
    return field[:-3] if field in _REFERENCES else field


def _names(uow: UnitOfWork, column: str, ids: Iterable[str | None]) -> dict[str, str]:
    model, attr = _REFERENCES[column]
    wanted = {int(i) for i in ids if i is not None and i.isdigit()}
    if not wanted:
        return {}
    key, label = model.id, getattr(model, attr)  # type: ignore[attr-defined]
    rows = uow.session.execute(select(key, label).where(key.in_(wanted)))
    return {str(row[0]): str(row[1]) for row in rows}


def _lifetime(uow: UnitOfWork, kind: str, record_id: int) -> tuple[str, int, int, int | None]:
    """The card a task or a note is on (a deal's or a contact's before its
    party's), or was on when it was removed, and the audit ids of its own
    entries (``low < id <= high``). SQLite gives a removed record's id to the
    next one made when it was the newest: an id's history is its current
    record's, from its "created" line, or else the last removed one's, from
    its "created" line to its "removed" one, never a predecessor's from
    another card (a replica removes a record the server removed without a
    "removed" line, so the lines that start a record bound it)."""
    model: Any = _MODELS[kind]
    marks = uow.session.execute(
        select(AuditEntry.id, AuditEntry.field)
        .where(
            AuditEntry.entity_kind == kind,
            AuditEntry.entity_id == record_id,
            AuditEntry.field.in_(("created", "removed")),
        )
        .order_by(AuditEntry.id.desc())
    ).all()
    created = [m.id for m in marks if m.field == "created"]
    removed = [m.id for m in marks if m.field == "removed"]
    row: Any = uow.session.execute(
        select(model.deal_id, model.contact_id, model.client_id, model.lead_id).where(
            model.id == record_id
        )
    ).first()
    if row is not None:
        low, high = (created[0] - 1 if created else removed[0] if removed else 0), None
    elif removed:
        high = removed[0]
        low = next((c - 1 for c in created if c < high), 0)
        row = uow.session.execute(
            select(
                AuditEntry.deal_id, AuditEntry.contact_id, AuditEntry.client_id, AuditEntry.lead_id
            ).where(AuditEntry.id == high)
        ).one()
    else:
        raise _not_here(uow, kind, record_id)
    for card, card_id in zip(("deal", "contact", "client", "lead"), row, strict=True):
        if card_id is not None:
            return card, card_id, low, high
    raise NotFoundError(kind.capitalize(), record_id)


def _not_here(uow: UnitOfWork, kind: str, record_id: int) -> NotFoundError:
    from services.sync.log import is_replica  # the sync's state, on demand

    if is_replica(uow.session):
        return NotOnThisLaptop(kind.capitalize(), record_id)
    return NotFoundError(kind.capitalize(), record_id)


def _check(
    uow: UnitOfWork, actor: access.Actor, kind: str, record_id: int
) -> tuple[int, int | None]:
    """Refuse who may not read it; the audit ids of its entries."""
    if kind not in ON_A_CARD:
        if uow.session.get(_MODELS[kind], record_id) is None:
            raise NotFoundError(kind.capitalize(), record_id)
        access.check(uow, actor, kind, record_id)
        return 0, None
    card, card_id, low, high = _lifetime(uow, kind, record_id)
    if kind == "task" and high is None and access.may_see(uow, actor, kind, record_id):
        # A task's assignee (or their deputy) sees and completes it without
        # its card (on a team database its card is not even seen): they read
        # its history too while it is there (migration 0050's policy).
        return low, high
    try:
        access.check(uow, actor, card, card_id)
    except NotFoundError:  # its card is gone too
        raise NotFoundError(kind.capitalize(), record_id) from None
    return low, high


def history(uow: UnitOfWork, actor: access.Actor, kind: str, record_id: int) -> list[HistoryEntry]:
    """The changes of one client, lead, contact, deal, task or note, newest first."""
    if kind not in KINDS:
        raise ValidationError(
            f"History is kept for {', '.join(KINDS)}, not {kind!r}",
            code="core.history.history_kept_not",
            params={"kinds": str(", ".join(KINDS)), "kind": repr(kind)},
        )
    low, high = _check(uow, actor, kind, record_id)
    query = select(AuditEntry).where(
        AuditEntry.entity_kind == kind, AuditEntry.entity_id == record_id, AuditEntry.id > low
    )
    if high is not None:
        query = query.where(AuditEntry.id <= high)
    rows = uow.session.scalars(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(MAX_ENTRIES)
    ).all()
    names: dict[str, dict[str, str]] = {}
    for column in _REFERENCES:
        values = [v for r in rows if r.field == column for v in (r.old, r.new)]
        names[column] = _names(uow, column, values)
    users = _names(uow, "user_id", [str(r.user_id) for r in rows if r.user_id is not None])

    def readable(field: str, value: str | None) -> str | None:
        if value is None:
            return None
        if field in names:
            return names[field].get(value, f"#{value}")
        return _BOOLEANS.get(value, value)

    return [
        HistoryEntry(
            id=r.id,
            at=r.at,
            user=users.get(str(r.user_id)) if r.user_id is not None else None,
            field=_field_name(r.field),
            old=readable(r.field, r.old),
            new=readable(r.field, r.new),
            old_raw=r.old,
            new_raw=r.new,
        )
        for r in rows
    ]


def readable_feed_changes(uow: UnitOfWork, items: Sequence[FeedItem]) -> tuple[FeedItem, ...]:
    """Card changes in a feed page with names for ids ("Анна → Борис", not
    "2 → 3"): the history tab of a card reads like ``touchpoint history``."""
    wanted = [
        i.id for i in items if i.kind == "change" and i.title.rpartition(".")[2] in _REFERENCES
    ]
    if not wanted:
        return tuple(items)
    rows = {
        r.id: r
        for r in uow.session.execute(
            select(AuditEntry.id, AuditEntry.field, AuditEntry.old, AuditEntry.new).where(
                AuditEntry.id.in_(wanted)
            )
        )
    }
    names = {
        column: _names(
            uow, column, [v for r in rows.values() if r.field == column for v in (r.old, r.new)]
        )
        for column in {r.field for r in rows.values()}
    }
    out = []
    for item in items:
        row = rows.get(item.id) if item.kind == "change" else None
        if row is not None:
            known = names.get(row.field, {})
            old = known.get(row.old, row.old) if row.old is not None else ""
            new = known.get(row.new, row.new) if row.new is not None else ""
            item = dataclasses.replace(item, text=f"{old} → {new}")
        out.append(item)
    return tuple(out)
