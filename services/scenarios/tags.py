"""Which scenario run and step planned interactions belong to, for a feed
page or an agenda at once: "«New client», step 2 of 5". The one query for
this; callers pass ids of interactions the actor already may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select

from models import Scenario, ScenarioRun, ScenarioRunStep
from services.core import prepared
from services.core.storage import UnitOfWork
from services.core.views import ScenarioStepTag

# Ids are padded up to one of these sizes (repeating the last), so a handful
# of prepared statements serve every page (issue #16); more ids go in chunks.
_BUCKETS = (8, 32, 128, 512)


def step_tags(uow: UnitOfWork, interaction_ids: Iterable[int]) -> dict[int, ScenarioStepTag]:
    """interaction id -> its run step, for the ids that came from a scenario:
    one indexed query per 512 ids, none for no ids."""
    wanted = sorted(set(interaction_ids))
    found: dict[int, ScenarioStepTag] = {}
    for start in range(0, len(wanted), _BUCKETS[-1]):
        for row in _rows(uow, wanted[start : start + _BUCKETS[-1]]):
            iid, position, run_id, name, steps, step_state, last_error, run_state = row
            found[iid] = ScenarioStepTag(
                run_id, name, position, int(steps), run_state, step_state, last_error or ""
            )
    return found


def _rows(uow: UnitOfWork, ids: list[int]) -> list[tuple[Any, ...]]:
    size = next(b for b in _BUCKETS if b >= len(ids))
    padded = ids + [ids[-1]] * (size - len(ids))
    compiled = prepared.prepared(
        prepared.dialect_of(uow), ("scenario_step_tags", size), lambda: _sql(size)
    )
    return compiled.rows(uow, {f"i{k}": v for k, v in enumerate(padded)}, autoflush=True)


def _sql(size: int) -> Select[Any]:
    total = (
        select(func.count())
        .where(ScenarioRunStep.run_id == ScenarioRun.id)
        .correlate(ScenarioRun)
        .scalar_subquery()
    )
    wanted = [bindparam(f"i{k}", type_=Integer) for k in range(size)]
    return (
        select(ScenarioRunStep.interaction_id, ScenarioRunStep.position, ScenarioRun.id)
        .add_columns(Scenario.name, total, ScenarioRunStep.state, ScenarioRunStep.last_error)
        .add_columns(ScenarioRun.state)
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .join(Scenario, Scenario.id == ScenarioRun.scenario_id)
        .where(ScenarioRunStep.interaction_id.in_(wanted))
    )
