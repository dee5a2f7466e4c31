"""The dry run replays each request as it was when it arrived: the lead and
the deal a request made itself are not there yet, so unchanged rules show
every request as it happened."""

from __future__ import annotations

from services.core.storage import Database
from services.inbound import dry_run
from services.inbound import use_cases as inbound
from tests.conftest import make_team
from tests.integration import inbound_helpers as h


def test_unchanged_rules_replay_as_it_happened(db: Database) -> None:
    team = make_team(db)
    source = h.source(db, team.admin)
    h.rule(
        db,
        team.admin,
        source,
        name="Сделки",
        keywords="счёт",
        action="deal",
        assign_mode="user",
        user_id=team.anna.id,
    )
    h.rule(
        db,
        team.admin,
        source,
        name="Поддержка",
        keywords="сломался",
        action="ticket",
        assign_mode="user",
        user_id=team.boris.id,
    )
    h.deliver(db, source, "Нужен счёт", email="new.client@example.ru")
    h.deliver(db, source, "Сломался", email="other@example.ru")
    h.deliver(db, source, "Просто вопрос")
    inbound.process(db, source)
    rows = dry_run.dry_run(db, team.admin, source, last=10)
    assert [(r.would_effect, r.did_effect) for r in rows] == [
        ("deal_created", "deal_created"),
        ("ticket_created", "ticket_created"),
        ("none", "none"),
    ]
    assert [r.would_new_lead for r in rows] == [True, True, False]
    assert [r.would_owner for r in rows[:2]] == ["Анна Смирнова", "Борис Петров"]
    assert all(r.same for r in rows)
