"""A letter or call put on another card, or taken off, by hand on a laptop
reaches the server, and one moved on the server reaches the laptop (#20).

Real PostgreSQL with a login per colleague, two SQLite laptop replicas
(tests/integration/replica_rig.py). Anna's mailbox and her PBX calls are on
the server (her desktop at the office imports them) and on her laptop
(imported there too): the same letter is a row on each machine, and one
interaction per letter, named by (source kind, source key), sits on a card.
Moving it by hand removes that interaction and makes a new one; both must
travel, with the contact person, and the letter rows on each machine must
follow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from models import (
    Attachment,
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
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.linking import use_cases as linking
from services.parties import edit_cases
from services.parties import use_cases as parties
from services.sync.use_cases import sync
from tests.integration.replica_rig import CLIENT, Rig, assert_converged, snapshot, sync_all

pytestmark = pytest.mark.postgres

OTHER = "ООО «Лютик»"
MARIA = "Мария Соколова"  # a contact person of the other client
IVAN = "Иван Петров"  # of the rig's client
KEY = "kp-2026-12@romashka.test"
SUBJECT = "Коммерческое предложение на поставку"
CALL_KEY = "pbx-7781"
SENT = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def _user_id(db: Database, login: str) -> int:
    from models import User

    with db.reader() as uow:
        found = uow.session.scalar(select(User.id).where(User.login == login))
    assert found is not None
    return found


def _letter(db: Database, user_id: int, interaction_id: int | None = None) -> int:
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


def _call(db: Database, user_id: int, interaction_id: int | None = None) -> int:
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


def _card_ids(db: Database) -> dict[str, int]:
    with db.reader() as uow:
        return {
            **{r.name: r.id for r in uow.session.execute(select(Client.id, Client.name))},
            **{
                r.full_name: r.id
                for r in uow.session.execute(select(Contact.id, Contact.full_name))
            },
        }


def _source(kind: str) -> tuple[str, str]:
    return ("email", KEY) if kind == "letter" else ("call", f"pbx:{CALL_KEY}")


def _placed(db: Database, kind: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """Every interaction of the letter (or call) here: (uid, card, contact persons)."""
    source_kind, source_key = _source(kind)
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


def _item_row(db: Database, kind: str) -> Any:
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


def _link(
    rig: Rig, who: str, kind: str, card_kind: str, name: str, *, server: bool = False
) -> None:
    """``who`` puts the letter (or call) on a card by hand: on their laptop
    if they have one, unless ``server`` (at the office)."""
    db, actor = _side(rig, who, server)
    target = _card_ids(db)[name]
    model: Any = MailMessage if kind == "letter" else CallRecord
    with db.reader() as uow:
        item_id = uow.session.scalars(select(model.id)).one()
    if kind == "letter":
        linking.link_letter(db, actor, item_id, card_kind, target)
    else:
        linking.link_call(db, actor, item_id, card_kind, target)


def _unlink(rig: Rig, who: str, kind: str, *, server: bool = False) -> None:
    db, actor = _side(rig, who, server)
    with db.reader() as uow:
        found = uow.session.execute(
            select(Interaction.id).where(
                Interaction.source_kind == _source(kind)[0],
                Interaction.source_key == _source(kind)[1],
            )
        ).scalar_one()
    linking.unlink_item(db, actor, found)


def _world(rig: Rig, kind: str) -> str:
    """Anna's second client with Maria; the letter (or call) on the rig's
    client on the server, put there by hand at the office; both laptops
    synced, Anna's laptop holding its own row of the letter (or call)."""
    anna = rig.actor("anna")
    other = parties.add_client(rig.server["anna"], anna, OTHER, region="RU").value
    parties.add_contact(rig.server["anna"], anna, MARIA, client_id=other.id)
    server_anna = _user_id(rig.server["admin"], rig.tdb.logins["anna"])
    (_letter if kind == "letter" else _call)(rig.server["anna"], server_anna)
    _link(rig, "anna", kind, "client", CLIENT, server=True)
    [(uid, card, _persons)] = _placed(rig.server["admin"], kind)
    assert card == CLIENT
    for who in rig.laptop:
        assert not sync(rig.laptop[who], rig.server[who]).refused
    laptop_anna = _user_id(rig.laptop["anna"], rig.tdb.logins["anna"])
    (_letter if kind == "letter" else _call)(
        rig.laptop["anna"], laptop_anna, rig.local_id("anna", "interaction", uid)
    )
    return uid


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_moved_offline_is_on_the_new_card_on_the_server(
    rig: Rig, kind: str
) -> None:
    old = _world(rig, kind)

    _link(rig, "anna", kind, "contact", MARIA)
    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused, report.refused
    [(new, card, persons)] = _placed(rig.server["admin"], kind)
    assert new != old
    assert (card, persons) == (OTHER, (MARIA,))
    assert _placed(rig.laptop["anna"], kind) == [(new, OTHER, (MARIA,))]
    # The server's own row of the letter follows and stays where it was put.
    uid, rule, reason = _item_row(rig.server["admin"], kind)
    assert (uid, rule) == (new, "manual")
    assert rig.tdb.logins["anna"] in reason
    assert _item_row(rig.laptop["anna"], kind)[:2] == (new, "manual")
    sync_all(rig)
    assert_converged(rig)
    assert _placed(rig.laptop["head"], kind) == [(new, OTHER, (MARIA,))]


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_unlinked_offline_is_off_every_card_and_stays_off(
    rig: Rig, kind: str
) -> None:
    _world(rig, kind)

    _unlink(rig, "anna", kind)
    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused, report.refused
    assert _placed(rig.server["admin"], kind) == []
    uid, rule, reason = _item_row(rig.server["admin"], kind)
    assert (uid, rule) == (None, "manual_off")  # the server's linking job leaves it off
    assert rig.tdb.logins["anna"] in reason
    assert _item_row(rig.laptop["anna"], kind)[:2] == (None, "manual_off")
    sync_all(rig)
    assert_converged(rig)
    assert _placed(rig.laptop["head"], kind) == []


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_moved_at_the_office_follows_on_the_laptop(rig: Rig, kind: str) -> None:
    old = _world(rig, kind)
    laptop = rig.laptop["anna"]

    _link(rig, "admin", kind, "contact", MARIA)  # Alla, at the office
    report = sync(laptop, rig.server["anna"])

    assert not report.refused, report.refused
    [(new, card, persons)] = _placed(laptop, kind)
    assert new != old
    assert (card, persons) == (OTHER, (MARIA,))
    # The laptop's own row of the letter is on the new interaction, linked by
    # hand by Alla (its linking job will not move it back).
    uid, rule, reason = _item_row(laptop, kind)
    assert (uid, rule) == (new, "manual")
    assert rig.tdb.logins["admin"] in reason
    sync_all(rig)
    assert_converged(rig)


@pytest.mark.parametrize("kind", ["letter", "call"])
def test_a_letter_or_call_unlinked_at_the_office_leaves_the_laptop_row_off(
    rig: Rig, kind: str
) -> None:
    _world(rig, kind)

    _unlink(rig, "anna", kind, server=True)
    report = sync(rig.laptop["anna"], rig.server["anna"])

    assert not report.refused, report.refused
    assert _placed(rig.laptop["anna"], kind) == []
    assert _item_row(rig.laptop["anna"], kind)[:2] == (None, "manual_off")
    sync_all(rig)
    assert_converged(rig)


@pytest.mark.parametrize("later", ["laptop", "office"])
def test_a_letter_moved_on_both_sides_ends_where_the_later_move_put_it(
    rig: Rig, later: str
) -> None:
    old = _world(rig, "letter")
    laptop = rig.laptop["anna"]
    moves = [
        lambda: _link(rig, "anna", "letter", "contact", MARIA),  # offline, to the other client
        lambda: _link(rig, "admin", "letter", "contact", IVAN),  # Alla, to Ivan of the first
    ]
    for move in moves if later == "office" else reversed(moves):
        move()

    report = sync(laptop, rig.server["anna"])

    placed = _placed(rig.server["admin"], "letter")
    assert len(placed) == 1
    assert placed[0][0] != old
    if later == "laptop":
        assert not report.refused, report.refused
        assert placed[0][1:] == (OTHER, (MARIA,))
    else:
        [refusal] = report.refused
        assert refusal.code == "sync.apply.moved_meanwhile"
        assert placed[0][1:] == (CLIENT, (IVAN,))
    assert _placed(laptop, "letter") == placed
    assert _item_row(laptop, "letter")[:2] == (placed[0][0], "manual")
    assert _item_row(rig.server["admin"], "letter")[:2] == (placed[0][0], "manual")
    for who in rig.laptop:
        sync(rig.laptop[who], rig.server[who])
    assert_converged(rig)
    assert _placed(rig.laptop["head"], "letter") == placed


def test_a_letter_moved_offline_onto_a_card_handed_away_is_refused_and_put_back(
    rig: Rig,
) -> None:
    old = _world(rig, "letter")
    laptop = rig.laptop["anna"]
    # Meanwhile Alla hands the other client to Boris of another department.
    edit_cases.edit_client(
        rig.server["admin"],
        rig.actor("admin"),
        rig.local_id("admin", "client", _uid_of(rig, OTHER)),
        owner=rig.actor("boris").id,
    )
    before = snapshot(rig.server["admin"])

    _link(rig, "anna", "letter", "contact", MARIA)
    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert refusal.code == "sync.apply.missing_reference"  # a card she may not see
    assert snapshot(rig.server["admin"]) == before
    assert _placed(rig.server["admin"], "letter") == [(old, CLIENT, ())]
    # The laptop is put back: the letter on its old card, its row on it.
    assert _placed(laptop, "letter") == [(old, CLIENT, ())]
    assert _item_row(laptop, "letter")[0] == old
    assert OTHER not in _card_ids(laptop)
    sync(laptop, rig.server["anna"])
    assert snapshot(laptop) == snapshot(rig.server["anna"])


def _uid_of(rig: Rig, name: str) -> str:
    with rig.server["admin"].reader() as uow:
        found = uow.session.scalar(select(Client.uid).where(Client.name == name))
    assert found is not None
    return found


def _attach(db: Database, user_id: int, source_uid: str, name: str) -> None:
    """A file on the letter's interaction (as the mail import stores one)."""
    data = name.encode()
    with db.uow(user_id) as uow:
        row = uow.session.scalar(select(Interaction).where(Interaction.uid == source_uid))
        assert row is not None
        uow.session.add(
            Attachment(
                client_id=row.client_id,
                interaction_id=row.id,
                filename=name,
                mime_type="application/pdf",
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                path="attachments/none",
            )
        )
        uow.commit()


def _files(db: Database) -> list[str]:
    with db.reader() as uow:
        return sorted(uow.session.scalars(select(Attachment.filename)))


def test_a_letter_moved_offline_leaves_its_files_nowhere_even_one_added_meanwhile(
    rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOUCHPOINT_DATA_DIR", str(tmp_path / "data"))
    server_anna = _user_id(rig.server["admin"], rig.tdb.logins["anna"])
    anna = rig.actor("anna")
    parties.add_client(rig.server["anna"], anna, OTHER, region="RU")
    _letter(rig.server["anna"], server_anna)
    _link(rig, "anna", "letter", "client", CLIENT, server=True)
    [(old, _card, _persons)] = _placed(rig.server["admin"], "letter")
    _attach(rig.server["anna"], server_anna, old, "Спецификация.pdf")
    for who in rig.laptop:
        assert not sync(rig.laptop[who], rig.server[who]).refused
    _letter(
        rig.laptop["anna"],
        _user_id(rig.laptop["anna"], rig.tdb.logins["anna"]),
        rig.local_id("anna", "interaction", old),
    )
    assert _files(rig.laptop["anna"]) == ["Спецификация.pdf"]
    # Moved by hand on the laptop (linking by hand keeps no file: as on the
    # server); a colleague attaches another to it at the office meanwhile.
    _link(rig, "anna", "letter", "client", OTHER)
    _attach(rig.server["anna"], server_anna, old, "Счёт.pdf")

    sync_all(rig)

    [(new, card, _persons)] = _placed(rig.server["admin"], "letter")
    assert new != old
    assert card == OTHER
    assert _files(rig.server["admin"]) == []
    assert_converged(rig)


def test_removing_an_interaction_that_is_no_letter_or_call_is_refused_and_put_back(
    rig: Rig,
) -> None:
    """A laptop that skips the use cases (a hand-edited file) removes a
    meeting: on the server interactions are cancelled, never removed."""
    anna = rig.actor("anna")
    meeting = interactions.log_interaction(
        rig.server["anna"],
        anna,
        ix.NewInteraction(
            type="meeting",
            client_id=rig.local_id("anna", "client", rig.client_uid),
            subject="Встреча в офисе",
        ),
    ).value.uid
    laptop = rig.laptop["anna"]
    assert not sync(laptop, rig.server["anna"]).refused
    with laptop.uow(rig.local_actor("anna").id) as uow:
        row = uow.session.scalar(select(Interaction).where(Interaction.uid == meeting))
        uow.session.delete(row)
        uow.commit()

    report = sync(laptop, rig.server["anna"])

    [refusal] = report.refused
    assert refusal.code == "feed.sources.only_imported_letters_calls"
    for db in (rig.server["admin"], laptop):
        with db.reader() as uow:
            subject = uow.session.scalar(
                select(Interaction.subject).where(Interaction.uid == meeting)
            )
        assert subject == "Встреча в офисе"
    assert snapshot(laptop) == snapshot(rig.server["anna"])


def test_a_letter_imported_on_the_laptop_does_not_move_the_servers_interaction_of_it(
    rig: Rig,
) -> None:
    """Only an action that removed the letter's interaction is a move: a
    creation alone (the laptop imported a letter that the office linked
    after the laptop's last sync) leaves the server's placement alone."""
    anna = rig.actor("anna")
    parties.add_client(rig.server["anna"], anna, OTHER, region="RU")
    for who in rig.laptop:
        assert not sync(rig.laptop[who], rig.server[who]).refused
    _letter(rig.server["anna"], _user_id(rig.server["admin"], rig.tdb.logins["anna"]))
    _link(rig, "anna", "letter", "client", OTHER, server=True)
    [at_office] = _placed(rig.server["admin"], "letter")
    laptop = rig.laptop["anna"]
    with laptop.uow(rig.local_actor("anna").id) as uow:  # as the laptop's import makes it
        uow.session.add(
            Interaction(
                type="email",
                direction="in",
                state="done",
                start_local=SENT.replace(tzinfo=None),
                start_tz="UTC",
                start_utc=SENT,
                owner_id=rig.local_actor("anna").id,
                client_id=rig.local_id("anna", "client", rig.client_uid),
                subject=SUBJECT,
                search_text=SUBJECT.casefold(),
                source_kind="email",
                source_key=KEY,
                done_at=SENT,
                created_by_id=rig.local_actor("anna").id,
            )
        )
        uow.commit()

    sync(laptop, rig.server["anna"])

    assert _placed(rig.server["admin"], "letter") == [at_office]
    assert at_office[1] == OTHER
