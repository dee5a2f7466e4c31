"""The feed's "«scenario», step n of m" for a page of interactions: one query
gives both the CLI's label and its parts for the desktop, on SQLite and
PostgreSQL, and only to whoever may see the client."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from models import ScenarioRunStep
from services.core.access import PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.feed import pages as feed
from services.interactions import actions as ix
from services.scenarios import tags
from services.scenarios import use_cases as scenarios
from tests.conftest import Team
from tests.integration.scenario_helpers import CHAIN, FRIDAY, make_card, make_chain


def test_each_planned_step_knows_its_run_and_place(db: Database, team: Team) -> None:
    anna = team.anna
    card = make_card(db, anna)
    run = scenarios.apply_scenario(
        db, anna, make_chain(db, team.admin), card.client_id, card.contact_id, FRIDAY
    ).value
    with db.uow(anna.id) as uow:
        lone = ix.create(
            uow,
            anna,
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
        found = tags.step_tags(uow, [*ids, lone.id, 10**9])
    assert set(found) == set(ids)  # a plain interaction and an unknown id have none
    third = found[ids[2]]
    assert (third.scenario, third.position, third.steps) == ("Новый клиент", 3, len(CHAIN))
    assert third.run_id == run.id
    assert (third.run_state, third.step_state, third.last_error) == ("active", "pending", "")
    assert third.label == f"«Новый клиент», step 3 of {len(CHAIN)}"
    with db.reader() as uow:
        assert tags.step_tags(uow, []) == {}

    # the feed carries the same tag: the CLI's label and its parts
    with db.uow(anna.id) as uow:
        uow.session.execute(
            update(ScenarioRunStep)
            .where(ScenarioRunStep.interaction_id == ids[0])
            .values(state="failed", last_error="SMTP 550: ящик не существует")
        )
        uow.commit()
    with db.reader() as uow:
        page = feed.page(uow, anna, feed.FeedScope(client_id=card.client_id))
    steps = {i.id: i for i in page.items if i.scenario_step is not None}
    assert set(steps) == set(ids)
    assert steps[ids[1]].scenario == f"«Новый клиент», step 2 of {len(CHAIN)}"
    assert steps[ids[1]].scenario_run_id == run.id
    first = steps[ids[0]].scenario_step
    assert first is not None
    assert (first.step_state, first.last_error) == ("failed", "SMTP 550: ящик не существует")
    plain = next(i for i in page.items if i.id == lone.id and i.kind == "interaction")
    assert (plain.scenario, plain.scenario_run_id, plain.scenario_step) == (None, None, None)

    # a colleague's client: a manager gets no feed, so no tag; an admin does
    with db.reader() as uow, pytest.raises((PermissionDenied, NotFoundError)):
        feed.page(uow, team.boris, feed.FeedScope(client_id=card.client_id))
    with db.reader() as uow, pytest.raises((PermissionDenied, NotFoundError)):
        feed.page(uow, team.boris, feed.FeedScope(contact_id=card.contact_id))
    scenarios.cancel_run(db, anna, run.id, FRIDAY)
    with db.reader() as uow:
        page = feed.page(uow, team.admin, feed.FeedScope(client_id=card.client_id))
    after = [i.scenario_step for i in page.items if i.scenario_step is not None]
    assert len(after) == len(CHAIN)
    assert {t.run_state for t in after} == {"cancelled"}


def test_my_agenda_says_which_run_and_step_each_item_is(db: Database, team: Team) -> None:
    from services.interactions import agenda

    anna = team.anna
    card = make_card(db, anna)
    run = scenarios.apply_scenario(
        db, anna, make_chain(db, team.admin), card.client_id, card.contact_id, FRIDAY
    ).value
    with db.reader() as uow:
        mine = agenda.agenda(uow, anna, FRIDAY)
        his = agenda.agenda(uow, team.boris, FRIDAY)
    items = [i for s in (mine.overdue, mine.today, mine.this_week, mine.later) for i in s.items]
    tagged = {i.id: i.scenario_step for i in items if i.scenario_step is not None}
    assert set(tagged) == {s.interaction_id for s in run.steps}
    second = tagged[run.steps[1].interaction_id]
    assert second is not None
    assert (second.scenario, second.position, second.steps, second.run_id) == (
        "Новый клиент",
        2,
        len(CHAIN),
        run.id,
    )
    # a colleague's agenda shows none of her steps, and she may not read his
    assert not [i for s in (his.overdue, his.today, his.this_week, his.later) for i in s.items]
    with db.reader() as uow, pytest.raises(PermissionDenied):
        agenda.agenda(uow, team.boris, FRIDAY, owner_id=anna.id)
