"""Seeing and ending deputy periods (#20): who stands in for whom, until
when, and ending one early.

A period is set by ``transfers.set_deputy``; until now it could be neither
listed nor ended before its end. A manager sees the periods they are part
of (as the absent colleague or as the deputy), an administrator all; the
same three may end one (the absent colleague is back early, the deputy
cannot stand in after all, an administrator tidies up). Ending deletes the
row, so the deputy's view of the colleague's clients closes at once; on a
laptop replica the end is logged and pushed like a period set there
(services/sync/deputy_kind.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import aliased

from models import Deputy, User
from services.core import bootstrap
from services.core.access import Actor, PermissionDenied
from services.core.changes import Changes, Outcome
from services.core.errors import NotFoundError, RefusedByDatabase
from services.core.storage import Database, UnitOfWork
from services.parties import edits
from services.sync import deputy_kind

MAX_PERIODS = 500  # far more than a team has; a list, not a query to page


@dataclasses.dataclass(frozen=True)
class DeputyPeriod:
    id: int
    absent_id: int
    absent_name: str
    deputy_id: int
    deputy_name: str
    until: dt.datetime
    mine: bool  # the actor is the absent colleague or the deputy


def periods(uow: UnitOfWork, actor: Actor, *, now: dt.datetime | None = None) -> list[DeputyPeriod]:
    """The periods not over yet that the actor may see, soonest end first."""
    now = now or dt.datetime.now(dt.UTC)
    absent, deputy = aliased(User), aliased(User)
    query = (
        select(Deputy, absent.full_name, absent.login, deputy.full_name, deputy.login)
        .join(absent, absent.id == Deputy.absent_id)
        .join(deputy, deputy.id == Deputy.deputy_id)
        .where(Deputy.until > now)
        .order_by(Deputy.until, Deputy.id)
        .limit(MAX_PERIODS)
    )
    if not actor.can_admin():
        query = query.where(or_(Deputy.absent_id == actor.id, Deputy.deputy_id == actor.id))
    return [
        DeputyPeriod(
            row.id,
            row.absent_id,
            absent_name or absent_login,
            row.deputy_id,
            deputy_name or deputy_login,
            row.until,
            actor.id in (row.absent_id, row.deputy_id),
        )
        for row, absent_name, absent_login, deputy_name, deputy_login in uow.session.execute(query)
    ]


def find(uow: UnitOfWork, actor: Actor, deputy: str, *, absent: str | None = None) -> DeputyPeriod:
    """The period not over yet in which ``deputy`` (a login) stands in for
    ``absent`` (a login; the actor when None), among those the actor sees."""
    stand_in = edits.user_by_login(uow, deputy)
    who = actor.id if absent is None else edits.user_by_login(uow, absent)
    for period in periods(uow, actor):
        if (period.absent_id, period.deputy_id) == (who, stand_in):
            return period
    raise NotFoundError("deputy period", f"{absent or actor.login}:{deputy}")


def end_in(uow: UnitOfWork, actor: Actor, period_id: int) -> DeputyPeriod:
    """End a period now in the caller's unit of work (the use case below,
    and an end pushed from a laptop replica)."""
    row = uow.session.get(Deputy, period_id)
    if row is None:
        raise NotFoundError("deputy period", period_id)
    if actor.id not in (row.absent_id, row.deputy_id) and not actor.can_admin():
        raise PermissionDenied(
            "This deputy period is between other colleagues: only the absent colleague,"
            " the deputy or an administrator ends it",
            code="parties.deputies.not_yours",
        )
    names = {
        user.id: user.full_name
        for user in uow.session.execute(
            select(User.id, User.full_name).where(User.id.in_([row.absent_id, row.deputy_id]))
        )
    }
    ended = DeputyPeriod(
        row.id,
        row.absent_id,
        names.get(row.absent_id, ""),
        row.deputy_id,
        names.get(row.deputy_id, ""),
        row.until,
        actor.id in (row.absent_id, row.deputy_id),
    )
    uow.session.expunge(row)
    gone = uow.session.execute(delete(Deputy).where(Deputy.id == period_id))
    if getattr(gone, "rowcount", 1) == 0:  # a team database's policy hid it from the write
        raise RefusedByDatabase("deputies")
    deputy_kind.record_end(uow.session, ended.absent_id, ended.deputy_id)  # a replica pushes it
    return ended


def end_period(db: Database, actor: Actor, period_id: int) -> Outcome[DeputyPeriod]:
    """End a period now: the deputy no longer sees the colleague's clients."""
    with db.uow(actor.id) as uow:
        ended = end_in(uow, actor, period_id)
        uow.commit()
    return Outcome(ended, changed(ended.id, ended.absent_id, ended.deputy_id))


def changed(period_id: int, absent_id: int, deputy_id: int) -> Changes:
    """What a period set or ended touches: the two colleagues (whose clients
    a deputy's lists show) and the period itself."""
    return Changes.of(updated={"user": [absent_id, deputy_id], "deputy": [period_id]})


@dataclasses.dataclass(frozen=True)
class Standing:
    """Whose clients a user sees now and the periods they are part of: a
    window reads it again to follow a period set or ended on another
    computer (or through the CLI), or one reaching its end, without a
    restart (ui/shell/deputy_watch.py)."""

    actor: Actor
    period_ids: frozenset[int]


def standing(uow: UnitOfWork, actor: Actor, *, now: dt.datetime | None = None) -> Standing:
    """The same user read again: their role's permissions and whom they see
    (deputy periods not over yet, a head's department)."""
    fresh = bootstrap.who_acts_locally(uow.session, actor.login)
    mine = frozenset(p.id for p in periods(uow, fresh, now=now) if p.mine)
    return Standing(fresh, mine)


def standing_changes(before: Standing, after: Standing) -> Changes:
    """What a new standing means for the open screens: the colleagues seen
    or no longer seen and the periods begun or over, as ``changed`` above
    says for a period set or ended here; nothing when nothing differs."""
    colleagues = set(before.actor.also_sees ^ after.actor.also_sees)
    if before.actor.permissions != after.actor.permissions:
        colleagues.add(after.actor.id)
    return Changes.of(updated={"user": colleagues, "deputy": before.period_ids ^ after.period_ids})
