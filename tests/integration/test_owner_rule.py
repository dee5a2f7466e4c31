"""One owner rule at import and in the linking job (#11 item 5, #13 items 1,
2, 4-7): a letter lands on the same card and the same contact feeds whether
it arrived before or after the address was on the card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from models import Interaction, MailMessage, interaction_contacts
from services.core import bootstrap
from services.core.storage import Database
from services.feed import pages as feed
from services.linking import job as linking
from services.linking import manual as manual_links
from services.mail import accounts, imap_sync
from services.parties import contact_points
from services.parties import records as parties
from tests.integration.mail_helpers import ALICE, account, letter
from tests.mail_fixtures import append_messages

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _arrive(mailbox: dict[str, Any], *letters: bytes, folder: str = "INBOX") -> None:
    append_messages(mailbox, ALICE, folder, list(letters))


def _titles(db: Database, **scope: int) -> list[str]:
    with db.reader() as uow:
        items = feed.page(
            uow,
            bootstrap.actor_for(uow),
            feed.FeedScope(**scope),
            feed.FeedFilter(types=("email",)),
        ).items
    return sorted(i.title for i in items)


def _letter(db: Database, subject: str) -> tuple[Any, ...]:
    """(client, lead, direction, contact ids, tie, reason) of a stored letter."""
    with db.reader() as uow:
        m = uow.session.execute(
            select(
                MailMessage.interaction_id,
                MailMessage.direction,
                MailMessage.link_tie,
                MailMessage.link_reason,
            ).where(MailMessage.subject == subject)
        ).one()
        if m.interaction_id is None:
            return (None, None, m.direction, (), m.link_tie, m.link_reason)
        row = uow.session.get(Interaction, m.interaction_id)
        assert row is not None
        contacts = tuple(
            sorted(
                uow.session.scalars(
                    select(interaction_contacts.c.contact_id).where(
                        interaction_contacts.c.interaction_id == row.id
                    )
                )
            )
        )
        assert row.direction == m.direction
        return (row.client_id, row.lead_id, m.direction, contacts, m.link_tie, m.link_reason)


def _client(db: Database, name: str, emails: list[str]) -> int:
    with db.uow() as uow:
        cid = parties.add_client(uow, bootstrap.actor_for(uow), name, emails=emails).id
        uow.commit()
    return cid


def _contact(db: Database, name: str, client_id: int, emails: list[str]) -> int:
    with db.uow() as uow:
        view = parties.add_contact(
            uow, bootstrap.actor_for(uow), name, client_id=client_id, emails=emails
        )
        uow.commit()
    return view.id


def _add_email(db: Database, raw: str, **card: int) -> None:
    with db.uow() as uow:
        contact_points.add(uow, bootstrap.actor_for(uow), "email", raw, **card)
        uow.commit()


def test_a_cc_to_a_card_links_whether_it_came_before_or_after_the_address(
    db: Database, mailbox: dict[str, Any]
) -> None:
    acc = account(db, mailbox)
    _arrive(mailbox, letter("x@unknown.example", ALICE, "До", cc="partner@client.example"))
    assert imap_sync.sync_account(db, acc).unlinked == 1
    cid = _client(db, "ООО Партнёр", ["Partner@Client.example"])
    _arrive(mailbox, letter("y@unknown.example", ALICE, "После", cc="partner@client.example"))
    assert imap_sync.sync_account(db, acc).imported == 1
    assert linking.run(db, now=NOW).emails == 1
    assert _titles(db, client_id=cid) == ["До", "После"]
    assert _letter(db, "До")[:3] == _letter(db, "После")[:3] == (cid, None, "in")


def test_a_letter_from_the_user_is_outgoing_in_any_folder(
    db: Database, mailbox: dict[str, Any]
) -> None:
    acc = account(db, mailbox)
    with db.uow() as uow:
        accounts.update(uow, bootstrap.actor_for(uow), acc, aliases=["Alice.Home@Example.test"])
        uow.commit()
    _arrive(
        mailbox,
        letter(ALICE, "ivan@client.example", "Своё до", cc=ALICE),
        letter("alice.home@example.test", "ivan@client.example", "С домашнего"),
    )
    assert imap_sync.sync_account(db, acc).unlinked == 2
    cid = _client(db, "Клиент", ["ivan@client.example"])
    _arrive(mailbox, letter(ALICE, "ivan@client.example", "Своё после", cc=ALICE))
    assert imap_sync.sync_account(db, acc).imported == 1
    assert linking.run(db, now=NOW).emails == 2
    for subject in ("Своё до", "С домашнего", "Своё после"):
        assert _letter(db, subject)[:3] == (cid, None, "out"), subject


def test_two_addresses_of_one_client_are_no_tie(db: Database, mailbox: dict[str, Any]) -> None:
    acc = account(db, mailbox)
    _arrive(mailbox, letter(ALICE, "a@client.example", "Двоим до", cc="b@client.example"))
    imap_sync.sync_account(db, acc)
    cid = _client(db, "Один клиент", ["a@client.example", "b@client.example"])
    _arrive(mailbox, letter(ALICE, "a@client.example", "Двоим после", cc="b@client.example"))
    imap_sync.sync_account(db, acc)
    assert linking.run(db, now=NOW).ties == 0
    for subject in ("Двоим до", "Двоим после"):
        client_id, _lead, _dir, _contacts, tie, reason = _letter(db, subject)
        assert (client_id, tie) == (cid, False)
        assert "review" not in reason
    # two different clients on one letter still are a tie, flagged the same both ways
    other = _client(db, "Другой клиент", ["c@other.example"])
    _arrive(mailbox, letter(ALICE, "c@other.example", "Двум клиентам", cc="a@client.example"))
    imap_sync.sync_account(db, acc)
    client_id, _lead, _dir, _contacts, tie, reason = _letter(db, "Двум клиентам")
    assert (client_id, tie) == (min(cid, other), True)
    assert "the oldest was chosen: review" in reason


def test_a_letter_shows_only_in_the_feeds_of_the_people_on_it(
    db: Database, mailbox: dict[str, Any]
) -> None:
    acc = account(db, mailbox)
    cid = _client(db, "ООО Ромашка", [])
    anna = _contact(db, "Анна", cid, ["anna@romashka.example"])
    boris = _contact(db, "Борис", cid, ["boris@romashka.example"])
    _arrive(
        mailbox,
        letter("anna@romashka.example", ALICE, "От Анны"),
        letter("boris@romashka.example", ALICE, "От Бориса"),
    )
    assert imap_sync.sync_account(db, acc, batch=10).imported == 2  # one batch
    assert _titles(db, contact_id=anna) == ["От Анны"]
    assert _titles(db, contact_id=boris) == ["От Бориса"]
    assert _titles(db, client_id=cid) == ["От Анны", "От Бориса"]
    assert linking.run(db, now=NOW).moved == 0  # the job agrees with import
    assert _titles(db, contact_id=anna) == ["От Анны"]


def test_a_contact_whose_address_is_added_later_gets_the_earlier_letters(
    db: Database, mailbox: dict[str, Any]
) -> None:
    acc = account(db, mailbox)
    cid = _client(db, "ООО Ромашка", [])
    anna = _contact(db, "Анна", cid, ["anna@romashka.example"])
    boris = _contact(db, "Борис", cid, [])
    _arrive(mailbox, letter("anna@romashka.example", ALICE, "Обоим", cc="boris@romashka.example"))
    imap_sync.sync_account(db, acc)
    assert (_titles(db, contact_id=anna), _titles(db, contact_id=boris)) == (["Обоим"], [])
    _add_email(db, "boris@romashka.example", contact_id=boris)
    linking.run(db, values=["boris@romashka.example"], now=NOW)
    assert _titles(db, contact_id=boris) == ["Обоим"]
    assert _letter(db, "Обоим")[3] == tuple(sorted((anna, boris)))


def test_letters_follow_an_address_from_a_lead_to_a_contact_but_hand_links_stay(
    db: Database, mailbox: dict[str, Any]
) -> None:
    acc = account(db, mailbox)
    with db.uow() as uow:
        lead = parties.add_lead(
            uow, bootstrap.actor_for(uow), "Иван (лид)", emails=["ivan@new.example"]
        ).id
        uow.commit()
    _arrive(
        mailbox,
        *(letter("ivan@new.example", ALICE, f"Письмо {n}") for n in range(1, 5)),
    )
    assert imap_sync.sync_account(db, acc).imported == 4
    assert _titles(db, lead_id=lead) == ["Письмо 1", "Письмо 2", "Письмо 3", "Письмо 4"]
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        ids = dict(uow.session.execute(select(MailMessage.subject, MailMessage.id)).all())
        manual_links.link_message(uow, actor, ids["Письмо 3"], "lead", lead, now=NOW)
        manual_links.unlink_message(uow, actor, ids["Письмо 4"])
        uow.commit()
    cid = _client(db, "ООО Новый", [])
    ivan = _contact(db, "Иван", cid, ["ivan@new.example"])  # now on a contact of a client
    report = linking.run(db, now=NOW)
    assert (report.emails, report.moved) == (0, 2)
    assert _titles(db, client_id=cid) == ["Письмо 1", "Письмо 2"]
    assert _titles(db, contact_id=ivan) == ["Письмо 1", "Письмо 2"]
    assert _titles(db, lead_id=lead) == ["Письмо 3"]  # linked by hand: stays
    assert _letter(db, "Письмо 4")[0:2] == (None, None)  # unlinked by hand: stays off
    assert "is on contact" in _letter(db, "Письмо 1")[5]
    _arrive(mailbox, letter("ivan@new.example", ALICE, "Письмо 5"))
    imap_sync.sync_account(db, acc)
    assert _titles(db, contact_id=ivan) == ["Письмо 1", "Письмо 2", "Письмо 5"]
    assert linking.run(db, now=NOW).moved == 0  # a second run changes nothing


def test_linking_by_hand_never_offers_the_users_own_address(
    db: Database, mailbox: dict[str, Any]
) -> None:
    acc = account(db, mailbox)
    with db.uow() as uow:
        accounts.update(uow, bootstrap.actor_for(uow), acc, aliases=["alice.home@example.test"])
        uow.commit()
    _arrive(
        mailbox,
        letter(ALICE, "alice.home@example.test", "Себе и клиенту", cc="new@client.example"),
    )
    imap_sync.sync_account(db, acc)
    cid = _client(db, "Новый клиент", [])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        mid = uow.session.scalar(select(MailMessage.id))
        assert mid is not None
        offer = manual_links.link_message(uow, actor, mid, "client", cid, now=NOW).offer_address
        uow.commit()
    assert offer == "new@client.example"


def test_letters_stored_with_ascii_idn_domains_match_after_the_upgrade(
    sqlite_db: Database,
) -> None:
    """Migration 0013: addresses kept before IDN normalization are rewritten."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import insert

    from models import MailAccount, MailAddress
    from services.core import migrations

    db = sqlite_db
    ascii_form, unicode_form = "ivan@xn--80a1acny.xn--p1ai", "ivan@почта.рф"
    with db.uow() as uow:
        acc = MailAccount(
            user_id=1, email=ALICE, imap_host="h", imap_port=993, imap_security="tls",
            imap_user=ALICE, smtp_host="h", smtp_port=587, smtp_security="starttls",
            smtp_user=ALICE,
        )  # fmt: skip
        uow.session.add(acc)
        uow.session.flush()
        ids = [
            uow.session.scalar(
                insert(MailMessage)
                .values(
                    account_id=acc.id, message_key=f"old{n}", direction="in", subject=f"Старое {n}",
                    sent_at=NOW, from_addr=ascii_form, body_state="none", auto_reply=False,
                    link_tie=False,
                )
                .returning(MailMessage.id)
            )
            for n in (1, 2)
        ]  # fmt: skip
        uow.session.execute(
            insert(MailAddress),
            [
                {"message_id": ids[0], "role": "from", "address": ascii_form},
                {"message_id": ids[1], "role": "from", "address": ascii_form},
                {"message_id": ids[1], "role": "from", "address": unicode_form},
            ],
        )
        uow.commit()
    config = migrations.alembic_config(db.engine)
    before = ScriptDirectory.from_config(config).get_revision("0013").down_revision
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, str(before))
    migrations.upgrade(db.engine)
    with db.reader() as uow:
        stored = sorted(uow.session.execute(select(MailAddress.message_id, MailAddress.address)))
        senders = set(uow.session.scalars(select(MailMessage.from_addr)))
    assert [tuple(r) for r in stored] == [(ids[0], unicode_form), (ids[1], unicode_form)]
    assert senders == {unicode_form}
    cid = _client(db, "Почта", [unicode_form])
    assert linking.run(db, now=NOW).emails == 2
    assert _titles(db, client_id=cid) == ["Старое 1", "Старое 2"]
