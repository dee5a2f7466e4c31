"""The use cases behind the interaction dialog's buttons: create, save
changes, complete, cancel and restore. Each returns the call the task
runner makes on the write lane; the dialog decides what to show before and
after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from services.core.changes import Outcome
from services.core.views import InteractionView
from services.interactions import use_cases as interactions
from services.interactions.actions import NewInteraction

UseCase = Callable[[Any, Any], Outcome[InteractionView]]


def create(spec: NewInteraction) -> UseCase:
    return lambda db, actor: interactions.log_interaction(db, actor, spec)


def save_changes(
    view: InteractionView, new_time: dt.datetime | None, zone: str, contacts: tuple[int, ...]
) -> UseCase:
    """Reschedule (when ``new_time``) and replace the contacts (when changed)."""
    return lambda db, actor: interactions.save_changes(
        db, actor, view, new_time=new_time, zone=zone, contacts=contacts
    )


def complete(
    interaction_id: int,
    next_step: NewInteraction | None,
    outcome: str | None,
    at: dt.datetime | None = None,
) -> UseCase:
    return lambda db, actor: interactions.complete(
        db, actor, interaction_id, next_step=next_step, result=outcome, at=at
    )


def cancel(interaction_id: int, next_step: NewInteraction | None) -> UseCase:
    return lambda db, actor: interactions.cancel(db, actor, interaction_id, next_step=next_step)


def restore(interaction_id: int, start: dt.datetime | None, zone: str) -> UseCase:
    return lambda db, actor: interactions.restore(db, actor, interaction_id, start=start, tz=zone)
