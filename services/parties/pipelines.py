"""Settings → Pipelines: the admin sets up the pipelines deals move through.

A pipeline is named, holds ordered stages, and may require a planned next
step for every deal in it (SPEC A4). Stage names are compared folded
("Переговоры" and "ПЕРЕГОВОРЫ" are the same stage), so a board never shows
two columns a user cannot tell apart. A stage that still holds deals is not
removed: the admin moves those deals first, and the refusal says how many.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import func, select

from models import Deal, Pipeline, Stage, folding
from services.core.access import Actor, Permission
from services.core.changes import Changes, Outcome
from services.core.errors import ValidationError
from services.core.storage import Database, UnitOfWork
from services.parties import deals, pipeline_history
from services.parties import records as parties

#: More stages than a board can show side by side is a typing accident.
MAX_STAGES = 30
OUTCOMES = ("won", "lost")


@dataclasses.dataclass(frozen=True)
class StageView:
    id: int
    name: str
    position: int
    outcome: str | None
    deals: int


@dataclasses.dataclass(frozen=True)
class PipelineView:
    id: int
    name: str
    requires_planned: bool
    stages: tuple[StageView, ...]


def _stages(uow: UnitOfWork, pipeline_id: int) -> list[Stage]:
    return list(
        uow.session.scalars(
            select(Stage).where(Stage.pipeline_id == pipeline_id).order_by(Stage.position, Stage.id)
        )
    )


def _deal_counts(uow: UnitOfWork, pipeline_id: int, actor: Actor) -> dict[int, int]:
    """Deals per stage, of the owners the actor sees (a manager: their own)."""
    query = select(Deal.stage_id, func.count(Deal.id)).where(Deal.pipeline_id == pipeline_id)
    if not actor.can(Permission.CLIENTS_VIEW_ALL):
        query = query.where(Deal.owner_id.in_(actor.owner_ids))
    rows = uow.session.execute(query.group_by(Deal.stage_id))
    return {stage_id: count for stage_id, count in rows}


def _view(uow: UnitOfWork, pipeline: Pipeline, actor: Actor) -> PipelineView:
    counts = _deal_counts(uow, pipeline.id, actor)
    return PipelineView(
        id=pipeline.id,
        name=pipeline.name,
        requires_planned=bool(pipeline.requires_planned),
        stages=tuple(
            StageView(s.id, s.name, s.position, s.outcome, counts.get(s.id, 0))
            for s in _stages(uow, pipeline.id)
        ),
    )


def pipelines(uow: UnitOfWork, actor: Actor) -> list[PipelineView]:
    """Every pipeline with its stages in order (everyone may read them)."""
    rows = uow.session.scalars(select(Pipeline).order_by(Pipeline.id))
    return [_view(uow, p, actor) for p in rows]


def _done(
    uow: UnitOfWork, actor: Actor, pipeline: Pipeline, changes: Changes
) -> Outcome[PipelineView]:
    uow.session.flush()
    view = _view(uow, pipeline, actor)
    uow.commit()
    return Outcome(view, changes)


def _outcome(text: str | None) -> str | None:
    value = (text or "").strip().lower()
    if not value:
        return None
    if value not in OUTCOMES:
        raise ValidationError(
            f"A closing stage is won or lost, not {value[:20]!r}",
            "outcome",
            code="parties.pipelines.outcome_won_or_lost",
            params={"value": repr(value[:20])},
        )
    return value


def _check_unique_stage(
    uow: UnitOfWork, pipeline: Pipeline, name: str, keep: int | None = None
) -> None:
    folded = folding.fold(name)
    for stage in _stages(uow, pipeline.id):
        if stage.id != keep and folding.fold(stage.name) == folded:
            raise ValidationError(
                f"Pipeline {pipeline.name!r} has a stage named {stage.name!r} already",
                "stage",
                code="parties.pipelines.stage_named_exists",
                params={"pipeline": repr(pipeline.name), "name": repr(stage.name)},
            )


def add_pipeline(
    db: Database, actor: Actor, name: str, stages: list[str], *, requires_planned: bool
) -> Outcome[PipelineView]:
    """A new pipeline with its stages ("Won:won" marks a closing stage)."""
    actor.require(Permission.SETTINGS)
    folded = [
        folding.fold(s.rpartition(":")[0] if s.endswith((":won", ":lost")) else s) for s in stages
    ]
    if len(set(folded)) != len(folded):
        raise ValidationError(
            "Two stages of the pipeline have the same name",
            "stage",
            code="parties.pipelines.stages_same_name",
        )
    with db.uow(actor.id) as uow:
        pid = deals.add_pipeline(uow, actor, name, stages, requires_planned=requires_planned)
        pipeline = deals.pipeline_by_ref(uow, pid)
        pipeline_history.record(uow, actor, pid, "created", None, pipeline.name)
        return _done(uow, actor, pipeline, Changes.of(created={"pipeline": [pid]}))


def rename_pipeline(db: Database, actor: Actor, ref: int | str, name: str) -> Outcome[PipelineView]:
    actor.require(Permission.SETTINGS)
    name = parties.clean_name(name, "Pipeline name")
    with db.uow(actor.id) as uow:
        pipeline = deals.pipeline_by_ref(uow, ref)
        same = folding.in_sql(Pipeline.name) == folding.fold(name)
        other = uow.session.scalar(select(Pipeline.id).where(same, Pipeline.id != pipeline.id))
        if other is not None:
            raise ValidationError(
                f"A pipeline named {name!r} exists already",
                "name",
                code="parties.deals.pipeline_named_exists_already",
                params={"name": repr(name)},
            )
        if pipeline.name != name:
            pipeline_history.record(uow, actor, pipeline.id, "name", pipeline.name, name)
        pipeline.name = name
        return _done(uow, actor, pipeline, Changes.of(updated={"pipeline": [pipeline.id]}))


def set_requires_planned(
    db: Database, actor: Actor, ref: int | str, required: bool
) -> Outcome[PipelineView]:
    """Whether every deal of the pipeline must have a planned next step; the
    rule applies from the next change of each deal."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        pipeline = deals.pipeline_by_ref(uow, ref)
        if bool(pipeline.requires_planned) != required:
            pipeline_history.record(
                uow, actor, pipeline.id, "requires_planned", not required, required
            )
        pipeline.requires_planned = required
        return _done(uow, actor, pipeline, Changes.of(updated={"pipeline": [pipeline.id]}))


def add_stage(
    db: Database,
    actor: Actor,
    ref: int | str,
    name: str,
    *,
    outcome: str | None = None,
    index: int | None = None,
) -> Outcome[PipelineView]:
    """A new stage, last unless ``index`` (0: first) says where."""
    actor.require(Permission.SETTINGS)
    name = parties.clean_name(name, "Stage")
    closing = _outcome(outcome)
    with db.uow(actor.id) as uow:
        pipeline = deals.pipeline_by_ref(uow, ref)
        _check_unique_stage(uow, pipeline, name)
        rows = _stages(uow, pipeline.id)
        if len(rows) >= MAX_STAGES:
            raise ValidationError(
                f"A pipeline holds at most {MAX_STAGES} stages",
                "stage",
                code="parties.pipelines.too_many_stages",
                params={"max_stages": str(MAX_STAGES)},
            )
        stage = Stage(pipeline_id=pipeline.id, name=name, position=len(rows), outcome=closing)
        uow.session.add(stage)
        uow.session.flush()
        at = len(rows) if index is None else max(0, min(index, len(rows)))
        rows.insert(at, stage)
        for position, item in enumerate(rows):
            item.position = position
        pipeline_history.record(uow, actor, pipeline.id, "stage_added", None, name)
        return _done(
            uow,
            actor,
            pipeline,
            Changes.of(created={"stage": [stage.id]}, updated={"pipeline": [pipeline.id]}),
        )


def rename_stage(
    db: Database, actor: Actor, ref: int | str, stage_ref: int | str, name: str
) -> Outcome[PipelineView]:
    actor.require(Permission.SETTINGS)
    name = parties.clean_name(name, "Stage")
    with db.uow(actor.id) as uow:
        pipeline = deals.pipeline_by_ref(uow, ref)
        stage = deals.stage_by_ref(uow, pipeline, stage_ref)
        _check_unique_stage(uow, pipeline, name, keep=stage.id)
        if stage.name != name:
            pipeline_history.record(uow, actor, pipeline.id, "stage_renamed", stage.name, name)
        stage.name = name
        return _done(
            uow,
            actor,
            pipeline,
            Changes.of(updated={"stage": [stage.id], "pipeline": [pipeline.id]}),
        )


def move_stage(
    db: Database, actor: Actor, ref: int | str, stage_ref: int | str, index: int
) -> Outcome[PipelineView]:
    """Put a stage at ``index`` (0: first); the others keep their order."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        pipeline = deals.pipeline_by_ref(uow, ref)
        stage = deals.stage_by_ref(uow, pipeline, stage_ref)
        rows = [s for s in _stages(uow, pipeline.id) if s.id != stage.id]
        was = stage.position
        rows.insert(max(0, min(index, len(rows))), stage)
        for position, item in enumerate(rows):
            item.position = position
        if stage.position != was:  # old: the stage's name; new: its place, from 1
            pipeline_history.record(
                uow, actor, pipeline.id, "stage_moved", stage.name, stage.position + 1
            )
        return _done(
            uow,
            actor,
            pipeline,
            Changes.of(updated={"stage": [s.id for s in rows], "pipeline": [pipeline.id]}),
        )


def remove_stage(
    db: Database, actor: Actor, ref: int | str, stage_ref: int | str
) -> Outcome[PipelineView]:
    """Remove an empty stage; one holding deals (archived ones too) is refused."""
    actor.require(Permission.SETTINGS)
    with db.uow(actor.id) as uow:
        pipeline = deals.pipeline_by_ref(uow, ref)
        stage = deals.stage_by_ref(uow, pipeline, stage_ref)
        held = uow.session.scalar(select(func.count(Deal.id)).where(Deal.stage_id == stage.id))
        if held:
            raise ValidationError(
                f"Stage {stage.name!r} still holds {held} deal(s): "
                "move them to another stage first",
                "stage",
                code="parties.pipelines.stage_holds_deals",
                params={"name": repr(stage.name), "count": str(held)},
            )
        rows = [s for s in _stages(uow, pipeline.id) if s.id != stage.id]
        if not rows:
            raise ValidationError(
                "A pipeline needs at least one stage", code="parties.deals.pipeline_needs_least_one"
            )
        removed = stage.id
        pipeline_history.record(uow, actor, pipeline.id, "stage_removed", stage.name, None)
        uow.session.delete(stage)
        for position, item in enumerate(rows):
            item.position = position
        return _done(
            uow,
            actor,
            pipeline,
            Changes.of(removed={"stage": [removed]}, updated={"pipeline": [pipeline.id]}),
        )


def clash(name: str, names: list[str]) -> str | None:
    """The name among ``names`` that ``name`` would duplicate (any case, ё as е):
    the window's inline check before it asks the use case."""
    folded = folding.fold(name)
    return next((n for n in names if folding.fold(n) == folded), None)
