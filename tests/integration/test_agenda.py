"""My agenda: sections cut at the display zone's midnight, overdue by the
clock passed in, tasks and mentions, and whose agenda a user may see."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from models import Note, Role, User
from services.core import bootstrap
from services.core.access import Actor, PermissionDenied
from services.core.storage import Database
from services.core.views import Agenda, AgendaSection
from services.interactions import actions as ix
from services.interactions import agenda, notes, tasks
from services.parties import deals
from services.parties import records as parties
from tests.integration.helpers import NOW, client

ZONE = "Asia/Vladivostok"  # UTC+10, no DST
# Tuesday 24 November, 23:30 in Vladivostok (13:30 UTC).
CLOCK = dt.datetime(2026, 11, 24, 13, 30, tzinfo=dt.UTC)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)


def _manager(db: Database, login: str = "petrov") -> Actor:
    with db.uow() as uow:
        role = uow.session.scalar(select(Role.id).where(Role.name == "Manager"))
        uow.session.add(User(login=login, full_name="Пётр Петров", role_id=role))
        uow.commit()
    with db.reader() as uow:
        return bootstrap.actor_for(uow, login)


def _plan(
    db: Database, cid: int, subject: str, start: dt.datetime, owner_id: int | None = None
) -> int:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        iid = ix.create(
            uow,
            actor,
            ix.NewInteraction(
                type="call",
                planned=True,
                start=start,
                tz="Europe/Moscow",
                client_id=cid,
                subject=subject,
                owner_id=owner_id,
            ),
            now=NOW,
        ).id
        uow.commit()
    return iid


def _agenda(
    db: Database, actor: Actor | None = None, *, limit: int = 500, owner_id: int | None = None
) -> Agenda:
    with db.reader() as uow:
        who = actor or bootstrap.actor_for(uow)
        return agenda.agenda(uow, who, CLOCK, zone_name=ZONE, limit=limit, owner_id=owner_id)


def _subjects(section: AgendaSection) -> list[str | None]:
    return [item.subject for item in section.items]


def test_sections_are_cut_at_midnight_of_the_display_zone(db: Database) -> None:
    cid = client(db)
    _plan(db, cid, "давно", utc(20, 10))
    _plan(db, cid, "только что", utc(24, 13))  # 23:00 local: passed
    _plan(db, cid, "до полуночи", utc(24, 13, 50))  # 23:50 local
    _plan(db, cid, "после полуночи", utc(24, 14, 10))  # 00:10 Wednesday local, still 24th in UTC
    _plan(db, cid, "воскресенье", utc(29, 13, 59))  # Sunday 23:59 local
    _plan(db, cid, "понедельник", utc(29, 14))  # Monday 00:00 local: next week
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        tasks.add_task(uow, actor, "client", cid, "задача на вечер", deadline=utc(24, 13, 45))
        tasks.add_task(uow, actor, "client", cid, "когда-нибудь")
        done = tasks.add_task(uow, actor, "client", cid, "сделано", deadline=utc(24, 13, 40))
        tasks.complete_task(uow, actor, done, now=NOW)
        finished = ix.create(
            uow,
            actor,
            ix.NewInteraction(type="call", client_id=cid, subject="уже был", start=utc(24, 13, 55)),
            now=NOW,
        )
        assert finished.state == "done"
        uow.commit()
    cancelled = _plan(db, cid, "отменён", utc(24, 13, 52))
    with db.uow() as uow:
        ix.cancel(uow, bootstrap.actor_for(uow), cancelled, now=NOW)
        uow.commit()

    got = _agenda(db)
    assert got.day == dt.date(2026, 11, 24)
    assert got.zone == ZONE
    assert _subjects(got.overdue) == ["давно", "только что"]
    assert _subjects(got.today) == ["задача на вечер", "до полуночи"]
    assert _subjects(got.this_week) == ["после полуночи", "воскресенье"]
    assert _subjects(got.later) == ["понедельник", "когда-нибудь"]
    assert [s.total for s in (got.overdue, got.today, got.this_week, got.later)] == [2, 2, 2, 2]
    with db.reader() as uow:
        in_utc = agenda.agenda(uow, bootstrap.actor_for(uow), CLOCK, zone_name="UTC")
    assert "после полуночи" in _subjects(in_utc.today)


def test_items_say_what_when_and_with_whom(db: Database) -> None:
    cid = client(db, "ООО Ромашка")
    iid = _plan(db, cid, "созвон", utc(25, 6))
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        deal = deals.add_deal(uow, actor, "Поставка", client_id=cid).id
        task = tasks.add_task(uow, actor, "deal", deal, "счёт", deadline=utc(25, 7))
        uow.commit()
    [call, todo] = _agenda(db).this_week.items
    assert (call.kind, call.id, call.type, call.party_name, call.client_id) == (
        "interaction",
        iid,
        "call",
        "ООО Ромашка",
        cid,
    )
    assert call.start == utc(25, 6)
    assert call.start is not None
    assert str(call.start.tzinfo) == "Europe/Moscow"
    assert call.start.hour == 9  # 06:00 UTC is 09:00 in Moscow
    assert (call.party_kind, call.party_id) == ("client", cid)
    assert (todo.kind, todo.id, todo.type, todo.deal_id, todo.deal_title) == (
        "task",
        task,
        "task",
        deal,
        "Поставка",
    )
    assert todo.start is not None
    assert str(todo.start.tzinfo) == ZONE


def test_each_section_is_capped_and_counted(db: Database) -> None:
    cid = client(db)
    for k in range(5):
        _plan(db, cid, f"старое {k}", utc(1 + k, 10))
    for k in range(3):
        _plan(db, cid, f"будущее {k}", utc(30, 10 + k))
    got = _agenda(db, limit=2)
    assert _subjects(got.overdue) == ["старое 0", "старое 1"]
    assert got.overdue.total == 5
    assert _subjects(got.later) == ["будущее 0", "будущее 1"]
    assert got.later.total == 3
    assert got.today.items == ()
    assert got.today.total == 0


def test_mentions_of_the_last_30_days(db: Database) -> None:
    manager = _manager(db)
    with db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    cid = client(db, "Лютик", owner_id=manager.id)
    with db.uow() as uow:
        recent = notes.add_note(uow, manager, "client", cid, f"@{admin.login} посмотри договор")
        old = notes.add_note(uow, manager, "client", cid, f"@{admin.login} старое")
        notes.add_note(uow, manager, "client", cid, "без упоминаний")
        uow.session.execute(
            update(Note).where(Note.id == recent).values(created_at=CLOCK - dt.timedelta(days=2))
        )
        uow.session.execute(
            update(Note).where(Note.id == old).values(created_at=CLOCK - dt.timedelta(days=31))
        )
        uow.commit()
    [mention] = _agenda(db).mentions
    assert (mention.note_id, mention.author_id, mention.author_name) == (
        recent,
        manager.id,
        "Пётр Петров",
    )
    assert mention.text.endswith("посмотри договор")
    assert (mention.client_id, mention.party_name) == (cid, "Лютик")
    assert mention.at == CLOCK - dt.timedelta(days=2)
    assert str(mention.at.tzinfo) == ZONE


def test_a_manager_sees_only_their_own_agenda_and_clients(db: Database) -> None:
    manager = _manager(db)
    own = client(db, "Свой", owner_id=manager.id)
    foreign = client(db, "Чужой")
    _plan(db, own, "свой звонок", utc(26, 8), owner_id=manager.id)
    _plan(db, foreign, "звонок на чужом клиенте", utc(26, 9), owner_id=manager.id)
    _plan(db, foreign, "звонок админа", utc(26, 10))
    with db.uow() as uow:
        admin = bootstrap.actor_for(uow)
        notes.add_note(uow, admin, "client", own, "@petrov это тебе")
        notes.add_note(uow, admin, "client", foreign, "@petrov и это")
        uow.commit()
    mine = _agenda(db, manager)
    assert _subjects(mine.this_week) == ["свой звонок"]
    assert [m.party_name for m in mine.mentions] == ["Свой"]
    with pytest.raises(PermissionDenied):
        _agenda(db, manager, owner_id=admin.id)
    seen_by_admin = _agenda(db, owner_id=manager.id)
    assert seen_by_admin.owner_id == manager.id
    assert _subjects(seen_by_admin.this_week) == ["свой звонок", "звонок на чужом клиенте"]
    assert len(seen_by_admin.mentions) == 2


def test_boundaries_follow_dst() -> None:
    # Sunday 25 October 2026: Berlin leaves summer time at 03:00.
    day, tomorrow, week_end = agenda.boundaries(
        dt.datetime(2026, 10, 25, 10, tzinfo=dt.UTC), "Europe/Berlin"
    )
    assert day == dt.date(2026, 10, 25)
    assert tomorrow == week_end == dt.datetime(2026, 10, 25, 23, tzinfo=dt.UTC)
    day, tomorrow, week_end = agenda.boundaries(
        dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC), "Europe/Berlin"
    )
    assert day == dt.date(2026, 3, 29)  # 00:30 on Sunday, still winter time
    assert tomorrow == dt.datetime(2026, 3, 29, 22, tzinfo=dt.UTC)  # Monday 00:00 CEST


def test_party_kind_of_a_lead_item(db: Database) -> None:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        lead = parties.add_lead(uow, actor, "Лид").id
        tasks.add_task(uow, actor, "lead", lead, "позвонить лиду", deadline=utc(25, 3))
        uow.commit()
    [item] = _agenda(db).this_week.items
    assert (item.party_kind, item.party_id, item.party_name) == ("lead", lead, "Лид")
