"""What a user does to an existing client, lead, contact person or deal:
edit, archive, bring back, convert a lead. One function per action, shared
by the desktop's dialogs and ``touchpoint ... edit|archive|unarchive|convert``.

Each is one unit of work; its ``Changes`` come from the history written in
the same transaction, plus the cards a conversion moves a feed between.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal

from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.storage import Database, UnitOfWork
from services.core.views import ClientView, ContactView, DealView
from services.feed import touched
from services.parties import duplicates, edits


@dataclasses.dataclass(frozen=True)
class Archived:
    kind: str
    id: int
    archived: bool  # the state now
    changed: bool  # False: it already was in that state


def edit_client(
    db: Database,
    actor: Actor,
    client_id: int,
    *,
    name: str | None = None,
    owner: str | int | None = None,
    address: str | None = None,
    region: str | None = None,
    timezone: str | None = None,
    custom: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Outcome[ClientView]:
    """``owner`` is a user id or a login (the CLI's ``--owner LOGIN``)."""
    return touched.in_unit(
        db,
        actor,
        lambda uow: edits.edit_client(
            uow,
            actor,
            client_id,
            name=name,
            owner_id=_owner_id(uow, owner),
            address=address,
            region=region,
            timezone=timezone,
            custom=custom,
            expected_version=expected_version,
        ),
    )


def edit_lead(
    db: Database,
    actor: Actor,
    lead_id: int,
    *,
    name: str | None = None,
    company: str | None = None,
    owner: str | int | None = None,
    region: str | None = None,
    timezone: str | None = None,
    custom: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Outcome[ClientView]:
    return touched.in_unit(
        db,
        actor,
        lambda uow: edits.edit_lead(
            uow,
            actor,
            lead_id,
            name=name,
            company=company,
            owner_id=_owner_id(uow, owner),
            region=region,
            timezone=timezone,
            custom=custom,
            expected_version=expected_version,
        ),
    )


def edit_contact(
    db: Database,
    actor: Actor,
    contact_id: int,
    *,
    name: str | None = None,
    position: str | None = None,
    custom: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Outcome[ContactView]:
    return touched.in_unit(
        db,
        actor,
        lambda uow: edits.edit_contact(
            uow,
            actor,
            contact_id,
            name=name,
            position=position,
            custom=custom,
            expected_version=expected_version,
        ),
    )


def edit_deal(
    db: Database,
    actor: Actor,
    deal_id: int,
    *,
    title: str | None = None,
    owner: str | int | None = None,
    amount: str | Decimal | None = None,
    currency: str | None = None,
    expected_version: int | None = None,
) -> Outcome[DealView]:
    return touched.in_unit(
        db,
        actor,
        lambda uow: edits.edit_deal(
            uow,
            actor,
            deal_id,
            title=title,
            owner_id=_owner_id(uow, owner),
            amount=amount,
            currency=currency,
            expected_version=expected_version,
        ),
    )


def _owner_id(uow: UnitOfWork, owner: str | int | None) -> int | None:
    if owner is None or isinstance(owner, int):
        return owner
    return edits.user_by_login(uow, owner)


def set_archived(
    db: Database, actor: Actor, kind: str, ident: int, archived: bool = True
) -> Outcome[Archived]:
    """Archive (or with ``archived`` False bring back) a card: it leaves the
    lists but keeps its feed and history; the undo bar calls this again."""
    done = touched.in_unit(
        db, actor, lambda uow: edits.set_archived(uow, actor, kind, ident, archived)
    )
    return Outcome(
        Archived(kind, ident, archived, done.value),
        done.changes | Changes.of(updated={kind: [ident]}, cards=[(kind, ident)]),
    )


def convert_lead(db: Database, actor: Actor, lead_id: int) -> Outcome[ClientView]:
    """The lead becomes a client with its contacts, deals and feed."""
    made = touched.in_unit(db, actor, lambda uow: edits.convert_lead(uow, actor, lead_id))
    moved = Changes.of(
        created={"client": [made.value.id]},
        updated={"lead": [lead_id]},
        cards=[("client", made.value.id), ("lead", lead_id)],
    )
    return touched.plus(made, moved)


def find_duplicates(
    db: Database,
    actor: Actor,
    kind: str,
    name: str = "",
    *,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    exclude: int | None = None,
) -> tuple[duplicates.Duplicate, ...]:
    """Read only: the cards a dialog warns about while the user types."""
    with db.reader() as uow:
        return duplicates.find(
            uow, actor, kind, name, emails=emails, phones=phones, exclude=exclude
        )
