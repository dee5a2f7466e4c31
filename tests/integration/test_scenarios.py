"""Scenarios (SPEC F1, F2) on SQLite and PostgreSQL: the library, applying a
chain in one transaction, moving a step, cancelling a run, who may."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import Interaction, ScenarioRun, ScenarioRunStep
from services.core.access import Actor, PermissionDenied
from services.core.errors import ValidationError
from services.core.storage import Database
from services.scenarios import content
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from tests.conftest import Team
from tests.integration.helpers import row_counts
from tests.integration.scenario_helpers import FRIDAY, make_card, make_chain


def _local(run: scenarios.RunView) -> list[str]:
    return [f"{s.due_local:%a %d.%m %H:%M}" for s in run.steps]


def test_applying_plans_every_step_on_working_days_in_the_clients_zone(
    db: Database, actor: Actor
) -> None:
    card = make_card(db, actor)
    chain = make_chain(db, actor)
    preview = scenarios.preview(db, actor, chain, card.client_id, FRIDAY)
    before = row_counts(db)
    made = scenarios.apply_scenario(db, actor, chain, card.client_id, card.contact_id, FRIDAY)
    run = made.value
    expected = [
        "Fri 27.11 14:00",  # the same day: no delay
        "Tue 01.12 11:00",  # two working days after Friday: the weekend does not count
        "Wed 02.12 10:00",
        "Mon 07.12 15:30",
        "Wed 09.12 09:00",
    ]
    assert _local(run) == expected
    assert [f"{p.local:%a %d.%m %H:%M}" for p in preview] == expected
    assert {s.tz for s in run.steps} == {"Europe/Moscow"}
    assert run.steps[0].due_utc == dt.datetime(2026, 11, 27, 11, 0, tzinfo=dt.UTC)
    assert [s.subject for s in run.steps][:2] == [
        "Знакомство: ООО «Ромашка»",
        "Звонок Иванов Иван Петрович",
    ]
    assert [s.state for s in run.steps] == ["pending"] * 5
    assert run.state == "active"
    after = row_counts(db)
    assert after["interactions"] - before["interactions"] == 5
    with db.reader() as uow:
        rows = uow.session.scalars(
            select(Interaction).where(Interaction.id.in_([s.interaction_id for s in run.steps]))
        ).all()
        assert {r.state for r in rows} == {"planned"}
        first = next(r for r in rows if r.id == run.steps[0].interaction_id)
        assert first.body == "Здравствуйте, Иван! Пишу по поводу поставки."
    assert made.changes.touches("scenario_run", [run.id])
    assert made.changes.touches_card("client", card.client_id)
    assert made.changes.touches("interaction", [s.interaction_id for s in run.steps])


def test_a_failure_half_way_through_applying_leaves_nothing(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = make_card(db, actor)
    chain = make_chain(db, actor)
    before = row_counts(db)
    real = content.fill
    calls = 0

    def fail_on_the_fourth(*args: object, **kwargs: object) -> content.Filled:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise ValidationError("the fourth step could not be filled in")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(content, "fill", fail_on_the_fourth)
    with pytest.raises(ValidationError, match="fourth"):
        scenarios.apply_scenario(db, actor, chain, card.client_id, card.contact_id, FRIDAY)
    assert calls == 4
    assert row_counts(db) == before
    with db.reader() as uow:
        assert uow.session.scalar(select(ScenarioRun.id)) is None
        assert uow.session.scalar(select(ScenarioRunStep.id)) is None


def test_only_active_scenarios_with_the_clients_own_contact_apply(
    db: Database, actor: Actor
) -> None:
    card = make_card(db, actor)
    other = make_card(db, actor, "АО «Василёк»", "Петрова Мария", "maria@vasilek.ru")
    chain = make_chain(db, actor)
    with pytest.raises(ValidationError, match="not a contact person"):
        scenarios.apply_scenario(db, actor, chain, card.client_id, other.contact_id, FRIDAY)
    scenarios.deactivate_scenario(db, actor, chain)
    assert scenarios.list_scenarios(db, actor) == []
    with pytest.raises(ValidationError, match="not active"):
        scenarios.apply_scenario(db, actor, chain, card.client_id, card.contact_id, FRIDAY)


def test_steps_are_checked_like_templates_and_auto_send_is_for_letters_only(
    db: Database, actor: Actor
) -> None:
    with pytest.raises(ValidationError, match="Step 1"):
        scenarios.add_scenario(
            db, actor, "Плохой", [StepSpec("email", subject="{{ client.nosuch }}", prompt="x")]
        )
    with pytest.raises(ValidationError, match="only a letter"):
        scenarios.add_scenario(
            db, actor, "Звонок сам", [StepSpec("call", subject="x", prompt="y", auto_send=True)]
        )
    with pytest.raises(ValidationError, match=r"Step 2.*type"):
        scenarios.add_scenario(db, actor, "Тип", [StepSpec("call"), StepSpec("telepathy")])
    assert scenarios.list_scenarios(db, actor, include_inactive=True) == []


def test_steps_are_reordered_duplicated_and_removed(db: Database, actor: Actor) -> None:
    chain = make_chain(db, actor)
    types = lambda view: [s.type for s in view.steps]  # noqa: E731
    moved = scenarios.move_scenario_step(db, actor, chain, 5, 1).value
    assert types(moved) == ["email", "email", "call", "email", "meeting"]
    copied = scenarios.duplicate_step(db, actor, chain, 3).value
    assert types(copied) == ["email", "email", "call", "call", "email", "meeting"]
    removed = scenarios.remove_step(db, actor, chain, 1).value
    assert types(removed) == ["email", "call", "call", "email", "meeting"]
    assert [s.position for s in removed.steps] == [1, 2, 3, 4, 5]
    with pytest.raises(ValidationError, match="no step 9"):
        scenarios.remove_step(db, actor, chain, 9)


def test_moving_a_step_replans_the_pending_steps_after_it(db: Database, actor: Actor) -> None:
    card = make_card(db, actor)
    chain = make_chain(db, actor)
    run = scenarios.apply_scenario(db, actor, chain, card.client_id, card.contact_id, FRIDAY).value
    second = run.steps[1]
    moved = scenarios.move_run_step(db, actor, second.id, dt.datetime(2026, 12, 4, 16, 0)).value
    assert _local(moved) == [
        "Fri 27.11 14:00",
        "Fri 04.12 16:00",
        "Mon 07.12 10:00",
        "Thu 10.12 15:30",
        "Mon 14.12 09:00",
    ]
    with db.reader() as uow:
        start = uow.session.scalar(
            select(Interaction.start_utc).where(Interaction.id == moved.steps[3].interaction_id)
        )
    assert start == dt.datetime(2026, 12, 10, 12, 30, tzinfo=dt.UTC)


def test_cancelling_a_run_cancels_its_remaining_steps(db: Database, actor: Actor) -> None:
    card = make_card(db, actor)
    chain = make_chain(db, actor)
    run = scenarios.apply_scenario(db, actor, chain, card.client_id, card.contact_id, FRIDAY).value
    made = scenarios.cancel_run(db, actor, run.id, FRIDAY)
    assert made.value.state == "cancelled"
    assert {s.state for s in made.value.steps} == {"cancelled"}
    with db.reader() as uow:
        states = set(
            uow.session.scalars(
                select(Interaction.state).where(
                    Interaction.id.in_([s.interaction_id for s in run.steps])
                )
            )
        )
    assert states == {"cancelled"}
    assert made.changes.touches("interaction", [run.steps[0].interaction_id])
    with pytest.raises(ValidationError, match="cancelled already"):
        scenarios.cancel_run(db, actor, run.id, FRIDAY)


def test_a_manager_cannot_apply_see_or_cancel_on_a_colleagues_client(
    db: Database, team: Team
) -> None:
    card = make_card(db, team.anna)
    chain = make_chain(db, team.anna)
    before = row_counts(db)
    with pytest.raises(PermissionDenied):
        scenarios.apply_scenario(db, team.boris, chain, card.client_id, card.contact_id, FRIDAY)
    with pytest.raises(PermissionDenied):
        scenarios.preview(db, team.boris, chain, card.client_id, FRIDAY)
    assert row_counts(db) == before
    run = scenarios.apply_scenario(
        db, team.anna, chain, card.client_id, card.contact_id, FRIDAY
    ).value
    with pytest.raises(PermissionDenied):
        scenarios.cancel_run(db, team.boris, run.id, FRIDAY)
    with pytest.raises(PermissionDenied):
        scenarios.get_run(db, team.boris, run.id)
    with pytest.raises(PermissionDenied):
        scenarios.move_run_step(db, team.boris, run.steps[1].id, dt.datetime(2026, 12, 4, 16))
    assert scenarios.list_runs(db, team.boris) == []
    assert [r.id for r in scenarios.list_runs(db, team.anna)] == [run.id]
    assert scenarios.get_run(db, team.anna, run.id).state == "active"
    with pytest.raises(PermissionDenied):
        scenarios.edit_scenario(db, team.boris, chain, name="Чужой")


def test_the_owner_rule_gives_the_steps_to_the_starter_or_the_clients_owner(
    db: Database, team: Team
) -> None:
    card = make_card(db, team.anna)
    by_owner = make_chain(db, team.admin, "Ответственному", owner_rule="client_owner")
    steps = (StepSpec("call", 0), StepSpec("meeting", 1, owner_rule="starter"))
    mixed = scenarios.add_scenario(
        db, team.admin, "Смешанный", steps, owner_rule="client_owner"
    ).value.id
    runs = [
        scenarios.apply_scenario(
            db, team.admin, chain, card.client_id, card.contact_id, FRIDAY
        ).value
        for chain in (by_owner, mixed)
    ]
    with db.reader() as uow:
        owners = [
            [
                uow.session.scalar(
                    select(Interaction.owner_id).where(Interaction.id == s.interaction_id)
                )
                for s in run.steps
            ]
            for run in runs
        ]
    assert owners[0] == [team.anna.id] * 5  # the client's owner
    assert owners[1] == [team.anna.id, team.admin.id]  # a step's own rule: who started it
