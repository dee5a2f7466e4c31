"""When the working calendar changes, the scenario steps still to come follow it.

Only steps the calendar placed move: a pending step whose date is what the
old calendar gave (its delay counted from the step before) gets the date the
new calendar gives; a step moved by hand keeps its date, and the steps after
it still count from it. Steps due already are left to the scheduler.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import Interaction, ScenarioRun, ScenarioRunStep
from services.core.access import Actor
from services.core.changes import Changes
from services.core.storage import UnitOfWork
from services.interactions import actions as ix
from services.scenarios import planning
from services.scenarios.calendar import WorkingCalendar

LIVE = ("active", "paused")


def replan(
    uow: UnitOfWork,
    actor: Actor,
    before: WorkingCalendar,
    after: WorkingCalendar,
    now: dt.datetime,
) -> Changes:
    """Move the pending steps of live runs planned in ``after.country``."""
    moved: list[int] = []
    cards: list[tuple[str, int]] = []
    runs = uow.session.scalars(
        select(ScenarioRun)
        .where(ScenarioRun.country == after.country, ScenarioRun.state.in_(LIVE))
        .order_by(ScenarioRun.id)
    )
    for run in runs:
        ids = _replan_run(uow, actor, run, before, after, now)
        if ids:
            moved += ids
            cards += [("client", run.client_id), ("contact", run.contact_id)]
    uow.session.flush()
    return Changes.of(updated={"interaction": moved}, cards=cards) if moved else Changes()


def _replan_run(
    uow: UnitOfWork,
    actor: Actor,
    run: ScenarioRun,
    before: WorkingCalendar,
    after: WorkingCalendar,
    now: dt.datetime,
) -> list[int]:
    steps = uow.session.scalars(
        select(ScenarioRunStep)
        .where(ScenarioRunStep.run_id == run.id)
        .order_by(ScenarioRunStep.position, ScenarioRunStep.id)
    )
    moved: list[int] = []
    # the step before, as the old calendar had placed it and where it is now
    # (the first step counts from the start)
    prev_old = prev_new = planning.local_day(run.created_at, run.tz)
    for step in steps:
        current = target = planning.local_day(step.due_utc, run.tz)
        if step.state == "pending" and step.due_utc > now:
            placed = before.add(prev_old, step.delay_days) == current  # else moved by hand
            if placed:
                target = after.add(prev_new, step.delay_days)
            planned = uow.session.get(Interaction, step.interaction_id)
            if target != current and planned is not None and planned.state == "planned":
                local, utc = planning.wall_instant(target, step.time_minutes, run.tz)
                ix.reschedule(uow, actor, step.interaction_id, local, run.tz)
                step.due_utc = utc
                step.next_try_utc = None
                moved.append(step.interaction_id)
            else:
                target = current
        prev_old, prev_new = current, target
    return moved
