"""Queued AI drafts (SPEC E3, "offers to queue the generation") on SQLite and
PostgreSQL: what is kept, when it is retried, and that a draft is only ever
taken by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import Role, User
from models.templates import AiDraftRequest
from services.ai import drafts as ai_drafts
from services.ai import settings as ai_settings
from services.ai.settings import Message
from services.core.access import Actor
from services.core.errors import NotFoundError, ValidationError
from services.core.storage import Database
from tests.integration.test_templates import FRIDAY, add_template, apply, make_card

PROMPT = "Напишите Ивану Петровичу о сроках поставки."


def queue_one(db: Database, actor: Actor, **changes: object) -> ai_drafts.QueuedDraft:
    card = make_card(db, actor)
    template_id = add_template(
        db,
        actor,
        "Ответ",
        "Re: {{ deal.title }}",
        "Ответьте на письмо\n{{ inbound.last_email }}",
        ai=True,
    )
    draft = apply(db, actor, template_id, card)
    with db.uow(actor.id) as uow:
        ai_settings.save(uow, actor, base_url="http://127.0.0.1:9/v1", model="llama3.1")
        messages = ai_drafts.prepare(uow, actor, draft, PROMPT, card.client_id, card.contact_id)
        values: dict[str, object] = {
            "client_id": card.client_id,
            "contact_id": card.contact_id,
            "deal_id": card.deal_id,
            "template_id": template_id,
            "subject": draft.subject,
            "to_address": "ivanov@romashka.ru",
            "messages": messages,
            "now": FRIDAY,
        } | changes
        queued = ai_drafts.enqueue(uow, actor, **values)  # type: ignore[arg-type]
        uow.commit()
    return queued


def test_a_queued_generation_keeps_exactly_the_previewed_messages(
    db: Database, actor: Actor
) -> None:
    queued = queue_one(db, actor)
    assert queued.state == "queued"
    assert queued.client_name == "ООО «Ромашка»"
    assert queued.subject == "Re: Поставка оборудования"
    with db.reader(actor.id) as uow:
        (job,) = ai_drafts.due(uow, actor, FRIDAY)
    assert job.id == queued.id
    system, user = job.messages
    assert system.role == "system"
    assert system.content.startswith(ai_settings.SYSTEM_PROMPT)
    # the edited prompt, then the client's letter as delimited data
    assert user.content.startswith(PROMPT)
    assert '<data name="last_email">' in user.content


def test_an_unreachable_server_is_retried_later_with_a_growing_wait(
    db: Database, actor: Actor
) -> None:
    queued = queue_one(db, actor)
    waits = []
    now = FRIDAY
    for _ in range(6):
        with db.uow(actor.id) as uow:
            assert [j.id for j in ai_drafts.due(uow, actor, now)] == [queued.id]
            ai_drafts.record_failure(uow, actor, queued.id, "cannot be reached", now, retry=True)
            uow.commit()
        with db.reader(actor.id) as uow:
            row = uow.session.get(AiDraftRequest, queued.id)
            assert row is not None
            assert row.next_try_utc is not None
            wait = row.next_try_utc - now
            # not due until the wait is over
            assert ai_drafts.due(uow, actor, now + wait - dt.timedelta(seconds=1)) == []
        waits.append(wait)
        now += wait
    assert waits[0] == dt.timedelta(minutes=1)
    assert waits == sorted(waits)
    assert waits[-1] == dt.timedelta(minutes=15)
    with db.reader(actor.id) as uow:
        (still,) = ai_drafts.open_requests(uow, actor)
    assert still.state == "queued"
    assert still.attempts == 6


def test_a_ready_draft_waits_for_the_user_and_is_taken_once(db: Database, actor: Actor) -> None:
    queued = queue_one(db, actor)
    with db.uow(actor.id) as uow:
        ai_drafts.record_ready(uow, actor, queued.id, "Добрый день, Иван Петрович!")
        uow.commit()
    with db.reader(actor.id) as uow:
        assert ai_drafts.due(uow, actor, FRIDAY + dt.timedelta(days=1)) == []
        (ready,) = ai_drafts.open_requests(uow, actor, client_id=queued.client_id)
    assert ready.state == "ready"
    assert ready.result == "Добрый день, Иван Петрович!"
    with db.uow(actor.id) as uow:
        used = ai_drafts.use(uow, actor, queued.id)
        uow.commit()
    assert used.result == "Добрый день, Иван Петрович!"
    with db.uow(actor.id) as uow:
        assert ai_drafts.open_requests(uow, actor) == []
        with pytest.raises(ValidationError, match="gone"):
            ai_drafts.use(uow, actor, queued.id)


def test_a_refusal_fails_the_draft_with_the_reason(db: Database, actor: Actor) -> None:
    queued = queue_one(db, actor)
    with db.uow(actor.id) as uow:
        ai_drafts.record_failure(uow, actor, queued.id, "refused the API key", FRIDAY, retry=False)
        uow.commit()
    with db.reader(actor.id) as uow:
        assert ai_drafts.due(uow, actor, FRIDAY + dt.timedelta(days=1)) == []
        (failed,) = ai_drafts.open_requests(uow, actor)
        assert failed.state == "failed"
        assert failed.last_error == "refused the API key"
        with pytest.raises(ValidationError):
            ai_drafts.use(uow, actor, queued.id)


def test_a_dropped_draft_is_not_revived_by_a_late_answer(db: Database, actor: Actor) -> None:
    queued = queue_one(db, actor)
    with db.uow(actor.id) as uow:
        ai_drafts.drop(uow, actor, queued.id)
        uow.commit()
    with db.uow(actor.id) as uow:  # the generation was already under way
        late = ai_drafts.record_ready(uow, actor, queued.id, "late text")
        uow.commit()
    assert late.state == "dropped"
    with db.reader(actor.id) as uow:
        assert ai_drafts.open_requests(uow, actor) == []


def test_nothing_to_generate_from_is_refused_and_nothing_saved(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationError, match="prompt"):
        queue_one(db, actor, messages=[Message("system", "rules only")])
    with db.reader(actor.id) as uow:
        assert uow.session.scalars(select(AiDraftRequest)).all() == []


def test_the_queue_per_user_is_bounded(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ai_drafts, "MAX_QUEUED", 1)
    queue_one(db, actor)
    with db.uow(actor.id) as uow:
        client_id = uow.session.scalar(select(AiDraftRequest.client_id))
        with pytest.raises(ValidationError, match="already waiting"):
            ai_drafts.enqueue(
                uow,
                actor,
                client_id=client_id,  # type: ignore[arg-type]
                contact_id=None,
                deal_id=None,
                template_id=None,
                subject="x",
                to_address="",
                messages=[Message("user", "write")],
                now=FRIDAY,
            )


def test_another_users_drafts_are_invisible(db: Database, actor: Actor) -> None:
    queued = queue_one(db, actor)
    with db.uow(actor.id) as uow:
        role = uow.session.scalars(select(Role).where(Role.name == "Manager")).one()
        user = User(login="manager1", full_name="Мария Менеджер", role_id=role.id)
        uow.session.add(user)
        uow.commit()
        other = Actor(user.id, user.login, user.full_name, frozenset(role.permissions))
    with db.uow(other.id) as uow:
        assert ai_drafts.open_requests(uow, other) == []
        assert ai_drafts.due(uow, other, FRIDAY) == []
        with pytest.raises(NotFoundError):
            ai_drafts.use(uow, other, queued.id)


def test_the_cli_lists_and_drops_queued_drafts(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from desktop.cli import main
    from services.core import bootstrap

    with sqlite_db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    queued = queue_one(sqlite_db, actor)
    url = str(sqlite_db.engine.url)
    capsys.readouterr()
    assert main(["--db", url, "drafts", "list", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["id"] == queued.id
    assert listed["state"] == "queued"
    assert listed["client_name"] == "ООО «Ромашка»"
    assert "messages" not in listed  # what is sent stays in the database
    assert main(["--db", url, "drafts", "drop", str(queued.id), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["state"] == "dropped"
    assert main(["--db", url, "drafts", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", url, "drafts", "drop", "999"]) == 2
    assert "999" in capsys.readouterr().err
