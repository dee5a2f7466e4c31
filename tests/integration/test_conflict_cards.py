"""The conflict list's lines carry their record's card (#20): a conflict or
refusal on an interaction or note names the card it sits on, one on a
contact person its client's or lead's, a deal its own; a record gone from
the laptop none."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from models import Contact, Deal, Interaction, Lead, Note
from models.sync import SyncConflict, SyncLog
from services.core import bootstrap
from services.core.storage import Database
from services.interactions import actions as ix
from services.interactions import notes
from services.parties import deals
from services.parties import records as parties
from services.sync import refused, use_cases

NOW = dt.datetime(2031, 3, 4, 9, 0, tzinfo=dt.UTC)
HLC = f"{int(NOW.timestamp() * 1000):012x}:0000:n1"
GONE = "0190ffff-0000-7000-8000-00000000dead"


@dataclass(frozen=True)
class Seeded:
    client_id: int
    lead_id: int
    deal_id: int


def seed(db: Database) -> Seeded:
    """A client with a call, a lead with a contact person and a note, a
    deal; conflicts on the call, the contact person, the deal and a record
    gone; refusals on the note and on a record gone."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ромашка»")
        lead = parties.add_lead(uow, actor, "Пётр Лютиков", company="ИП Лютиков")
        person = parties.add_contact(uow, actor, "Анна Звонова", lead_id=lead.id)
        call = ix.create(
            uow,
            actor,
            ix.NewInteraction(type="call", client_id=client.id, start=NOW, subject="Звонок"),
            now=NOW,
        )
        note_id = notes.add_note(uow, actor, "lead", lead.id, "Перезвонить в четверг")
        deal = deals.add_deal(uow, actor, "Поставка бумаги", client_id=client.id)
        s = uow.session
        uid = {
            "interaction": s.get(Interaction, call.id).uid,  # type: ignore[union-attr]
            "contact": s.get(Contact, person.id).uid,  # type: ignore[union-attr]
            "deal": s.get(Deal, deal.id).uid,  # type: ignore[union-attr]
            "note": s.get(Note, note_id).uid,  # type: ignore[union-attr]
        }
        assert s.get(Lead, lead.id) is not None
        for kind, record_uid, field in (
            ("interaction", uid["interaction"], "subject"),
            ("contact", uid["contact"], "position"),
            ("deal", uid["deal"], "title"),
            ("client", GONE, "name"),
        ):
            s.add(
                SyncConflict(
                    kind=kind,
                    uid=record_uid,
                    field=field,
                    mine=json.dumps({field: "на ноутбуке"}),
                    theirs=json.dumps({field: "на сервере"}),
                    mine_hlc=HLC,
                    theirs_hlc=HLC,
                    mine_user_id=actor.id,
                )
            )
        for n, (kind, record_uid) in enumerate((("note", uid["note"]), ("client", GONE))):
            s.add(
                SyncLog(
                    op_uid=f"0190aaaa-0000-7000-8000-00000000000{n}",
                    kind=kind,
                    uid=record_uid,
                    field="body" if kind == "note" else "name",
                    value='"Текст"',
                    hlc=HLC,
                    state="refused",
                    reason="The server refused it",
                )
            )
        uow.commit()
    return Seeded(client.id, lead.id, deal.id)


def test_conflicts_and_refusals_carry_the_card_of_their_record(db: Database) -> None:
    seeded = seed(db)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
    cards = {(v.kind, v.field): (v.card_kind, v.card_id) for v in use_cases.conflicts(db, actor)}
    assert cards == {
        ("interaction", "subject"): ("client", seeded.client_id),
        ("contact", "position"): ("lead", seeded.lead_id),  # a contact person: its lead
        ("deal", "title"): ("deal", seeded.deal_id),
        ("client", "name"): (None, None),  # gone from the laptop
    }
    found = {r.kind: (r.card_kind, r.card_id) for r in refused.refusals(db)}
    assert found == {"note": ("lead", seeded.lead_id), "client": (None, None)}
