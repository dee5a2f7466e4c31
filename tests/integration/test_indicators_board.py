"""Card indicators (zero-filled months in the display zone, open deals per
currency) and the deals board (stages in order, caps, visibility)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from models import Deal, Role, User
from services.core import bootstrap
from services.core.access import Actor, PermissionDenied
from services.core.errors import NotFoundError
from services.core.storage import Database
from services.core.views import Board, Indicators, Money, MonthCount
from services.feed import indicators
from services.interactions import actions as ix
from services.parties import board, deals
from services.parties import records as parties
from tests.integration.helpers import NOW, client

ZONE = "Europe/Moscow"
CLOCK = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def utc(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def _manager(db: Database, login: str = "petrov") -> Actor:
    with db.uow() as uow:
        role = uow.session.scalar(select(Role.id).where(Role.name == "Manager"))
        uow.session.add(User(login=login, full_name="Пётр Петров", role_id=role))
        uow.commit()
    with db.reader() as uow:
        return bootstrap.actor_for(uow, login)


def _log(
    db: Database,
    start: dt.datetime,
    *,
    planned: bool = False,
    subject: str = "",
    **kw: object,
) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        spec = ix.NewInteraction(
            type="call", planned=planned, start=start, tz=ZONE, subject=subject or None
        )
        iid = ix.create(uow, actor, dataclasses.replace(spec, **kw), now=NOW).id
        uow.commit()
    return iid


def _indicators(db: Database, kind: str, object_id: int, actor: Actor | None = None) -> Indicators:
    with db.reader() as uow:
        who = actor or bootstrap.actor_for(uow)
        return indicators.indicators(uow, who, kind, object_id, CLOCK, zone_name=ZONE)


# --- indicators ---------------------------------------------------------------


def test_months_are_zero_filled_and_cut_in_the_display_zone(db: Database) -> None:
    cid = client(db)
    for when in (
        utc(2025, 11, 30, 20, 59),  # 23:59 on 30 November in Moscow: 13 months ago, outside
        utc(2025, 12, 1, 8),  # the oldest month shown
        utc(2026, 3, 10),
        utc(2026, 3, 11),
        utc(2026, 10, 31, 22, 30),  # 1 November, 01:30 in Moscow
        utc(2026, 11, 20),
    ):
        _log(db, when, client_id=cid)
    cancelled = _log(db, utc(2026, 11, 21), client_id=cid)
    with db.uow() as uow:
        ix.cancel(uow, bootstrap.actor_for(uow), cancelled, now=NOW)
        uow.commit()
    _log(db, utc(2026, 11, 30), planned=True, client_id=cid)  # planned: not counted
    _log(db, utc(2026, 11, 5), client_id=client(db, "Другой"))  # another client's
    got = _indicators(db, "client", cid)
    assert [m.month for m in got.months] == [
        dt.date(2025, 12, 1),
        *(dt.date(2026, m, 1) for m in range(1, 12)),
    ]
    assert got.months[0] == MonthCount(dt.date(2025, 12, 1), 1)
    assert [m.count for m in got.months] == [1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2]


def test_last_contact_and_next_planned(db: Database) -> None:
    cid = client(db)
    empty = _indicators(db, "client", cid)
    assert (empty.last_contact, empty.next_planned, empty.next_overdue) == (None, None, False)
    assert empty.open_deals == 0
    assert empty.open_amounts == ()
    assert len(empty.months) == 12
    assert {m.count for m in empty.months} == {0}
    _log(db, utc(2026, 11, 1), client_id=cid, subject="старый")
    last = _log(db, utc(2026, 11, 20), client_id=cid, subject="последний")
    cancelled = _log(db, utc(2026, 11, 22), client_id=cid, subject="отменён")
    _log(db, utc(2026, 12, 5), planned=True, client_id=cid, subject="потом")
    soon = _log(db, utc(2026, 11, 23), planned=True, client_id=cid, subject="просрочен")
    with db.uow() as uow:
        ix.cancel(uow, bootstrap.actor_for(uow), cancelled, now=NOW)
        uow.commit()
    got = _indicators(db, "client", cid)
    assert got.last_contact is not None
    assert got.next_planned is not None
    assert (got.last_contact.id, got.last_contact.subject) == (last, "последний")
    assert got.last_contact.start == utc(2026, 11, 20)
    assert str(got.last_contact.start.tzinfo) == ZONE
    assert (got.next_planned.id, got.next_overdue) == (soon, True)


def test_open_deals_and_their_sum_per_currency(db: Database) -> None:
    manager = _manager(db)
    cid = client(db, owner_id=manager.id)
    with db.uow() as uow:
        admin = bootstrap.actor_for(uow)
        deals.add_deal(uow, admin, "A", client_id=cid, amount="100.50", owner_id=manager.id)
        deals.add_deal(uow, admin, "B", client_id=cid, amount="1 000,25")
        deals.add_deal(uow, admin, "C", client_id=cid, currency="usd", owner_id=manager.id)
        won = deals.add_deal(uow, admin, "D", client_id=cid, amount="999", owner_id=manager.id)
        deals.move(uow, admin, won.id, "Won")
        uow.commit()
    got = _indicators(db, "client", cid)
    assert got.open_deals == 3
    assert got.open_amounts == (Money("RUB", Decimal("1100.75")), Money("USD", Decimal("0.00")))
    seen_by_manager = _indicators(db, "client", cid, manager)  # B is the admin's deal
    assert seen_by_manager.open_deals == 2
    assert seen_by_manager.open_amounts == (
        Money("RUB", Decimal("100.50")),
        Money("USD", Decimal("0.00")),
    )


def test_contact_indicators_count_its_own_interactions(db: Database) -> None:
    cid = client(db)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        anna = parties.add_contact(uow, actor, "Анна", client_id=cid).id
        deals.add_deal(uow, actor, "Сделка клиента", client_id=cid, amount="10")
        uow.commit()
    with_anna = _log(db, utc(2026, 11, 10), client_id=cid, contact_ids=(anna,))
    _log(db, utc(2026, 11, 12), client_id=cid)
    got = _indicators(db, "contact", anna)
    assert got.last_contact is not None
    assert got.last_contact.id == with_anna
    assert got.months[-1].count == 1
    assert got.open_deals == 1  # the client's


def test_indicators_respect_visibility(db: Database) -> None:
    manager = _manager(db)
    cid = client(db)
    with pytest.raises(PermissionDenied):
        _indicators(db, "client", cid, manager)
    with pytest.raises(NotFoundError):
        _indicators(db, "lead", 999)


# --- board --------------------------------------------------------------------


def _deal(
    db: Database,
    title: str,
    cid: int,
    owner_id: int | None = None,
    *,
    stage: str | None = None,
    amount: str | None = None,
    currency: str = "RUB",
) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        did = deals.add_deal(
            uow,
            actor,
            title,
            client_id=cid,
            owner_id=owner_id,
            stage=stage,
            amount=amount,
            currency=currency,
        ).id
        uow.commit()
    return did


def _board(db: Database, actor: Actor | None = None, per_stage: int = 50) -> Board:
    with db.reader() as uow:
        who = actor or bootstrap.actor_for(uow)
        return board.board(uow, who, None, per_stage=per_stage, zone_name=ZONE)


def test_board_groups_deals_by_stage_in_order(db: Database) -> None:
    cid = client(db, "ООО Ромашка")
    first = _deal(db, "Первая", cid, amount="1500")
    second = _deal(db, "Вторая", cid, stage="Proposal")
    third = _deal(db, "Третья", cid)
    with db.uow() as uow:
        # changed last: first in its column
        uow.session.execute(update(Deal).where(Deal.id == first).values(title="Первая!"))
        deals.move(uow, bootstrap.actor_for(uow), third, "Won")
        uow.commit()
    planned = _log(db, utc(2026, 12, 1, 7), planned=True, deal_id=first)
    _log(db, utc(2026, 12, 3, 7), planned=True, deal_id=first)
    got = _board(db)
    assert [p.name for p in got.pipelines] == ["Sales"]
    assert got.pipeline_id == got.pipelines[0].id
    assert [c.name for c in got.columns] == [
        "Qualification",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
    ]
    assert [c.outcome for c in got.columns] == [None, None, None, "won", "lost"]
    by_stage = {c.name: [d.id for d in c.deals] for c in got.columns}
    assert by_stage == {
        "Qualification": [first],
        "Proposal": [second],
        "Negotiation": [],
        "Won": [third],
        "Lost": [],
    }
    [card] = got.columns[0].deals
    assert (card.title, card.party_name, card.amount, card.currency, card.active) == (
        "Первая!",
        "ООО Ромашка",
        Decimal("1500.00"),
        "RUB",
        True,
    )
    assert card.next_planned == utc(2026, 12, 1, 7)
    assert str(card.next_planned.tzinfo) == ZONE
    assert got.columns[3].deals[0].active is False
    assert planned
    with db.uow() as uow:
        ix.complete(uow, bootstrap.actor_for(uow), planned, now=NOW)
        uow.commit()
    assert _board(db).columns[0].deals[0].next_planned == utc(2026, 12, 3, 7)


def test_board_caps_each_stage_and_counts_the_rest(db: Database) -> None:
    cid = client(db)
    ids = [_deal(db, f"Сделка {k}", cid) for k in range(5)]
    _deal(db, "Одна", cid, stage="Negotiation")
    got = _board(db, per_stage=2)
    qualification, _proposal, negotiation = got.columns[:3]
    assert [d.id for d in qualification.deals] == [ids[4], ids[3]]  # most recent first
    assert qualification.total == 5
    assert (len(negotiation.deals), negotiation.total) == (1, 1)
    assert got.columns[1].total == 0


def test_a_manager_sees_only_their_deals_on_the_board(db: Database) -> None:
    manager = _manager(db)
    own_client = client(db, "Свой", owner_id=manager.id)
    other = client(db, "Чужой")
    mine = _deal(db, "Моя", own_client, owner_id=manager.id)
    _deal(db, "Админская на моём клиенте", own_client)
    _deal(db, "Чужая", other)
    seen = _board(db, manager)
    assert [(c.name, c.total, [d.id for d in c.deals]) for c in seen.columns[:1]] == [
        ("Qualification", 1, [mine])
    ]
    assert seen.columns[0].deals[0].owner_name == "Пётр Петров"
    assert _board(db).columns[0].total == 3
    with db.reader() as uow:
        assert [d.id for d in board.deals_of(uow, manager, "client", own_client)] == [mine]
        with pytest.raises(PermissionDenied):
            board.deals_of(uow, manager, "client", other)


def test_deals_tab_of_a_card(db: Database) -> None:
    cid = client(db, "Ромашка")
    old = _deal(db, "Старая", cid)
    closed = _deal(db, "Закрытая", cid)
    new = _deal(db, "Новая", cid, amount="5", currency="EUR")
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deals.move(uow, actor, closed, "Lost")
        anna = parties.add_contact(uow, actor, "Анна", client_id=cid).id
        uow.commit()
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        tab = board.deals_of(uow, actor, "client", cid, zone_name=ZONE)
        assert [d.id for d in tab] == [new, old, closed]  # open first, newest first
        assert (tab[0].stage, tab[0].amount, tab[0].currency) == (
            "Qualification",
            Decimal("5.00"),
            "EUR",
        )
        assert tab[2].stage == "Lost"
        assert not tab[2].active
        assert board.deals_of(uow, actor, "contact", anna, zone_name=ZONE) == tab
        with pytest.raises(NotFoundError):
            board.board(uow, actor, 999)
