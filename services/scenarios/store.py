"""The scenario library (SPEC F1): scenarios and their ordered steps.

A step's subject and prompt may use the template variables; they are
checked exactly as a template's are (``services.templates``), so a chain
that saves also fills in. Scenarios are shared by every user of the
database; their author or an administrator changes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import delete, select

from models import EmailTemplate, Scenario, ScenarioStep, folding
from models.base import utcnow
from models.scenarios import ON_REPLY, OWNER_RULES
from services.core.access import Actor, Permission, PermissionDenied
from services.core.errors import ConflictError, NotFoundError, UserError, ValidationError
from services.core.storage import UnitOfWork
from services.interactions.interaction_input import check_type
from services.sync import scenario_kinds
from services.templates import store as templates

MAX_NAME = 200
MAX_STEPS = 50
MAX_DELAY = 365  # working days between two steps
MAX_DESCRIPTION = 5000
EMAIL = "email"


@dataclasses.dataclass(frozen=True)
class StepSpec:
    """One step as the editor or ``touchpoint scenarios`` gives it."""

    type: str
    delay_days: int = 0
    time_minutes: int = 600  # 10:00 in the client's zone
    subject: str = ""
    template_id: int | None = None
    prompt: str = ""
    ai: bool = False
    auto_send: bool = False
    owner_rule: str | None = None  # None: the scenario's


@dataclasses.dataclass(frozen=True)
class StepView:
    id: int
    position: int
    type: str
    delay_days: int
    time_minutes: int
    subject: str
    template_id: int | None
    prompt: str
    ai: bool
    auto_send: bool
    owner_rule: str | None

    @property
    def time_text(self) -> str:
        return f"{self.time_minutes // 60:02d}:{self.time_minutes % 60:02d}"

    def spec(self) -> StepSpec:
        return StepSpec(
            self.type,
            self.delay_days,
            self.time_minutes,
            self.subject,
            self.template_id,
            self.prompt,
            self.ai,
            self.auto_send,
            self.owner_rule,
        )


@dataclasses.dataclass(frozen=True)
class ScenarioView:
    id: int
    name: str
    active: bool
    description: str
    on_reply: str  # pause | stop
    owner_rule: str  # starter | client_owner
    author_id: int
    row_version: int
    steps: tuple[StepView, ...]


def parse_time(text: str) -> int:
    """Minutes after midnight of "HH:MM"."""
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValidationError(
            f"Time of day {text[:20]!r}: write it as HH:MM",
            "time",
            code="scenarios.store.time_format",
            params={"text": repr(text[:20])},
        )
    value = int(hours) * 60 + int(minutes)
    if int(hours) > 23 or int(minutes) > 59:
        raise ValidationError(
            f"Time of day {text[:20]!r} does not exist",
            "time",
            code="scenarios.store.time_does_not_exist",
            params={"text": repr(text[:20])},
        )
    return value


def _step_view(row: ScenarioStep) -> StepView:
    return StepView(
        id=row.id,
        position=row.position,
        type=row.type,
        delay_days=row.delay_days,
        time_minutes=row.time_minutes,
        subject=row.subject,
        template_id=row.template_id,
        prompt=row.prompt,
        ai=row.ai,
        auto_send=row.auto_send,
        owner_rule=row.owner_rule,
    )


def steps_of(uow: UnitOfWork, scenario_id: int) -> list[ScenarioStep]:
    return list(
        uow.session.scalars(
            select(ScenarioStep)
            .where(ScenarioStep.scenario_id == scenario_id)
            .order_by(ScenarioStep.position, ScenarioStep.id)
        )
    )


def view(uow: UnitOfWork, row: Scenario) -> ScenarioView:
    return ScenarioView(
        id=row.id,
        name=row.name,
        active=row.active,
        description=row.description,
        on_reply=row.on_reply,
        owner_rule=row.owner_rule,
        author_id=row.author_id,
        row_version=row.row_version,
        steps=tuple(_step_view(s) for s in steps_of(uow, row.id)),
    )


def row(uow: UnitOfWork, scenario_id: int) -> Scenario:
    found = uow.session.get(Scenario, scenario_id)
    if found is None or found.archived_at is not None:
        raise NotFoundError("Scenario", scenario_id)
    return found


def online_only(uow: UnitOfWork) -> None:
    """Scenarios are the server's reference data on a laptop replica: they
    come down and are never pushed back, so they are edited online (#20)."""
    if read_only_here(uow):
        raise UserError(
            "Scenarios are edited on the server; on this offline copy they are read-only",
            code="scenarios.store.replica_read_only",
        )


def read_only_here(uow: UnitOfWork) -> bool:
    """Whether scenarios are read-only on this database (a laptop replica)."""
    return scenario_kinds.executing_node(uow.session) is not None


def may_edit(actor: Actor, found: Scenario) -> None:
    actor.require(Permission.INTERACTIONS)
    if found.author_id != actor.id and not actor.can_admin():
        raise PermissionDenied(
            f"The scenario {found.name!r} is someone else's; an administrator may change it",
            code="scenarios.store.someone_elses",
            params={"name": repr(found.name)},
        )


def _clean_name(uow: UnitOfWork, name: str, scenario_id: int | None) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("A scenario needs a name", "name", code="scenarios.store.needs_name")
    if len(clean) > MAX_NAME:
        raise ValidationError(
            f"The name is longer than {MAX_NAME} characters",
            "name",
            code="scenarios.store.name_too_long",
            params={"max_name": str(MAX_NAME)},
        )
    check_name_free(uow, clean, scenario_id)
    return clean


def check_name_free(uow: UnitOfWork, name: str, scenario_id: int | None) -> None:
    """Refused while another active scenario has the name in any case, ё as
    е (SQL lower() folds ASCII only: "Приветствие" met the database's unique
    index instead); a deleted scenario's name is free (0030)."""
    taken = uow.session.scalar(
        select(Scenario.id).where(
            folding.in_sql(Scenario.name) == folding.fold(name), Scenario.archived_at.is_(None)
        )
    )
    if taken is not None and taken != scenario_id:
        raise ValidationError(
            f"A scenario named {name!r} already exists",
            "name",
            code="scenarios.store.name_taken",
            params={"name": repr(name)},
        )


def _long_description() -> ValidationError:
    return ValidationError(
        f"The description is longer than {MAX_DESCRIPTION} characters",
        "description",
        code="scenarios.store.description_too_long",
        params={"max_description": str(MAX_DESCRIPTION)},
    )


def _check_choice(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise ValidationError(
            f"The {what} must be one of: {', '.join(allowed)}",
            what,
            code="scenarios.store.choice",
            params={"what": what, "allowed": ", ".join(allowed)},
        )
    return value


def check_step(uow: UnitOfWork, step: StepSpec, number: int) -> StepSpec:
    """The step as it will be saved; a ``ValidationError`` naming the step."""
    where = f"Step {number}"
    try:
        code = check_type(uow, step.type)
    except ValidationError as exc:
        raise ValidationError(
            f"{where}: {exc}",
            "type",
            code="scenarios.store.step_error",
            params={"number": str(number), "exc": str(exc)},
        ) from None
    if not 0 <= step.delay_days <= MAX_DELAY:
        raise ValidationError(
            f"{where}: the delay is 0 to {MAX_DELAY} working days",
            "delay",
            code="scenarios.store.step_delay",
            params={"number": str(number), "max_delay": str(MAX_DELAY)},
        )
    if not 0 <= step.time_minutes < 24 * 60:
        raise ValidationError(
            f"{where}: the time of day is 00:00 to 23:59",
            "time",
            code="scenarios.store.step_time",
            params={"number": str(number)},
        )
    if step.owner_rule is not None:
        _check_choice(step.owner_rule, OWNER_RULES, "owner rule")
    if step.auto_send and code != EMAIL:
        raise ValidationError(
            f"{where}: only a letter can be sent automatically",
            "auto_send",
            code="scenarios.store.step_auto_send_letter",
            params={"number": str(number)},
        )
    if step.template_id is not None:
        template = uow.session.get(EmailTemplate, step.template_id)
        if template is None:
            raise NotFoundError("Template", step.template_id)
        if not template.active:
            raise ValidationError(
                f"{where}: the template {template.name!r} is deactivated",
                "template",
                code="scenarios.store.step_template_inactive",
                params={"number": str(number), "name": repr(template.name)},
            )
    if step.ai and step.template_id is None and not step.prompt.strip():
        raise ValidationError(
            f"{where}: an AI step needs a prompt or an AI template",
            "prompt",
            code="scenarios.store.step_ai_needs_prompt",
            params={"number": str(number)},
        )
    if step.auto_send:
        if step.template_id is None and not step.prompt.strip():
            raise ValidationError(
                f"{where}: a letter sent by itself needs a template or a prompt",
                "prompt",
                code="scenarios.store.step_auto_needs_text",
                params={"number": str(number)},
            )
        if step.template_id is None and not step.subject.strip():
            raise ValidationError(
                f"{where}: a letter sent by itself needs a subject",
                "subject",
                code="scenarios.store.step_auto_needs_subject",
                params={"number": str(number)},
            )
    try:
        templates.check(uow, step.subject, step.prompt, ai=step.ai)
    except ValidationError as exc:
        raise ValidationError(
            f"{where}: {exc}",
            exc.field,
            code="scenarios.store.step_error",
            params={"number": str(number), "exc": str(exc)},
        ) from None
    return dataclasses.replace(step, type=code, subject=" ".join(step.subject.split()))


def _write_steps(uow: UnitOfWork, scenario: Scenario, steps: Sequence[StepSpec]) -> None:
    if len(steps) > MAX_STEPS:
        raise ValidationError(
            f"A scenario has at most {MAX_STEPS} steps",
            "steps",
            code="scenarios.store.too_many_steps",
            params={"max_steps": str(MAX_STEPS)},
        )
    checked = [check_step(uow, s, n) for n, s in enumerate(steps, 1)]
    uow.session.execute(delete(ScenarioStep).where(ScenarioStep.scenario_id == scenario.id))
    for position, step in enumerate(checked, 1):
        uow.session.add(
            ScenarioStep(
                scenario_id=scenario.id,
                position=position,
                type=step.type,
                delay_days=step.delay_days,
                time_minutes=step.time_minutes,
                subject=step.subject,
                template_id=step.template_id,
                prompt=step.prompt,
                ai=step.ai,
                auto_send=step.auto_send,
                owner_rule=step.owner_rule,
            )
        )
    uow.session.flush()


def create(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    steps: Sequence[StepSpec] = (),
    *,
    description: str = "",
    active: bool = True,
    on_reply: str = "stop",
    owner_rule: str = "starter",
) -> ScenarioView:
    actor.require(Permission.INTERACTIONS)
    online_only(uow)
    if len(description) > MAX_DESCRIPTION:
        raise _long_description()
    scenario = Scenario(
        name=_clean_name(uow, name, None),
        description=description,
        active=active,
        on_reply=_check_choice(on_reply, ON_REPLY, "reply rule"),
        owner_rule=_check_choice(owner_rule, OWNER_RULES, "owner rule"),
        author_id=actor.id,
    )
    uow.session.add(scenario)
    uow.session.flush()
    _write_steps(uow, scenario, steps)
    return view(uow, scenario)


def update(
    uow: UnitOfWork,
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
) -> ScenarioView:
    """Change what is given; ``steps`` replaces the whole chain (the editor's
    reorder, duplicate and remove). Runs already started keep their steps."""
    scenario = row(uow, scenario_id)
    online_only(uow)
    may_edit(actor, scenario)
    if row_version is not None and row_version != scenario.row_version:
        raise ConflictError(
            f"Someone else changed the scenario {scenario.name!r} meanwhile; reload it",
            code="scenarios.store.changed_meanwhile",
            params={"name": repr(scenario.name)},
        )
    if name is not None:
        scenario.name = _clean_name(uow, name, scenario.id)
    if description is not None:
        if len(description) > MAX_DESCRIPTION:
            raise _long_description()
        scenario.description = description
    if active is not None:
        scenario.active = active
    if on_reply is not None:
        scenario.on_reply = _check_choice(on_reply, ON_REPLY, "reply rule")
    if owner_rule is not None:
        scenario.owner_rule = _check_choice(owner_rule, OWNER_RULES, "owner rule")
    if steps is not None:
        _write_steps(uow, scenario, steps)
        scenario.updated_at = utcnow()  # the chain is part of the scenario's version
    uow.session.flush()
    return view(uow, scenario)


def _step_specs(uow: UnitOfWork, scenario_id: int) -> list[StepSpec]:
    return [_step_view(s).spec() for s in steps_of(uow, scenario_id)]


def _index(specs: Sequence[StepSpec], position: int) -> int:
    if not 1 <= position <= len(specs):
        raise ValidationError(
            f"There is no step {position}; the scenario has {len(specs)}",
            code="scenarios.store.no_such_step",
            params={"position": str(position), "count": str(len(specs))},
        )
    return position - 1


def add_step(
    uow: UnitOfWork, actor: Actor, scenario_id: int, step: StepSpec, position: int | None = None
) -> ScenarioView:
    specs = _step_specs(uow, scenario_id)
    at = len(specs) if position is None else _index([*specs, step], position)
    specs.insert(at, step)
    return update(uow, actor, scenario_id, steps=specs)


def move_step(
    uow: UnitOfWork, actor: Actor, scenario_id: int, position: int, to: int
) -> ScenarioView:
    specs = _step_specs(uow, scenario_id)
    step = specs.pop(_index(specs, position))
    specs.insert(_index([*specs, step], to), step)
    return update(uow, actor, scenario_id, steps=specs)


def duplicate_step(uow: UnitOfWork, actor: Actor, scenario_id: int, position: int) -> ScenarioView:
    specs = _step_specs(uow, scenario_id)
    at = _index(specs, position)
    specs.insert(at + 1, specs[at])
    return update(uow, actor, scenario_id, steps=specs)


def remove_step(uow: UnitOfWork, actor: Actor, scenario_id: int, position: int) -> ScenarioView:
    specs = _step_specs(uow, scenario_id)
    specs.pop(_index(specs, position))
    return update(uow, actor, scenario_id, steps=specs)


def get(uow: UnitOfWork, actor: Actor, scenario_id: int) -> ScenarioView:
    return view(uow, row(uow, scenario_id))


def list_scenarios(
    uow: UnitOfWork, actor: Actor, *, include_inactive: bool = False
) -> list[ScenarioView]:
    query = select(Scenario).where(Scenario.archived_at.is_(None))
    query = query.order_by(Scenario.name, Scenario.id)
    if not include_inactive:
        query = query.where(Scenario.active.is_(True))
    return [view(uow, r) for r in uow.session.scalars(query)]


def list_archived(uow: UnitOfWork, actor: Actor) -> list[ScenarioView]:
    """Deleted scenarios, newest deletion first: what Settings → Scenarios
    offers to restore (the actor restores only those ``may_edit`` allows)."""
    query = select(Scenario).where(Scenario.archived_at.is_not(None))
    query = query.order_by(Scenario.archived_at.desc(), Scenario.id.desc())
    return [view(uow, r) for r in uow.session.scalars(query.limit(500))]
