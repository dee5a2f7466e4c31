"""What the rule editor offers to choose from, read in one unit of work: the
active users (a queue, a rule's user, a deal's owner), the roles, every
pipeline with its stages, and the rejection reasons that are not hidden."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from models import Pipeline, RejectionReason, Role, Stage, User
from services.core.storage import UnitOfWork


@dataclasses.dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclasses.dataclass(frozen=True)
class PipelineChoice:
    id: int
    name: str
    stages: tuple[Choice, ...]


@dataclasses.dataclass(frozen=True)
class ReasonChoice:
    id: int
    name_en: str
    name_ru: str


@dataclasses.dataclass(frozen=True)
class RuleChoices:
    users: tuple[Choice, ...]
    roles: tuple[Choice, ...]
    pipelines: tuple[PipelineChoice, ...]
    reasons: tuple[ReasonChoice, ...]


def rule_choices(uow: UnitOfWork) -> RuleChoices:
    session = uow.session
    users = tuple(
        Choice(row.id, row.full_name or row.login)
        for row in session.execute(
            select(User.id, User.full_name, User.login)
            .where(User.active.is_(True))
            .order_by(User.full_name, User.id)
        )
    )
    roles = tuple(
        Choice(row.id, row.name)
        for row in session.execute(select(Role.id, Role.name).order_by(Role.id))
    )
    stages: dict[int, list[Choice]] = {}
    for row in session.execute(
        select(Stage.id, Stage.name, Stage.pipeline_id).order_by(Stage.position, Stage.id)
    ):
        stages.setdefault(row.pipeline_id, []).append(Choice(row.id, row.name))
    pipelines = tuple(
        PipelineChoice(row.id, row.name, tuple(stages.get(row.id, ())))
        for row in session.execute(select(Pipeline.id, Pipeline.name).order_by(Pipeline.id))
    )
    reasons = tuple(
        ReasonChoice(row.id, row.name_en, row.name_ru)
        for row in session.execute(
            select(RejectionReason.id, RejectionReason.name_en, RejectionReason.name_ru)
            .where(RejectionReason.hidden.is_(False))
            .order_by(RejectionReason.position, RejectionReason.id)
        )
    )
    return RuleChoices(users, roles, pipelines, reasons)
