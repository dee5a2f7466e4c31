"""Deleting a scenario (archive) and its undo: gone from the lists and from
applying, its running chains go on, only its author or an administrator may
delete it, and restoring brings it back as it was."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core.access import PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.scenarios import due_steps
from services.scenarios import use_cases as scenarios
from tests.conftest import Team
from tests.integration.scenario_helpers import CHAIN, FRIDAY, make_card, make_chain


def test_a_deleted_scenario_is_gone_but_its_runs_go_on_and_undo_restores_it(
    db: Database, team: Team
) -> None:
    anna = team.anna
    card = make_card(db, anna)
    chain = make_chain(db, anna)
    run = scenarios.apply_scenario(db, anna, chain, card.client_id, card.contact_id, FRIDAY).value

    # a colleague may not delete it, nor "restore" it; nothing changes
    for use_case in (scenarios.archive_scenario, scenarios.restore_scenario):
        with pytest.raises(PermissionDenied, match="someone else's"):
            use_case(db, team.boris, chain)
    assert [v.id for v in scenarios.list_scenarios(db, anna)] == [chain]

    later = FRIDAY + dt.timedelta(days=60)
    with db.reader() as uow:
        due_before = due_steps.due_ids(uow, later)
    assert due_before  # the chain's automatic steps would run by then

    done = scenarios.archive_scenario(db, anna, chain, FRIDAY)
    assert chain in done.changes.updated["scenario"]
    assert scenarios.list_scenarios(db, anna, include_inactive=True) == []
    assert scenarios.list_scenarios(db, team.admin, include_inactive=True) == []
    with pytest.raises(NotFoundError):
        scenarios.get_scenario(db, anna, chain)
    with pytest.raises(NotFoundError):
        scenarios.edit_scenario(db, anna, chain, name="Другое имя")
    with pytest.raises(NotFoundError):
        scenarios.apply_scenario(db, anna, chain, card.client_id, card.contact_id, FRIDAY)
    assert len(scenarios.list_runs(db, anna)) == 1  # the refused apply made no run

    # the running chain goes on: still active, its steps still come due
    still = scenarios.get_run(db, anna, run.id)
    assert (still.state, still.scenario_name) == ("active", "Новый клиент")
    with db.reader() as uow:
        assert due_steps.due_ids(uow, later) == due_before

    # undo: back as it was, steps and all
    back = scenarios.restore_scenario(db, anna, chain).value
    assert (back.name, len(back.steps)) == ("Новый клиент", len(CHAIN))
    assert [v.id for v in scenarios.list_scenarios(db, anna)] == [chain]
    with pytest.raises(NotFoundError):
        scenarios.archive_scenario(db, anna, 10**9)


def test_an_administrator_deletes_anyones_scenario(db: Database, team: Team) -> None:
    chain = make_chain(db, team.anna)
    scenarios.archive_scenario(db, team.admin, chain)
    assert scenarios.list_scenarios(db, team.anna, include_inactive=True) == []
    scenarios.restore_scenario(db, team.admin, chain)
    assert [v.id for v in scenarios.list_scenarios(db, team.anna)] == [chain]
