"""#13 items 3, 8, 9, 10: IDN addresses, Asterisk's own Master.csv layout,
card numbers with extensions, and letters sent in the repeated DST hour."""

from __future__ import annotations

import csv
import datetime as dt
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy import select

from models import CallRecord, Interaction, MailMessage
from services.core import bootstrap, settings
from services.core.storage import Database
from services.feed import pages as feed
from services.linking import call_log
from services.linking import job as linking
from services.mail import imap_sync
from services.parties import records as parties
from tests.integration.mail_helpers import ALICE, account, letter
from tests.mail_fixtures import append_messages

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _feed(db: Database, kind: str, **scope: int) -> list[Any]:
    with db.reader() as uow:
        return list(
            feed.page(
                uow,
                bootstrap.actor_for(uow),
                feed.FeedScope(**scope),
                feed.FeedFilter(types=(kind,)),
            ).items
        )


def test_an_idn_address_on_a_card_links_letters_that_carry_its_ascii_form(
    db: Database, mailbox: dict[str, Any]
) -> None:
    acc = account(db, mailbox)
    append_messages(
        mailbox, ALICE, "INBOX", [letter("Ivan@XN--80A1ACNY.xn--p1ai", ALICE, "Пунікод до")]
    )
    assert imap_sync.sync_account(db, acc).unlinked == 1
    with db.uow() as uow:
        cid = parties.add_client(
            uow, bootstrap.actor_for(uow), "Почта", emails=["ivan@почта.рф"]
        ).id
        uow.commit()
    append_messages(
        mailbox, ALICE, "INBOX", [letter("ivan@xn--80a1acny.xn--p1ai", ALICE, "Пунікод после")]
    )
    assert imap_sync.sync_account(db, acc).imported == 1
    assert linking.run(db, now=NOW).emails == 1
    assert sorted(i.title for i in _feed(db, "email", client_id=cid)) == [
        "Пунікод до",
        "Пунікод после",
    ]


def _master_csv(path: Path, rows: list[dict[str, str]]) -> None:
    """Master.csv as Asterisk's cdr_csv writes it: no header, every field
    quoted, in the documented order (uniqueid at index 16, userfield at 17)."""
    order = [
        "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
        "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec",
        "disposition", "amaflags", "uniqueid", "userfield",
    ]  # fmt: skip
    assert order.index("uniqueid") == 16
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for row in rows:
            writer.writerow([row.get(name, "") for name in order])


def _cdr(uniqueid: str, start: str, billsec: str, userfield: str) -> dict[str, str]:
    return {
        "src": "+74951234567",
        "dst": "101",
        "dcontext": "from-trunk",
        "clid": '"Иван" <+74951234567>',
        "channel": "SIP/trunk-0001",
        "dstchannel": "SIP/101-0002",
        "lastapp": "Dial",
        "lastdata": "SIP/101,30",
        "start": start,
        "answer": start,
        "end": start,
        "duration": billsec,
        "billsec": billsec,
        "disposition": "ANSWERED",
        "amaflags": "DOCUMENTATION",
        "uniqueid": uniqueid,
        "userfield": userfield,
    }


def test_asterisk_master_csv_keys_calls_by_uniqueid_not_userfield(
    db: Database, tmp_path: Path
) -> None:
    master = tmp_path / "Master.csv"
    _master_csv(
        master,
        [
            _cdr("1764410400.11", "2026-11-20 10:00:00", "120", "vip"),
            _cdr("1764414000.12", "2026-11-20 11:00:00", "45", "vip"),
        ],
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        cid = parties.add_client(uow, actor, "Ромашка", phones=["+74951234567"]).id
        result = call_log.import_calls(uow, actor, master, preset="asterisk")
        uow.commit()
    assert (result.created, result.rejected) == (2, ())
    with db.reader() as uow:
        keys = uow.session.execute(
            select(CallRecord.call_key, CallRecord.duration_s).order_by(CallRecord.id)
        ).all()
    assert [tuple(k) for k in keys] == [("1764410400.11", 120), ("1764414000.12", 45)]
    assert linking.run(db, now=NOW).calls == 2
    assert len(_feed(db, "call", client_id=cid)) == 2


def test_a_card_number_with_an_extension_matches_calls_to_the_main_number(
    db: Database, tmp_path: Path
) -> None:
    log = tmp_path / "calls.csv"
    log.write_text(
        "started_at,direction,number,duration_s,result,call_id\n"
        "2026-11-20 10:00:00,in,+7 495 123-45-67,95,answered,c1\n",
        encoding="utf-8",
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        call_log.import_calls(uow, actor, log, source="office")
        cid = parties.add_client(uow, actor, "Ромашка").id
        parties.add_contact(uow, actor, "Ольга", client_id=cid, phones=["+7 495 123-45-67 доб. 12"])
        uow.commit()
    report = linking.run(db, now=NOW)
    assert report.calls == 1
    [call] = _feed(db, "call", client_id=cid)
    assert "ext. 12" in (call.text or "")
    with db.reader() as uow:
        reason = uow.session.scalar(select(CallRecord.link_reason))
    assert reason is not None
    assert reason.startswith("+74951234567;ext=12 is on contact")


def _dst_letter(subject: str) -> bytes:
    message = EmailMessage()
    message["From"] = "nyc@client.example"
    message["To"] = ALICE
    message["Subject"] = subject
    # 01:30 EST, the second 01:30 of 1 Nov 2026 in New York = 06:30Z
    message["Date"] = "Sun, 01 Nov 2026 01:30:00 -0500"
    message["Message-ID"] = f"<{subject}@client.example>"
    message.set_content("Hello")
    return message.as_bytes()


def test_a_letter_sent_in_the_repeated_dst_hour_keeps_its_instant(
    db: Database, mailbox: dict[str, Any]
) -> None:
    with db.uow() as uow:
        settings.put(uow, "default_timezone", "America/New_York")
        uow.commit()
    acc = account(db, mailbox)
    append_messages(mailbox, ALICE, "INBOX", [_dst_letter("before")])
    imap_sync.sync_account(db, acc)
    with db.uow() as uow:
        parties.add_client(uow, bootstrap.actor_for(uow), "NYC", emails=["nyc@client.example"])
        uow.commit()
    append_messages(mailbox, ALICE, "INBOX", [_dst_letter("after")])
    imap_sync.sync_account(db, acc)  # imported with its body
    linking.run(db, now=NOW)  # the header-only one linked by the job
    expected = dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)
    with db.reader() as uow:
        rows = uow.session.execute(
            select(Interaction.subject, Interaction.start_utc, Interaction.start_local)
            .join(MailMessage, MailMessage.interaction_id == Interaction.id)
            .order_by(Interaction.subject)
        ).all()
    assert [(r.subject, r.start_utc, r.start_local) for r in rows] == [
        ("after", expected, dt.datetime(2026, 11, 1, 1, 30)),
        ("before", expected, dt.datetime(2026, 11, 1, 1, 30)),
    ]
