"""A pulled change is in the card's history under the colleague who made it
on the server (#20): the replica's pull names each record's writer from the
server's field clocks, not "the system"."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Contact, Note
from services.core.errors import NotFoundError
from services.core.history import NotOnThisLaptop, history
from services.interactions import use_cases as interactions
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


def test_a_note_removed_on_the_server_is_said_so_on_the_laptop(rig: Rig) -> None:
    """Anna's laptop reads her note's history while it is there; once the
    server removed it and she pulled, ``history note ID`` says it is not on
    this laptop, removed on the server or never here, its history on the
    server, rather than a bare "does not exist" (the old code's, checked).
    The server itself still says "does not exist" for an id it never had."""
    admin, anna = rig.actor("admin"), rig.local_actor("anna")
    server_client = rig.local_id("admin", "client", rig.client_uid)
    made = interactions.add_note(
        rig.server["anna"], rig.actor("anna"), "client", server_client, "Перезвонить Ёжикову"
    ).value
    with rig.server["admin"].reader() as uow:
        uid = uow.session.scalar(select(Note.uid).where(Note.id == made))
    assert uid is not None
    assert not sync(rig.laptop["anna"], rig.server["anna"]).refused
    local = rig.local_id("anna", "note", uid)
    with rig.laptop["anna"].reader() as uow:
        history(uow, anna, "note", local)  # there: read
    interactions.remove_note(rig.server["admin"], admin, made)
    assert not sync(rig.laptop["anna"], rig.server["anna"]).refused

    with rig.laptop["anna"].reader() as uow, pytest.raises(NotOnThisLaptop) as caught:
        history(uow, anna, "note", local)
    assert caught.value.code == "core.history.not_on_this_laptop"
    assert str(caught.value) == (
        f"Note {local} is not on this laptop: it was removed on the team server or was never "
        "here; its history is on the team server"
    )
    with rig.server["admin"].reader() as uow, pytest.raises(NotFoundError) as plain:
        history(uow, admin, "note", made + 1000)
    assert not isinstance(plain.value, NotOnThisLaptop)
    assert str(plain.value) == f"Note {made + 1000} does not exist"
