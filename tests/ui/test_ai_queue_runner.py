"""The app writes queued AI drafts when the server answers again (SPEC E3):
real ``openai`` client over HTTP on a qasync loop, outcomes in the database."""

from __future__ import annotations

import datetime as dt

import qasync
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desktop.ai_queue import AiDraftRunner
from models.templates import AiDraftRequest
from services.ai import drafts as ai_drafts
from services.ai import settings as ai_settings
from services.ai.settings import Message
from services.core import scheduler
from services.core.storage import Database
from tests.ai_server import FakeAIServer
from tests.integration.test_templates import make_card
from tests.ui.helpers import InlineLane, make_ctx
from tests.ui.test_compose_templates import ai_server, free_port, loop, use_server

__all__ = ["ai_server", "loop"]  # fixtures
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)


def queue(db: Database, count: int = 1) -> list[int]:
    ctx = make_ctx(db)
    card = make_card(db, ctx.actor)
    ids = []
    with db.uow(ctx.actor.id) as uow:
        for n in range(count):
            queued = ai_drafts.enqueue(
                uow,
                ctx.actor,
                client_id=card.client_id,
                contact_id=card.contact_id,
                deal_id=card.deal_id,
                template_id=None,
                subject=f"Письмо {n}",
                to_address="ivanov@romashka.ru",
                messages=[Message("system", "rules"), Message("user", f"Напиши письмо {n}")],
                now=NOW,
            )
            ids.append(queued.id)
        uow.commit()
    return ids


def runner_for(db: Database) -> AiDraftRunner:
    ctx = make_ctx(db)
    return AiDraftRunner(db, ctx.actor, InlineLane(), InlineLane(), clock=lambda: NOW)


def states(db: Database) -> list[tuple[str, str, str]]:
    with db.reader() as uow:
        rows = uow.session.scalars(select(AiDraftRequest).order_by(AiDraftRequest.id))
        return [(r.state, r.result, r.last_error) for r in rows]


def test_queued_drafts_are_written_when_the_server_answers(
    qtbot: QtBot, sqlite_db: Database, loop: qasync.QEventLoop, ai_server: FakeAIServer
) -> None:
    queue(sqlite_db, 2)
    use_server(sqlite_db, ai_server.url)
    ai_server.reply = "Готово."
    runner = runner_for(sqlite_db)
    with qtbot.waitSignals([runner.ready, runner.ready]) as _:
        runner.run_job()
        assert runner.task is not None
        loop.run_until_complete(runner.task)
    assert states(sqlite_db) == [("ready", "Готово.", ""), ("ready", "Готово.", "")]
    sent = [r.messages[-1]["content"] for r in ai_server.received]
    assert sent == ["Напиши письмо 0", "Напиши письмо 1"]  # exactly what was queued
    with sqlite_db.reader() as uow:  # the round is recorded as the scheduler's job
        [job] = scheduler.states(uow).values()
    assert job.key == f"ai_drafts:{make_ctx(sqlite_db).actor.id}"
    assert job.last_result == "2 written, 0 retrying, 0 failed"
    assert job.next_run_at is None  # nothing queued any more
    runner.run_job()  # nothing left: no new round
    assert runner.task is not None
    assert runner.task.done()


def test_an_unreachable_server_leaves_them_queued_for_later(
    sqlite_db: Database, loop: qasync.QEventLoop
) -> None:
    queue(sqlite_db, 2)
    use_server(sqlite_db, f"http://127.0.0.1:{free_port()}/v1")
    runner = runner_for(sqlite_db)
    runner.run_job()
    assert runner.task is not None
    loop.run_until_complete(runner.task)
    (first, second) = states(sqlite_db)
    assert first[0] == "queued"
    assert "cannot be reached" in first[2]
    assert second == ("queued", "", "")  # the round ended at the first failure
    with sqlite_db.reader() as uow:
        due = ai_drafts.due(uow, make_ctx(sqlite_db).actor, NOW)
    assert [j.messages[-1].content for j in due] == ["Напиши письмо 1"]


def test_a_refusal_fails_the_draft_and_the_round_goes_on(
    sqlite_db: Database, loop: qasync.QEventLoop, ai_server: FakeAIServer
) -> None:
    queue(sqlite_db, 1)
    use_server(sqlite_db, ai_server.url)
    ai_server.models = {"qwen2.5"}  # our model is unknown there: 404
    runner = runner_for(sqlite_db)
    runner.run_job()
    assert runner.task is not None
    loop.run_until_complete(runner.task)
    ((state, result, error),) = states(sqlite_db)
    assert state == "failed"
    assert result == ""
    assert "does not know the model" in error


def test_with_ai_switched_off_nothing_is_tried(
    sqlite_db: Database, loop: qasync.QEventLoop
) -> None:
    queue(sqlite_db, 1)
    ctx = make_ctx(sqlite_db)
    with sqlite_db.uow(ctx.actor.id) as uow:
        ai_settings.save(uow, ctx.actor, base_url="", model="")
        uow.commit()
    runner = runner_for(sqlite_db)
    runner.run_job()
    assert runner.task is None
    assert states(sqlite_db) == [("queued", "", "")]
