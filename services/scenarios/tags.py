"""Which scenario run and step a planned interaction belongs to, for a page
of the feed at once: "«New client», step 2 of 5"."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sqlalchemy import func, select

from models import Scenario, ScenarioRun, ScenarioRunStep
from services.core import access
from services.core.access import Actor, Permission
from services.core.storage import UnitOfWork

CHUNK = 1000  # ids per IN list (SQLite's bound parameters)


@dataclasses.dataclass(frozen=True)
class StepTag:
    run_id: int
    scenario: str
    position: int
    steps: int
    run_state: str  # active | paused | stopped | cancelled | done
    step_state: str
    last_error: str


def step_tags(uow: UnitOfWork, actor: Actor, interaction_ids: Iterable[int]) -> dict[int, StepTag]:
    """interaction id -> its run step, for the ids that came from a scenario
    and that ``actor`` may see (a feed page's, normally all of them)."""
    wanted = sorted(set(interaction_ids))
    sizes = (
        select(ScenarioRunStep.run_id, func.count().label("steps"))
        .group_by(ScenarioRunStep.run_id)
        .subquery()
    )
    found: dict[int, StepTag] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = uow.session.execute(
            select(
                ScenarioRunStep.interaction_id,
                ScenarioRunStep.run_id,
                ScenarioRunStep.position,
                ScenarioRunStep.state,
                ScenarioRunStep.last_error,
                ScenarioRun.state.label("run_state"),
                Scenario.name,
                sizes.c.steps,
            )
            .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
            .join(Scenario, Scenario.id == ScenarioRun.scenario_id)
            .join(sizes, sizes.c.run_id == ScenarioRunStep.run_id)
            .where(ScenarioRunStep.interaction_id.in_(wanted[start : start + CHUNK]))
        )
        for row in rows:
            found[row.interaction_id] = StepTag(
                row.run_id,
                row.name,
                row.position,
                int(row.steps),
                row.run_state,
                row.state,
                row.last_error or "",
            )
    if actor.can(Permission.CLIENTS_VIEW_ALL):
        return found
    return {
        iid: tag for iid, tag in found.items() if access.may_see(uow, actor, "interaction", iid)
    }
