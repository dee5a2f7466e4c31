"""Scenario steps on a laptop replica (issue #20), on the real two-laptop rig.

The team's scenarios come down to the laptops; a scenario applied to a
client offline plans its steps on the laptop, and that laptop alone
executes them: the server's runner skips its runs, the auto-send letter
waits in the laptop's outbox and goes out once through the real SMTP test
server. A run started on the server runs on the server only. A run
cancelled on the server is not brought back by the laptop's sync. AI
steps and drafts asked offline are queued and written by a local model.
"Stop working offline" handing the runs to the server is
test_replica_handover.py; the world both share is replica_scenario_world.py.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from typing import Any

import pytest
from sqlalchemy import select

from models import Interaction, ScenarioRun, ScenarioRunStep
from services.ai import drafts, queue_round
from services.ai import settings as ai_settings
from services.ai.settings import Message
from services.core.errors import UserError
from services.core.storage import Database
from services.mail import outbox_sending
from services.scenarios import due_steps, runner
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from services.sync.use_cases import sync
from tests.ai_server import FakeAIServer
from tests.integration.replica_rig import snapshot
from tests.integration.replica_scenario_world import (
    CHAIN,
    CONTACT_EMAIL,
    SCENARIO,
    World,
    apply_on,
    laptop_mail_account,
    node_of,
    outbox_rows,
    run_state,
    server_id,
)

pytestmark = pytest.mark.postgres


def test_the_scenarios_come_down_to_the_laptops_read_only(world: World) -> None:
    rig = world.rig
    for who in rig.laptop:
        actor = rig.local_actor(who)
        [found] = scenarios.list_scenarios(rig.laptop[who], actor)
        assert found.name == SCENARIO
        assert [s.subject for s in found.steps] == [s.subject for s in CHAIN]
    # Editing a scenario stays an online action: refused on the laptop.
    actor = rig.local_actor("anna")
    local_id = rig.local_id("anna", "scenario", world.scenario_uid)
    with pytest.raises(UserError) as refused:
        scenarios.edit_scenario(rig.laptop["anna"], actor, local_id, name="Другое имя")
    assert getattr(refused.value, "code", "") == "scenarios.store.replica_read_only"
    # An edit on the server (its steps rewritten) comes down whole.
    admin = rig.actor("admin")
    scenarios.edit_scenario(
        rig.server["admin"],
        admin,
        server_id(rig, "scenario", world.scenario_uid),
        steps=(*CHAIN, StepSpec("meeting", 2, 15 * 60, "Встреча")),
    )
    sync(rig.laptop["anna"], rig.server["anna"])
    [found] = scenarios.list_scenarios(rig.laptop["anna"], actor)
    assert [s.type for s in found.steps] == ["email", "call", "meeting"]


def test_a_run_started_offline_is_executed_by_the_laptop_alone_and_its_letter_sent_once(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    laptop, server = rig.laptop["anna"], rig.server["anna"]
    anna = rig.local_actor("anna")
    laptop_mail_account(laptop, anna, mailbox, smtp)
    run_uid = apply_on(world, "anna")
    node = node_of(laptop)
    assert node is not None
    assert run_state(laptop, run_uid) == ("active", node, ["pending", "pending"])
    # Offline, the step falls due on the laptop: the letter waits in its outbox.
    report = runner.run_due(laptop)
    assert len(report.queued) == 1
    assert outbox_rows(laptop) == [("Знакомство: ООО «Ромашка»", "queued")]
    # The laptop comes online: the run and its steps reach the server...
    sync(laptop, server)
    state, executor, steps = run_state(rig.server["admin"], run_uid)
    assert (state, executor, steps) == ("active", node, ["queued", "pending"])
    # ...whose runner does not execute them (its outbox stays empty).
    for who in ("anna", "admin"):
        assert runner.run_due(rig.server[who]).queued == ()
        with rig.server[who].reader() as uow:
            assert due_steps.next_due(uow) is None
    assert outbox_rows(rig.server["admin"]) == []
    # The laptop sends its letter once through the real SMTP server.
    sent = outbox_sending.send_due(laptop)
    assert len(sent.sent) == 1
    [received] = smtp.wait_for(1)
    letter = email.message_from_bytes(received.data, policy=email.policy.default)
    assert str(letter["Subject"]) == "Знакомство: ООО «Ромашка»"
    assert received.rcpt_tos == [CONTACT_EMAIL] or tuple(received.rcpt_tos) == (CONTACT_EMAIL,)
    runner.run_due(laptop)
    sync(laptop, server)
    sync(rig.laptop["head"], rig.server["head"])
    # Every copy says the letter went out; nobody sends it again.
    for db in (laptop, rig.server["admin"], rig.laptop["head"]):
        assert run_state(db, run_uid)[2] == ["sent", "pending"], db
    for _ in range(2):
        runner.run_due(rig.server["admin"])
        runner.run_due(rig.laptop["head"])
        runner.run_due(laptop)
        outbox_sending.send_due(laptop)
        outbox_sending.send_due(rig.server["admin"])
    assert len(smtp.messages) == 1
    with rig.server["admin"].reader() as uow:
        subject = uow.session.scalar(
            select(Interaction.subject)
            .join(ScenarioRunStep, ScenarioRunStep.interaction_id == Interaction.id)
            .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
            .where(ScenarioRun.uid == run_uid, ScenarioRunStep.position == 1)
        )
    assert subject == "Знакомство: ООО «Ромашка»"
    for who in rig.laptop:
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who


def test_a_run_started_on_the_server_runs_on_the_server_only(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    server = rig.server["admin"]
    laptop_mail_account(server, rig.actor("admin"), mailbox, smtp)
    laptop_mail_account(rig.laptop["anna"], rig.local_actor("anna"), mailbox, smtp)
    run_uid = apply_on(world, "admin")  # the administrator, on the server
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
        # The laptops hold it, with no executor of theirs, and never run it.
        assert run_state(rig.laptop[who], run_uid) == ("active", None, ["pending", "pending"])
        assert runner.run_due(rig.laptop[who]).queued == ()
        with rig.laptop[who].reader() as uow:
            assert due_steps.next_due(uow, node_of(rig.laptop[who])) is None
    assert outbox_rows(rig.laptop["anna"]) == []
    # The server does, once.
    assert len(runner.run_due(server).queued) == 1
    assert len(outbox_sending.send_due(server).sent) == 1
    runner.run_due(server)
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
        assert run_state(rig.laptop[who], run_uid)[2] == ["sent", "pending"], who
        runner.run_due(rig.laptop[who])
        outbox_sending.send_due(rig.laptop[who])
    runner.run_due(server)
    outbox_sending.send_due(server)
    assert len(smtp.messages) == 1
    assert outbox_rows(rig.laptop["anna"]) == []


def test_a_run_cancelled_on_the_server_stays_cancelled_after_the_laptops_sync(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    laptop = rig.laptop["anna"]
    laptop_mail_account(laptop, rig.local_actor("anna"), mailbox, smtp)
    run_uid = apply_on(world, "anna")
    sync(laptop, rig.server["anna"])
    # Offline, the laptop executes the first step (the letter is queued)...
    assert len(runner.run_due(laptop).queued) == 1
    # ...while Gleb, the head of department, cancels the run on the server.
    head = rig.actor("head")
    scenarios.cancel_run(rig.server["head"], head, server_id(rig, "scenario_run", run_uid))
    assert run_state(rig.server["admin"], run_uid)[0] == "cancelled"
    # Field by field, last writer wins: the server's cancellation is the
    # run's newest outcome, the laptop's queued letter the step's.
    sync(laptop, rig.server["anna"])
    sync(laptop, rig.server["anna"])
    for db in (laptop, rig.server["admin"]):
        state, _executor, steps = run_state(db, run_uid)
        assert state == "cancelled", db
        assert steps[1] == "cancelled", db
    # The laptop's runner no longer takes anything of it.
    assert runner.run_due(laptop).queued == ()
    sync(rig.laptop["head"], rig.server["head"])
    assert run_state(rig.laptop["head"], run_uid)[0] == "cancelled"
    for who in rig.laptop:
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who


def test_ai_offline_is_queued_never_lost_then_written_by_a_local_model(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    laptop = rig.laptop["anna"]
    anna = rig.local_actor("anna")
    laptop_mail_account(laptop, anna, mailbox, smtp)
    ai_step = StepSpec(
        "email",
        0,
        15 * 60,
        "Коротко о каталоге",
        prompt="Напиши {{ contact.first_name }} два предложения о нашем каталоге.",
        ai=True,
        auto_send=True,
    )
    scenarios.edit_scenario(
        rig.server["admin"],
        rig.actor("admin"),
        server_id(rig, "scenario", world.scenario_uid),
        steps=(*CHAIN, ai_step),
    )
    sync(laptop, rig.server["anna"])
    with FakeAIServer() as gone:
        unreachable = gone.url  # nothing answers there once it stopped
    _ai_on(laptop, anna, unreachable)  # a manager may point her laptop at a local model
    run_uid = apply_on(world, "anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    now = dt.datetime.now(dt.UTC)
    with laptop.uow(anna.id) as uow:  # a template generation, queued while out of reach
        drafts.enqueue(
            uow,
            anna,
            client_id=client_id,
            contact_id=rig.local_id("anna", "contact", world.contact_uid),
            deal_id=None,
            template_id=None,
            subject="Каталог",
            to_address=CONTACT_EMAIL,
            messages=[Message("user", "Напиши Ивану письмо о каталоге.")],
            now=now,
        )
        uow.commit()
    # Offline: the plain letter goes to the outbox, the AI step and the
    # queued draft wait with the reason; nothing is lost, nothing blocks.
    report = runner.run_due(laptop, now)
    assert len(report.queued) == 1
    assert len(report.retrying) == 1
    round_ = queue_round.run_blocking(laptop, anna, now)
    assert round_.written == ()
    assert len(round_.retrying) == 1
    assert run_state(laptop, run_uid)[2] == ["queued", "pending", "pending"]
    # A local OpenAI-compatible model, through the real openai client.
    later = now + dt.timedelta(hours=2)
    with FakeAIServer() as local:
        local.reply = "Иван, добрый день! Каталог на 2027 год уже у вас в почте."
        _ai_on(laptop, anna, local.url)
        report = runner.run_due(laptop, later)
        round_ = queue_round.run_blocking(laptop, anna, later)
        asked = [r for r in local.received if r.path.endswith("/chat/completions")]
    assert len(report.queued) == 1
    assert len(round_.written) == 1
    assert len(asked) == 2
    assert run_state(laptop, run_uid)[2] == ["queued", "pending", "queued"]
    with laptop.reader() as uow:
        [draft] = drafts.open_requests(uow, anna)
    assert draft.state == "ready"
    # The generated letter syncs as the planned interaction's text.
    sync(laptop, rig.server["anna"])
    with rig.server["admin"].reader() as uow:
        body = uow.session.scalar(
            select(Interaction.body)
            .join(ScenarioRunStep, ScenarioRunStep.interaction_id == Interaction.id)
            .join(ScenarioRun, ScenarioRun.id == ScenarioRunStep.run_id)
            .where(ScenarioRun.uid == run_uid, ScenarioRunStep.position == 3)
        )
    assert body == local.reply


def _ai_on(db: Database, actor: Any, url: str) -> None:
    with db.uow(actor.id) as uow:
        ai_settings.save(uow, actor, base_url=url, model="llama3.1", timeout_s=5)
        uow.commit()
