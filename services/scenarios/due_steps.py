"""Which scenario steps are due, and when the scheduler should look next.

Split from the runner so the scheduler's question (``next_due``, asked every
tick on the read lane) and the pass's batch (``due_ids``) stay one indexed
query each, compiled once, beside the filter the claim re-checks; ``runs_here``
keeps a run on exactly one machine (#20).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Executable, Select, and_, bindparam, func, or_, select

from models import ScenarioRun, ScenarioRunStep
from services.core import prepared
from services.core.storage import UnitOfWork

BATCH = 200  # steps per pass; the rest are due on the next one


def due_filter(now: Any) -> Any:
    """A pending auto step past its due time and retry wait, or a lapsed claim."""
    return or_(
        and_(
            ScenarioRunStep.state == "pending",
            ScenarioRunStep.auto.is_(True),
            ScenarioRunStep.due_utc <= now,
            or_(ScenarioRunStep.next_try_utc.is_(None), ScenarioRunStep.next_try_utc <= now),
        ),
        and_(ScenarioRunStep.state == "running", ScenarioRunStep.claimed_until <= now),
    )


def runs_here(node: str | None) -> Any:
    """The runs this database executes: a laptop replica its own (started
    there), the server and a single-user file those with no executor. Exactly
    one machine runs a run, so a letter is never sent twice (#20)."""
    if node is None:
        return ScenarioRun.executor.is_(None)
    return ScenarioRun.executor == bindparam("node")


def _due_statement(node: str | None) -> Select[Any]:
    query: Select[Any] = (
        select(ScenarioRunStep.id)
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .where(due_filter(bindparam("now")), ScenarioRun.state == "active", runs_here(node))
        .order_by(ScenarioRunStep.due_utc, ScenarioRunStep.id)
        .limit(bindparam("limit"))
    )
    return query


def due_ids(
    uow: UnitOfWork, now: dt.datetime, limit: int = BATCH, node: str | None = None
) -> list[int]:
    """The steps to take now, oldest first: one indexed query, compiled once.
    ``node``: the replica's own (``scenario_kinds.executing_node``)."""
    statement = prepared.prepared(
        prepared.dialect_of(uow), ("scenario_due", node is None), lambda: _due_statement(node)
    )
    params: dict[str, Any] = {"now": now, "limit": limit}
    if node is not None:
        params["node"] = node
    return [row[0] for row in statement.rows(uow, params)]


def _next_due_statement(node: str | None) -> Executable:
    """Three index lookups in one statement: the first pending auto step with
    no retry wait (in due order, so the scan stops at once), the first retry
    and the first claim to lapse."""
    live = and_(ScenarioRun.state == "active", runs_here(node))
    pending = ScenarioRunStep.state == "pending"
    first_due = (
        select(ScenarioRunStep.due_utc)
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .where(
            pending, ScenarioRunStep.auto.is_(True), ScenarioRunStep.next_try_utc.is_(None), live
        )
        .order_by(ScenarioRunStep.due_utc)
        .limit(1)
        .scalar_subquery()
    )
    first_retry = (
        select(func.min(ScenarioRunStep.next_try_utc))
        .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
        .where(pending, ScenarioRunStep.next_try_utc.is_not(None), live)
        .scalar_subquery()
    )
    lapsing = (
        select(func.min(ScenarioRunStep.claimed_until))
        .where(ScenarioRunStep.state == "running")
        .scalar_subquery()
    )
    return select(first_due, first_retry, lapsing)


def next_due(uow: UnitOfWork, node: str | None = None) -> dt.datetime | None:
    """When the scheduler should look next: the earliest pending auto step
    (after its retry wait) or a lapsing claim, of the runs executed here."""
    statement = prepared.prepared(
        prepared.dialect_of(uow), ("scenario_next", node is None), lambda: _next_due_statement(node)
    )
    [row] = statement.rows(uow, {} if node is None else {"node": node})
    found = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in row if t is not None]
    return min(found) if found else None
