"""A letter and a call on both machines, for the replica tests of moving
them by hand (test_replica_relink.py, test_replica_relink_refused.py).

Anna's mailbox and her PBX calls are on the server (her desktop at the
office imports them) and on her laptop (imported there too): the same
letter is a row on each machine, and one interaction per letter, named by
(source kind, source key), sits on a card. ``letter_world`` sets that up;
``link_by_hand`` and ``unlink_by_hand`` move it on a laptop or at the
office; ``placements`` and ``item_row`` say where it is on a machine.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from models import (
    CallRecord,
    Client,
    Contact,
    Interaction,
    MailAccount,
    MailAddress,
    MailMessage,
    interaction_contacts,
)
from services.core.access import Actor
from services.core.storage import Database
from services.linking import use_cases as linking
from services.parties import use_cases as parties
from services.sync.use_cases import sync
from tests.integration.replica_rig import CLIENT, Rig

OTHER = "ООО «Лютик»"
MARIA = "Мария Соколова"  # a contact person of the other client
KEY = "kp-2026-12@romashka.test"
SUBJECT = "Коммерческое предложение на поставку"
CALL_KEY = "pbx-7781"
SENT = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def login_id(db: Database, login: str) -> int:
    from models import User

    with db.reader() as uow:
        found = uow.session.scalar(select(User.id).where(User.login == login))
    assert found is not None
    return found


def add_letter(db: Database, user_id: int, interaction_id: int | None = None) -> int:
    """The letter in ``user_id``'s mailbox on this machine (as its import left it)."""
    with db.uow(user_id) as uow:
        s = uow.session
        account = s.scalar(select(MailAccount).where(MailAccount.user_id == user_id))
        if account is None:
            account = MailAccount(
                user_id=user_id,
                email="anna@corp.test",
                imap_host="imap.corp.test",
                imap_port=993,
                imap_user="anna",
                smtp_host="smtp.corp.test",
                smtp_port=587,
                smtp_user="anna",
            )
            s.add(account)
            s.flush()
        message = MailMessage(
            account_id=account.id,
            message_key=KEY,
            direction="in",
            subject=SUBJECT,
            sent_at=SENT,
            from_addr="buyer@lutik.test",
            body_state="fetched",
            interaction_id=interaction_id,
            link_rule="auto" if interaction_id else None,
        )
        s.add(message)
        s.flush()
        s.add(MailAddress(message_id=message.id, role="from", address="buyer@lutik.test"))
        uow.commit()
        return message.id


def add_call(db: Database, user_id: int, interaction_id: int | None = None) -> int:
    with db.uow(user_id) as uow:
        row = CallRecord(
            source="pbx",
            call_key=CALL_KEY,
            started_at=SENT,
            direction="in",
            number="+79123456789",
            raw_number="89123456789",
            duration_s=95,
            result="answered",
            user_id=user_id,
            interaction_id=interaction_id,
            link_rule="auto" if interaction_id else None,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def card_ids(db: Database) -> dict[str, int]:
    with db.reader() as uow:
        return {
            **{r.name: r.id for r in uow.session.execute(select(Client.id, Client.name))},
            **{
                r.full_name: r.id
                for r in uow.session.execute(select(Contact.id, Contact.full_name))
            },
        }


def source_of(kind: str) -> tuple[str, str]:
    return ("email", KEY) if kind == "letter" else ("call", f"pbx:{CALL_KEY}")


def placements(db: Database, kind: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every interaction of the letter (or call) here: (uid, card, contact persons)."""
    source_kind, source_key = source_of(kind)
    ic = interaction_contacts.c
    out = []
    with db.reader() as uow:
        s = uow.session
        for row in s.scalars(
            select(Interaction).where(
                Interaction.source_kind == source_kind, Interaction.source_key == source_key
            )
        ):
            card = s.scalar(select(Client.name).where(Client.id == row.client_id))
            persons = s.scalars(
                select(Contact.full_name)
                .join(interaction_contacts, ic.contact_id == Contact.id)
                .where(ic.interaction_id == row.id)
                .order_by(Contact.full_name)
            )
            out.append((row.uid, str(card), tuple(persons)))
    return out


def item_row(db: Database, kind: str) -> Any:
    """This machine's letter (or call) row: the interaction's uid it points at, its rule."""
    model: Any = MailMessage if kind == "letter" else CallRecord
    with db.reader() as uow:
        return uow.session.execute(
            select(Interaction.uid, model.link_rule, model.link_reason)
            .select_from(model)
            .outerjoin(Interaction, Interaction.id == model.interaction_id)
        ).one()


def _side(rig: Rig, who: str, server: bool) -> tuple[Database, Actor]:
    return (rig.server[who], rig.actor(who)) if server else (rig.own_db(who), rig.own_actor(who))


def link_by_hand(
    rig: Rig, who: str, kind: str, card_kind: str, name: str, *, server: bool = False
) -> None:
    """``who`` puts the letter (or call) on a card by hand: on their laptop
    if they have one, unless ``server`` (at the office)."""
    db, actor = _side(rig, who, server)
    target = card_ids(db)[name]
    model: Any = MailMessage if kind == "letter" else CallRecord
    with db.reader() as uow:
        item_id = uow.session.scalars(select(model.id)).one()
    if kind == "letter":
        linking.link_letter(db, actor, item_id, card_kind, target)
    else:
        linking.link_call(db, actor, item_id, card_kind, target)


def unlink_by_hand(rig: Rig, who: str, kind: str, *, server: bool = False) -> None:
    db, actor = _side(rig, who, server)
    with db.reader() as uow:
        found = uow.session.execute(
            select(Interaction.id).where(
                Interaction.source_kind == source_of(kind)[0],
                Interaction.source_key == source_of(kind)[1],
            )
        ).scalar_one()
    linking.unlink_item(db, actor, found)


def letter_world(rig: Rig, kind: str) -> str:
    """Anna's second client with Maria; the letter (or call) on the rig's
    client on the server, put there by hand at the office; both laptops
    synced, Anna's laptop holding its own row of the letter (or call)."""
    anna = rig.actor("anna")
    other = parties.add_client(rig.server["anna"], anna, OTHER, region="RU").value
    parties.add_contact(rig.server["anna"], anna, MARIA, client_id=other.id)
    server_anna = login_id(rig.server["admin"], rig.tdb.logins["anna"])
    (add_letter if kind == "letter" else add_call)(rig.server["anna"], server_anna)
    link_by_hand(rig, "anna", kind, "client", CLIENT, server=True)
    [(uid, card, _persons)] = placements(rig.server["admin"], kind)
    assert card == CLIENT
    for who in rig.laptop:
        assert not sync(rig.laptop[who], rig.server[who]).refused
    laptop_anna = login_id(rig.laptop["anna"], rig.tdb.logins["anna"])
    (add_letter if kind == "letter" else add_call)(
        rig.laptop["anna"], laptop_anna, rig.local_id("anna", "interaction", uid)
    )
    return uid


def client_uid_of(rig: Rig, name: str) -> str:
    with rig.server["admin"].reader() as uow:
        found = uow.session.scalar(select(Client.uid).where(Client.name == name))
    assert found is not None
    return found
