"""What a laptop changes with bulk statements reaches the server (issue #20).

The change log's flush hook sees ORM flushes only; a lead converted offline
moves its feed and memos with set-based updates, and a contact import
inserts cards in bulk: those statements log themselves through
``services.sync.log.record_bulk``.
Real PostgreSQL with a login per colleague, SQLite replicas (tests/integration/replica_rig.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from models import Client, Contact, ContactPoint, Interaction, Lead
from models.notes import Memo, Note, Task
from services.core.storage import Database
from services.exchange import contact_import
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, log_rows, snapshot

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("synced_before", [True, False])
def test_a_lead_converted_offline_arrives_as_a_client_with_its_feed_and_memos(
    rig: Rig, synced_before: bool
) -> None:
    laptop, me = rig.laptop["anna"], rig.local_actor("anna")
    lead = parties.add_lead(laptop, me, "Мария Иванова", company="ООО «Лютик»").value
    parties.add_point(laptop, me, "phone", "+7 912 345-67-89", "lead", lead.id, link=False)
    parties.add_contact(laptop, me, "Олег Сидоров", lead_id=lead.id)
    interactions.log_interaction(
        laptop, me, ix.NewInteraction(type="call", lead_id=lead.id, subject="Первый звонок")
    )
    interactions.add_note(laptop, me, "lead", lead.id, "Просила счёт")
    interactions.add_task(laptop, me, "lead", lead.id, "Отправить договор")
    interactions.add_memo(laptop, me, "lead", lead.id, "Звонить после обеда")
    if synced_before:
        assert not sync(laptop, rig.server["anna"]).refused

    client = edit_cases.convert_lead(laptop, me, lead.id).value
    report = sync(laptop, rig.server["anna"])

    assert not report.refused
    assert {r["state"] for r in log_rows(laptop)} == {"pushed"}
    with laptop.reader() as uow:
        client_uid = uow.session.scalar(select(Client.uid).where(Client.id == client.id))
    with rig.server["admin"].reader() as uow:
        s = uow.session
        on_server = s.scalars(select(Client).where(Client.uid == client_uid)).one()
        assert on_server.name == "ООО «Лютик»"
        cid = on_server.id
        people = sorted(s.scalars(select(Contact.full_name).where(Contact.client_id == cid)))
        assert people == ["Мария Иванова", "Олег Сидоров"]
        person = s.scalars(select(Contact.id).where(Contact.full_name == "Мария Иванова")).one()
        phones = list(
            s.scalars(select(ContactPoint.normalized).where(ContactPoint.contact_id == person))
        )
        assert phones == ["+79123456789"]
        assert [
            (i.subject, i.lead_id)
            for i in s.scalars(select(Interaction).where(Interaction.client_id == cid))
        ] == [("Первый звонок", None)]
        assert list(s.scalars(select(Note.body).where(Note.client_id == cid))) == ["Просила счёт"]
        assert list(s.scalars(select(Task.title).where(Task.client_id == cid))) == [
            "Отправить договор"
        ]
        memos = s.execute(select(Memo.object_kind, Memo.object_id, Memo.body)).all()
        assert [tuple(m) for m in memos] == [("client", cid, "Звонить после обеда")]
        assert s.scalars(select(Lead.status).where(Lead.name == "Мария Иванова")).one() == (
            "converted"
        )
    sync(rig.laptop["head"], rig.server["head"])
    for who in rig.laptop:
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who


VCARDS = """BEGIN:VCARD
VERSION:3.0
FN:Светлана Орлова
N:Орлова;Светлана;;;
ORG:ООО «Берёзка»
TITLE:Главный бухгалтер
TEL;TYPE=WORK:+7 843 555-12-34
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Никита Зайцев
N:Зайцев;Никита;;;
TEL;TYPE=CELL:+7 917 222-33-44
END:VCARD
"""


def _names(db: Database) -> set[str]:
    with db.reader() as uow:
        return set(uow.session.scalars(select(Client.name))) | set(
            uow.session.scalars(select(Contact.full_name))
        )


def test_contacts_imported_on_a_laptop_reach_the_server(rig: Rig, tmp_path: Path) -> None:
    laptop = rig.laptop["anna"]
    path = tmp_path / "контакты.vcf"
    path.write_text(VCARDS, encoding="utf-8")
    summary = contact_import.import_contacts(laptop, rig.local_actor("anna"), path)
    assert summary.created == 2

    assert not sync(laptop, rig.server["anna"]).refused

    with rig.server["admin"].reader() as uow:
        s = uow.session
        company = s.scalars(select(Client).where(Client.name == "ООО «Берёзка»")).one()
        person = s.scalars(select(Contact).where(Contact.client_id == company.id)).one()
        assert (person.full_name, person.position) == ("Светлана Орлова", "Главный бухгалтер")
        phones = set(s.scalars(select(ContactPoint.normalized)))
    assert {"+78435551234", "+79172223344"} <= phones
    assert "Никита Зайцев" in _names(rig.server["admin"])
    assert snapshot(laptop) == snapshot(rig.server["anna"])
