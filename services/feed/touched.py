"""What a piece of work changed, read back from the database.

Background work (mail sync, the outbox, the linking job) and use cases that
call several services report their ``Changes`` from two cursors taken
before the work: the change history (every card, deal and interaction
change is written there in the same transaction, see
``services.core.audit``) and the highest interaction id (the linking job
inserts interactions in bulk, past the history). Anything another user or
process wrote meanwhile is reported too: an open card should show it as
well, whoever wrote it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute

from models import AuditEntry, Interaction, interaction_contacts
from models.base import utcnow
from services.core.access import Actor
from services.core.changes import CardKey, Changes, Outcome
from services.core.storage import Database, UnitOfWork

T = TypeVar("T")
# More rows than this after a mark (a first sync of a big mailbox): the
# kinds and cards are still reported, ids only up to here.
MAX_ROWS = 50_000
BATCH = 500
CLOCK_SLACK = dt.timedelta(seconds=2)  # writes stamped by another process's clock


@dataclasses.dataclass(frozen=True)
class Mark:
    """Where the change history and the interactions ended at some moment;
    with ``at``, interactions changed since then by bulk statements (the
    linking job moving letters between cards) count as well."""

    audit_id: int
    interaction_id: int
    at: dt.datetime | None = None


def mark(uow: UnitOfWork) -> Mark:
    session = uow.session
    return Mark(
        audit_id=session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0,
        interaction_id=session.scalar(select(func.coalesce(func.max(Interaction.id), 0))) or 0,
    )


def _cards(client_id: int | None, lead_id: int | None, deal_id: int | None) -> list[CardKey]:
    found: list[CardKey] = []
    for kind, value in (("client", client_id), ("lead", lead_id), ("deal", deal_id)):
        if value is not None:
            found.append((kind, value))
    return found


def interaction_changes(
    uow: UnitOfWork,
    *,
    created: Iterable[int] = (),
    updated: Iterable[int] = (),
    removed: Iterable[int] = (),
) -> Changes:
    """Changes of these interactions with the cards whose feeds show them
    (client, lead, deal and contact persons)."""
    created, updated, removed = list(created), list(updated), list(removed)
    ids = sorted(set(created) | set(updated) | set(removed))
    cards: set[CardKey] = set()
    session = uow.session
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        for row in session.execute(
            select(Interaction.client_id, Interaction.lead_id, Interaction.deal_id).where(
                Interaction.id.in_(chunk)
            )
        ):
            cards.update(_cards(row.client_id, row.lead_id, row.deal_id))
        cards.update(
            ("contact", contact_id)
            for contact_id in session.scalars(
                select(interaction_contacts.c.contact_id)
                .where(interaction_contacts.c.interaction_id.in_(chunk))
                .distinct()
            )
        )
    return Changes.of(
        created={"interaction": created},
        updated={"interaction": updated},
        removed={"interaction": removed},
        cards=cards,
    )


def since(uow: UnitOfWork, start: Mark) -> Changes:
    """Everything recorded after ``start``: kinds, ids and the cards touched."""
    uow.session.flush()
    created: dict[str, set[int]] = defaultdict(set)
    updated: dict[str, set[int]] = defaultdict(set)
    cards: set[CardKey] = set()
    rows = uow.session.execute(
        select(
            AuditEntry.entity_kind,
            AuditEntry.entity_id,
            AuditEntry.field,
            AuditEntry.client_id,
            AuditEntry.lead_id,
            AuditEntry.deal_id,
            AuditEntry.contact_id,
        )
        .where(AuditEntry.id > start.audit_id)
        .order_by(AuditEntry.id)
        .limit(MAX_ROWS)
    )
    for row in rows:
        target = created if row.field == "created" else updated
        target[row.entity_kind].add(row.entity_id)
        cards.update(_cards(row.client_id, row.lead_id, row.deal_id))
        if row.contact_id is not None:
            cards.add(("contact", row.contact_id))
        if row.entity_kind in ("client", "lead", "contact", "deal"):
            cards.add((row.entity_kind, row.entity_id))
    new_ids = list(
        uow.session.scalars(
            select(Interaction.id)
            .where(Interaction.id > start.interaction_id)
            .order_by(Interaction.id)
            .limit(MAX_ROWS)
        )
    )
    moved: list[int] = []
    if start.at is not None:  # a full scan: only for background jobs
        moved = list(
            uow.session.scalars(
                select(Interaction.id)
                .where(
                    Interaction.updated_at >= start.at,
                    Interaction.id <= start.interaction_id,
                )
                .limit(MAX_ROWS)
            )
        )
    bulk = interaction_changes(uow, created=new_ids, updated=moved)
    updated["interaction"] -= set(new_ids)
    return Changes.of(created=created, updated=updated, cards=cards) | bulk


def recorded(uow: UnitOfWork, fn: Callable[[], T]) -> Outcome[T]:
    """Run ``fn`` in ``uow`` and report what it wrote there (before commit)."""
    start = mark(uow)
    value = fn()
    return Outcome(value, since(uow, start))


def tracked(db: Database, fn: Callable[[], T]) -> Outcome[T]:
    """Run ``fn``, which commits in units of work of its own (a mail sync, the
    linking job, the outbox), and report what was written meanwhile."""
    with db.reader() as uow:
        start = dataclasses.replace(mark(uow), at=utcnow() - CLOCK_SLACK)
    value = fn()
    with db.reader() as uow:
        return Outcome(value, since(uow, start))


def in_unit(db: Database, actor: Actor, fn: Callable[[UnitOfWork], T]) -> Outcome[T]:
    """``fn`` in one durable unit of work of the actor, committed, with what it
    wrote: the body of most use cases."""
    with db.uow(actor.id, durable=True) as uow:
        outcome = recorded(uow, lambda: fn(uow))
        uow.commit()
    return outcome


def plus(outcome: Outcome[T], extra: Changes) -> Outcome[T]:
    """``outcome`` with changes the history does not record (notes, tasks,
    memos, letters waiting in the outbox)."""
    return Outcome(outcome.value, outcome.changes | extra)


Columns = Mapping[str, InstrumentedAttribute[int]]


def bulk_tracked(db: Database, columns: Columns, fn: Callable[[], T]) -> Outcome[T]:
    """``tracked``, plus the rows of these id columns (kind -> column)
    inserted meanwhile by bulk statements that pass the change history
    (the demo generator, the contact import)."""
    with db.reader() as uow:
        last = {
            kind: uow.session.scalar(select(func.coalesce(func.max(column), 0))) or 0
            for kind, column in columns.items()
        }
    made = tracked(db, fn)
    with db.reader() as uow:
        created = {
            kind: uow.session.scalars(
                select(column).where(column > last[kind]).limit(MAX_ROWS)
            ).all()
            for kind, column in columns.items()
        }
    return plus(made, Changes.of(created=created, cards=_new_cards(created)))


def _new_cards(created: Mapping[str, Iterable[int]]) -> list[CardKey]:
    return [
        (kind, i)
        for kind, ids in created.items()
        if kind in ("client", "lead", "contact", "deal")
        for i in ids
    ]
