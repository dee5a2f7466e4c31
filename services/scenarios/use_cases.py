"""What a user does with scenarios: one function per action, shared by
``touchpoint scenarios`` and the desktop (Settings → Scenarios, applying
from a card or the interaction dialog).

Each opens its own unit of work and commits it, so applying a scenario
writes all its planned interactions or none; the ``Changes`` name the
scenario or run and the interactions and card it touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from services.core.access import Actor
from services.core.changes import Changes, Outcome
from services.core.storage import Database, UnitOfWork
from services.feed import touched
from services.scenarios import archive, runs, store
from services.scenarios.runs import PlannedStep, RunView
from services.scenarios.store import ScenarioView, StepSpec


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC)


def _scenario(
    db: Database, actor: Actor, fn: Callable[[UnitOfWork], ScenarioView], *, created: bool
) -> Outcome[ScenarioView]:
    with db.uow(actor.id, durable=True) as uow:
        view = fn(uow)
        uow.commit()
    ids = {"scenario": [view.id]}
    return Outcome(view, Changes.of(created=ids) if created else Changes.of(updated=ids))


def add_scenario(
    db: Database,
    actor: Actor,
    name: str,
    steps: Sequence[StepSpec] = (),
    *,
    description: str = "",
    active: bool = True,
    on_reply: str = "stop",
    owner_rule: str = "starter",
) -> Outcome[ScenarioView]:
    """A new scenario; every step is checked before anything is saved."""
    return _scenario(
        db,
        actor,
        lambda uow: store.create(
            uow,
            actor,
            name,
            steps,
            description=description,
            active=active,
            on_reply=on_reply,
            owner_rule=owner_rule,
        ),
        created=True,
    )


def edit_scenario(
    db: Database,
    actor: Actor,
    scenario_id: int,
    *,
    name: str | None = None,
    description: str | None = None,
    active: bool | None = None,
    on_reply: str | None = None,
    owner_rule: str | None = None,
    steps: Sequence[StepSpec] | None = None,
    row_version: int | None = None,
) -> Outcome[ScenarioView]:
    """Change what is given; ``steps`` replaces the chain (reorder, duplicate,
    remove). Runs already started keep the steps they were planned with."""
    return _scenario(
        db,
        actor,
        lambda uow: store.update(
            uow,
            actor,
            scenario_id,
            name=name,
            description=description,
            active=active,
            on_reply=on_reply,
            owner_rule=owner_rule,
            steps=steps,
            row_version=row_version,
        ),
        created=False,
    )


def deactivate_scenario(db: Database, actor: Actor, scenario_id: int) -> Outcome[ScenarioView]:
    """No longer offered for applying; running chains go on."""
    return edit_scenario(db, actor, scenario_id, active=False)


def archive_scenario(
    db: Database, actor: Actor, scenario_id: int, now: dt.datetime | None = None
) -> Outcome[ScenarioView]:
    """Delete a scenario (undo with ``restore_scenario``): no longer listed,
    edited or applied; running chains go on."""
    when = _now(now)
    return _scenario(
        db, actor, lambda uow: archive.archive(uow, actor, scenario_id, when), created=False
    )


def restore_scenario(db: Database, actor: Actor, scenario_id: int) -> Outcome[ScenarioView]:
    """Undo of ``archive_scenario``."""
    return _scenario(db, actor, lambda uow: archive.restore(uow, actor, scenario_id), created=False)


def add_step(
    db: Database, actor: Actor, scenario_id: int, step: StepSpec, position: int | None = None
) -> Outcome[ScenarioView]:
    return _scenario(
        db,
        actor,
        lambda uow: store.add_step(uow, actor, scenario_id, step, position),
        created=False,
    )


def move_scenario_step(
    db: Database, actor: Actor, scenario_id: int, position: int, to: int
) -> Outcome[ScenarioView]:
    return _scenario(
        db, actor, lambda uow: store.move_step(uow, actor, scenario_id, position, to), created=False
    )


def duplicate_step(
    db: Database, actor: Actor, scenario_id: int, position: int
) -> Outcome[ScenarioView]:
    return _scenario(
        db,
        actor,
        lambda uow: store.duplicate_step(uow, actor, scenario_id, position),
        created=False,
    )


def remove_step(
    db: Database, actor: Actor, scenario_id: int, position: int
) -> Outcome[ScenarioView]:
    return _scenario(
        db, actor, lambda uow: store.remove_step(uow, actor, scenario_id, position), created=False
    )


def list_scenarios(
    db: Database, actor: Actor, *, include_inactive: bool = False
) -> list[ScenarioView]:
    with db.reader(actor.id) as uow:
        return store.list_scenarios(uow, actor, include_inactive=include_inactive)


def get_scenario(db: Database, actor: Actor, scenario_id: int) -> ScenarioView:
    with db.reader(actor.id) as uow:
        return store.get(uow, actor, scenario_id)


def preview(
    db: Database,
    actor: Actor,
    scenario_id: int,
    client_id: int,
    now: dt.datetime | None = None,
) -> list[PlannedStep]:
    """The chain's real dates for a client if applied now; nothing written."""
    with db.reader(actor.id) as uow:
        return runs.preview(uow, actor, scenario_id, client_id, _now(now))


def _run(made: Outcome[RunView], *, created: bool) -> Outcome[RunView]:
    ids = {"scenario_run": [made.value.id]}
    extra = Changes.of(
        created=ids if created else None,
        updated=None if created else ids,
        cards=[("client", made.value.client_id), ("contact", made.value.contact_id)],
    )
    return touched.plus(made, extra)


def apply_scenario(
    db: Database,
    actor: Actor,
    scenario_id: int,
    client_id: int,
    contact_id: int,
    now: dt.datetime | None = None,
) -> Outcome[RunView]:
    """Start an active scenario for a client and contact person: every step
    becomes a planned interaction, all in one transaction."""
    made = touched.in_unit(
        db, actor, lambda uow: runs.apply(uow, actor, scenario_id, client_id, contact_id, _now(now))
    )
    return _run(made, created=True)


def move_run_step(
    db: Database, actor: Actor, run_step_id: int, start: dt.datetime
) -> Outcome[RunView]:
    """Move a step's date; the pending steps after it are planned again from it."""
    made = touched.in_unit(db, actor, lambda uow: runs.move_step(uow, actor, run_step_id, start))
    return _run(made, created=False)


def cancel_run(
    db: Database, actor: Actor, run_id: int, now: dt.datetime | None = None
) -> Outcome[RunView]:
    """Stop a run: the steps that have not happened are cancelled."""
    made = touched.in_unit(db, actor, lambda uow: runs.cancel(uow, actor, run_id, _now(now)))
    return _run(made, created=False)


def resume_run(db: Database, actor: Actor, run_id: int) -> Outcome[RunView]:
    """Let a run paused by a reply go on."""
    made = touched.in_unit(db, actor, lambda uow: runs.resume(uow, actor, run_id))
    return _run(made, created=False)


def list_runs(
    db: Database,
    actor: Actor,
    *,
    client_id: int | None = None,
    states: Sequence[str] = (),
) -> list[RunView]:
    with db.reader(actor.id) as uow:
        return runs.list_runs(uow, actor, client_id=client_id, states=states)


def get_run(db: Database, actor: Actor, run_id: int) -> RunView:
    with db.reader(actor.id) as uow:
        return runs.get(uow, actor, run_id)
