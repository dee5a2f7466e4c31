"""Scenario steps on a laptop replica (issue #20), on the real two-laptop rig.

The team's scenarios come down to the laptops; a scenario applied to a
client offline plans its steps on the laptop, and that laptop alone
executes them: the server's runner skips its runs, the auto-send letter
waits in the laptop's outbox and goes out once through the real SMTP test
server. A run started on the server runs on the server only. A run
cancelled on the server is not brought back by the laptop's sync.
"Stop working offline" hands the laptop's runs back to the server.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models import (
    Client,
    Contact,
    ContactPoint,
    Interaction,
    OutboxItem,
    Scenario,
    ScenarioRun,
    ScenarioRunStep,
)
from services.ai import drafts, queue_round
from services.ai import settings as ai_settings
from services.ai.settings import Message
from services.core.errors import UserError
from services.core.storage import Database
from services.mail import accounts, outbox
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.scenarios import due_steps, runner
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from services.sync import handover, scenario_kinds, use_cases
from services.sync.scheduled import ServerOffline
from services.sync.use_cases import sync
from tests.ai_server import FakeAIServer
from tests.integration.mail_helpers import ALICE
from tests.integration.replica_rig import Rig, make_rig, snapshot
from tests.integration.team_rls_helpers import make_team

pytestmark = pytest.mark.postgres

CONTACT_EMAIL = "ivan.petrov@romashka.ru"
SCENARIO = "Знакомство с клиентом"
# Friday 27 November 2026, 12:00 in Moscow: every step is due by now.
STARTED = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
CHAIN = (
    StepSpec(
        "email",
        0,
        14 * 60,
        "Знакомство: {{ client.name }}",
        prompt="Здравствуйте, {{ contact.first_name }}! Высылаем каталог.",
        auto_send=True,
    ),
    StepSpec("call", 1, 11 * 60, "Позвонить {{ contact.full_name }}"),
)


@dataclasses.dataclass
class World:
    rig: Rig
    scenario_uid: str
    contact_uid: str


@pytest.fixture
def world(pg_admin_url: str, pg_template: str, tmp_path: Path) -> Iterator[World]:
    from tests.conftest import _fresh_pg

    tdb = make_team(_fresh_pg(pg_admin_url, pg_template))
    rig = make_rig(tdb, tmp_path)
    try:
        yield _world(rig)
    finally:
        rig.dispose()
        tdb.dispose()


def _world(rig: Rig) -> World:
    """The administrator's scenario on the server; Anna's contact person
    gets an email address; both laptops sync."""
    made = scenarios.add_scenario(rig.server["admin"], rig.actor("admin"), SCENARIO, CHAIN).value
    server_client = _server_id(rig, "client", rig.client_uid)
    with rig.server["admin"].reader() as uow:
        scenario_uid = uow.session.scalar(select(Scenario.uid).where(Scenario.id == made.id))
        contact_id, contact_uid = uow.session.execute(
            select(Contact.id, Contact.uid).where(Contact.client_id == server_client)
        ).one()
    assert scenario_uid is not None
    parties.add_point(
        rig.server["anna"],
        rig.actor("anna"),
        "email",
        CONTACT_EMAIL,
        "contact",
        contact_id,
        link=False,
    )
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    return World(rig, scenario_uid, contact_uid)


def _server_id(rig: Rig, kind: str, uid: str) -> int:
    from services.sync import tables

    with rig.server["admin"].reader() as uow:
        found = tables.Translator(uow.session).local_id(kind, uid)
    assert found is not None
    return found


def _mail_account(db: Database, actor: Any, mailbox: dict[str, Any], smtp: Any) -> int:
    """The laptop's own mailbox (mail accounts stay per machine)."""
    spec = accounts.AccountSpec(
        email=ALICE,
        imap_host=mailbox["host"],
        imap_port=mailbox["tls_port"],
        imap_security="tls",
        smtp_host=mailbox["host"],
        smtp_port=smtp.port,
        smtp_security="starttls",
        ca_file=mailbox["ca_file"],
        display_name="Анна Менеджер",
    )
    with db.uow(actor.id) as uow:
        view = accounts.add(uow, actor, spec, mailbox["users"][ALICE], None)
        uow.commit()
    return view.id


def _apply_on(world: World, who: str) -> str:
    """``who`` applies the scenario to the client, on their laptop if they
    have one, else on the server; returns the run's uid."""
    rig = world.rig
    on_laptop = who in rig.laptop
    db = rig.laptop[who] if on_laptop else rig.server[who]
    actor = rig.local_actor(who) if on_laptop else rig.actor(who)
    local = rig.local_id if on_laptop else (lambda _w, kind, uid: _server_id(rig, kind, uid))
    run = scenarios.apply_scenario(
        db,
        actor,
        local(who, "scenario", world.scenario_uid),
        local(who, "client", rig.client_uid),
        local(who, "contact", world.contact_uid),
        STARTED,
    ).value
    with db.reader() as uow:
        uid = uow.session.scalar(select(ScenarioRun.uid).where(ScenarioRun.id == run.id))
    assert uid is not None
    return uid


def _run(db: Database, uid: str) -> tuple[str, str | None, list[str]]:
    """(state, executor, the steps' states) of a run, as this database holds it."""
    with db.reader() as uow:
        run = uow.session.scalar(select(ScenarioRun).where(ScenarioRun.uid == uid))
        assert run is not None, uid
        steps = uow.session.scalars(
            select(ScenarioRunStep.state)
            .where(ScenarioRunStep.run_id == run.id)
            .order_by(ScenarioRunStep.position)
        ).all()
        return run.state, run.executor, list(steps)


def _outbox(db: Database) -> list[tuple[str, str]]:
    with db.reader() as uow:
        return [(o.subject, o.state) for o in uow.session.scalars(select(OutboxItem))]


def _node(db: Database) -> str | None:
    with db.reader() as uow:
        return scenario_kinds.executing_node(uow.session)


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
        _server_id(rig, "scenario", world.scenario_uid),
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
    _mail_account(laptop, anna, mailbox, smtp)
    run_uid = _apply_on(world, "anna")
    node = _node(laptop)
    assert node is not None
    assert _run(laptop, run_uid) == ("active", node, ["pending", "pending"])
    # Offline, the step falls due on the laptop: the letter waits in its outbox.
    report = runner.run_due(laptop)
    assert len(report.queued) == 1
    assert _outbox(laptop) == [("Знакомство: ООО «Ромашка»", "queued")]
    # The laptop comes online: the run and its steps reach the server...
    sync(laptop, server)
    state, executor, steps = _run(rig.server["admin"], run_uid)
    assert (state, executor, steps) == ("active", node, ["queued", "pending"])
    # ...whose runner does not execute them (its outbox stays empty).
    for who in ("anna", "admin"):
        assert runner.run_due(rig.server[who]).queued == ()
        with rig.server[who].reader() as uow:
            assert due_steps.next_due(uow) is None
    assert _outbox(rig.server["admin"]) == []
    # The laptop sends its letter once through the real SMTP server.
    sent = outbox.send_due(laptop)
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
        assert _run(db, run_uid)[2] == ["sent", "pending"], db
    for _ in range(2):
        runner.run_due(rig.server["admin"])
        runner.run_due(rig.laptop["head"])
        runner.run_due(laptop)
        outbox.send_due(laptop)
        outbox.send_due(rig.server["admin"])
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
    _mail_account(server, rig.actor("admin"), mailbox, smtp)
    _mail_account(rig.laptop["anna"], rig.local_actor("anna"), mailbox, smtp)
    run_uid = _apply_on(world, "admin")  # the administrator, on the server
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
        # The laptops hold it, with no executor of theirs, and never run it.
        assert _run(rig.laptop[who], run_uid) == ("active", None, ["pending", "pending"])
        assert runner.run_due(rig.laptop[who]).queued == ()
        with rig.laptop[who].reader() as uow:
            assert due_steps.next_due(uow, _node(rig.laptop[who])) is None
    assert _outbox(rig.laptop["anna"]) == []
    # The server does, once.
    assert len(runner.run_due(server).queued) == 1
    assert len(outbox.send_due(server).sent) == 1
    runner.run_due(server)
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
        assert _run(rig.laptop[who], run_uid)[2] == ["sent", "pending"], who
        runner.run_due(rig.laptop[who])
        outbox.send_due(rig.laptop[who])
    runner.run_due(server)
    outbox.send_due(server)
    assert len(smtp.messages) == 1
    assert _outbox(rig.laptop["anna"]) == []


def test_a_run_cancelled_on_the_server_stays_cancelled_after_the_laptops_sync(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    laptop = rig.laptop["anna"]
    _mail_account(laptop, rig.local_actor("anna"), mailbox, smtp)
    run_uid = _apply_on(world, "anna")
    sync(laptop, rig.server["anna"])
    # Offline, the laptop executes the first step (the letter is queued)...
    assert len(runner.run_due(laptop).queued) == 1
    # ...while Gleb, the head of department, cancels the run on the server.
    head = rig.actor("head")
    scenarios.cancel_run(rig.server["head"], head, _server_id(rig, "scenario_run", run_uid))
    assert _run(rig.server["admin"], run_uid)[0] == "cancelled"
    # Field by field, last writer wins: the server's cancellation is the
    # run's newest outcome, the laptop's queued letter the step's.
    sync(laptop, rig.server["anna"])
    sync(laptop, rig.server["anna"])
    for db in (laptop, rig.server["admin"]):
        state, _executor, steps = _run(db, run_uid)
        assert state == "cancelled", db
        assert steps[1] == "cancelled", db
    # The laptop's runner no longer takes anything of it.
    assert runner.run_due(laptop).queued == ()
    sync(rig.laptop["head"], rig.server["head"])
    assert _run(rig.laptop["head"], run_uid)[0] == "cancelled"
    for who in rig.laptop:
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who


def test_stopping_work_offline_hands_the_laptops_runs_to_the_server(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    laptop = rig.laptop["anna"]
    _mail_account(laptop, rig.local_actor("anna"), mailbox, smtp)
    _mail_account(rig.server["admin"], rig.actor("anna"), mailbox, smtp)
    run_uid = _apply_on(world, "anna")
    assert len(runner.run_due(laptop).queued) == 1  # queued offline, never sent
    assert handover.runs_here(laptop) == 1
    with pytest.raises(ServerOffline) as offline:
        handover.hand_back(laptop, probe=lambda _url: False)
    assert getattr(offline.value, "code", "") == "sync.offline"
    assert handover.runs_here(laptop) == 1  # nothing changed offline
    done = handover.hand_back(
        laptop, probe=lambda _url: True, connect=lambda _db: _reopen(rig, "anna")
    )
    assert (done.runs, done.letters) == (1, 1)
    assert done.report.refused == ()
    assert _outbox(laptop) == [("Знакомство: ООО «Ромашка»", "failed")]
    assert _run(rig.server["admin"], run_uid) == ("active", None, ["pending", "pending"])
    # The server's runner takes the run now and sends the letter once.
    assert len(runner.run_due(rig.server["admin"]).queued) == 1
    outbox.send_due(rig.server["admin"])
    outbox.send_due(laptop)
    assert runner.run_due(laptop).queued == ()
    assert len(smtp.messages) == 1


def test_stopping_without_the_pending_changes_hands_back_only_the_runs(world: World) -> None:
    """ "Stop without them": the runs (and the records they name, made
    offline) reach the server; the laptop's other pending edit does not."""
    rig = world.rig
    laptop, anna = rig.laptop["anna"], rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    edit_cases.edit_client(laptop, anna, client_id, address="Казань, ул. Пушкина, 5")
    run_uid = _apply_on(world, "anna")
    # A client and its contact person made offline, with a run on them.
    lyutik = parties.add_client(laptop, anna, "ООО «Лютик»", region="RU").value
    maria = parties.add_contact(laptop, anna, "Мария Сидорова", client_id=lyutik.id).value
    # her address added afterwards, in an action of its own: where the letters go
    parties.add_point(laptop, anna, "email", "maria@lyutik.ru", "contact", maria.id, link=False)
    with laptop.reader() as uow:
        scenario_id = uow.session.scalar(
            select(Scenario.id).where(Scenario.uid == world.scenario_uid)
        )
        lyutik_uid = uow.session.scalar(select(Client.uid).where(Client.id == lyutik.id))
    assert scenario_id is not None
    assert lyutik_uid is not None
    second = scenarios.apply_scenario(laptop, anna, scenario_id, lyutik.id, maria.id, STARTED)
    with laptop.reader() as uow:
        second_uid = uow.session.scalar(
            select(ScenarioRun.uid).where(ScenarioRun.id == second.value.id)
        )
    assert handover.runs_here(laptop) == 2
    done = handover.hand_back(
        laptop, others=False, probe=lambda _url: True, connect=lambda _db: _reopen(rig, "anna")
    )
    assert done.runs == 2
    assert done.report.refused == ()
    for uid in (run_uid, second_uid):
        assert _run(rig.server["admin"], str(uid))[:2] == ("active", None)
    with rig.server["admin"].reader() as uow:
        s = uow.session
        assert s.scalar(select(Client.name).where(Client.uid == lyutik_uid)) == "ООО «Лютик»"
        on_lyutik = select(Contact.full_name).join(Client, Client.id == Contact.client_id)
        assert list(s.scalars(on_lyutik.where(Client.uid == lyutik_uid))) == ["Мария Сидорова"]
        maria_points = select(ContactPoint.normalized).join(
            Contact, Contact.id == ContactPoint.contact_id
        )
        assert list(s.scalars(maria_points.where(Contact.full_name == "Мария Сидорова"))) == [
            "maria@lyutik.ru"
        ]
        # the edit the user chose not to send is not on the server...
        assert s.scalar(select(Client.address).where(Client.uid == rig.client_uid)) == (
            "Казань, ул. Баумана, 1"
        )
    # ...and is still on the laptop, waiting.
    with laptop.reader() as uow:
        assert uow.session.scalar(select(Client.address).where(Client.id == client_id)) == (
            "Казань, ул. Пушкина, 5"
        )
    assert use_cases.status(laptop).pending == 1


@pytest.mark.parametrize("how", ["edited", "replaced"])
def test_stopping_without_them_takes_the_contact_persons_new_address_along(
    world: World, how: str, mailbox: dict[str, Any], smtp: Any
) -> None:
    """A run on Ivan (his address on the server since before) and, offline,
    his address edited in place or removed and a new one added: "Stop
    without them" pushes that change with the run, so the server's run
    writes to the new address; the unrelated pending edit stays behind."""
    rig = world.rig
    laptop, anna = rig.laptop["anna"], rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    contact_id = rig.local_id("anna", "contact", world.contact_uid)
    _mail_account(rig.server["admin"], rig.actor("anna"), mailbox, smtp)
    run_uid = _apply_on(world, "anna")
    edit_cases.edit_client(laptop, anna, client_id, address="Казань, ул. Пушкина, 5")
    new_address = "i.petrov@romashka-group.ru"
    with laptop.uow(anna.id) as uow:
        point = uow.session.scalar(
            select(ContactPoint).where(ContactPoint.normalized == CONTACT_EMAIL)
        )
        assert point is not None
        if how == "edited":
            point.raw = point.normalized = new_address
        else:
            uow.session.delete(point)
        uow.commit()
    if how == "replaced":
        parties.add_point(laptop, anna, "email", new_address, "contact", contact_id, link=False)

    done = handover.hand_back(
        laptop, others=False, probe=lambda _url: True, connect=lambda _db: _reopen(rig, "anna")
    )

    assert done.report.refused == ()
    server = rig.server["admin"]
    assert _run(server, run_uid)[:2] == ("active", None)
    with server.reader() as uow:
        ivans = select(ContactPoint.normalized).join(Contact, Contact.id == ContactPoint.contact_id)
        assert list(uow.session.scalars(ivans.where(Contact.uid == world.contact_uid))) == [
            new_address
        ]
    assert len(runner.run_due(server).queued) == 1
    with server.reader() as uow:
        assert list(uow.session.scalars(select(OutboxItem.to_addrs))) == [new_address]
        # the edit the user chose not to send is not on the server
        assert uow.session.scalar(select(Client.address).where(Client.uid == rig.client_uid)) == (
            "Казань, ул. Баумана, 1"
        )
    assert use_cases.status(laptop).pending == 1


def _reopen(rig: Rig, who: str) -> Database:
    from services.core.storage import open_database

    return open_database(rig.tdb.url_of(who), upgrade=False)


def test_ai_offline_is_queued_never_lost_then_written_by_a_local_model(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    laptop = rig.laptop["anna"]
    anna = rig.local_actor("anna")
    _mail_account(laptop, anna, mailbox, smtp)
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
        _server_id(rig, "scenario", world.scenario_uid),
        steps=(*CHAIN, ai_step),
    )
    sync(laptop, rig.server["anna"])
    with FakeAIServer() as gone:
        unreachable = gone.url  # nothing answers there once it stopped
    _ai_on(laptop, anna, unreachable)  # a manager may point her laptop at a local model
    run_uid = _apply_on(world, "anna")
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
    assert _run(laptop, run_uid)[2] == ["queued", "pending", "pending"]
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
    assert _run(laptop, run_uid)[2] == ["queued", "pending", "queued"]
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
