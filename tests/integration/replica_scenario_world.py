"""The scenario world on the replica rig (tests/integration/replica_rig.py),
for the scenario tests on a laptop (test_replica_scenarios.py) and for
"Stop working offline" (test_replica_handover.py): the administrator's
two-step chain on the server, Anna's contact person with an email address,
both laptops synced; a laptop's own mailbox, a run applied on a machine
and what a run, the outbox and a node hold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import select

from models import Contact, OutboxItem, Scenario, ScenarioRun, ScenarioRunStep
from services.core.storage import Database
from services.mail import accounts
from services.parties import use_cases as parties
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from services.sync import scenario_kinds
from services.sync.use_cases import sync
from tests.integration.mail_helpers import ALICE
from tests.integration.replica_rig import Rig

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


def scenario_world(rig: Rig) -> World:
    """The administrator's scenario on the server; Anna's contact person
    gets an email address; both laptops sync."""
    made = scenarios.add_scenario(rig.server["admin"], rig.actor("admin"), SCENARIO, CHAIN).value
    server_client = server_id(rig, "client", rig.client_uid)
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


def server_id(rig: Rig, kind: str, uid: str) -> int:
    from services.sync import tables

    with rig.server["admin"].reader() as uow:
        found = tables.Translator(uow.session).local_id(kind, uid)
    assert found is not None
    return found


def laptop_mail_account(db: Database, actor: Any, mailbox: dict[str, Any], smtp: Any) -> int:
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


def apply_on(world: World, who: str) -> str:
    """``who`` applies the scenario to the client, on their laptop if they
    have one, else on the server; returns the run's uid."""
    rig = world.rig
    on_laptop = who in rig.laptop
    db = rig.laptop[who] if on_laptop else rig.server[who]
    actor = rig.local_actor(who) if on_laptop else rig.actor(who)
    local = rig.local_id if on_laptop else (lambda _w, kind, uid: server_id(rig, kind, uid))
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


def run_state(db: Database, uid: str) -> tuple[str, str | None, list[str]]:
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


def outbox_rows(db: Database) -> list[tuple[str, str]]:
    with db.reader() as uow:
        return [(o.subject, o.state) for o in uow.session.scalars(select(OutboxItem))]


def node_of(db: Database) -> str | None:
    with db.reader() as uow:
        return scenario_kinds.executing_node(uow.session)
