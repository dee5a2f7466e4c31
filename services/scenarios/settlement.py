"""Steps follow their letter and interaction; runs with nothing left end.

Set-based updates (the outbox's sends and failures, interactions done or
cancelled by hand), so their ids go into the sync's change log by hand:
the flush hook sees ORM writes only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update

from models import Interaction, OutboxItem, ScenarioRun, ScenarioRunStep
from services.core.storage import Database, UnitOfWork
from services.scenarios.due_steps import runs_here
from services.sync import log as sync_log

OPEN = ("pending", "running", "queued", "ready")
FAILURE_FIELDS = ("state", "attempts", "next_try_utc")


def settle(db: Database, now: dt.datetime, node: str | None = None) -> int:
    """Steps follow their letter and interaction (sent, failed, done or
    cancelled by hand); a run with nothing left to happen is done. Only the
    runs executed here (``node``, as ``run_due``): their executor alone
    moves their steps, the other machine learns it by the sync."""
    changed: list[int] = []
    with db.uow() as uow:
        session = uow.session
        sent = select(OutboxItem.id).where(
            OutboxItem.id == ScenarioRunStep.outbox_id, OutboxItem.state == "sent"
        )
        changed += session.scalars(
            update(ScenarioRunStep)
            .where(ScenarioRunStep.state == "queued", sent.exists())
            .values(state="sent")
            .returning(ScenarioRunStep.id)
            .execution_options(synchronize_session=False)
        ).all()
        for step_id, error in session.execute(
            select(ScenarioRunStep.id, OutboxItem.last_error)
            .join(OutboxItem, OutboxItem.id == ScenarioRunStep.outbox_id)
            .where(ScenarioRunStep.state == "queued", OutboxItem.state == "failed")
        ).all():
            session.execute(
                update(ScenarioRunStep)
                .where(ScenarioRunStep.id == step_id)
                .values(state="failed", last_error=error or "the letter could not be sent")
            )
            changed.append(step_id)
        params = {} if node is None else {"node": node}
        mine = select(ScenarioRun.id).where(runs_here(node))
        for final in ("done", "cancelled"):
            handled = (
                select(Interaction.id)
                .where(Interaction.id == ScenarioRunStep.interaction_id, Interaction.state == final)
                .exists()
            )
            changed += session.scalars(
                update(ScenarioRunStep)
                .where(
                    ScenarioRunStep.state.in_(("pending", "ready")),
                    handled,
                    ScenarioRunStep.run_id.in_(mine),
                )
                .values(state=final)
                .returning(ScenarioRunStep.id)
                .execution_options(synchronize_session=False),
                params,
            ).all()
        still_open = (
            select(ScenarioRunStep.id)
            .where(ScenarioRunStep.run_id == ScenarioRun.id, ScenarioRunStep.state.in_(OPEN))
            .exists()
        )
        ended = session.scalars(
            update(ScenarioRun)
            .where(ScenarioRun.state == "active", ~still_open, runs_here(node))
            .values(state="done", stopped_at=now)
            .returning(ScenarioRun.id)
            .execution_options(synchronize_session=False),
            params,
        ).all()
        log_bulk(uow, "scenario_run_step", changed, ("state",))
        log_bulk(uow, "scenario_run", ended, ("state",))
        uow.commit()
    return len(changed) + len(ended)


def log_bulk(uow: UnitOfWork, kind: str, ids: Sequence[int], fields: Sequence[str]) -> None:
    """The runner's set-based writes into the sync's change log (a replica)
    or field clocks (the team server): the flush hook sees ORM writes only."""
    if ids:
        sync_log.record_bulk(uow.session, kind, ids, fields)
