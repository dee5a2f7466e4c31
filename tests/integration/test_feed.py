"""The feed: planned on top, the rest in time order, filters that keep planned."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.feed import pages as feed
from services.interactions import actions as ix
from services.interactions import notes, tasks
from services.parties import deals
from services.parties import records as parties
from tests.integration.helpers import NOW, client

BASE = dt.datetime(2026, 1, 5, 9, 0)


def _fill(db: Database, cid: int, n: int, seed: int = 7) -> tuple[list[int], list[int]]:
    """n interactions at shuffled times (some equal), a third planned."""
    rnd = random.Random(seed)
    planned, rest = [], []
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        for k in range(n):
            is_planned = k % 3 == 0
            start = BASE + dt.timedelta(hours=rnd.randrange(0, 24 * 300, 6))
            if is_planned:
                start += dt.timedelta(days=400)
            view = ix.create(
                uow,
                actor,
                ix.NewInteraction(
                    type=rnd.choice(["call", "email", "meeting"]),
                    planned=is_planned,
                    start=start,
                    tz="Europe/Moscow",
                    client_id=cid,
                    subject=f"Тема {k}",
                ),
                now=NOW,
            )
            (planned if is_planned else rest).append(view.id)
        for k in range(0, n, 5):
            if k % 3:
                ix.cancel(uow, actor, rest[k // 3] if k // 3 < len(rest) else rest[0], now=NOW)
        uow.commit()
    return planned, rest


def _all_pages(
    db: Database, scope: feed.FeedScope, flt: feed.FeedFilter | None = None, limit: int = 7
) -> list[feed.FeedItem]:
    items: list[feed.FeedItem] = []
    cursor = None
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        while True:
            page = feed.page(uow, actor, scope, flt, cursor, limit)
            items.extend(page.items)
            cursor = page.next_cursor
            if cursor is None:
                return items


def _key(i: feed.FeedItem) -> dt.datetime:
    return i.start.astimezone(dt.UTC)


def test_planned_first_soonest_first_then_history_newest_first(db: Database) -> None:
    cid = client(db)
    planned, _rest = _fill(db, cid, 60)
    items = [i for i in _all_pages(db, feed.FeedScope(client_id=cid)) if i.kind == "interaction"]
    head = items[: len(planned)]
    tail = items[len(planned) :]
    assert sorted(i.id for i in head) == sorted(planned)
    assert all(i.state == "planned" for i in head)
    assert [_key(i) for i in head] == sorted(_key(i) for i in head)
    assert {i.state for i in tail} <= {"done", "cancelled"}
    assert "cancelled" in {i.state for i in tail}
    assert [_key(i) for i in tail] == sorted((_key(i) for i in tail), reverse=True)


@pytest.mark.parametrize("limit", [1, 4, 50])
def test_keyset_pages_have_no_gaps_or_repeats(db: Database, limit: int) -> None:
    cid = client(db)
    _fill(db, cid, 40)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        notes.add_note(uow, actor, "client", cid, "Позвонить в пятницу")
        tasks.add_task(
            uow,
            actor,
            "client",
            cid,
            "Send the contract",
            deadline=dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC),
        )
        uow.commit()
    paged = _all_pages(db, feed.FeedScope(client_id=cid), limit=limit)
    whole = _all_pages(db, feed.FeedScope(client_id=cid), limit=500)
    assert [i.key for i in paged] == [i.key for i in whole]
    assert len({i.key for i in paged}) == len(paged)


def test_oldest_first_flips_history_but_not_planned(db: Database) -> None:
    cid = client(db)
    planned, _ = _fill(db, cid, 30)
    flt = feed.FeedFilter(oldest_first=True, types=("call", "email", "meeting"))
    items = _all_pages(db, feed.FeedScope(client_id=cid), flt)
    tail = items[len(planned) :]
    assert all(i.state == "planned" for i in items[: len(planned)])
    assert [_key(i) for i in tail] == sorted(_key(i) for i in tail)


@pytest.mark.parametrize(
    "flt",
    [
        feed.FeedFilter(types=("sms",)),
        feed.FeedFilter(text="no such words"),
        feed.FeedFilter(owner_id=999),
        feed.FeedFilter(since=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)),
    ],
    ids=["type", "text", "owner", "period"],
)
def test_filters_never_hide_planned_items(db: Database, flt: feed.FeedFilter) -> None:
    cid = client(db)
    planned, _ = _fill(db, cid, 24)
    items = _all_pages(db, feed.FeedScope(client_id=cid), flt)
    assert sorted(i.id for i in items) == sorted(planned)


def test_text_filter_matches_cyrillic_in_any_case(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type="email", client_id=cid, subject="Счёт", body="Оплата ДОГОВОРА №5", start=BASE
            ),
        )
        ix.create(
            uow, actor, ix.NewInteraction(type="email", client_id=cid, subject="Other", start=BASE)
        )
        uow.commit()
    items = _all_pages(db, feed.FeedScope(client_id=cid), feed.FeedFilter(text="договора"))
    assert [i.title for i in items] == ["Счёт"]


def test_upcoming_only_shows_planned_items(db: Database) -> None:
    cid = client(db)
    planned, _ = _fill(db, cid, 21)
    items = _all_pages(db, feed.FeedScope(client_id=cid), feed.FeedFilter(upcoming_only=True))
    assert sorted(i.id for i in items) == sorted(planned)


def test_deal_feed_and_whole_client_history(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deal = deals.add_deal(uow, actor, "Поставка", client_id=cid)
        in_deal = ix.create(uow, actor, ix.NewInteraction(type="call", deal_id=deal.id, start=BASE))
        outside = ix.create(
            uow,
            actor,
            ix.NewInteraction(type="call", client_id=cid, start=BASE + dt.timedelta(days=1)),
        )
        uow.commit()
    only = _all_pages(db, feed.FeedScope(deal_id=deal.id), feed.FeedFilter(types=("call",)))
    whole = _all_pages(
        db, feed.FeedScope(deal_id=deal.id, whole_history=True), feed.FeedFilter(types=("call",))
    )
    assert [i.id for i in only] == [in_deal.id]
    assert [i.id for i in whole] == [outside.id, in_deal.id]


def test_contact_feed_shows_its_interactions_and_notes(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        anna = parties.add_contact(uow, actor, "Анна", client_id=cid).id
        boris = parties.add_contact(uow, actor, "Борис", client_id=cid).id
        with_anna = ix.create(
            uow,
            actor,
            ix.NewInteraction(type="meeting", client_id=cid, contact_ids=(anna, boris), start=BASE),
        )
        ix.create(
            uow,
            actor,
            ix.NewInteraction(type="call", client_id=cid, contact_ids=(boris,), start=BASE),
        )
        note = notes.add_note(uow, actor, "contact", anna, "Любит чай")
        uow.commit()
    items = _all_pages(
        db, feed.FeedScope(contact_id=anna), feed.FeedFilter(types=("meeting", "call", "note"))
    )
    assert {(i.kind, i.id) for i in items} == {("interaction", with_anna.id), ("note", note)}


def test_notes_tasks_and_changes_appear_in_the_client_feed(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        notes.add_note(uow, actor, "client", cid, "Note text")
        open_task = tasks.add_task(
            uow, actor, "client", cid, "Open task", deadline=dt.datetime(2027, 2, 1, tzinfo=dt.UTC)
        )
        done_task = tasks.add_task(uow, actor, "client", cid, "Done task")
        tasks.complete_task(uow, actor, done_task, now=NOW)
        uow.commit()
    items = _all_pages(db, feed.FeedScope(client_id=cid))
    kinds = [(i.kind, i.state) for i in items]
    assert kinds[0] == ("task", "planned")
    assert items[0].id == open_task
    assert ("note", "done") in kinds
    assert ("task", "done") in kinds
    assert ("change", "done") in kinds


def test_a_bad_cursor_or_scope_is_a_clear_error(db: Database) -> None:
    cid = client(db)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        with pytest.raises(ValidationError, match="Not a feed cursor"):
            feed.page(uow, actor, feed.FeedScope(client_id=cid), cursor="garbage|x")
        with pytest.raises(ValidationError, match="exactly one"):
            feed.page(uow, actor, feed.FeedScope())
