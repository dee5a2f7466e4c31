"""What a user does with clients, leads, contact persons and deals: one
function per action, shared by the desktop and ``touchpoint``.

Each opens its own unit of work, returns its result with the ``Changes`` it
made, and runs what belongs to the action: a deal with its next step and
the pipeline's next-step rule; an address with the linking of the earlier
letters and calls it explains.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.storage import Database, UnitOfWork
from services.core.views import ClientView, ContactPointView, ContactView, DealView
from services.feed import touched
from services.interactions import actions as ix
from services.linking import job as linking
from services.parties import contact_points, deals
from services.parties import records as parties

V = TypeVar("V")


@dataclasses.dataclass(frozen=True)
class NewDeal:
    title: str
    client_id: int | None = None
    lead_id: int | None = None
    pipeline: int | str | None = None
    stage: int | str | None = None
    owner_id: int | None = None
    amount: str | Decimal | None = None
    currency: str = "RUB"


@dataclasses.dataclass(frozen=True)
class AddedPoint:
    point: ContactPointView
    linked: linking.LinkReport | None  # what it pulled onto the card (None: not linked)


def _linked(db: Database, values: Sequence[str]) -> Outcome[linking.LinkReport | None]:
    """The linking job for just these addresses or numbers (none: no run)."""
    if not values:
        return Outcome(None)
    return touched.tracked(db, lambda: linking.run(db, values=values))


def _with_history(db: Database, made: Outcome[V], points: Sequence[ContactPointView]) -> Outcome[V]:
    """A new card, plus what its addresses and numbers pulled onto it."""
    return touched.plus(made, _linked(db, [p.normalized for p in points]).changes)


def add_client(
    db: Database,
    actor: Actor,
    name: str,
    *,
    owner_id: int | None = None,
    region: str | None = None,
    timezone: str | None = None,
    address: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    custom: Mapping[str, str] | None = None,
) -> Outcome[ClientView]:
    """A client; its addresses and numbers pull in their earlier history."""
    made = touched.in_unit(
        db,
        actor,
        lambda uow: parties.add_client(
            uow,
            actor,
            name,
            owner_id=owner_id,
            region=region,
            timezone=timezone,
            address=address,
            emails=emails,
            phones=phones,
            custom=custom,
        ),
    )
    return _with_history(db, made, made.value.points)


def add_lead(
    db: Database,
    actor: Actor,
    name: str,
    *,
    company: str | None = None,
    owner_id: int | None = None,
    region: str | None = None,
    timezone: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
) -> Outcome[ClientView]:
    made = touched.in_unit(
        db,
        actor,
        lambda uow: parties.add_lead(
            uow,
            actor,
            name,
            company=company,
            owner_id=owner_id,
            region=region,
            timezone=timezone,
            emails=emails,
            phones=phones,
        ),
    )
    return _with_history(db, made, made.value.points)


def add_contact(
    db: Database,
    actor: Actor,
    name: str,
    *,
    client_id: int | None = None,
    lead_id: int | None = None,
    position: str | None = None,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    custom: Mapping[str, str] | None = None,
) -> Outcome[ContactView]:
    made = touched.in_unit(
        db,
        actor,
        lambda uow: parties.add_contact(
            uow,
            actor,
            name,
            client_id=client_id,
            lead_id=lead_id,
            position=position,
            emails=emails,
            phones=phones,
            custom=custom,
        ),
    )
    return _with_history(db, made, made.value.points)


def add_point(
    db: Database,
    actor: Actor,
    point_kind: str,
    raw: str,
    card_kind: str,
    card_id: int,
    *,
    label: str | None = None,
    link: bool = True,
) -> Outcome[AddedPoint]:
    """An email or phone on a card, then the letters and calls it explains
    move onto the card (SPEC D1: right after an address is added; not with
    ``link`` False: the schedule does it)."""
    made = touched.in_unit(
        db,
        actor,
        lambda uow: contact_points.add_to_card(
            uow, actor, point_kind, raw, card_kind, card_id, label=label
        ),
    )
    linked = _linked(db, [made.value.normalized] if link else [])
    return Outcome(
        AddedPoint(made.value, linked.value),
        made.changes | linked.changes | Changes.of(cards=[(card_kind, card_id)]),
    )


def add_deal(
    db: Database, actor: Actor, deal: NewDeal, next_step: ix.NewInteraction | None = None
) -> Outcome[DealView]:
    """A deal and, when given, its first planned step, in one transaction;
    a pipeline that requires a planned interaction refuses a deal without."""

    def work(uow: UnitOfWork) -> DealView:
        view = deals.add_deal(
            uow,
            actor,
            deal.title,
            client_id=deal.client_id,
            lead_id=deal.lead_id,
            pipeline=deal.pipeline,
            stage=deal.stage,
            owner_id=deal.owner_id,
            amount=deal.amount,
            currency=deal.currency,
        )
        if next_step is not None:
            ix.create(uow, actor, dataclasses.replace(next_step, planned=True, deal_id=view.id))
        deals.check_next_step(uow, view.id)
        return view

    return touched.in_unit(db, actor, work)


def move_deal(db: Database, actor: Actor, deal_id: int, stage: int | str) -> Outcome[DealView]:
    """Another stage; a pipeline that requires a planned step refuses to
    leave the deal without one."""

    def work(uow: UnitOfWork) -> DealView:
        view = deals.move(uow, actor, deal_id, stage)
        deals.check_next_step(uow, deal_id)
        return view

    return touched.in_unit(db, actor, work)
