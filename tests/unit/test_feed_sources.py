"""Where an imported feed item comes from: the feed marks imported letters
and calls, and ``feed_sources`` finds the letter or call behind one (its
reason, its recording), unlinks it, and names the other side of letters
still waiting for a card. No Qt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import insert

from models import MailAccount, MailAddress, MailMessage
from services.core import bootstrap
from services.core.errors import ValidationError
from services.core.storage import Database
from services.feed import pages as feed
from services.feed import sources as feed_sources
from services.interactions import actions as ix
from services.linking import call_log
from services.linking import job as linking
from services.parties import records as parties

NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


def _letter(db: Database, address: str, direction: str = "in") -> int:
    with db.uow() as uow:
        acc = MailAccount(
            user_id=1,
            email="me@x.example",
            imap_host="h",
            imap_port=993,
            imap_security="tls",
            imap_user="me",
            smtp_host="h",
            smtp_port=587,
            smtp_security="starttls",
            smtp_user="me",
        )
        uow.session.add(acc)
        uow.session.flush()
        message_id = uow.session.scalar(
            insert(MailMessage)
            .values(
                account_id=acc.id,
                message_key=f"<{address}-{direction}>",
                direction=direction,
                subject="Hello",
                sent_at=NOW,
                from_addr=address if direction == "in" else "me@x.example",
                body_state="none",
                auto_reply=False,
            )
            .returning(MailMessage.id)
        )
        assert message_id is not None
        roles = [("from", address)] if direction == "in" else [("from", "me@x.example")]
        if direction == "out":
            roles += [("to", address), ("cc", "zz@x.example")]
        uow.session.execute(
            insert(MailAddress),
            [{"message_id": message_id, "role": r, "address": a} for r, a in roles],
        )
        uow.commit()
    return message_id


def test_imported_letters_and_calls_are_marked_in_the_feed_and_explain_themselves(
    sqlite_db: Database, tmp_path: Path
) -> None:
    db = sqlite_db
    message = _letter(db, "ivan@romashka.example")
    log = tmp_path / "calls.csv"
    log.write_text(
        "started_at,direction,number,duration_s,result,call_id,recording\n"
        "2026-11-02 10:00:00,in,+74951234567,60,answered,c1,/rec/c1.wav\n",
        encoding="utf-8",
    )
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        call_log.import_calls(uow, actor, log)
        cid = parties.add_client(
            uow, actor, "Romashka", emails=["ivan@romashka.example"], phones=["+74951234567"]
        ).id
        ix.create(uow, actor, ix.NewInteraction(type="call", client_id=cid, start=NOW), now=NOW)
        uow.commit()
    linking.run(db, now=NOW)
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        items = feed.page(uow, actor, feed.FeedScope(client_id=cid)).items
        by_source = {i.source: i for i in items if i.kind == "interaction"}
        assert set(by_source) == {"email", "call", None}
        assert all(i.source is None for i in items if i.kind != "interaction")
        letter = feed_sources.source_of(uow, actor, by_source["email"].id)
        call = feed_sources.source_of(uow, actor, by_source["call"].id)
        by_hand = feed_sources.source_of(uow, actor, by_source[None].id)
    assert (letter.message_id, letter.call_id, letter.recording) == (message, None, None)
    assert letter.reason is not None
    assert "ivan@romashka.example is on client" in letter.reason
    assert call.message_id is None
    assert call.call_id is not None
    assert call.recording == "/rec/c1.wav"
    assert call.reason is not None
    assert "+74951234567" in call.reason
    assert (by_hand.imported, by_hand.reason) == (False, None)

    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        assert feed_sources.unlink(uow, actor, by_source["call"].id).call_id == call.call_id
        with pytest.raises(ValidationError):
            feed_sources.unlink(uow, actor, by_source[None].id)
        uow.commit()
    assert linking.run(db, now=NOW).calls == 0  # unlinked by hand stays off


def test_counterparts_name_the_sender_in_and_the_first_recipient_out(
    sqlite_db: Database,
) -> None:
    incoming = _letter(sqlite_db, "ivan@romashka.example")
    outgoing = _letter(sqlite_db, "olga@vostok.example", direction="out")
    with sqlite_db.reader() as uow:
        found = feed_sources.counterparts(uow, [incoming, outgoing, 999])
        assert feed_sources.counterparts(uow, []) == {}
    assert found == {incoming: "ivan@romashka.example", outgoing: "olga@vostok.example"}
