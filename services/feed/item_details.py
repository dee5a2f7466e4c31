"""Who took part in interactions, for many at once (exports, the linking
explanation), and which scenario run and step an item of a feed page is.
A feed page carries the contacts in its own statement (``queries.id_list``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Integer, Select, bindparam, func, select

from models import Scenario, ScenarioRun, ScenarioRunStep, interaction_contacts
from services.core import prepared
from services.core.storage import UnitOfWork
from services.core.views import FeedItem


def contacts_of(uow: UnitOfWork, interaction_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """The contact persons of each interaction, lowest id first."""
    wanted = sorted(set(interaction_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(wanted), 1000):
        for iid, cid in uow.session.execute(
            select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id)
            .where(interaction_contacts.c.interaction_id.in_(wanted[start : start + 1000]))
            .order_by(interaction_contacts.c.contact_id)
        ):
            found.setdefault(iid, []).append(cid)
    return {iid: tuple(ids) for iid, ids in found.items()}


# A page's ids are padded up to one of these sizes (repeating the last), so a
# handful of prepared statements serve every page (issue #16).
_BUCKETS = (8, 32, 128, 512)


def _scenario_steps(uow: UnitOfWork, ids: list[int]) -> list[tuple[Any, ...]]:
    """(interaction id, position, run id, scenario name, steps in the run)."""
    size = next((b for b in _BUCKETS if b >= len(ids)), None)
    if size is None:
        return [tuple(r) for r in uow.session.execute(_steps_sql(len(ids)), _ids(ids))]
    padded = ids + [ids[-1]] * (size - len(ids))
    compiled = prepared.prepared(
        prepared.dialect_of(uow), ("scenario_steps", size), lambda: _steps_sql(size)
    )
    return compiled.rows(uow, _ids(padded), autoflush=True)


def _ids(ids: list[int]) -> dict[str, int]:
    return {f"i{k}": v for k, v in enumerate(ids)}


def _steps_sql(size: int) -> Select[Any]:
    total = (
        select(func.count())
        .where(ScenarioRunStep.run_id == ScenarioRun.id)
        .correlate(ScenarioRun)
        .scalar_subquery()
    )
    wanted = [bindparam(f"i{k}", type_=Integer) for k in range(size)]
    return (
        select(ScenarioRunStep.interaction_id, ScenarioRunStep.position, ScenarioRun.id)
        .add_columns(Scenario.name, total)
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .join(Scenario, Scenario.id == ScenarioRun.scenario_id)
        .where(ScenarioRunStep.interaction_id.in_(wanted))
    )


def with_scenarios(uow: UnitOfWork, items: Sequence[FeedItem]) -> tuple[FeedItem, ...]:
    """The page's items, those that are a scenario step labelled with the
    scenario and the step ("«Знакомство», step 2 of 5"): one indexed query
    per page, none when the page holds no interaction."""
    ids = [i.id for i in items if i.kind == "interaction"]
    if not ids:
        return tuple(items)
    rows = _scenario_steps(uow, ids)
    if not rows:
        return tuple(items)
    found = {r[0]: (f"«{r[3]}», step {r[1]} of {r[4]}", r[2]) for r in rows}
    return tuple(
        dataclasses.replace(i, scenario=found[i.id][0], scenario_run_id=found[i.id][1])
        if i.kind == "interaction" and i.id in found
        else i
        for i in items
    )
