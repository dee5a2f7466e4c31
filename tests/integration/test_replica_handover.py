""" "Stop working offline" on a laptop replica (issue #20) hands the laptop's
scenario runs back to the server, with the pending changes or without
them; without them, a contact detail edited or removed offline that a run
writes to goes along. Real two-laptop rig with the scenario world of
replica_scenario_world.py; the runs themselves are test_replica_scenarios.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models import Client, Contact, ContactPoint, OutboxItem, Scenario, ScenarioRun
from services.core.storage import Database
from services.mail import outbox_sending
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.scenarios import runner
from services.scenarios import use_cases as scenarios
from services.sync import handover, use_cases
from services.sync.scheduled import ServerOffline
from tests.integration.replica_rig import Rig
from tests.integration.replica_scenario_world import (
    CONTACT_EMAIL,
    STARTED,
    World,
    apply_on,
    laptop_mail_account,
    outbox_rows,
    run_state,
)

pytestmark = pytest.mark.postgres


def test_stopping_work_offline_hands_the_laptops_runs_to_the_server(
    world: World, mailbox: dict[str, Any], smtp: Any
) -> None:
    rig = world.rig
    laptop = rig.laptop["anna"]
    laptop_mail_account(laptop, rig.local_actor("anna"), mailbox, smtp)
    laptop_mail_account(rig.server["admin"], rig.actor("anna"), mailbox, smtp)
    run_uid = apply_on(world, "anna")
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
    assert outbox_rows(laptop) == [("Знакомство: ООО «Ромашка»", "failed")]
    assert run_state(rig.server["admin"], run_uid) == ("active", None, ["pending", "pending"])
    # The server's runner takes the run now and sends the letter once.
    assert len(runner.run_due(rig.server["admin"]).queued) == 1
    outbox_sending.send_due(rig.server["admin"])
    outbox_sending.send_due(laptop)
    assert runner.run_due(laptop).queued == ()
    assert len(smtp.messages) == 1


def test_stopping_without_the_pending_changes_hands_back_only_the_runs(world: World) -> None:
    """ "Stop without them": the runs (and the records they name, made
    offline) reach the server; the laptop's other pending edit does not."""
    rig = world.rig
    laptop, anna = rig.laptop["anna"], rig.local_actor("anna")
    client_id = rig.local_id("anna", "client", rig.client_uid)
    edit_cases.edit_client(laptop, anna, client_id, address="Казань, ул. Пушкина, 5")
    run_uid = apply_on(world, "anna")
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
        assert run_state(rig.server["admin"], str(uid))[:2] == ("active", None)
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
    laptop_mail_account(rig.server["admin"], rig.actor("anna"), mailbox, smtp)
    run_uid = apply_on(world, "anna")
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
    assert run_state(server, run_uid)[:2] == ("active", None)
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
