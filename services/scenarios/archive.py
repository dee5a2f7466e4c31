"""Deleting a scenario from Settings → Scenarios, undoably: the row stays
(runs already started refer to it and go on) with ``archived_at`` set, so it
is no longer listed, edited or applied; restoring clears the stamp."""

from __future__ import annotations

import datetime as dt

from models import Scenario
from services.core.access import Actor
from services.core.errors import NotFoundError
from services.core.storage import UnitOfWork
from services.scenarios import store
from services.scenarios.store import ScenarioView


def archive(uow: UnitOfWork, actor: Actor, scenario_id: int, now: dt.datetime) -> ScenarioView:
    """Only its author or an administrator deletes a scenario."""
    found = store.row(uow, scenario_id)
    store.online_only(uow)
    store.may_edit(actor, found)
    found.archived_at = now
    uow.session.flush()
    return store.view(uow, found)


def restore(uow: UnitOfWork, actor: Actor, scenario_id: int) -> ScenarioView:
    """Undo of ``archive``; a scenario that is not deleted stays as it is.
    Refused while a scenario made since holds its name (rename that one)."""
    found = uow.session.get(Scenario, scenario_id)
    if found is None:
        raise NotFoundError("Scenario", scenario_id)
    store.online_only(uow)
    store.may_edit(actor, found)
    if found.archived_at is not None:
        store.check_name_free(uow, found.name, found.id)
    found.archived_at = None
    uow.session.flush()
    return store.view(uow, found)
