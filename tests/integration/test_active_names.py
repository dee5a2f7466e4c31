"""A deleted scenario's or a removed source's name is free for a new one
(unique among active ones: migration 0030's partial unique index, on SQLite
and PostgreSQL); restoring a scenario into a name taken since is refused
with a clear error and changes nothing; the SQLite rebuild keeps the rows
that point at the rebuilt tables, and foreign keys stay on."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import select, text

from models import InboundSource, Scenario, ScenarioStep
from services.core import migrations
from services.core.errors import ValidationError
from services.core.storage import Database
from services.inbound import setup
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from tests.conftest import Team
from tests.integration import inbound_helpers as h


def test_a_deleted_scenarios_name_is_free_and_restoring_into_it_is_refused(
    db: Database, team: Team
) -> None:
    old = scenarios.add_scenario(db, team.admin, "Приветствие", [StepSpec("call")]).value
    with pytest.raises(ValidationError, match="already exists"):
        scenarios.add_scenario(db, team.admin, "Приветствие")
    scenarios.archive_scenario(db, team.admin, old.id)
    new = scenarios.add_scenario(db, team.admin, "Приветствие", [StepSpec("call")]).value
    assert new.id != old.id

    with pytest.raises(ValidationError, match="A scenario named 'Приветствие' already exists"):
        scenarios.restore_scenario(db, team.admin, old.id)
    with db.reader() as uow:
        assert uow.session.get(Scenario, old.id).archived_at is not None  # type: ignore[union-attr]

    scenarios.edit_scenario(db, team.admin, new.id, name="Приветствие 2026")
    assert scenarios.restore_scenario(db, team.admin, old.id).value.name == "Приветствие"


def test_a_removed_sources_name_is_free_and_a_rename_into_a_taken_one_is_refused(
    db: Database, team: Team
) -> None:
    first = h.source(db, team.admin, "Бот продаж")
    setup.remove_source(db, team.admin, first)
    second = h.source(db, team.admin, "Бот продаж")
    assert second != first
    with pytest.raises(ValidationError, match="exists already"):
        h.source(db, team.admin, "Бот продаж")
    other = h.source(db, team.admin, "Бот поддержки")
    with pytest.raises(ValidationError, match="exists already"):
        setup.set_source(db, team.admin, other, name="Бот продаж")
    with db.reader() as uow:
        names = uow.session.execute(
            select(InboundSource.id, InboundSource.name, InboundSource.archived_at.is_(None))
        ).all()
    assert sorted((i, n, bool(a)) for i, n, a in names) == [
        (first, "Бот продаж", False),
        (second, "Бот продаж", True),
        (other, "Бот поддержки", True),
    ]


def test_the_rebuild_keeps_pointing_rows_and_foreign_keys_down_and_up(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    admin = sqlite_team.admin
    chain = scenarios.add_scenario(sqlite_db, admin, "Цепочка", [StepSpec("call")]).value
    source_id = h.source(sqlite_db, admin, "Сайт")
    rule_id = h.rule(sqlite_db, admin, source_id, is_default=True, queue_user_ids=(admin.id,))
    config = migrations.alembic_config(sqlite_db.engine)
    with sqlite_db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0029")
    migrations.upgrade(sqlite_db.engine)
    with sqlite_db.reader() as uow:
        assert uow.session.scalar(text("PRAGMA foreign_keys")) == 1
        assert uow.session.execute(text("PRAGMA foreign_key_check")).all() == []
        steps = uow.session.scalars(
            select(ScenarioStep.scenario_id).where(ScenarioStep.scenario_id == chain.id)
        ).all()
        assert steps == [chain.id]
        assert (
            uow.session.scalar(text(f"SELECT source_id FROM inbound_rules WHERE id = {rule_id}"))
            == source_id
        )
        indexes = {
            row[0]
            for row in uow.session.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index'")
            )
        }
    assert {"uq_scenarios_active_name", "uq_inbound_sources_active_name"} <= indexes
    with pytest.raises(ValidationError, match="exists already"):
        h.source(sqlite_db, admin, "Сайт")
