"""Scenario refusals read in Russian in the window, English on the CLI."""

from __future__ import annotations

import pytest

from services.core import bootstrap
from services.core.errors import UserError
from services.core.storage import Database
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from tests.integration.scenario_helpers import FRIDAY, make_card
from ui.shell import error_text


def test_scenario_refusals_read_in_russian(russian: None, sqlite_db: Database) -> None:
    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    card = make_card(sqlite_db, actor)
    with pytest.raises(UserError) as bad_step:
        scenarios.add_scenario(
            sqlite_db, actor, "Звонок", [StepSpec("call", subject="x", auto_send=True)]
        )
    assert str(bad_step.value) == "Step 1: only a letter can be sent automatically"
    assert error_text.message(bad_step.value) == (
        "Шаг 1: автоматически отправить можно только письмо"
    )
    chain = scenarios.add_scenario(sqlite_db, actor, "Спящий", [StepSpec("call")], active=False)
    with pytest.raises(UserError) as inactive:
        scenarios.apply_scenario(
            sqlite_db, actor, chain.value.id, card.client_id, card.contact_id, FRIDAY
        )
    assert error_text.message(inactive.value) == "Сценарий «Спящий» не активен"
