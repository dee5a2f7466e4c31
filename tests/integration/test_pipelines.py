"""Settings → Pipelines use cases: an administrator sets up pipelines and
their stages (Cyrillic names compared in any case); a manager may not; a
stage with deals is not removed, and the refusal says how many."""

from __future__ import annotations

import pytest

from models import User
from services.core.access import PermissionDenied
from services.core.errors import ValidationError
from services.core.storage import Database
from services.parties import deals, pipeline_history
from services.parties import pipelines as pipes
from tests.conftest import Team
from tests.integration.helpers import client, row_counts


def _names(view: pipes.PipelineView) -> list[str]:
    return [s.name for s in view.stages]


def test_an_admin_builds_a_pipeline_stage_by_stage(db: Database, team: Team) -> None:
    done = pipes.add_pipeline(
        db, team.admin, "Оптовые продажи", ["Заявка", "Выиграна:won"], requires_planned=False
    )
    assert done.changes.created == {"pipeline": frozenset({done.value.id})}
    pid = done.value.id
    view = pipes.add_stage(db, team.admin, pid, "Переговоры", index=1).value
    assert _names(view) == ["Заявка", "Переговоры", "Выиграна"]
    view = pipes.add_stage(db, team.admin, "оптовые ПРОДАЖИ", "Отказ", outcome="lost").value
    assert [s.outcome for s in view.stages] == [None, None, "won", "lost"]
    view = pipes.move_stage(db, team.admin, pid, "переговоры", 0).value
    assert _names(view)[:2] == ["Переговоры", "Заявка"]
    assert [s.position for s in view.stages] == [0, 1, 2, 3]
    view = pipes.rename_stage(db, team.admin, pid, "Заявка", "Новая заявка").value
    assert _names(view)[1] == "Новая заявка"
    view = pipes.rename_pipeline(db, team.admin, pid, "Опт").value
    view = pipes.set_requires_planned(db, team.admin, "опт", True).value
    assert (view.name, view.requires_planned) == ("Опт", True)
    view = pipes.remove_stage(db, team.admin, pid, "Отказ").value
    assert _names(view) == ["Переговоры", "Новая заявка", "Выиграна"]
    with db.reader() as uow:
        listed = {p.name: p for p in pipes.pipelines(uow, team.anna)}
    assert _names(listed["Опт"]) == _names(view)
    assert listed["Опт"].requires_planned
    with db.reader() as uow:
        changes = pipeline_history.history(uow, team.admin, pid)
        with pytest.raises(PermissionDenied):
            pipeline_history.history(uow, team.anna, pid)
    assert [(c.field, c.old, c.new) for c in reversed(changes)] == [
        ("created", None, "Оптовые продажи"),
        ("stage_added", None, "Переговоры"),
        ("stage_added", None, "Отказ"),
        ("stage_moved", "Переговоры", "1"),
        ("stage_renamed", "Заявка", "Новая заявка"),
        ("name", "Оптовые продажи", "Опт"),
        ("requires_planned", "False", "True"),
        ("stage_removed", "Отказ", None),
    ]
    with db.reader() as uow:
        admin_name = uow.session.get(User, team.admin.id).full_name  # type: ignore[union-attr]
    assert {c.user for c in changes} == {admin_name}


def test_duplicate_and_empty_names_are_refused_and_nothing_changes(
    db: Database, team: Team
) -> None:
    pid = pipes.add_pipeline(
        db, team.admin, "Ёлки", ["Переговоры", "Счёт"], requires_planned=False
    ).value.id
    before = row_counts(db)
    cases = [
        lambda: pipes.add_stage(db, team.admin, pid, "ПЕРЕГОВОРЫ"),
        lambda: pipes.add_stage(db, team.admin, pid, "счет"),  # ё as е
        lambda: pipes.add_stage(db, team.admin, pid, "   "),
        lambda: pipes.add_stage(db, team.admin, pid, "Итог", outcome="maybe"),
        lambda: pipes.rename_stage(db, team.admin, pid, "Счёт", "переговоры"),
        lambda: pipes.rename_pipeline(db, team.admin, pid, "Sales"),
        lambda: pipes.rename_pipeline(db, team.admin, pid, ""),
        lambda: pipes.add_pipeline(db, team.admin, "Два", ["Да", "ДА"], requires_planned=False),
    ]
    codes = []
    for case in cases:
        with pytest.raises(ValidationError) as refused:
            case()
        codes.append(refused.value.code)
    assert codes[0] == codes[1] == codes[4] == "parties.pipelines.stage_named_exists"
    assert codes[5] == "parties.deals.pipeline_named_exists_already"
    assert row_counts(db) == before
    with db.reader() as uow:
        view = next(p for p in pipes.pipelines(uow, team.admin) if p.id == pid)
    assert _names(view) == ["Переговоры", "Счёт"]


def test_a_stage_with_deals_is_not_removed_and_the_refusal_counts_them(
    db: Database, team: Team
) -> None:
    cid = client(db)
    with db.uow() as uow:
        pipeline = deals.pipeline_by_ref(uow, "Sales")
        stage = deals.stage_by_ref(uow, pipeline, None)
        for title in ("Поставка", "Монтаж"):
            deals.add_deal(uow, team.admin, title, client_id=cid, stage=stage.id)
        uow.commit()
        pid, sid, name = pipeline.id, stage.id, stage.name
    with pytest.raises(ValidationError) as refused:
        pipes.remove_stage(db, team.admin, pid, sid)
    assert refused.value.code == "parties.pipelines.stage_holds_deals"
    assert refused.value.params["count"] == "2"
    assert "2 deal(s)" in str(refused.value)
    with db.reader() as uow:
        view = next(p for p in pipes.pipelines(uow, team.admin) if p.id == pid)
        mine = next(p for p in pipes.pipelines(uow, team.anna) if p.id == pid)
    assert name in _names(view)
    assert view.stages[0].deals == 2
    assert mine.stages[0].deals == 0  # a manager counts only the deals they see


def test_the_last_stage_stays(db: Database, team: Team) -> None:
    pid = pipes.add_pipeline(db, team.admin, "Один", ["Этап"], requires_planned=False).value.id
    with pytest.raises(ValidationError):
        pipes.remove_stage(db, team.admin, pid, "Этап")


def test_a_manager_may_not_change_pipelines(db: Database, team: Team) -> None:
    before = row_counts(db)
    for case in (
        lambda: pipes.add_pipeline(db, team.anna, "Моя", ["Один"], requires_planned=False),
        lambda: pipes.rename_pipeline(db, team.anna, "Sales", "Моя"),
        lambda: pipes.set_requires_planned(db, team.anna, "Sales", True),
        lambda: pipes.add_stage(db, team.anna, "Sales", "Шпионаж"),
        lambda: pipes.rename_stage(db, team.anna, "Sales", "Won", "Моя"),
        lambda: pipes.move_stage(db, team.anna, "Sales", "Won", 0),
        lambda: pipes.remove_stage(db, team.anna, "Sales", "Won"),
    ):
        with pytest.raises(PermissionDenied):
            case()
    assert row_counts(db) == before
