"""A lead's card works out its time zone and shows its custom fields as a
client's card does (SPEC A5, B1): a lead has contact persons and custom
fields of its own, and a contact person's phone tells the zone when the
lead's own card has no region, zone or phone. SQLite and PostgreSQL."""

from __future__ import annotations

from services.core.access import Actor
from services.core.storage import Database
from services.core.views import ClientView
from services.parties import custom_fields, edit_cases, records
from services.parties import use_cases as parties


def _lead(db: Database, actor: Actor, lead_id: int) -> ClientView:
    with db.reader() as uow:
        return records.get_lead(uow, actor, lead_id)


def test_a_contact_persons_phone_tells_a_leads_zone(db: Database, actor: Actor) -> None:
    lead = parties.add_lead(db, actor, "Лид «Тайга»", company="ООО «Тайга»").value
    assert _lead(db, actor, lead.id).timezone is None
    parties.add_contact(db, actor, "Пётр Соколов", lead_id=lead.id, phones=["+7 391 212-34-56"])

    card = _lead(db, actor, lead.id)

    assert card.timezone == "Asia/Krasnoyarsk"
    assert card.local_time is not None


def test_a_leads_own_phone_still_wins_over_a_contact_persons(db: Database, actor: Actor) -> None:
    lead = parties.add_lead(db, actor, "Лид «Берег»", phones=["+7 423 212-34-56"]).value
    parties.add_contact(db, actor, "Анна Берг", lead_id=lead.id, phones=["+7 391 212-34-56"])

    assert _lead(db, actor, lead.id).timezone == "Asia/Vladivostok"


def test_a_leads_custom_fields_are_on_its_card(db: Database, actor: Actor) -> None:
    custom_fields.add_field(db, actor, "lead", "source", "Source", label_ru="Источник")
    lead = parties.add_lead(db, actor, "Лид «Ромашка»").value
    edit_cases.edit_lead(
        db, actor, lead.id, custom={"source": "Выставка"}, expected_version=lead.row_version
    )

    assert _lead(db, actor, lead.id).custom == {"source": "Выставка"}
