"""A pulled change is in the card's history under the colleague who made it
on the server (#20): the replica's pull names each record's writer from the
server's field clocks, not "the system"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Contact
from services.core.history import history
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig

pytestmark = pytest.mark.postgres


def test_the_card_history_says_who_changed_a_pulled_field_on_the_server(rig: Rig) -> None:
    admin, anna = rig.actor("admin"), rig.local_actor("anna")
    server_id = rig.local_id("admin", "client", rig.client_uid)
    edit_cases.edit_client(rig.server["admin"], admin, server_id, address="Москва, Тверская, 1")
    edit_cases.edit_client(
        rig.server["head"],
        rig.actor("head"),
        rig.local_id("head", "client", rig.client_uid),
        name="ООО «Ромашка-Север»",
    )
    parties.add_contact(rig.server["admin"], admin, "Мария Сидорова", client_id=server_id)

    sync(rig.laptop["anna"], rig.server["anna"])

    client_id = rig.local_id("anna", "client", rig.client_uid)
    with rig.laptop["anna"].reader() as uow:
        lines = history(uow, anna, "client", client_id)
    said = {(line.field, line.new): line.user for line in lines}
    assert said[("address", "Москва, Тверская, 1")] == "Алла Админова"
    assert said[("name", "ООО «Ромашка-Север»")] == "Глеб Начальников"
    with rig.laptop["anna"].reader() as uow:
        contact_id = uow.session.scalar(
            select(Contact.id).where(Contact.full_name == "Мария Сидорова")
        )
        assert contact_id is not None
        made = [
            line for line in history(uow, anna, "contact", contact_id) if line.field == "created"
        ]
    assert [line.user for line in made] == ["Алла Админова"]
