"""Rules, assignment and actions over real SQLite and PostgreSQL (SPEC G2-G4)."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from models import Client, Deal, Lead, SupportTicket
from services.core.errors import UserError
from services.core.storage import Database, open_database
from services.inbound import dry_run, reasons, use_cases
from services.parties import use_cases as parties
from tests.conftest import Team, make_team
from tests.integration import inbound_helpers as h
from tests.integration.helpers import row_counts


def _count(db: Database, model: type) -> int:
    with db.reader() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def test_round_robin_spreads_30_requests_10_10_10_and_resumes_after_a_restart(
    db_url: str,
) -> None:
    db = open_database(db_url)
    team = make_team(db)
    src = h.source(db, team.admin)
    queue = (team.admin.id, team.anna.id, h.user_id(db, "gone"), team.boris.id)
    h.rule(db, team.admin, src, is_default=True, assign_mode="round_robin", queue_user_ids=queue)
    first = [h.deliver(db, src, f"Заявка {i}") for i in range(16)]
    use_cases.process(db)
    db.dispose()
    # A new process: the queue goes on from where it stood (16 is not a multiple of 3).
    db = open_database(db_url)
    second = [h.deliver(db, src, f"Заявка {i}") for i in range(14)]
    use_cases.process(db)
    owners = Counter(h.request(db, rid).owner_id for rid in first + second)
    assert owners == {team.admin.id: 10, team.anna.id: 10, team.boris.id: 10}
    assert h.request(db, first[0]).state == "assigned"
    assert h.request(db, first[0]).why["assigned"] == "round_robin"
    db.dispose()


def test_keyword_rules_with_cyrillic_yo_and_mixed_case(db: Database, team: Team) -> None:
    src = h.source(db, team.admin)
    support = h.rule(
        db, team.admin, src, name="Поддержка", keywords="Не работает; ошибка",
        assign_mode="user", user_id=team.anna.id, action="ticket",
    )  # fmt: skip
    h.rule(
        db, team.admin, src, name="Счета", keywords="счёт", whole_word=True,
        assign_mode="user", user_id=team.boris.id,
    )  # fmt: skip
    broken = h.deliver(db, src, "СРОЧНО", "Касса НЕ РАБОТАЕТ с утра", email="kassa@shop.ru")
    bill = h.deliver(db, src, "Выставите СЧЕТ", "")
    meter = h.deliver(db, src, "Показания счётчика", "")
    use_cases.process(db)
    got = h.request(db, broken)
    assert (got.rule_id, got.owner_id, got.state) == (support, team.anna.id, "converted")
    assert got.why["matched"] == ["не работает"]
    assert got.ticket_id is not None
    assert h.request(db, bill).owner_id == team.boris.id
    assert h.request(db, meter).rule_id is None  # whole word: "счётчика" is not "счёт"
    assert h.request(db, meter).state == "new"


def test_known_client_mail_goes_to_its_owner_and_an_active_deal_gets_it(
    db: Database, team: Team
) -> None:
    client = parties.add_client(
        db, team.boris, "ООО Ромашка", emails=["zakaz@romashka.ru"]
    ).value.id
    deal = parties.add_deal(db, team.boris, parties.NewDeal("Поставка", client_id=client)).value
    src = h.source(db, team.admin)
    h.rule(
        db, team.admin, src, is_default=True, assign_mode="round_robin",
        queue_user_ids=(team.anna.id,), action="deal",
    )  # fmt: skip
    deals_before = _count(db, Deal)
    rid = h.deliver(db, src, "Ещё 10 коробок", email="Zakaz@Romashka.ru")
    outcome = use_cases.process(db)
    got = h.request(db, rid)
    assert got.owner_id == team.boris.id  # the client's owner, not the queue's anna
    assert (got.client_id, got.deal_id, got.outcome) == (client, deal.id, "deal_attached")
    assert _count(db, Deal) == deals_before
    assert ("client", client) in outcome.changes.cards
    view = use_cases.get_request(db, team.boris, rid)
    assert view.owner == "Борис Петров"
    with pytest.raises(UserError, match="another manager"):
        use_cases.get_request(db, team.anna, rid)


def test_an_unknown_sender_becomes_a_lead_with_a_new_deal(db: Database, team: Team) -> None:
    src = h.source(db, team.admin)
    h.rule(
        db, team.admin, src, is_default=True, assign_mode="user", user_id=team.anna.id,
        action="deal",
    )  # fmt: skip
    rid = h.deliver(db, src, "Хочу купить станок", email="new@client.ru", phone="+7 912 000-11-22")
    use_cases.process(db)
    got = h.request(db, rid)
    assert got.state == "converted"
    assert got.outcome == "deal_created"
    assert got.created_lead
    with db.reader() as uow:
        lead = uow.session.get(Lead, got.lead_id)
        deal = uow.session.get(Deal, got.deal_id)
        assert lead is not None
        assert deal is not None
        assert (lead.name, lead.owner_id) == ("Иван Петров", team.anna.id)
        assert (deal.title, deal.lead_id) == ("Хочу купить станок", lead.id)
        assert deal.owner_id == team.anna.id
    # A second letter of the same sender lands on the same lead's active deal.
    again = h.deliver(db, src, "Уточнение", email="NEW@client.ru")
    use_cases.process(db)
    assert h.request(db, again).deal_id == got.deal_id
    assert _count(db, Lead) == 1
    # Undo the wrong conversion: the deal made for it is archived (its
    # history stays); the lead keeps the second request, so it stays.
    undone = use_cases.undo(db, team.anna, rid).value
    assert undone.state == "assigned"
    assert undone.deal_id is None
    with db.reader() as uow:
        deal = uow.session.get(Deal, got.deal_id)
        assert deal is not None
        assert deal.archived_at is not None


def test_reject_with_a_reason_from_the_list(db: Database, team: Team) -> None:
    spam = next(r for r in reasons.reasons(db) if r.name_en == "Spam")
    src = h.source(db, team.admin)
    h.rule(
        db, team.admin, src, keywords="казино; выигрыш", assign_mode="user",
        user_id=team.anna.id, action="reject", rejection_reason_id=spam.id,
    )  # fmt: skip
    by_rule = h.deliver(db, src, "Ваш ВЫИГРЫШ", "")
    by_hand = h.deliver(db, src, "Привет", "")
    use_cases.process(db)
    assert h.request(db, by_rule).state == "rejected"
    assert h.request(db, by_rule).rejection_reason_id == spam.id
    view = use_cases.reject(db, team.anna, by_hand, spam.id, "повтор").value
    assert (view.state, view.rejection_reason) == ("rejected", "Spam")
    assert view.rejection_note == "повтор"
    assert use_cases.counts(db, team.anna)["rejected"] == 2


def test_an_auto_reply_creates_nothing(db: Database, team: Team) -> None:
    src = h.source(db, team.admin)
    h.rule(
        db, team.admin, src, is_default=True, assign_mode="user", user_id=team.anna.id,
        action="deal",
    )  # fmt: skip
    before = (_count(db, Lead), _count(db, Deal), _count(db, Client), _count(db, SupportTicket))
    rid = h.deliver(db, src, "Автоответ: в отпуске", email="robot@x.ru", mark="auto_reply")
    use_cases.process(db)
    got = h.request(db, rid)
    assert got.mark == "auto_reply"
    assert got.owner_id is None
    assert got.deal_id is None
    after = (_count(db, Lead), _count(db, Deal), _count(db, Client), _count(db, SupportTicket))
    assert after == before
    assert use_cases.counts(db, team.admin)["new"] == 0


def test_a_role_request_belongs_to_the_first_who_takes_it(db: Database, team: Team) -> None:
    src = h.source(db, team.admin)
    h.rule(
        db, team.admin, src, is_default=True, assign_mode="role",
        role_id=h.role_id(db, "Manager"), action="ticket",
    )  # fmt: skip
    rid = h.deliver(db, src, "Не печатает чек", email="shop@x.ru")
    use_cases.process(db)
    assert h.request(db, rid).why["effect"] == "waiting"
    assert [r.id for r in use_cases.list_requests(db, team.boris, state="new")] == [rid]
    taken = use_cases.accept(db, team.anna, rid).value
    assert (taken.owner_id, taken.state) == (team.anna.id, "converted")
    assert taken.outcome == "ticket_created"
    with pytest.raises(UserError):
        use_cases.accept(db, team.boris, rid)
    assert use_cases.list_requests(db, team.boris) == []


def test_dry_run_changes_nothing(db: Database, team: Team) -> None:
    src = h.source(db, team.admin)
    h.rule(
        db, team.admin, src, is_default=True, assign_mode="round_robin",
        queue_user_ids=(team.anna.id, team.boris.id), action="deal",
    )  # fmt: skip
    for i in range(6):
        h.deliver(db, src, f"Заявка {i}", email=f"c{i}@x.ru")
    use_cases.process(db)
    before = row_counts(db)
    draft = [
        dry_run.RuleSpec(
            id=None, name="Всё Борису", is_default=True, assign_mode="user",
            user_id=team.boris.id, action="ticket", known_to_owner=False,
        )
    ]  # fmt: skip
    rows = dry_run.dry_run(db, team.admin, src, last=4, rules=draft)
    assert [r.would_owner_id for r in rows] == [team.boris.id] * 4
    # replayed as each arrived: the lead and the deal it made were not there yet
    assert {r.would_effect for r in rows} == {"ticket_created"}
    assert all(r.would_new_lead for r in rows)
    assert [r.did_owner_id for r in rows] == [team.anna.id, team.boris.id] * 2
    saved = dry_run.dry_run(db, team.admin, src, last=6)
    assert [r.would_owner_id for r in saved] == [team.anna.id, team.boris.id] * 3
    assert row_counts(db) == before


def test_a_deal_in_a_pipeline_that_requires_a_step_gets_a_planned_call(
    db: Database, team: Team
) -> None:
    from models import Interaction
    from services.parties import deals

    with db.uow(team.admin.id) as uow:
        pipeline = deals.add_pipeline(
            uow, team.admin, "Опт", ["Новая", "Счёт", "Отгрузка"], requires_planned=True
        )
        uow.commit()
    src = h.source(db, team.admin)
    h.rule(
        db, team.admin, src, is_default=True, assign_mode="user", user_id=team.boris.id,
        action="deal", pipeline_id=pipeline,
    )  # fmt: skip
    rid = h.deliver(db, src, "Оптовый заказ", email="opt@shop.example")
    use_cases.process(db)
    got = h.request(db, rid)
    assert got.outcome == "deal_created"
    with db.reader() as uow:
        steps = uow.session.scalars(
            select(Interaction).where(Interaction.deal_id == got.deal_id)
        ).all()
        assert [(s.type, s.state, s.owner_id) for s in steps] == [
            ("call", "planned", team.boris.id)
        ]
