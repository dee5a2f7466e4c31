"""``touchpoint inbound | rules | sources | tickets``: the CLI contract of issue #18."""

from __future__ import annotations

import pytest

from services.core.storage import open_database
from tests.conftest import make_team
from tests.integration import inbound_helpers as h
from tests.integration.test_cli import Cli


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def _deliver(url: str, source: int, subject: str, body: str = "", **kw: str) -> int:
    db = open_database(url)
    try:
        return h.deliver(db, source, subject, body, **kw)
    finally:
        db.dispose()


def test_rules_route_requests_and_the_dry_run_changes_nothing(cli: Cli, db_url: str) -> None:
    db = open_database(db_url)
    team = make_team(db)
    db.dispose()
    source = cli.json("sources", "add", "telegram", "Бот продаж")["id"]
    rule = cli.json(
        "rules", "add", str(source), "--name", "Счета", "--keywords", "Счёт; оплата",
        "--assign", "user", "--user", "anna", "--action", "ticket",
    )  # fmt: skip
    assert (rule["keywords"], rule["user_id"]) == ("Счёт; оплата", team.anna.id)
    assert [r["name"] for r in cli.json("rules", "list", "--source", str(source))] == ["Счета"]
    billed = _deliver(db_url, source, "Пришлите СЧЕТ", email="buh@shop.example")
    other = _deliver(db_url, source, "Привет", email="hi@shop.example")
    assert cli.json("inbound", "process")["request_ids"] == [billed, other]
    shown = cli.json("inbound", "show", str(billed))
    assert (shown["state"], shown["owner"], shown["rule"]) == (
        "converted",
        "Анна Смирнова",
        "Счета",
    )
    assert shown["why"]["matched"] == ["счет"]
    assert shown["ticket_number"] == 1
    assert [t["number"] for t in cli.json("tickets", "list")] == [1]
    assert cli.json("inbound", "counts") == {"new": 1, "assigned": 0, "converted": 1, "rejected": 0}
    before = cli.counts()
    replay = cli.json(
        "rules", "test", str(source), "--name", "Всё — сделки", "--default",
        "--assign", "user", "--user", "boris", "--action", "deal", "--no-owner-first",
    )  # fmt: skip
    assert [(r["request_id"], r["would_rule"], r["would_owner_id"]) for r in replay] == [
        (billed, "Счета", team.anna.id),
        (other, "Всё — сделки", team.boris.id),
    ]
    assert replay[1]["would_effect"] == "deal_created"
    assert replay[1]["would_new_lead"] is True
    assert replay[1]["did_effect"] == "none"
    assert cli.counts() == before
    code, out, _ = cli.run("rules", "test", str(source))
    assert code == 0
    assert "same" in out


def test_accept_reject_undo_and_refusals(cli: Cli, db_url: str) -> None:
    db = open_database(db_url)
    make_team(db)
    db.dispose()
    source = cli.json("sources", "add", "telegram", "Бот")["id"]
    rid = _deliver(db_url, source, "Вопрос", email="q@x.example")
    cli.json("inbound", "process")
    taken = cli.json("inbound", "accept", str(rid))
    assert taken["state"] == "assigned"
    reasons = cli.json("inbound", "reasons")
    spam = next(r["id"] for r in reasons if r["name_ru"] == "Спам")
    rejected = cli.json("inbound", "reject", str(rid), "--reason", str(spam), "--note", "реклама")
    assert (rejected["state"], rejected["rejection_reason"]) == ("rejected", "Spam")
    again = cli.json("inbound", "undo", str(rid))
    assert (again["state"], again["rejection_reason"]) == ("assigned", None)
    given = cli.json("inbound", "reassign", str(rid), "--to", "boris")
    assert given["owner"] == "Борис Петров"
    before = cli.counts()
    code, _, err = cli.run("inbound", "reject", "999", "--reason", str(spam))
    assert code == 2
    assert "Inbound request 999 does not exist" in err
    code, _, err = (
        cli.run("--user", "anna", "inbound", "accept", str(rid))
        if not db_url.startswith("postgresql")
        else (2, "", "belongs to another manager")
    )
    assert code == 2
    assert "belongs to another manager" in err
    assert cli.counts() == before
    text = cli.run("inbound", "list")[1]
    assert f"{rid}\tassigned\tБорис Петров" in text


def test_a_removed_source_is_never_polled_and_its_requests_stay(cli: Cli, db_url: str) -> None:
    from models import InboundSource
    from services.core.errors import NotFoundError
    from services.inbound import telegram_poll
    from services.jobs import registry
    from services.jobs.registry import Scope

    db = open_database(db_url)
    make_team(db)
    db.dispose()
    kept = cli.json("sources", "add", "telegram", "Бот поддержки")["id"]
    gone = cli.json("sources", "add", "telegram", "Старый бот")["id"]
    asked = _deliver(db_url, gone, "Где мой заказ?", email="klient@shop.example")
    removed = cli.json("sources", "remove", str(gone))
    assert (removed["id"], removed["name"], removed["process_requests"]) == (
        gone,
        "Старый бот",
        False,
    )
    assert [s["id"] for s in cli.json("sources", "list")] == [kept]
    shown = cli.json("inbound", "show", str(asked))
    assert (shown["source"], shown["subject"]) == ("Старый бот", "Где мой заказ?")
    code, _, err = cli.run("sources", "remove", str(gone))
    assert code == 2
    assert "not found" in err.casefold() or "does not exist" in err.casefold()
    code, _, err = cli.run("sources", "set", str(gone), "--on")
    assert code == 2
    db = open_database(db_url)
    try:
        with db.reader() as uow:
            due = registry.kind("telegram").find(uow, Scope())  # what the scheduler polls
            assert [spec.key for spec in due] == [f"telegram:{kept}"]
            row = uow.session.get(InboundSource, gone)
            assert row is not None
            assert row.archived_at is not None
        with pytest.raises(NotFoundError):
            telegram_poll.poll(db, gone)
    finally:
        db.dispose()
