"""Scenario steps run by the scheduler (SPEC F3, F5) against the real
servers: the Dovecot and SMTP rigs, and the real ``openai`` client against
the local compatible server. A long weekend with the laptop closed, a reply
that stops the rest, auto-replies and bounces, a paused run, failures."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pytest
from sqlalchemy import select

from models import Interaction, OutboxItem, ScenarioRunStep
from services.ai import settings as ai_settings
from services.core.access import Actor
from services.core.storage import Database
from services.jobs import runs as job_runs
from services.jobs.registry import Scope
from services.mail import imap_sync, outbox_sending
from services.scenarios import runner
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from tests.ai_server import FakeAIServer
from tests.integration.mail_helpers import ALICE, account
from tests.integration.scenario_helpers import FRIDAY, Card, make_card
from tests.mail_fixtures import append_messages

CONTACT = "ivanov@romashka.ru"
# The laptop closes on Friday 27 November at 12:00 in Moscow and opens on
# Monday 30 November at 12:00: three days later.
MONDAY_NOON = FRIDAY + dt.timedelta(days=3)
THURSDAY = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
WEEKEND_CHAIN = (
    StepSpec(
        "email",
        0,
        14 * 60,
        "Знакомство: {{ client.name }}",
        prompt="Здравствуйте, {{ contact.first_name }}! Высылаем каталог.",
        auto_send=True,
    ),
    StepSpec(
        "email",
        1,
        9 * 60,
        "Как вам каталог?",
        prompt="Напиши {{ contact.first_name }} короткое письмо: понравился ли каталог. "
        "Учти его последнее письмо: {{ inbound.last_email }}",
        ai=True,
        auto_send=True,
    ),
    StepSpec("call", 0, 10 * 60, "Позвонить {{ contact.full_name }}"),
    StepSpec("email", 2, 11 * 60, "Предложение", prompt="Предложение для вас.", auto_send=True),
    StepSpec("email", 1, 11 * 60, "Последнее письмо", prompt="Напоминаем.", auto_send=True),
)


@pytest.fixture
def ai_server() -> Iterator[FakeAIServer]:
    with FakeAIServer() as server:
        server.reply = "Иван, добрый день! Удалось ли посмотреть каталог?"
        yield server


def _ai_on(db: Database, actor: Actor, server: FakeAIServer) -> None:
    with db.uow(actor.id) as uow:
        ai_settings.save(uow, actor, base_url=server.url, model="llama3.1", timeout_s=5)
        uow.commit()


def _setup(
    db: Database, actor: Actor, mailbox: dict[str, Any], smtp: Any, **scenario: Any
) -> tuple[Card, int, int]:
    card = make_card(db, actor, email=CONTACT)
    acc = account(db, mailbox, smtp=smtp)
    chain = scenarios.add_scenario(db, actor, "Выходные", WEEKEND_CHAIN, **scenario).value.id
    run = scenarios.apply_scenario(db, actor, chain, card.client_id, card.contact_id, FRIDAY)
    return card, acc, run.value.id


def _steps(db: Database, run_id: int) -> list[ScenarioRunStep]:
    with db.reader() as uow:
        rows = uow.session.scalars(
            select(ScenarioRunStep)
            .where(ScenarioRunStep.run_id == run_id)
            .order_by(ScenarioRunStep.position)
        ).all()
        uow.session.expunge_all()
        return list(rows)


def _sent_ids(db: Database, run_id: int) -> list[str]:
    with db.reader() as uow:
        return list(
            uow.session.scalars(
                select(OutboxItem.message_key)
                .join(ScenarioRunStep, ScenarioRunStep.outbox_id == OutboxItem.id)
                .where(ScenarioRunStep.run_id == run_id)
                .order_by(ScenarioRunStep.position)
            )
        )


def _inbound(
    subject: str,
    *,
    sender: str = CONTACT,
    in_reply_to: str | None = None,
    when: dt.datetime = MONDAY_NOON + dt.timedelta(hours=2),
    headers: dict[str, str] | None = None,
    body: str = "Спасибо, каталог посмотрели. Больше не пишите, мы сами позвоним.",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ALICE
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<{abs(hash((subject, sender, when)))}@romashka.ru>"
    if in_reply_to:
        message["In-Reply-To"] = f"<{in_reply_to}>"
        message["References"] = f"<{in_reply_to}>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def _states(db: Database, actor: Actor, run_id: int) -> list[str]:
    return [s.state for s in scenarios.get_run(db, actor, run_id).steps]


def _run_state(db: Database, actor: Actor, run_id: int) -> tuple[str, str]:
    view = scenarios.get_run(db, actor, run_id)
    return view.state, view.stop_reason


def test_a_long_weekend_sends_each_due_letter_once_and_a_reply_stops_the_rest(
    db: Database,
    actor: Actor,
    mailbox: dict[str, Any],
    smtp: Any,
    ai_server: FakeAIServer,
) -> None:
    _ai_on(db, actor, ai_server)
    _card, acc, run_id = _setup(db, actor, mailbox, smtp)
    # Nothing ran while the laptop was closed; it opens three days later.
    scope = Scope(actor=actor, user_id=actor.id)
    ran = job_runs.run_due(db, scope, MONDAY_NOON)
    by_job = {r.kind: r for r in ran if r.kind in ("scenarios", "outbox")}
    assert by_job["scenarios"].ok, by_job["scenarios"].error
    assert len(by_job["scenarios"].result.queued) == 2  # Friday's and Monday's letters
    told = by_job["scenarios"].result.changes()  # the status bar's outbox count hears it
    assert len(told.created["outbox"]) == 2
    assert by_job["outbox"].ok
    received = smtp.wait_for(2)
    assert len(received) == 2
    letters = [email.message_from_bytes(m.data, policy=email.policy.default) for m in received]
    assert sorted(str(m["Subject"]) for m in letters) == [
        "Знакомство: ООО «Ромашка»",
        "Как вам каталог?",
    ]
    assert {m.rcpt_tos for m in received} == {(CONTACT,)}
    ai_letter = next(m for m in letters if m["Subject"] == "Как вам каталог?")
    assert ai_letter.get_content().strip() == ai_server.reply
    # The AI got the prompt with the variables filled in and no client text as instructions.
    [asked] = [r for r in ai_server.received if r.path.endswith("/chat/completions")]
    user_text = asked.body["messages"][-1]["content"]
    assert "Напиши Иван короткое письмо" in user_text
    assert '<data name="last_email">' in user_text
    # Opening again finds nothing more to send; the call waits in the agenda.
    again = job_runs.run_due(db, scope, MONDAY_NOON + dt.timedelta(minutes=1))
    assert [r.kind for r in again if r.kind == "scenarios"] == []
    assert len(smtp.messages) == 2
    assert _states(db, actor, run_id) == ["sent", "sent", "pending", "pending", "pending"]
    steps = _steps(db, run_id)
    with db.reader() as uow:
        states = {
            i.id: (i.state, i.body)
            for i in uow.session.scalars(
                select(Interaction).where(Interaction.id.in_([s.interaction_id for s in steps]))
            )
        }
    assert states[steps[1].interaction_id] == ("done", ai_server.reply)  # the feed shows it
    assert states[steps[2].interaction_id][0] == "planned"
    # The client answers the AI letter: the remaining letters are cancelled.
    [_first_key, second_key] = _sent_ids(db, run_id)
    append_messages(
        mailbox, ALICE, "INBOX", [_inbound("Re: Как вам каталог?", in_reply_to=second_key)]
    )
    imap_sync.sync_account(db, acc, now=MONDAY_NOON + dt.timedelta(hours=3))
    state, reason = _run_state(db, actor, run_id)
    assert state == "stopped"
    assert CONTACT in reason
    assert _states(db, actor, run_id) == [
        "sent",
        "sent",
        "pending",  # the call is the manager's: it stays in the agenda
        "cancelled",
        "cancelled",
    ]
    assert runner.run_due(db, THURSDAY).queued == ()
    outbox_sending.send_due(db, now=THURSDAY)
    assert len(smtp.messages) == 2


def test_auto_replies_do_not_stop_a_run_and_a_bounce_stops_it_with_the_reason(
    db: Database, actor: Actor, mailbox: dict[str, Any], smtp: Any
) -> None:
    chain = tuple(s for s in WEEKEND_CHAIN if not s.ai)
    card = make_card(db, actor, email=CONTACT)
    acc = account(db, mailbox, smtp=smtp)
    scenario = scenarios.add_scenario(db, actor, "Без ИИ", chain).value.id
    run_id = scenarios.apply_scenario(
        db, actor, scenario, card.client_id, card.contact_id, FRIDAY
    ).value.id
    assert len(runner.run_due(db, MONDAY_NOON).queued) == 1
    outbox_sending.send_due(db, now=MONDAY_NOON)
    [key] = _sent_ids(db, run_id)
    robots = [
        _inbound("Отпуск", in_reply_to=key, headers={"Auto-Submitted": "auto-replied"}),
        _inbound("Я в отпуске", headers={"X-Autoreply": "yes"}),
        _inbound("Рассылка", headers={"Precedence": "bulk"}),
    ]
    append_messages(mailbox, ALICE, "INBOX", robots)
    imap_sync.sync_account(db, acc, now=MONDAY_NOON + dt.timedelta(hours=3))
    assert _run_state(db, actor, run_id) == ("active", "")
    bounce = _inbound(
        "Undelivered Mail Returned to Sender",
        sender="MAILER-DAEMON@mx.romashka.ru",
        in_reply_to=key,
        headers={"Auto-Submitted": "auto-replied"},
        body="550 5.1.1 <ivanov@romashka.ru>: Recipient address rejected",
    )
    bounce = bounce.replace(
        b"Content-Type: text/plain",
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="x"\n'
        b"X-Original-Content-Type: text/plain",
        1,
    )
    append_messages(mailbox, ALICE, "INBOX", [bounce])
    imap_sync.sync_account(db, acc, now=MONDAY_NOON + dt.timedelta(hours=4))
    state, reason = _run_state(db, actor, run_id)
    assert state == "stopped"
    assert reason.startswith("bounced")
    assert _states(db, actor, run_id)[-2:] == ["cancelled", "cancelled"]


def test_a_paused_run_waits_and_goes_on_when_resumed(
    db: Database, actor: Actor, mailbox: dict[str, Any], smtp: Any
) -> None:
    chain = tuple(s for s in WEEKEND_CHAIN if not s.ai)
    card = make_card(db, actor, email=CONTACT)
    acc = account(db, mailbox, smtp=smtp)
    scenario = scenarios.add_scenario(db, actor, "Пауза", chain, on_reply="pause").value.id
    run_id = scenarios.apply_scenario(
        db, actor, scenario, card.client_id, card.contact_id, FRIDAY
    ).value.id
    runner.run_due(db, MONDAY_NOON)
    append_messages(mailbox, ALICE, "INBOX", [_inbound("Вопрос по каталогу")])  # by address
    imap_sync.sync_account(db, acc, now=MONDAY_NOON + dt.timedelta(hours=3))
    assert _run_state(db, actor, run_id)[0] == "paused"
    assert runner.run_due(db, THURSDAY).queued == ()
    resumed = scenarios.resume_run(db, actor, run_id).value
    assert resumed.state == "active"
    assert len(runner.run_due(db, THURSDAY).queued) == 2  # Tuesday's and Wednesday's, once each
    assert runner.run_due(db, THURSDAY).queued == ()


def test_an_unreachable_ai_server_or_a_missing_mailbox_is_retried_never_dropped(
    db: Database, actor: Actor, ai_server: FakeAIServer
) -> None:
    _ai_on(db, actor, ai_server)
    card = make_card(db, actor, email=CONTACT)
    scenario = scenarios.add_scenario(db, actor, "Сбои", WEEKEND_CHAIN[:2]).value.id
    run_id = scenarios.apply_scenario(
        db, actor, scenario, card.client_id, card.contact_id, FRIDAY
    ).value.id
    ai_server.fail_status = 503
    first = runner.run_due(db, MONDAY_NOON)
    assert first.queued == ()
    assert len(first.retrying) == 2
    steps = _steps(db, run_id)
    assert "No mailbox" in steps[0].last_error
    assert "HTTP 503" in steps[1].last_error
    assert all(s.state == "pending" and s.next_try_utc is not None for s in steps)
    # Not again before the wait is over; the wait grows with each attempt.
    assert runner.run_due(db, MONDAY_NOON + dt.timedelta(seconds=30)).retrying == ()
    second = runner.run_due(db, MONDAY_NOON + dt.timedelta(minutes=2))
    assert len(second.retrying) == 2
    waits = [s.next_try_utc for s in _steps(db, run_id)]
    assert all(w is not None and w >= MONDAY_NOON + dt.timedelta(minutes=7) for w in waits)
    assert [s.attempts for s in _steps(db, run_id)] == [2, 2]
