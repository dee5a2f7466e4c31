"""A card that enters the laptop user's view comes down whole (issue #20).

Real PostgreSQL, two managers of different departments (Anna, Boris), Anna
and her head Gleb on laptop replicas (tests/integration/replica_rig.py).
Boris's client has a memo, custom values, a contact person with an email,
a memo and a custom value of his own, a note and a done call with him; the
laptops' cursors pass all of it while they cannot see it. Handed to Anna
(or shared with her) on the server, it must reach the laptops with every
one of those rows, not only the card's own row, and the laptop must hold
what the server shows her.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import delete, event, func, select

from models import (
    Client,
    Contact,
    ContactPoint,
    CustomValue,
    Interaction,
    Lead,
    Memo,
    Note,
    SyncState,
)
from models import interaction_contacts as ic
from services.core.storage import Database
from services.interactions import actions
from services.interactions import use_cases as ix
from services.parties import custom_fields, shares, transfers
from services.parties import use_cases as parties
from services.sync import card_arrival, pull_apply
from services.sync.use_cases import sync
from tests.integration.replica_rig import Rig, snapshot

pytestmark = pytest.mark.postgres

CARD = "ИП Лебедев"
OLEG = "Олег Ким"
OLEG_EMAIL = "o.kim@lebedev.ru"


def _fields(rig: Rig) -> None:
    admin, actor = rig.server["admin"], rig.actor("admin")
    custom_fields.add_field(admin, actor, "client", "inn", "ИНН", "text")
    custom_fields.add_field(admin, actor, "contact", "telegram", "Телеграм", "text")


def _boris_card(rig: Rig, name: str = CARD) -> int:
    """Boris's client with everything on it; then Anna writes on her own
    card and both laptops sync, so their cursors pass Boris's numbers.
    Returns the card's id on the server."""
    server, boris = rig.server["boris"], rig.actor("boris")
    card = parties.add_client(server, boris, name, custom={"inn": "7701234567"}).value
    ix.add_memo(server, boris, "client", card.id, "Ключевой клиент на юге")
    oleg = parties.add_contact(
        server, boris, OLEG, client_id=card.id, position="Директор", custom={"telegram": "@kim"}
    ).value
    parties.add_point(server, boris, "email", OLEG_EMAIL, "contact", oleg.id, link=False)
    ix.add_memo(server, boris, "contact", oleg.id, "Звонить только после 10:00")
    ix.add_note(server, boris, "client", card.id, "Обсудили поставку цемента")
    ix.log_interaction(
        server,
        boris,
        actions.NewInteraction(
            type="call", client_id=card.id, contact_ids=(oleg.id,), subject="Договор поставки"
        ),
    )
    anna_card = rig.local_id("admin", "client", rig.client_uid)
    ix.add_note(rig.server["anna"], rig.actor("anna"), "client", anna_card, "Созвон в пятницу")
    for who in rig.laptop:
        assert sync(rig.laptop[who], rig.server[who]).refused == ()
        assert _card(rig.laptop[who], name) is None, who
    return card.id


def _card(db: Database, name: str = CARD) -> int | None:
    with db.reader() as uow:
        return uow.session.scalar(select(Client.id).where(Client.name == name))


def _on_card(db: Database, name: str = CARD) -> dict[str, Any]:
    """What a user would see on the card: memos, custom values, the contact
    person with his email, the note, the call with its contact person."""
    with db.reader() as uow:
        s = uow.session
        card = s.scalar(select(Client.id).where(Client.name == name))
        oleg = s.scalar(select(Contact.id).where(Contact.client_id == card))
        return {
            "memos": sorted(
                s.scalars(
                    select(Memo.body).where(
                        ((Memo.object_kind == "client") & (Memo.object_id == card))
                        | ((Memo.object_kind == "contact") & (Memo.object_id == oleg))
                    )
                )
            ),
            "custom": sorted(
                s.scalars(select(CustomValue.value).where(CustomValue.entity_id.in_([card, oleg])))
            ),
            "person": s.scalar(select(Contact.full_name).where(Contact.id == oleg)),
            "email": list(
                s.scalars(select(ContactPoint.normalized).where(ContactPoint.contact_id == oleg))
            ),
            "notes": list(s.scalars(select(Note.body).where(Note.client_id == card))),
            "calls": [
                tuple(row)
                for row in s.execute(
                    select(Interaction.subject, Interaction.state, Contact.full_name)
                    .join(ic, ic.c.interaction_id == Interaction.id)
                    .join(Contact, Contact.id == ic.c.contact_id)
                    .where(Interaction.client_id == card)
                )
            ],
        }


WHOLE = {
    "memos": ["Звонить только после 10:00", "Ключевой клиент на юге"],
    "custom": ["7701234567", "@kim"],
    "person": OLEG,
    "email": [OLEG_EMAIL],
    "notes": ["Обсудили поставку цемента"],
    "calls": [("Договор поставки", "done", OLEG)],
}


def test_a_client_handed_to_anna_on_the_server_comes_down_whole(rig: Rig) -> None:
    _fields(rig)
    card = _boris_card(rig)
    assert _on_card(rig.server["boris"]) == WHOLE

    transfers.transfer(
        rig.server["admin"], rig.actor("admin"), "client", card, rig.tdb.logins["anna"]
    )

    for who in rig.laptop:  # Anna, and Gleb, her head, who sees her clients
        assert sync(rig.laptop[who], rig.server[who]).refused == ()
        assert _on_card(rig.laptop[who]) == WHOLE, who
        assert snapshot(rig.laptop[who]) == snapshot(rig.server[who]), who
    # Nothing is left waiting: a second sync changes nothing.
    assert card_arrival.waiting(rig.laptop["anna"], {"client": set(), "lead": set()}) == []
    again = sync(rig.laptop["anna"], rig.server["anna"])
    assert (again.pushed, again.refused) == (0, ())


def test_a_client_shared_with_anna_comes_down_whole(rig: Rig) -> None:
    _fields(rig)
    card = _boris_card(rig)

    shares.set_shared(
        rig.server["boris"], rig.actor("boris"), "client", card, rig.tdb.logins["anna"], shared=True
    )

    laptop = rig.laptop["anna"]
    assert sync(laptop, rig.server["anna"]).refused == ()
    assert _on_card(laptop) == WHOLE
    assert snapshot(laptop) == snapshot(rig.server["anna"])
    # Gleb sees neither Boris's card nor Anna's share of it.
    sync(rig.laptop["head"], rig.server["head"])
    assert _card(rig.laptop["head"]) is None


def test_a_sync_cut_while_cards_come_down_resumes_with_no_half_card(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three cards handed over, one card per step; the sync dies in the
    second step's apply (as a SIGKILL would: its transaction never
    commits). The first card is whole, the second and third are on the
    laptop as their rows only and still listed; the next sync brings them."""
    _fields(rig)
    names = [f"{CARD} {n}" for n in ("Север", "Юг", "Запад")]
    cards = [_boris_card(rig, name) for name in names]
    for card in cards:
        transfers.transfer(
            rig.server["admin"], rig.actor("admin"), "client", card, rig.tdb.logins["anna"]
        )
    monkeypatch.setattr(card_arrival, "CARDS_PER_STEP", 1)
    real = pull_apply.apply_batch
    steps: list[list[str]] = []

    def dying(replica: Database, server: Database, batch: Any, **kw: Any) -> int:
        if kw.get("brought"):
            steps.append(kw["brought"])
            if len(steps) == 2:
                raise KeyboardInterrupt  # the process ends mid-step
        return real(replica, server, batch, **kw)

    monkeypatch.setattr(pull_apply, "apply_batch", dying)
    laptop = rig.laptop["anna"]
    with pytest.raises(KeyboardInterrupt):
        sync(laptop, rig.server["anna"])
    whole = [n for n in names if _on_card(laptop, n) == WHOLE]
    assert len(whole) == 1
    assert len(card_arrival.waiting(laptop, {"client": set(), "lead": set()})) == 2
    with laptop.reader() as uow:  # the others are rows only, nothing half-brought
        assert uow.session.scalar(select(func.count()).select_from(Contact)) == 2  # Ivan + 1

    monkeypatch.setattr(pull_apply, "apply_batch", real)
    assert sync(laptop, rig.server["anna"]).refused == ()
    for name in names:
        assert _on_card(laptop, name) == WHOLE, name
    assert snapshot(laptop) == snapshot(rig.server["anna"])


def test_each_step_writes_only_the_cards_it_brought_and_the_waiting_are_read_once(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four cards handed over, one per step: a step's statements on
    sync_state name only its own card (not the whole list of those still
    waiting, rewritten as JSON per step: ~500 KB for 10,000 cards), and the
    waiting cards are read once per sync, not again in every step."""
    _fields(rig)
    names = [f"{CARD} {n}" for n in ("Север", "Юг", "Запад", "Восток")]
    cards = [_boris_card(rig, name) for name in names]
    for card in cards:
        transfers.transfer(
            rig.server["admin"], rig.actor("admin"), "client", card, rig.tdb.logins["anna"]
        )
    with rig.server["admin"].reader() as uow:
        uids = set(uow.session.scalars(select(Client.uid).where(Client.id.in_(cards))))
    monkeypatch.setattr(card_arrival, "CARDS_PER_STEP", 1)
    laptop = rig.laptop["anna"]
    step: list[str] = []  # the card of the step running, if any
    said: list[tuple[tuple[str, ...], str, str]] = []  # (step, statement, params)

    def seen(_conn: Any, _cursor: Any, statement: str, params: Any, *_a: Any) -> None:
        if "sync_state" in statement:
            said.append((tuple(step), statement, repr(params)))

    real = pull_apply.apply_batch

    def stepping(replica: Database, server: Database, batch: Any, **kw: Any) -> int:
        step[:] = kw.get("brought") or []
        try:
            return real(replica, server, batch, **kw)
        finally:
            step[:] = []

    monkeypatch.setattr(pull_apply, "apply_batch", stepping)
    event.listen(laptop.engine, "before_cursor_execute", seen)
    try:
        assert sync(laptop, rig.server["anna"]).refused == ()
    finally:
        event.remove(laptop.engine, "before_cursor_execute", seen)
    for name in names:
        assert _on_card(laptop, name) == WHOLE, name
    steps = {brought for brought, _s, _p in said if brought}
    assert len(steps) == 4
    for brought, statement, params in said:
        if not brought:
            continue
        named = {uid for uid in uids if uid in params}
        assert named <= {name.partition(":")[2] for name in brought}, (brought, params)
        assert "'entered'" not in params, params  # the old JSON list
        assert "entered_since" not in params, params
        if statement.startswith("SELECT"):  # a setting by its key, never the waiting again
            assert "entered" not in params, (statement, params)
    # the waiting cards: one read in the whole sync (the others are the
    # batch's note of its own cards and the settings without the cards)
    waiting_reads = [s for _b, s, _p in said if " LIKE " in s and "NOT LIKE" not in s]
    assert len(waiting_reads) == 1, waiting_reads


def test_a_card_noted_by_an_older_build_still_comes_down_whole(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop updated while a card was waiting in the old JSON list."""
    _fields(rig)
    card = _boris_card(rig)
    transfers.transfer(
        rig.server["admin"], rig.actor("admin"), "client", card, rig.tdb.logins["anna"]
    )
    laptop = rig.laptop["anna"]
    monkeypatch.setattr(card_arrival, "bring_shown", lambda *_a: 0)
    sync(laptop, rig.server["anna"])
    monkeypatch.undo()
    with laptop.uow() as uow:
        noted = {
            k: v
            for k, v in uow.session.execute(select(SyncState.key, SyncState.value))
            if k.startswith(card_arrival.PREFIX)
        }
        assert len(noted) == 1
        [(key, bound)] = noted.items()
        name = key.removeprefix(card_arrival.PREFIX)
        uow.session.execute(delete(SyncState).where(SyncState.key == key))
        uow.session.add(SyncState(key="entered", value=json.dumps([name])))
        uow.session.add(SyncState(key="entered_since", value=json.dumps({name: int(bound)})))
        uow.commit()
    assert _on_card(laptop)["memos"] == []  # its row only, so far

    assert sync(laptop, rig.server["anna"]).refused == ()

    assert _on_card(laptop) == WHOLE
    assert card_arrival.waiting(laptop, {"client": set(), "lead": set()}) == []
    with laptop.reader() as uow:
        assert uow.session.get(SyncState, "entered") is None


def test_a_deputy_period_brings_the_absent_colleagues_card_whole(rig: Rig) -> None:
    """Boris names Anna his deputy: his client appears on her laptop with
    everything on it, though no row of it changed."""
    import datetime as dt

    _fields(rig)
    _boris_card(rig)
    until = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    transfers.set_deputy(rig.server["boris"], rig.actor("boris"), rig.tdb.logins["anna"], until)

    laptop = rig.laptop["anna"]
    assert sync(laptop, rig.server["anna"]).refused == ()
    assert _on_card(laptop) == WHOLE
    assert snapshot(laptop) == snapshot(rig.server["anna"])


def test_a_lead_handed_to_anna_comes_down_with_its_memo_and_contact_person(rig: Rig) -> None:
    server, boris = rig.server["boris"], rig.actor("boris")
    lead = parties.add_lead(server, boris, "Пётр Лебедев", company="ИП Лебедев").value
    ix.add_memo(server, boris, "lead", lead.id, "Просил счёт до конца месяца")
    oleg = parties.add_contact(server, boris, OLEG, lead_id=lead.id).value
    parties.add_point(server, boris, "email", OLEG_EMAIL, "contact", oleg.id, link=False)
    ix.add_note(server, boris, "lead", lead.id, "Интересуется цементом М500")
    anna_card = rig.local_id("admin", "client", rig.client_uid)
    ix.add_note(rig.server["anna"], rig.actor("anna"), "client", anna_card, "Созвон в пятницу")
    laptop = rig.laptop["anna"]
    sync(laptop, rig.server["anna"])

    transfers.transfer(
        rig.server["admin"], rig.actor("admin"), "lead", lead.id, rig.tdb.logins["anna"]
    )

    assert sync(laptop, rig.server["anna"]).refused == ()
    with laptop.reader() as uow:
        s = uow.session
        here = s.scalar(select(Lead.id).where(Lead.name == "Пётр Лебедев"))
        person = s.scalar(select(Contact.id).where(Contact.lead_id == here))
        assert (
            s.scalar(select(Memo.body).where(Memo.object_kind == "lead", Memo.object_id == here))
            == "Просил счёт до конца месяца"
        )
        assert list(
            s.scalars(select(ContactPoint.normalized).where(ContactPoint.contact_id == person))
        ) == [OLEG_EMAIL]
        assert list(s.scalars(select(Note.body).where(Note.lead_id == here))) == [
            "Интересуется цементом М500"
        ]
    assert snapshot(laptop) == snapshot(rig.server["anna"])
