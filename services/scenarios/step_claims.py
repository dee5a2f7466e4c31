"""The durable claim on a due step, and giving it back.

A step is taken (``running``, a token, a lease) in a transaction committed
before anything is generated or queued, so a runner killed afterwards only
leaves a claim that lapses after ``LEASE``; a failure puts the step back
with a growing wait, never dropping it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from sqlalchemy import update

from models import Interaction, ScenarioRun, ScenarioRunStep
from services.core.storage import Database
from services.scenarios.due_steps import due_filter
from services.scenarios.settlement import FAILURE_FIELDS, log_bulk

LEASE = dt.timedelta(minutes=10)  # longer than any generation's timeout
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360)


@dataclasses.dataclass(frozen=True)
class Claimed:
    """A step taken by this runner: plain data for the work outside a transaction."""

    step_id: int
    token: str
    run_id: int
    interaction_id: int
    client_id: int
    contact_id: int
    started_by: int
    subject: str
    body: str
    prompt: str
    template_id: int | None
    ai: bool
    auto_send: bool
    attempts: int


def claim(db: Database, step_id: int, now: dt.datetime, node: str | None = None) -> Claimed | None:
    """Take the step durably, or None when it is not ours to take (another
    machine executes its run: ``node`` is this replica's, None elsewhere)."""
    token = str(uuid.uuid4())
    with db.uow(durable=True) as uow:
        taken = uow.session.execute(
            update(ScenarioRunStep)
            .where(ScenarioRunStep.id == step_id, due_filter(now))
            .values(
                state="running",
                claim_token=token,
                claimed_until=now + LEASE,
                attempts=ScenarioRunStep.attempts + 1,
            )
        )
        if not getattr(taken, "rowcount", 0):
            return None
        step = uow.session.get(ScenarioRunStep, step_id)
        assert step is not None
        run = uow.session.get(ScenarioRun, step.run_id)
        interaction = uow.session.get(Interaction, step.interaction_id)
        assert run is not None
        assert interaction is not None
        if run.state != "active" or run.executor != node:
            return None  # rolled back: paused, stopped or handed over meanwhile
        claimed = Claimed(
            step_id=step.id,
            token=token,
            run_id=run.id,
            interaction_id=interaction.id,
            client_id=run.client_id,
            contact_id=run.contact_id,
            started_by=run.started_by,
            subject=interaction.subject or "",
            body=interaction.body or "",
            prompt=step.prompt,
            template_id=step.template_id,
            ai=step.ai,
            auto_send=step.auto_send,
            attempts=step.attempts,
        )
        uow.commit()
    return claimed


def record_failure(db: Database, job: Claimed, error: str, now: dt.datetime) -> None:
    """Back to pending with the reason and a growing wait; never dropped."""
    wait = BACKOFF_MINUTES[min(job.attempts, len(BACKOFF_MINUTES)) - 1]
    with db.uow() as uow:
        failed = uow.session.scalars(
            update(ScenarioRunStep)
            .where(ScenarioRunStep.id == job.step_id, ScenarioRunStep.claim_token == job.token)
            .values(
                state="pending",
                claim_token=None,
                claimed_until=None,
                last_error=error[:2000],
                next_try_utc=now + dt.timedelta(minutes=wait),
            )
            .returning(ScenarioRunStep.id)
        ).all()
        log_bulk(uow, "scenario_run_step", failed, FAILURE_FIELDS)
        uow.commit()


def skip_if_handled(db: Database, job: Claimed, now: dt.datetime) -> bool:
    """A step whose interaction the manager completed, cancelled or moved
    later by hand is not run: it follows the interaction."""
    with db.uow(durable=True) as uow:
        step = uow.session.get(ScenarioRunStep, job.step_id)
        interaction = uow.session.get(Interaction, job.interaction_id)
        assert step is not None
        assert interaction is not None
        if step.claim_token != job.token:
            return True
        if interaction.state == "planned" and interaction.start_utc <= now:
            return False
        if interaction.state == "planned":
            step.due_utc = interaction.start_utc
            step.state = "pending"
        else:
            step.state = "done" if interaction.state == "done" else "cancelled"
        step.claim_token, step.claimed_until = None, None
        uow.commit()
    return True
