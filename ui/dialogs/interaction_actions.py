"""The service calls behind the interaction dialog's buttons: create, save
changes, complete, cancel and restore. Each returns the unit of work to run
on the write lane; the dialog decides what to show before and after."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from services.core.views import InteractionView
from services.interactions import actions as ix
from services.interactions.actions import NewInteraction

WriteFn = Callable[[Any, Any], InteractionView]


def create(spec: NewInteraction) -> WriteFn:
    return lambda uow, actor: ix.create(uow, actor, spec)


def save_changes(
    view: InteractionView, new_time: dt.datetime | None, zone: str, contacts: tuple[int, ...]
) -> WriteFn:
    """Reschedule (when ``new_time``) and replace the contacts (when changed)."""
    contacts_changed = set(contacts) != set(view.contact_ids)

    def save(uow: Any, actor: Any) -> InteractionView:
        result = view
        if new_time is not None:
            result = ix.reschedule(uow, actor, view.id, new_time, zone)
        if contacts_changed:
            ix.set_contacts(uow, actor, view.id, contacts)
            result = ix.get(uow, actor, view.id)
        return result

    return save


def complete(interaction_id: int, next_step: NewInteraction | None, outcome: str | None) -> WriteFn:
    return lambda uow, actor: ix.complete(
        uow, actor, interaction_id, next_step=next_step, result=outcome
    )


def cancel(interaction_id: int, next_step: NewInteraction | None) -> WriteFn:
    return lambda uow, actor: ix.cancel(uow, actor, interaction_id, next_step=next_step)


def restore(interaction_id: int, start: dt.datetime | None, zone: str) -> WriteFn:
    return lambda uow, actor: ix.restore(uow, actor, interaction_id, start=start, tz=zone)
