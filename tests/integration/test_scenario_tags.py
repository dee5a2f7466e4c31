"""The feed's "«scenario», step n of m" for a page of interactions, in one
query per thousand ids, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from services.core.storage import Database
from services.interactions import actions as ix
from services.scenarios import tags
from services.scenarios import use_cases as scenarios
from tests.conftest import Team
from tests.integration.scenario_helpers import CHAIN, FRIDAY, make_card, make_chain


def test_each_planned_step_knows_its_run_and_place(db: Database, team: Team) -> None:
    admin = team.admin
    card = make_card(db, admin)
    run = scenarios.apply_scenario(
        db, admin, make_chain(db, admin), card.client_id, card.contact_id, FRIDAY
    ).value
    with db.uow(admin.id) as uow:
        lone = ix.create(
            uow,
            admin,
            ix.NewInteraction(
                type="call",
                planned=True,
                client_id=card.client_id,
                start=dt.datetime(2026, 12, 1, 10, 0),
                tz="Europe/Moscow",
            ),
        )
        uow.commit()
    ids = [s.interaction_id for s in run.steps]
    with db.reader() as uow:
        found = tags.step_tags(uow, admin, [*ids, lone.id, 10**9])
    assert set(found) == set(ids)  # a plain interaction and an unknown id have none
    third = found[ids[2]]
    assert (third.scenario, third.position, third.steps) == ("Новый клиент", 3, len(CHAIN))
    assert third.run_id == run.id
    assert (third.run_state, third.step_state) == ("active", "pending")
    # a colleague's client: a manager learns nothing about its steps, its owner does
    with db.reader() as uow:
        assert tags.step_tags(uow, team.boris, ids) == {}
    scenarios.cancel_run(db, admin, run.id, FRIDAY)
    with db.reader() as uow:
        after = tags.step_tags(uow, admin, ids)
    assert {t.run_state for t in after.values()} == {"cancelled"}
    with db.reader() as uow:
        assert tags.step_tags(uow, admin, []) == {}
