"""The linking job: earlier letters and calls find their card, for the right reason."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

from models import CallRecord, Client, Interaction, MailAccount, MailAddress, MailMessage, User
from services.core import bootstrap
from services.core.storage import Database
from services.feed import pages as feed
from services.linking import call_log
from services.linking import job as linking
from services.linking import manual as manual_links
from services.parties import contact_points
from services.parties import records as parties
from tests.conftest import DATA
from tests.integration.mail_helpers import ALICE, account, letter
from tests.mail_fixtures import append_messages

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _mail_account(db: Database) -> int:
    with db.uow() as uow:
        row = MailAccount(
            user_id=1,
            email=ALICE,
            imap_host="127.0.0.1",
            imap_port=993,
            imap_security="tls",
            imap_user=ALICE,
            smtp_host="127.0.0.1",
            smtp_port=587,
            smtp_security="starttls",
            smtp_user=ALICE,
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def _letters(db: Database, acc: int, senders: list[str], direction: str = "in") -> list[int]:
    """Header-only letters as mail sync leaves them for unknown addresses."""
    with db.uow() as uow:
        ids = (
            uow.session.execute(
                insert(MailMessage).returning(MailMessage.id, sort_by_parameter_order=True),
                [
                    {
                        "account_id": acc,
                        "message_key": f"m{n}-{s}",
                        "direction": direction,
                        "subject": f"Letter {n}",
                        "sent_at": NOW - dt.timedelta(days=n),
                        "from_addr": s if direction == "in" else ALICE,
                        "body_state": "none",
                        "auto_reply": False,
                    }
                    for n, s in enumerate(senders)
                ],
            )
            .scalars()
            .all()
        )
        uow.session.execute(
            insert(MailAddress),
            [
                {"message_id": i, "role": "from" if direction == "in" else "to", "address": s}
                for i, s in zip(ids, senders, strict=True)
            ],
        )
        uow.commit()
    return list(ids)


def test_bodies_pending_are_counted_from_their_own_index(db: Database) -> None:
    """The run's count of bodies to fetch reads the partial index of
    pending letters, not every letter, and counts the same: letters the job
    marks, one fetched already, another account's."""
    acc = _mail_account(db)
    ids = _letters(db, acc, ["ivan@romashka.ru"] * 3 + ["пётр@пример.рф"] * 2)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "ООО Ромашка").id
        contact_points.add(uow, actor, "email", "Ivan@Romashka.ru", client_id=cid)
        contact_points.add(uow, actor, "email", "Пётр@Пример.рф", client_id=cid)
        uow.commit()
    assert linking.run(db, now=NOW).bodies_pending == 5
    with db.uow() as uow:
        uow.session.execute(
            update(MailMessage).where(MailMessage.id == ids[0]).values(body_state="full")
        )
        uow.commit()
    assert linking.run(db, now=NOW).bodies_pending == 4
    with db.reader() as uow:
        assert (
            uow.session.scalar(select(func.count()).where(MailMessage.body_state == "pending")) == 4
        )
        if uow.dialect.name == "sqlite":
            sql = str(linking._pending().compile(dialect=uow.dialect))
            plan = uow.session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
            assert "ix_mail_messages_pending" in " ".join(str(r[-1]) for r in plan)


def _interaction_party(db: Database, message_id: int) -> tuple[int | None, int | None]:
    with db.reader() as uow:
        iid = uow.session.scalar(
            select(MailMessage.interaction_id).where(MailMessage.id == message_id)
        )
        if iid is None:
            return (None, None)
        row = uow.session.get(Interaction, iid)
        assert row is not None
        return row.client_id, row.lead_id


def test_adding_an_address_pulls_in_its_earlier_letters(db: Database) -> None:
    acc = _mail_account(db)
    ids = _letters(db, acc, ["ivan@romashka.ru"] * 3 + ["other@x.example"])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "ООО Ромашка").id
        contact_points.add(uow, actor, "email", "Ivan@Romashka.ru", client_id=cid)
        uow.commit()
    report = linking.run(db, now=NOW)
    assert (report.emails, report.ties, report.bodies_pending) == (3, 0, 3)
    assert [_interaction_party(db, i) for i in ids] == [(cid, None)] * 3 + [(None, None)]
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        items = feed.page(
            uow, actor, feed.FeedScope(client_id=cid), feed.FeedFilter(types=("email",))
        ).items
        assert [i.title for i in items] == ["Letter 0", "Letter 1", "Letter 2"]
        why = manual_links.why(uow, actor, items[0].id) or ""
        client_name = uow.session.get(Client, cid).name  # type: ignore[union-attr]
        # the card by name, not by number
        assert f"ivan@romashka.ru is on client “{client_name}”" in why
    assert linking.run(db, now=NOW).emails == 0  # a second run changes nothing


def test_contact_beats_client_beats_lead_and_ties_are_flagged(db: Database) -> None:
    acc = _mail_account(db)
    [to_contact, to_client, tie] = _letters(db, acc, ["a@x.example", "b@x.example", "c@x.example"])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        lead = parties.add_lead(uow, actor, "Lead", emails=["a@x.example", "b@x.example"]).id
        old_client = parties.add_client(uow, actor, "Old", emails=["b@x.example", "c@x.example"]).id
        new_client = parties.add_client(uow, actor, "New", emails=["c@x.example"]).id
        contact = parties.add_contact(
            uow, actor, "Anna", client_id=new_client, emails=["a@x.example"]
        )
        uow.commit()
    report = linking.run(db, now=NOW)
    assert report.emails == 3
    assert report.ties == 1
    assert _interaction_party(db, to_contact) == (contact.client_id, None)
    assert _interaction_party(db, to_client) == (old_client, None)  # client beats lead
    assert _interaction_party(db, tie) == (old_client, None)  # the oldest of two clients
    with db.reader() as uow:
        flagged = uow.session.scalar(select(MailMessage.link_tie).where(MailMessage.id == tie))
        assert flagged is True
    assert lead


def test_manual_link_and_unlink_survive_the_job(db: Database) -> None:
    acc = _mail_account(db)
    [kept_off, moved] = _letters(db, acc, ["ivan@romashka.ru", "ivan@romashka.ru"])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        romashka = parties.add_client(uow, actor, "Ромашка", emails=["ivan@romashka.ru"]).id
        other = parties.add_client(uow, actor, "Другой").id
        uow.commit()
    linking.run(db, now=NOW)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        manual_links.unlink_message(uow, actor, kept_off)
        result = manual_links.link_message(uow, actor, moved, "client", other, now=NOW)
        uow.commit()
    assert result.offer_address is None  # the address is already on a card
    linking.run(db, now=NOW)
    assert _interaction_party(db, kept_off) == (None, None)
    assert _interaction_party(db, moved) == (other, None)
    with db.reader() as uow:
        assert manual_links.why(uow, bootstrap.actor_for(uow), result.interaction_id) == (
            "linked by hand by " + bootstrap.actor_for(uow).login
        )
    assert romashka


def test_manual_link_of_an_unknown_sender_offers_to_save_the_address(db: Database) -> None:
    acc = _mail_account(db)
    [first, second] = _letters(db, acc, ["new@client.example", "new@client.example"])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "New client").id
        result = manual_links.link_message(uow, actor, first, "client", cid, now=NOW)
        assert result.offer_address == "new@client.example"
        contact_points.add(uow, actor, "email", result.offer_address, client_id=cid)
        uow.commit()
    assert linking.run(db, values=["new@client.example"], now=NOW).emails == 1
    assert _interaction_party(db, second) == (cid, None)


def test_never_means_the_address_is_not_offered_again(db: Database) -> None:
    acc = _mail_account(db)
    [first, second] = _letters(db, acc, ["noise@x.example", "noise@x.example"])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "C").id
        offer = manual_links.link_message(uow, actor, first, "client", cid).offer_address
        assert offer is not None
        manual_links.never_offer(uow, actor, "email", offer)
        assert manual_links.link_message(uow, actor, second, "client", cid).offer_address is None
        uow.commit()


def _phone_cases() -> list[tuple[str, str]]:
    path = DATA / "phones" / "libphonenumber_PhoneNumberUtilTest_parse_cases.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows  # type: ignore[return-value]


def test_a_number_written_many_ways_links_every_call_to_one_card(
    db: Database, tmp_path: Path
) -> None:
    forms = [
        "+7 495 123-45-67",
        "8 (495) 123-45-67",
        "84951234567",
        "+7(495)1234567",
        "7 495 123 45 67",
        "+7 495 123 45 67 доб. 12",
        "tel:+7-495-123-45-67",
    ]
    log = tmp_path / "calls.csv"
    with log.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["started_at", "direction", "number", "duration_s", "result", "call_id"])
        for n, form in enumerate(forms):
            writer.writerow([f"2026-11-0{n + 1} 10:00:00", "in", form, "60", "answered", f"c{n}"])
        writer.writerow(["2026-11-09 10:00:00", "in", "12", "5", "answered", "bad"])
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        result = call_log.import_calls(uow, actor, log, source="office-pbx")
        uow.commit()
    assert (result.created, len(result.rejected)) == (len(forms), 1)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "Ромашка", phones=["+74951234567"]).id
        uow.commit()
    assert linking.run(db, now=NOW).calls == len(forms)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        calls = feed.page(
            uow, actor, feed.FeedScope(client_id=cid), feed.FeedFilter(types=("call",))
        ).items
    assert len(calls) == len(forms)
    with db.uow() as uow:  # the same file again changes nothing
        again = call_log.import_calls(uow, bootstrap.actor_for(uow), log, source="office-pbx")
        uow.commit()
    assert (again.created, again.already) == (0, len(forms))
    assert linking.run(db, now=NOW).calls == 0


def test_asterisk_and_freepbx_presets(db: Database, tmp_path: Path) -> None:
    asterisk = tmp_path / "Master.csv"
    asterisk.write_text(
        '"","+74951234567","101","from-trunk","""Ivan"" <+74951234567>","SIP/trunk-1",'
        '"SIP/101-2","Dial","SIP/101","2026-11-20 10:00:00","2026-11-20 10:00:05",'
        '"2026-11-20 10:03:05","185","180","ANSWERED","DOCUMENTATION","1700000000.1",""\n'
        '"","102","84951234567","from-internal","""Manager"" <102>","SIP/102-3","SIP/trunk-4",'
        '"Dial","SIP/trunk/84951234567","2026-11-20 11:00:00","","2026-11-20 11:00:30","30",'
        '"0","NO ANSWER","DOCUMENTATION","1700000000.2",""\n',
        encoding="utf-8",
    )
    freepbx = tmp_path / "cdr.csv"
    freepbx.write_text(
        "calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,"
        "disposition,amaflags,accountcode,uniqueid,userfield,did,recordingfile\n"
        '2026-11-21 09:00:00,"""Ivan"" <+74951234567>",+74951234567,100,from-trunk,SIP/t,'
        "SIP/100,Dial,SIP/100,65,60,ANSWERED,3,,1700000100.7,,,in-100-20261121.wav\n",
        encoding="utf-8",
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        parties.add_client(uow, actor, "Ромашка", phones=["+74951234567"])
        a = call_log.import_calls(uow, actor, asterisk, preset="asterisk")
        f = call_log.import_calls(uow, actor, freepbx, preset="freepbx")
        uow.commit()
    assert (a.created, f.created, a.rejected, f.rejected) == (2, 1, (), ())
    with db.reader() as uow:
        rows = uow.session.execute(
            select(
                CallRecord.direction, CallRecord.number, CallRecord.duration_s, CallRecord.recording
            ).order_by(CallRecord.started_at)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("in", "+74951234567", 180, None),
        ("out", "+74951234567", 0, None),
        ("in", "+74951234567", 60, "in-100-20261121.wav"),
    ]
    assert linking.run(db, now=NOW).calls == 3


def test_libphonenumber_forms_of_one_number_normalize_alike() -> None:
    """Every upstream case that parses to the same E.164 links to the same card."""
    from services.core import normalize
    from services.core.errors import ValidationError

    by_e164: dict[str, set[str]] = {}
    for case in _phone_cases():
        raw, region = case.get("raw") or "", case.get("region") or "ZZ"
        try:
            value = normalize.normalize_phone(raw, region if region != "null" else "ZZ")
        except ValidationError:
            continue
        by_e164.setdefault(value.split(";", 1)[0], set()).add(raw)
    assert any(len(forms) > 1 for forms in by_e164.values())


@pytest.mark.slow
def test_a_run_over_100k_unlinked_letters(sqlite_db: Database) -> None:
    db = sqlite_db
    acc = _mail_account(db)
    senders = [f"person{n % 20_000}@big.example" for n in range(100_000)]
    _letters(db, acc, senders)
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "Big").id
        for n in range(0, 20_000, 20):  # every 20th person is known: 5,000 letters
            contact_points.add(uow, actor, "email", f"person{n}@big.example", client_id=cid)
        uow.commit()
    report = linking.run(db, now=NOW)
    assert report.emails == 5_000
    with db.reader() as uow:
        linked = uow.session.scalar(
            select(func.count())
            .select_from(MailMessage)
            .where(MailMessage.interaction_id.is_not(None))
        )
        wrong = uow.session.scalar(
            select(func.count()).select_from(Interaction).where(Interaction.client_id != cid)
        )
        owner = uow.session.scalar(select(User.id))
    assert (linked, wrong) == (5_000, 0)
    assert owner


def test_bodies_of_linked_letters_are_fetched_at_the_next_sync(
    db: Database, mailbox: dict[str, Any]
) -> None:
    from services.mail import imap_sync

    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter(
                "late@client.example",
                ALICE,
                "Old question",
                body="Сколько стоит?",
                msgid="late1@client.example",
            ),
        ],
    )
    acc = account(db, mailbox)
    assert imap_sync.sync_account(db, acc).unlinked == 1
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "Late", emails=["late@client.example"]).id
        uow.commit()
    assert linking.run(db).emails == 1
    imap_sync.sync_account(db, acc)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        [item] = feed.page(
            uow, actor, feed.FeedScope(client_id=cid), feed.FeedFilter(types=("email",))
        ).items
    assert item.title == "Old question"
    assert item.text is not None
    assert "Сколько стоит?" in item.text
