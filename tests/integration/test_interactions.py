"""Interaction rules: create, complete, cancel = delete, restore, next step."""

from __future__ import annotations

import datetime as dt

import pytest

from services.core import bootstrap
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import Database
from services.feed import pages as feed
from services.interactions import actions as ix
from services.interactions import notes
from services.parties import deals
from services.parties import records as parties
from tests.integration.helpers import NOW, client, interaction, row_counts


def _call(when: dt.datetime, **kw: object) -> ix.NewInteraction:
    return ix.NewInteraction(type="call", planned=True, start=when, tz="Europe/Moscow", **kw)  # type: ignore[arg-type]


def test_planned_start_keeps_wall_time_and_zone(db: Database) -> None:
    cid = client(db)
    iid = interaction(
        db,
        type="meeting",
        planned=True,
        start=dt.datetime(2026, 12, 1, 10, 0),
        tz="Asia/Almaty",
        client_id=cid,
    )
    with db.reader() as uow:
        view = ix.get(uow, bootstrap.actor_for(uow), iid)
    assert view.start.isoformat() == "2026-12-01T10:00:00+05:00"
    assert view.start.astimezone(dt.UTC).hour == 5
    assert view.state == "planned"


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"type": "call", "planned": True}, "needs a date"),
        ({"type": "fax"}, "Unknown interaction type 'fax'"),
        ({"type": "call", "client_id": 999}, "Client 999 does not exist"),
        ({"type": "call", "client_id": None}, "Choose the client"),
        ({"type": "call", "tz": "Mars/Olympus"}, "Unknown time zone"),
        (
            {
                "type": "call",
                "planned": True,
                "start": dt.datetime(2026, 3, 29, 2, 30),
                "tz": "Europe/Berlin",
            },
            "does not exist in Europe/Berlin",
        ),
        ({"type": "call", "duration_min": -5}, "Duration"),
        ({"type": "call", "contact_ids": (4242,)}, "Contact 4242 does not exist"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    db: Database, kw: dict[str, object], message: str
) -> None:
    cid = client(db)
    kw = {"client_id": cid} | kw
    before = row_counts(db)
    with pytest.raises(
        ValidationError
        if "does not exist" not in message or "Berlin" in message
        else NotFoundError,
        match=message,
    ):
        interaction(db, **kw)
    assert row_counts(db) == before


def test_a_contact_of_another_client_is_refused(db: Database) -> None:
    first, second = client(db, "First"), client(db, "Second")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        other = parties.add_contact(uow, actor, "Anna", client_id=second).id
        uow.commit()
    with pytest.raises(ValidationError, match="not a contact person"):
        interaction(db, type="call", client_id=first, contact_ids=(other,))


def test_cancel_keeps_the_row_and_restore_plans_it_again(db: Database) -> None:
    cid = client(db)
    iid = interaction(
        db, type="call", planned=True, start=dt.datetime(2026, 12, 2, 11, 0), client_id=cid
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        assert ix.cancel(uow, actor, iid, now=NOW).state == "cancelled"
        uow.commit()
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        items = feed.page(
            uow, actor, feed.FeedScope(client_id=cid), feed.FeedFilter(types=("call",))
        ).items
    assert [(i.id, i.state) for i in items] == [(iid, "cancelled")]
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        restored = ix.restore(uow, actor, iid, start=dt.datetime(2026, 12, 3, 9, 30))
        uow.commit()
    assert restored.state == "planned"
    assert restored.start.isoformat() == "2026-12-03T09:30:00+03:00"
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        first = feed.page(uow, actor, feed.FeedScope(client_id=cid)).items[0]
    assert (first.id, first.state) == (iid, "planned")


def test_only_a_cancelled_interaction_can_be_restored(db: Database) -> None:
    cid = client(db)
    iid = interaction(db, type="call", client_id=cid)
    with db.uow() as uow, pytest.raises(ValidationError, match="is done; only a cancelled"):
        ix.restore(uow, bootstrap.actor_for(uow), iid)


def _required_deal(db: Database, cid: int) -> tuple[int, int]:
    """A deal in a pipeline that requires a planned interaction, with one planned call."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deals.add_pipeline(uow, actor, "Key accounts", ["Talks", "Won:won"], requires_planned=True)
        deal = deals.add_deal(uow, actor, "Поставка", client_id=cid, pipeline="Key accounts")
        call = ix.create(uow, actor, _call(dt.datetime(2026, 12, 1, 10, 0), deal_id=deal.id))
        deals.check_next_step(uow, deal.id)
        uow.commit()
    return deal.id, call.id


def test_completing_the_last_planned_interaction_of_a_required_deal_is_refused(
    db: Database,
) -> None:
    cid = client(db)
    _deal_id, call_id = _required_deal(db, cid)
    before = row_counts(db)
    with db.uow() as uow, pytest.raises(ValidationError, match="must always have a planned") as no:
        ix.complete(uow, bootstrap.actor_for(uow), call_id, now=NOW)
    assert "--" not in str(no.value)  # the window shows it: no CLI flags
    assert no.value.code == "deal.next_step_required"
    with db.uow() as uow, pytest.raises(ValidationError, match="must always have a planned"):
        ix.cancel(uow, bootstrap.actor_for(uow), call_id, now=NOW)
    assert row_counts(db) == before
    with db.reader() as uow:
        assert ix.get(uow, bootstrap.actor_for(uow), call_id).state == "planned"


def test_completing_with_the_next_step_planned_is_accepted(db: Database) -> None:
    cid = client(db)
    deal_id, call_id = _required_deal(db, cid)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        done = ix.complete(
            uow,
            actor,
            call_id,
            now=NOW,
            next_step=ix.NewInteraction(
                type="meeting", start=dt.datetime(2026, 12, 5, 15, 0), tz="Europe/Moscow"
            ),
        )
        uow.commit()
    assert done.state == "done"
    with db.reader() as uow:
        items = feed.page(
            uow,
            bootstrap.actor_for(uow),
            feed.FeedScope(deal_id=deal_id),
            feed.FeedFilter(types=("call", "meeting")),
        ).items
    assert [(i.type, i.state) for i in items] == [("meeting", "planned"), ("call", "done")]


def test_a_closed_deal_no_longer_needs_a_next_step(db: Database) -> None:
    cid = client(db)
    deal_id, call_id = _required_deal(db, cid)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deals.move(uow, actor, deal_id, "Won")
        ix.complete(uow, actor, call_id, now=NOW)
        uow.commit()


def test_a_required_deal_cannot_be_created_without_a_planned_interaction(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deals.add_pipeline(uow, actor, "Strict", ["Open"], requires_planned=True)
        uow.commit()
    before = row_counts(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deal = deals.add_deal(uow, actor, "Без плана", client_id=cid, pipeline="Strict")
        with pytest.raises(ValidationError, match="must always have a planned"):
            deals.check_next_step(uow, deal.id)
    assert row_counts(db) == before


def test_a_second_memo_is_refused(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        notes.add_memo(uow, bootstrap.actor_for(uow), "client", cid, "Звонить после обеда")
        uow.commit()
    before = row_counts(db)
    with db.uow() as uow, pytest.raises(ValidationError, match="already has a memo"):
        notes.add_memo(uow, bootstrap.actor_for(uow), "client", cid, "Второй")
    assert row_counts(db) == before


def test_a_mention_of_an_unknown_colleague_is_refused(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow, pytest.raises(ValidationError, match="@nobody"):
        notes.add_note(uow, bootstrap.actor_for(uow), "client", cid, "Ask @nobody")


def test_changes_to_a_card_are_recorded_with_author_old_and_new(db: Database) -> None:
    cid = client(db, "Old name")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        parties.visible_client(uow, actor, cid).name = "New name"
        uow.commit()
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        changes = feed.page(
            uow, actor, feed.FeedScope(client_id=cid), feed.FeedFilter(types=("change",))
        ).items
    assert changes[0].title == "client.name"
    assert changes[0].text == "Old name → New name"
    assert changes[0].owner_id == actor.id


def test_completing_a_call_planned_for_tomorrow_dates_it_when_it_happened(db: Database) -> None:
    cid = client(db)
    tomorrow = interaction(
        db, type="call", planned=True, start=NOW + dt.timedelta(days=1), client_id=cid
    )
    later = interaction(
        db, type="call", planned=True, start=NOW + dt.timedelta(days=2), client_id=cid
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        done = ix.complete(uow, actor, tomorrow, now=NOW)  # default: now
        yesterday = (NOW - dt.timedelta(days=1)).replace(tzinfo=None, hour=15, minute=0)
        chosen = ix.complete(uow, actor, later, at=yesterday, now=NOW)
        uow.commit()
    assert done.start.astimezone(dt.UTC) == NOW
    assert chosen.start.replace(tzinfo=None) == yesterday
    assert chosen.state == "done"


def test_completing_at_a_future_time_is_refused_and_changes_nothing(db: Database) -> None:
    cid = client(db)
    call = interaction(
        db, type="call", planned=True, start=NOW + dt.timedelta(days=1), client_id=cid
    )
    with db.uow() as uow, pytest.raises(ValidationError, match="cannot have happened"):
        ix.complete(uow, bootstrap.actor_for(uow), call, at=NOW + dt.timedelta(hours=2), now=NOW)
    with db.reader() as uow:
        view = ix.get(uow, bootstrap.actor_for(uow), call)
    assert view.state == "planned"
    assert view.start.astimezone(dt.UTC) == NOW + dt.timedelta(days=1)
