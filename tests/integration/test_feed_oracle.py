"""The feed's fast path (keys merged and cut, columns read by primary key,
items made from the driver's rows; issue #16) against a plain SQLAlchemy
reading of the same card sorted in Python: the same items in the same
order, page after page, on SQLite and PostgreSQL, for the owner and an
administrator, planned items on top, cancelled ones and an archived card."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from models import AuditEntry, Client, Interaction, Note, Task, interaction_contacts
from services.core import prepared
from services.core.access import Actor, PermissionDenied
from services.core.audit import CARD_KINDS
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.demo import generate as demo
from services.feed import pages as feed
from services.interactions import actions as ix
from services.interactions import notes, tasks
from services.parties import edits
from services.parties import records as parties
from tests.conftest import Team
from tests.integration.helpers import NOW, client

ZONE = "Europe/Moscow"


def _plain_feed(db: Database, client_id: int, oldest_first: bool) -> list[tuple[Any, ...]]:
    """Every item of the client's feed as (kind, id, type, state, start,
    owner, title, text, deal, client, direction, duration, contacts), read
    through the ORM and ordered by the feed's rules (SPEC B4-B5)."""
    zone = ZoneInfo(ZONE)
    planned: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    with db.reader() as uow:
        s = uow.session
        who: dict[int, list[int]] = {}
        for iid, cid in s.execute(
            select(interaction_contacts.c.interaction_id, interaction_contacts.c.contact_id)
            .join(Interaction, Interaction.id == interaction_contacts.c.interaction_id)
            .where(Interaction.client_id == client_id)
        ):
            who.setdefault(iid, []).append(cid)
        for i in s.scalars(select(Interaction).where(Interaction.client_id == client_id)):
            start = i.start_utc.astimezone(ZoneInfo(i.start_tz) if i.start_tz else zone)
            item = ("interaction", i.id, i.type, i.state, start, i.owner_id, i.subject)
            item += (i.body[:500] if i.body is not None else None, i.deal_id, i.client_id)
            item += (i.direction, i.duration_min, tuple(sorted(who.get(i.id, ()))))
            (planned if i.state == "planned" else history).append(((i.start_utc, 0, i.id), item))
        for n in s.scalars(select(Note).where(Note.client_id == client_id)):
            item = ("note", n.id, "note", "done", n.created_at.astimezone(zone), n.author_id)
            item += (None, n.body[:500], n.deal_id, None, None, None, ())
            history.append(((n.created_at, 1, n.id), item))
        for t in s.scalars(select(Task).where(Task.client_id == client_id)):
            at = t.done_at if t.done else (t.deadline or t.created_at)
            assert at is not None
            item = ("task", t.id, "task", "done" if t.done else "planned", at.astimezone(zone))
            item += (t.assignee_id, t.title, None, t.deal_id, None, None, None, ())
            (history if t.done else planned).append(((at, 2 if t.done else 1, t.id), item))
        for a in s.scalars(
            select(AuditEntry).where(
                AuditEntry.client_id == client_id, AuditEntry.entity_kind.in_(CARD_KINDS)
            )
        ):
            item = ("change", a.id, "change", "done", a.at.astimezone(zone), a.user_id)
            item += (f"{a.entity_kind}.{a.field}", None, a.deal_id, None, None, None, ())
            history.append(((a.at, 3, a.id), item))
    planned.sort(key=lambda p: p[0])
    history.sort(key=lambda p: p[0], reverse=not oldest_first)
    return [item for _key, item in planned + history]


def _walked(
    db: Database, actor: Actor, client_id: int, limit: int, oldest_first: bool
) -> list[tuple[Any, ...]]:
    """The feed page after page as one list, in the shape of ``_plain_feed``
    (a change's text is left out: the feed writes names for ids there)."""
    found: list[tuple[Any, ...]] = []
    cursor: str | None = None
    flt = feed.FeedFilter(oldest_first=oldest_first)
    with db.reader() as uow:
        while True:
            page = feed.page(
                uow, actor, feed.FeedScope(client_id=client_id), flt, cursor, limit, ZONE
            )
            for i in page.items:
                text = None if i.kind in ("change", "task") else i.text
                head = (i.kind, i.id, i.type, i.state, i.start, i.owner_id, i.title, text)
                found.append(
                    (*head, i.deal_id, i.client_id, i.direction, i.duration_min, i.contact_ids)
                )
            assert len(page.items) <= limit
            cursor = page.next_cursor
            if cursor is None:
                return found


@pytest.fixture
def cards(db: Database, team: Team) -> dict[str, int]:
    """The demo's key account (owned by Anna) and a small card of Anna's with
    every kind of item, Cyrillic text, a cancelled call, then archived."""
    demo.generate(db, clients=8, seed=7, big_client_interactions=230, interactions_per_client=6)
    with db.reader() as uow:
        big = uow.session.scalar(select(Client.id).where(Client.name == demo.BIG_CLIENT_NAME))
    assert big is not None
    small = client(db, "ООО «Ёлочка и Ко»", region="RU")
    with db.uow(team.admin.id) as uow:
        uow.session.execute(
            update(Client).where(Client.id.in_([big, small])).values(owner_id=team.anna.id)
        )
        uow.commit()
    anna = team.anna
    with db.uow(anna.id) as uow:
        notes.add_note(uow, anna, "client", small, "Встреча в офисе: обсудили цены, «скидка» 5%")
        tasks.add_task(uow, anna, "client", small, "Позвонить Ёжикову", deadline=NOW)
        done = tasks.add_task(uow, anna, "client", small, "Отправить КП")
        tasks.complete_task(uow, anna, done, now=NOW)
        people = [
            parties.add_contact(uow, anna, name, client_id=small).id
            for name in ("Анна Ёжикова", "Борис Щукин", "Вера Ёлкина")
        ]
        # Several contact persons on one call: one row each in the page's SQL.
        took_part = [tuple(people), (people[1],), (people[2], people[0]), ()]
        for k, state in enumerate(("planned", "done", "cancelled", "done")):
            made = ix.create(
                uow,
                anna,
                ix.NewInteraction(
                    type="call",
                    planned=state == "planned",
                    client_id=small,
                    start=dt.datetime(2026, 11, 20 + k, 10, 0),
                    tz="Asia/Yekaterinburg" if k % 2 else "Europe/Moscow",
                    subject=f"Звонок №{k}: «Счёт» и ёлки",
                    body="Обсудили поставку ёлок; " * 40,
                    contact_ids=took_part[k],
                ),
                now=NOW,
            )
            if state == "cancelled":
                ix.cancel(uow, anna, made.id, now=NOW)
        uow.commit()
    with db.uow(team.admin.id) as uow:
        edits.set_archived(uow, team.admin, "client", small, True)
        uow.commit()
    return {"big": big, "small": small}


def test_fast_pages_equal_a_plain_reading_of_the_card(
    db: Database, team: Team, cards: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    big, small = cards["big"], cards["small"]
    for client_id, sizes in ((big, (50, 17)), (small, (1, 3, 50))):
        for oldest_first in (False, True):
            expected = _plain_feed(db, client_id, oldest_first)
            for limit in sizes:
                for actor in (team.anna, team.admin):
                    assert _walked(db, actor, client_id, limit, oldest_first) == expected
            monkeypatch.setattr(prepared, "ENABLED", False)  # SQLAlchemy runs the same SQL
            assert _walked(db, team.anna, client_id, sizes[0], oldest_first) == expected
            monkeypatch.setattr(prepared, "ENABLED", True)
    small_feed = _plain_feed(db, small, False)
    on_top = sorted((i[0], i[3]) for i in small_feed[:2])  # planned first (B5)
    assert on_top == [("interaction", "planned"), ("task", "planned")]
    assert {"note", "task", "change", "interaction"} == {i[0] for i in small_feed}
    assert "cancelled" in {i[3] for i in small_feed}
    assert max(len(i[12]) for i in small_feed) == 3  # several took part in one call
    big_feed = _plain_feed(db, big, False)
    assert len(big_feed) == 230  # interactions only (the demo gives it no notes)
    assert any(i[12] for i in big_feed)  # someone took part
    for client_id in (big, small):  # a colleague's card: refused, nothing read
        with db.reader() as uow, pytest.raises((PermissionDenied, NotFoundError)):
            feed.page(uow, team.boris, feed.FeedScope(client_id=client_id))
