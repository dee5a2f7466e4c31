"""A Telegram source polled against the local Telegram-compatible server:
its messages become requests exactly once, across failures, restarts and
SIGKILL at any moment; its rules run on them; its token stays in the keyring."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import InboundRequest, InboundSource
from services.core.access import PermissionDenied
from services.core.errors import PasswordMissing
from services.core.storage import Database
from services.core.views import to_json
from services.inbound import intake, setup, telegram_poll
from services.inbound.setup import RuleInput
from services.inbound.telegram import TelegramRefused, load_token
from services.jobs import registry, runs
from services.jobs.registry import Scope
from tests.conftest import Team, make_team
from tests.telegram_server import TOKEN, FakeTelegramServer

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "telegram_poll_runner.py"


def _source(db: Database, team: Team, server: FakeTelegramServer) -> int:
    source = setup.add_source(db, team.admin, "telegram", "Бот продаж", api_base=server.url)
    assert telegram_poll.set_token(db, team.admin, source.value.id, TOKEN).value == (
        "touchpoint_test_bot"
    )
    return source.value.id


def _requests(db: Database, source_id: int) -> list[InboundRequest]:
    with db.reader() as uow:
        rows = list(
            uow.session.scalars(
                select(InboundRequest)
                .where(InboundRequest.source_id == source_id)
                .order_by(InboundRequest.id)
            )
        )
        uow.session.expunge_all()
        return rows


def _offset(db: Database, source_id: int) -> int:
    with db.reader() as uow:
        return int(uow.session.get(InboundSource, source_id).telegram_offset or 0)  # type: ignore[union-attr]


def test_messages_become_requests_once_and_rules_route_them(
    db: Database, telegram: FakeTelegramServer
) -> None:
    team = make_team(db)
    source_id = _source(db, team, telegram)
    setup.add_rule(
        db,
        team.admin,
        source_id,
        RuleInput(name="Всем", is_default=True, queue_user_ids=(team.anna.id, team.boris.id)),
    )
    telegram.send("Здравствуйте, нужен СЧЁТ на монтаж")
    telegram.send("Перезвоните", first_name="Ёжик", last_name="", username="")
    outcome = telegram_poll.poll(db, source_id)
    report = outcome.value
    assert (report.received, report.stored) == (2, 2)
    assert outcome.changes.touches("inbound_request")
    rows = _requests(db, source_id)
    assert [r.body for r in rows] == ["Здравствуйте, нужен СЧЁТ на монтаж", "Перезвоните"]
    assert [r.sender_name for r in rows] == ["Иван Петров", "Ёжик"]
    assert [r.sender_handle for r in rows] == ["ivan_petrov", None]
    assert all(r.channel == "telegram" and r.source_key.startswith("tg:501:") for r in rows)
    assert [r.owner_id for r in rows] == [team.anna.id, team.boris.id]  # round-robin
    assert all(r.processed_at is not None for r in rows)
    assert telegram.pending() == 2  # not confirmed until the next poll asks past them

    again = telegram_poll.poll(db, source_id).value
    assert again.stored == 0
    assert telegram.pending() == 0
    assert len(_requests(db, source_id)) == 2


def test_a_failure_before_the_commit_loses_nothing(
    db: Database, telegram: FakeTelegramServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = make_team(db)
    source_id = _source(db, team, telegram)
    for n in range(5):
        telegram.send(f"Сообщение {n}")

    def broken(*_args: object, **_kwargs: object) -> list[int]:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(intake, "store", broken)
        with pytest.raises(OSError, match="disk full"):
            telegram_poll.poll(db, source_id)
    assert _requests(db, source_id) == []
    assert _offset(db, source_id) == 0
    assert telegram_poll.poll(db, source_id).value.stored == 5
    assert len(_requests(db, source_id)) == 5


def test_a_server_replaying_confirmed_updates_stores_nothing_twice(
    db: Database, telegram: FakeTelegramServer
) -> None:
    team = make_team(db)
    source_id = _source(db, team, telegram)
    telegram.send("Один раз")
    telegram_poll.poll(db, source_id)
    with db.uow() as uow:  # a lost offset (restored backup): Telegram sends them again
        uow.session.get(InboundSource, source_id).telegram_offset = 0  # type: ignore[union-attr]
        uow.commit()
    assert telegram_poll.poll(db, source_id).value.stored == 0
    assert [r.body for r in _requests(db, source_id)] == ["Один раз"]


def test_a_refused_token_is_kept_on_the_source(db: Database, telegram: FakeTelegramServer) -> None:
    team = make_team(db)
    source_id = _source(db, team, telegram)
    telegram.token = "987654321:AAEanotherTokenTheServerNowWants_xyz"
    try:
        with pytest.raises(TelegramRefused) as info:
            telegram_poll.poll(db, source_id)
    finally:
        telegram.token = TOKEN
    assert "refused the bot token" in str(info.value)
    with db.reader() as uow:
        source = uow.session.get(InboundSource, source_id)
        assert source is not None
        assert "refused the bot token" in (source.last_error or "")
        assert TOKEN not in (source.last_error or "")


def test_the_token_is_checked_before_it_is_kept(db: Database, telegram: FakeTelegramServer) -> None:
    team = make_team(db)
    source = setup.add_source(db, team.admin, "telegram", "Бот", api_base=telegram.url).value
    with pytest.raises(TelegramRefused, match="refused the bot token"):
        telegram_poll.set_token(
            db, team.admin, source.id, "987654321:AAEsomeoneElsesTokenWhichIsWrong_xyz"
        )
    with db.reader() as uow:
        uid = uow.session.get(InboundSource, source.id).uid  # type: ignore[union-attr]
    with pytest.raises(PasswordMissing):
        load_token(uid)
    with pytest.raises(PermissionDenied):
        telegram_poll.set_token(db, team.anna, source.id, TOKEN)


def test_a_source_that_does_not_process_requests_is_not_polled(
    db: Database, telegram: FakeTelegramServer
) -> None:
    team = make_team(db)
    source_id = _source(db, team, telegram)
    setup.set_source(db, team.admin, source_id, process_requests=False)
    telegram.send("Никто не прочтёт")
    assert telegram_poll.poll(db, source_id).value.stored == 0
    assert telegram.requests == [] or all("getUpdates" not in r["path"] for r in telegram.requests)


@pytest.mark.slow
def test_sigkill_at_any_moment_neither_loses_nor_doubles(
    sqlite_db: Database, telegram: FakeTelegramServer, tmp_path: Path
) -> None:
    """A poller killed with SIGKILL again and again while messages arrive:
    every message ends as exactly one request."""
    team = make_team(sqlite_db)
    source_id = _source(sqlite_db, team, telegram)
    url = str(sqlite_db.engine.url)
    rng = random.Random(18)
    sent = 0
    kills = 0
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    for _round in range(8):
        for _ in range(4):
            telegram.send(f"Заявка {sent}")
            sent += 1
        child = subprocess.Popen(
            [sys.executable, str(RUNNER), url, str(source_id), TOKEN],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        kills += 1
    while telegram_poll.poll(sqlite_db, source_id).value.received:
        pass
    bodies = [r.body for r in _requests(sqlite_db, source_id)]
    assert kills == 8
    assert sorted(bodies) == sorted(f"Заявка {n}" for n in range(sent))
    with sqlite_db.reader() as uow:
        keys = uow.session.scalar(
            select(func.count(func.distinct(InboundRequest.source_key))).where(
                InboundRequest.source_id == source_id
            )
        )
    assert keys == sent
    assert telegram.pending() == 0


def test_run_due_polls_telegram_sources_where_the_token_may_be(
    db: Database, telegram: FakeTelegramServer
) -> None:
    team = make_team(db)
    source_id = _source(db, team, telegram)
    telegram.send("Хочу подключиться")
    done = [r for r in runs.run_due(db, Scope(actor=team.admin)) if r.kind == "telegram"]
    assert [(r.key, r.ok, r.summary) for r in done] == [
        (f"telegram:{source_id}", True, "1 new requests")
    ]
    assert done[0].result.changes().touches("inbound_request")
    report = json.loads(json.dumps(to_json(done[0].result)))  # run-due --json prints it
    assert (report["stored"], report["request_ids"]) == (1, list(done[0].result.request_ids))
    assert [r.body for r in _requests(db, source_id)] == ["Хочу подключиться"]
    with db.reader() as uow:  # a manager's desktop has no bot token to poll with
        kinds = {spec.kind for spec in registry.find_all(uow, Scope(team.anna, team.anna.id))}
    assert "telegram" not in kinds
