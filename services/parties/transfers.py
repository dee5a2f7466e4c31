"""Handing work to a colleague (#19 item 3): a client or lead with its deals
and planned work, and a deputy for an absence.

A transfer moves, in one unit of work, the card's owner, its deals and its
planned interactions and open tasks that were the old owner's (1C's
"handing over planned work to a new employee"); each change is a field
change in the card's history, written by the audit hook from the same
flush. A deputy sees the absent colleague's clients until a moment; the
service layer reads it into ``Actor.also_sees``, a team database's policies
read the same ``deputies`` row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from models import Deal, Deputy, Interaction, Task, User
from services.core.access import Actor, Permission
from services.core.changes import Outcome
from services.core.errors import ValidationError
from services.core.storage import Database, UnitOfWork
from services.feed import touched
from services.parties import deputies, edits
from services.parties import records as parties
from services.sync import deputy_kind

MAX_DEPUTY_DAYS = 366


@dataclasses.dataclass(frozen=True)
class Transfer:
    kind: str  # client | lead
    id: int
    from_owner_id: int
    to_owner_id: int
    deals: int
    planned: int  # planned interactions
    tasks: int  # open tasks


@dataclasses.dataclass(frozen=True)
class DeputyView:
    absent_id: int
    absent_name: str
    deputy_id: int
    deputy_name: str
    until: dt.datetime
    id: int = 0  # the period's (services/parties/deputies.py ends it by this)


def _transfer(uow: UnitOfWork, actor: Actor, kind: str, ident: int, to: int) -> Transfer:
    card = parties.visible_card(
        uow,
        actor,
        kind,
        ident,
        Permission.CLIENTS_EDIT,
        verb="handed over",
        code="parties.transfers.only_client_or_lead",
    )
    to = parties.owner_id_for(uow, actor, to)
    old = card.owner_id
    card.owner_id = to
    column = Deal.client_id if kind == "client" else Deal.lead_id
    moved_deals = list(
        uow.session.scalars(select(Deal).where(column == ident, Deal.owner_id == old))
    )
    for deal in moved_deals:
        deal.owner_id = to
    party = Interaction.client_id if kind == "client" else Interaction.lead_id
    planned = list(
        uow.session.scalars(
            select(Interaction).where(
                party == ident, Interaction.state == "planned", Interaction.owner_id == old
            )
        )
    )
    for interaction in planned:
        interaction.owner_id = to
    task_party = Task.client_id if kind == "client" else Task.lead_id
    tasks = list(
        uow.session.scalars(
            select(Task).where(task_party == ident, Task.done.is_(False), Task.assignee_id == old)
        )
    )
    for task in tasks:
        task.assignee_id = to
    uow.session.flush()
    return Transfer(kind, ident, old, to, len(moved_deals), len(planned), len(tasks))


def transfer(
    db: Database, actor: Actor, kind: str, record_id: int, to_owner: str | int
) -> Outcome[Transfer]:
    """``to_owner``: a login or a user id (the CLI's ``--to``)."""
    return touched.in_unit(
        db,
        actor,
        lambda uow: _transfer(
            uow,
            actor,
            kind,
            record_id,
            to_owner if isinstance(to_owner, int) else edits.user_by_login(uow, to_owner),
        ),
    )


def set_deputy(
    db: Database,
    actor: Actor,
    deputy: str | int,
    until: dt.datetime,
    *,
    absent: str | int | None = None,
    now: dt.datetime | None = None,
) -> Outcome[DeputyView]:
    """``deputy`` sees the clients of ``absent`` (the actor unless an
    administrator names another) until ``until``; a new deputy of the same
    pair replaces the old end."""
    _check_end(until, now or dt.datetime.now(dt.UTC))
    done = touched.in_unit(
        db, actor, lambda uow: set_in(uow, actor, deputy, until, absent=absent, now=now)
    )
    view = done.value
    return touched.plus(done, deputies.changed(view.id, view.absent_id, view.deputy_id))


def _check_end(until: dt.datetime, now: dt.datetime) -> None:
    if until.tzinfo is None or until <= now or until > now + dt.timedelta(MAX_DEPUTY_DAYS):
        raise ValidationError(
            f"A deputy's end lies in the next {MAX_DEPUTY_DAYS} days",
            "until",
            code="parties.transfers.deputy_end",
            params={"days": str(MAX_DEPUTY_DAYS)},
        )


def set_in(
    uow: UnitOfWork,
    actor: Actor,
    deputy: str | int,
    until: dt.datetime,
    *,
    absent: str | int | None = None,
    now: dt.datetime | None = None,
) -> DeputyView:
    """The period in the caller's unit of work (the use case above, and a
    period pushed from a laptop replica, services/sync/deputy_kind.py)."""
    _check_end(until, now or dt.datetime.now(dt.UTC))
    who = actor.id if absent is None else _user_id(uow, absent)
    if who != actor.id:
        actor.require(Permission.SETTINGS)
    stand_in = _user_id(uow, deputy)
    if stand_in == who:
        raise ValidationError(
            "Nobody stands in for themselves",
            "deputy",
            code="parties.transfers.deputy_self",
        )
    row = uow.session.scalar(
        select(Deputy).where(Deputy.absent_id == who, Deputy.deputy_id == stand_in)
    )
    if row is None:
        row = Deputy(absent_id=who, deputy_id=stand_in, until=until)
        uow.session.add(row)
    row.until = until
    uow.session.flush()
    deputy_kind.record_deputy(uow.session, who, stand_in, until)  # a replica pushes it
    rows = uow.session.execute(select(User.id, User.full_name).where(User.id.in_([who, stand_in])))
    names = {row.id: row.full_name for row in rows}
    return DeputyView(who, names[who], stand_in, names[stand_in], until, row.id)


def _user_id(uow: UnitOfWork, who: str | int) -> int:
    if isinstance(who, int):
        user = uow.session.get(User, who)
        if user is not None and not user.active:
            name = user.full_name or user.login
            raise ValidationError(
                f"{name} is no longer an active colleague",
                "deputy",
                code="parties.transfers.inactive_colleague",
                params={"name": name},
            )
        if user is None:
            return edits.user_by_login(uow, str(who))  # its refusal names the id
        return who
    return edits.user_by_login(uow, who)
