"""Runs (SPEC F2): a scenario applied to a client and a contact person.

Applying creates every step as a planned interaction in the caller's one
transaction, so a failure half-way leaves nothing. Each planned interaction
stays an ordinary one: the manager edits its subject and text (an
auto-send letter goes out with what the interaction holds when it is due).
Moving a step re-plans the pending steps after it; cancelling the run
cancels what has not happened yet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update

from models import (
    Client,
    Contact,
    Interaction,
    OutboxItem,
    Scenario,
    ScenarioRun,
    ScenarioRunStep,
    User,
)
from services.core import access, timezones
from services.core.access import Actor, Permission
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import UnitOfWork
from services.interactions import actions as ix
from services.parties import records as parties
from services.scenarios import calendar_store, content, planning
from services.scenarios import store as scenarios
from services.sync import scenario_kinds

OPEN_STEP_STATES = ("pending", "running")
LIVE_RUN_STATES = ("active", "paused")


@dataclasses.dataclass(frozen=True)
class PlannedStep:
    """A step's real date for a client (the editor's preview, ``apply``)."""

    position: int
    type: str
    subject: str
    local: dt.datetime  # wall time in ``tz``
    tz: str
    utc: dt.datetime
    ai: bool
    auto_send: bool


@dataclasses.dataclass(frozen=True)
class RunStepView:
    id: int
    position: int
    interaction_id: int
    type: str
    subject: str
    due_utc: dt.datetime
    due_local: dt.datetime
    tz: str
    state: str  # pending | running | queued | sent | ready | done | cancelled | failed
    ai: bool
    auto_send: bool
    attempts: int
    last_error: str
    next_try_utc: dt.datetime | None
    outbox_id: int | None


@dataclasses.dataclass(frozen=True)
class RunView:
    id: int
    scenario_id: int
    scenario_name: str
    client_id: int
    client_name: str
    contact_id: int
    contact_name: str
    started_by: int
    state: str  # active | paused | stopped | cancelled | done
    stop_reason: str
    created_at: dt.datetime
    steps: tuple[RunStepView, ...]


def _contact_of(uow: UnitOfWork, actor: Actor, client: Client, contact_id: int) -> Contact:
    access.check(uow, actor, "contact", contact_id)
    contact = uow.session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError("Contact", contact_id)
    if contact.client_id != client.id:
        raise ValidationError(
            f"{contact.full_name} is not a contact person of {client.name}",
            "contact",
            code="scenarios.runs.not_a_contact_of",
            params={"contact": contact.full_name, "client": client.name},
        )
    return contact


def _active_scenario(uow: UnitOfWork, scenario_id: int) -> Scenario:
    found = scenarios.row(uow, scenario_id)
    if not found.active:
        raise ValidationError(
            f"The scenario {found.name!r} is not active",
            "scenario",
            code="scenarios.runs.not_active",
            params={"name": repr(found.name)},
        )
    return found


def preview(
    uow: UnitOfWork, actor: Actor, scenario_id: int, client_id: int, now: dt.datetime
) -> list[PlannedStep]:
    """The chain's real dates for this client, started ``now``; nothing written."""
    client = parties.visible_client(uow, actor, client_id)
    found = scenarios.row(uow, scenario_id)
    steps = scenarios.steps_of(uow, found.id)
    tz = planning.client_zone(uow, client)
    slots = planning.plan(
        planning.local_day(now, tz),
        [(s.delay_days, s.time_minutes) for s in steps],
        tz,
        calendar_store.calendar(uow),
    )
    return [
        PlannedStep(s.position, s.type, s.subject, local, tz, utc, s.ai, s.auto_send)
        for s, (local, utc) in zip(steps, slots, strict=True)
    ]


def _owner(uow: UnitOfWork, actor: Actor, rule: str, client: Client) -> int:
    if rule == "client_owner":
        active = uow.session.scalar(select(User.active).where(User.id == client.owner_id))
        if active:
            return client.owner_id
    return actor.id


def apply(
    uow: UnitOfWork,
    actor: Actor,
    scenario_id: int,
    client_id: int,
    contact_id: int,
    now: dt.datetime,
) -> RunView:
    """Start the scenario for the client and contact: every step planned."""
    actor.require(Permission.INTERACTIONS)
    client = parties.visible_client(uow, actor, client_id)
    contact = _contact_of(uow, actor, client, contact_id)
    found = _active_scenario(uow, scenario_id)
    steps = scenarios.steps_of(uow, found.id)
    if not steps:
        raise ValidationError(
            f"The scenario {found.name!r} has no steps",
            "scenario",
            code="scenarios.runs.no_steps",
            params={"name": repr(found.name)},
        )
    tz = planning.client_zone(uow, client)
    country = planning.work_country(uow)
    slots = planning.plan(
        planning.local_day(now, tz),
        [(s.delay_days, s.time_minutes) for s in steps],
        tz,
        calendar_store.calendar(uow, country),
    )
    run = ScenarioRun(
        scenario_id=found.id,
        client_id=client.id,
        contact_id=contact.id,
        started_by=actor.id,
        state="active",
        tz=tz,
        country=country,
        created_at=now,  # a reply counts from here (by address)
        # Started on a laptop replica: that laptop executes it, never the server.
        executor=scenario_kinds.executing_node(uow.session),
    )
    uow.session.add(run)
    uow.session.flush()
    for step, (local, _utc) in zip(steps, slots, strict=True):
        filled = content.fill(
            uow,
            actor,
            subject=step.subject,
            prompt=step.prompt,
            template_id=step.template_id,
            ai=step.ai,
            client_id=client.id,
            contact_id=contact.id,
            now=now,
        )
        planned = ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type=step.type,
                planned=True,
                start=local,
                tz=tz,
                client_id=client.id,
                contact_ids=(contact.id,),
                owner_id=_owner(uow, actor, step.owner_rule or found.owner_rule, client),
                direction="out" if step.type == scenarios.EMAIL else "none",
                subject=filled.subject or None,
                body=filled.body or None,
            ),
            now=now,
        )
        uow.session.add(
            ScenarioRunStep(
                run_id=run.id,
                step_id=step.id,
                position=step.position,
                interaction_id=planned.id,
                due_utc=planned.start.astimezone(dt.UTC),
                delay_days=step.delay_days,
                time_minutes=step.time_minutes,
                template_id=step.template_id,
                prompt=step.prompt,
                ai=filled.ai,
                auto_send=step.auto_send,
                auto=step.auto_send or filled.ai,
                state="pending",
            )
        )
    uow.session.flush()
    return view(uow, run)


def _run_row(uow: UnitOfWork, actor: Actor, run_id: int) -> ScenarioRun:
    run = uow.session.get(ScenarioRun, run_id)
    if run is None:
        raise NotFoundError("Scenario run", run_id)
    parties.visible_client(uow, actor, run.client_id)
    return run


def _step_rows(uow: UnitOfWork, run_id: int) -> list[ScenarioRunStep]:
    return list(
        uow.session.scalars(
            select(ScenarioRunStep)
            .where(ScenarioRunStep.run_id == run_id)
            .order_by(ScenarioRunStep.position, ScenarioRunStep.id)
        )
    )


def move_step(uow: UnitOfWork, actor: Actor, run_step_id: int, start: dt.datetime) -> RunView:
    """Move one step (a wall time in the run's zone, or an instant); the
    pending steps after it keep their delays and times from the new date."""
    step = uow.session.get(ScenarioRunStep, run_step_id)
    if step is None:
        raise NotFoundError("Scenario step", run_step_id)
    run = _run_row(uow, actor, step.run_id)
    if step.state not in OPEN_STEP_STATES:
        raise ValidationError(
            f"Step {step.position} is {step.state}; it can no longer be moved",
            code="scenarios.runs.step_cannot_move",
            params={"position": str(step.position), "state": step.state},
        )
    moved = ix.reschedule(uow, actor, step.interaction_id, start, run.tz)
    step.due_utc = moved.start.astimezone(dt.UTC)
    step.next_try_utc = None
    day = planning.local_day(moved.start, run.tz)
    days = calendar_store.calendar(uow, run.country)
    for later in _step_rows(uow, run.id):
        if later.position <= step.position or later.state != "pending":
            continue
        day = days.add(day, later.delay_days)
        local, utc = planning.wall_instant(day, later.time_minutes, run.tz)
        ix.reschedule(uow, actor, later.interaction_id, local, run.tz)
        later.due_utc = utc
        later.next_try_utc = None
    uow.session.flush()
    return view(uow, run)


def _cancel_interaction(uow: UnitOfWork, interaction_id: int, now: dt.datetime) -> None:
    row = uow.session.get(Interaction, interaction_id)
    if row is not None and row.state == "planned":
        row.state = "cancelled"
        row.cancelled_at = now


def end_steps(
    uow: UnitOfWork, run: ScenarioRun, now: dt.datetime, reason: str, *, only_auto: bool
) -> list[int]:
    """Cancel the steps of ``run`` that have not happened (with ``only_auto``,
    just the ones the scheduler would send); a letter still waiting in the
    outbox is stopped too. Returns the interactions cancelled."""
    cancelled: list[int] = []
    for step in _step_rows(uow, run.id):
        waiting = step.state in OPEN_STEP_STATES or step.state == "queued"
        if not waiting or (only_auto and not step.auto):
            continue
        if step.state == "queued" and step.outbox_id is not None:
            stopped = uow.session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == step.outbox_id, OutboxItem.state == "queued")
                .values(state="failed", last_error=reason)
            )
            if not getattr(stopped, "rowcount", 0):  # "sending" or sent: out of our hands
                continue
        step.state = "cancelled"
        step.claim_token = None
        step.claimed_until = None
        step.last_error = reason
        _cancel_interaction(uow, step.interaction_id, now)
        cancelled.append(step.interaction_id)
    return cancelled


def cancel(uow: UnitOfWork, actor: Actor, run_id: int, now: dt.datetime) -> RunView:
    """Stop the run by hand: its remaining steps are cancelled."""
    actor.require(Permission.INTERACTIONS)
    run = _run_row(uow, actor, run_id)
    if run.state not in LIVE_RUN_STATES:
        raise ValidationError(
            f"Run {run_id} is {run.state} already",
            code="scenarios.runs.run_ended",
            params={"id": str(run_id), "state": run.state},
        )
    end_steps(uow, run, now, f"cancelled by {actor.full_name}", only_auto=False)
    run.state = "cancelled"
    run.stop_reason = f"cancelled by {actor.full_name}"
    run.stopped_at = now
    uow.session.flush()
    return view(uow, run)


def resume(uow: UnitOfWork, actor: Actor, run_id: int) -> RunView:
    """Let a paused run go on: steps that fell due meanwhile run next."""
    actor.require(Permission.INTERACTIONS)
    run = _run_row(uow, actor, run_id)
    if run.state != "paused":
        raise ValidationError(
            f"Run {run_id} is {run.state}, not paused",
            code="scenarios.runs.not_paused",
            params={"id": str(run_id), "state": run.state},
        )
    run.state = "active"
    run.stop_reason = ""
    uow.session.flush()
    return view(uow, run)


def shown_state(step: str, letter: str | None, interaction: str) -> str:
    """A step's state as it is now: its letter and interaction may have moved
    on since the scheduler last brought the step up to date."""
    if step == "queued" and letter in ("sent", "failed"):
        return letter
    if step in ("pending", "ready") and interaction in ("done", "cancelled"):
        return interaction
    return step


def step_views(uow: UnitOfWork, run: ScenarioRun) -> tuple[RunStepView, ...]:
    rows = uow.session.execute(
        select(ScenarioRunStep, Interaction, OutboxItem.state)
        .join(Interaction, Interaction.id == ScenarioRunStep.interaction_id)
        .outerjoin(OutboxItem, OutboxItem.id == ScenarioRunStep.outbox_id)
        .where(ScenarioRunStep.run_id == run.id)
        .order_by(ScenarioRunStep.position, ScenarioRunStep.id)
    ).all()
    return tuple(
        RunStepView(
            id=s.id,
            position=s.position,
            interaction_id=s.interaction_id,
            type=i.type,
            subject=i.subject or "",
            due_utc=s.due_utc,
            due_local=s.due_utc.astimezone(timezones.zone(run.tz)).replace(tzinfo=None),
            tz=run.tz,
            state=shown_state(s.state, letter, i.state),
            ai=s.ai,
            auto_send=s.auto_send,
            attempts=s.attempts,
            last_error=s.last_error,
            next_try_utc=s.next_try_utc,
            outbox_id=s.outbox_id,
        )
        for s, i, letter in rows
    )


def view(uow: UnitOfWork, run: ScenarioRun) -> RunView:
    names = uow.session.execute(
        select(Scenario.name, Client.name, Contact.full_name)
        .select_from(ScenarioRun)
        .join(Scenario, Scenario.id == ScenarioRun.scenario_id)
        .join(Client, Client.id == ScenarioRun.client_id)
        .join(Contact, Contact.id == ScenarioRun.contact_id)
        .where(ScenarioRun.id == run.id)
    ).one()
    return RunView(
        id=run.id,
        scenario_id=run.scenario_id,
        scenario_name=names[0],
        client_id=run.client_id,
        client_name=names[1],
        contact_id=run.contact_id,
        contact_name=names[2],
        started_by=run.started_by,
        state=run.state,
        stop_reason=run.stop_reason,
        created_at=run.created_at,
        steps=step_views(uow, run),
    )


def get(uow: UnitOfWork, actor: Actor, run_id: int) -> RunView:
    return view(uow, _run_row(uow, actor, run_id))


def list_runs(
    uow: UnitOfWork,
    actor: Actor,
    *,
    client_id: int | None = None,
    states: Sequence[str] = (),
    limit: int = 200,
) -> list[RunView]:
    """Runs the actor may see, newest first."""
    query = select(ScenarioRun).join(Client, Client.id == ScenarioRun.client_id)
    if client_id is not None:
        parties.visible_client(uow, actor, client_id)
        query = query.where(ScenarioRun.client_id == client_id)
    elif not actor.can(Permission.CLIENTS_VIEW_ALL):
        query = query.where(Client.owner_id.in_(actor.owner_ids))
    if states:
        query = query.where(ScenarioRun.state.in_(states))
    query = query.order_by(ScenarioRun.id.desc()).limit(max(1, min(limit, 1000)))
    return [view(uow, run) for run in uow.session.scalars(query)]
