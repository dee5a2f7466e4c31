"""IMAP import against a real Dovecot: who gets what, idempotence, failures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from services.core import bootstrap
from services.core.errors import EnvironmentFault, UntrustedCertificate, UserError
from services.core.storage import Database
from services.feed import pages as feed
from services.mail import imap_sync
from tests.integration.mail_helpers import ALICE, account, client_with_email, counts, letter
from tests.mail_fixtures import append_messages


def _feed_subjects(db: Database, client_id: int) -> list[str | None]:
    with db.reader() as uow:
        page = feed.page(
            uow,
            bootstrap.actor_for(uow),
            feed.FeedScope(client_id=client_id),
            feed.FeedFilter(types=("email",)),
            limit=100,
        )
    return [i.title for i in page.items]


def test_known_senders_become_interactions_unknown_stay_header_only(
    db: Database, mailbox: dict[str, Any]
) -> None:
    romashka = client_with_email(db, "ООО Ромашка", "Ivan@Romashka.ru")
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter("Иван <ivan@romashka.ru>", ALICE, "Счёт на оплату", msgid="a1@romashka.ru"),
            letter("spam@unknown.example", ALICE, "Buy now", msgid="s1@unknown.example"),
        ],
    )
    append_messages(
        mailbox,
        ALICE,
        "Sent",
        [
            letter(ALICE, "ivan@romashka.ru", "Re: Счёт на оплату", msgid="r1@example.test"),
        ],
    )
    append_messages(
        mailbox,
        ALICE,
        "INBOX/Projects",
        [
            letter("ivan@romashka.ru", ALICE, "In a subfolder", msgid="sub1@romashka.ru"),
        ],
    )
    acc = account(db, mailbox)
    result = imap_sync.sync_account(db, acc)
    assert (result.imported, result.unlinked, result.skipped) == (2, 1, ())
    assert sorted(_feed_subjects(db, romashka)) == ["Re: Счёт на оплату", "Счёт на оплату"]
    assert counts(db) == {"messages": 3, "locations": 3, "emails": 2, "linked": 2}
    again = imap_sync.sync_account(db, acc)
    assert (again.imported, again.unlinked, again.linked) == (0, 0, 0)
    assert counts(db) == {"messages": 3, "locations": 3, "emails": 2, "linked": 2}


def test_one_message_in_inbox_and_sent_is_one_interaction(
    db: Database, mailbox: dict[str, Any]
) -> None:
    client_with_email(db, "Acme", "bob@acme.example")
    same = letter(ALICE, "bob@acme.example", "Copy to myself", msgid="dup1@example.test", cc=ALICE)
    append_messages(mailbox, ALICE, "INBOX", [same])
    append_messages(mailbox, ALICE, "Sent", [same])
    result = imap_sync.sync_account(db, account(db, mailbox))
    assert result.imported == 1
    assert result.linked == 1
    assert counts(db)["emails"] == 1
    assert counts(db)["locations"] == 2


def test_new_mail_arrives_incrementally(db: Database, mailbox: dict[str, Any]) -> None:
    cid = client_with_email(db, "Acme", "bob@acme.example")
    acc = account(db, mailbox)
    append_messages(mailbox, ALICE, "INBOX", [letter("bob@acme.example", ALICE, "First")])
    assert imap_sync.sync_account(db, acc).imported == 1
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [letter("bob@acme.example", ALICE, "Second", when=dt.datetime(2026, 11, 3, tzinfo=dt.UTC))],
    )
    assert imap_sync.sync_account(db, acc).imported == 1
    assert _feed_subjects(db, cid) == ["Second", "First"]


def test_uidvalidity_change_remaps_without_duplicates(
    db: Database, mailbox: dict[str, Any]
) -> None:
    from tests.servers import set_uidvalidity

    client_with_email(db, "Acme", "bob@acme.example")
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter("bob@acme.example", ALICE, f"Letter {n}", msgid=f"uv{n}@acme.example")
            for n in range(5)
        ],
    )
    acc = account(db, mailbox)
    imap_sync.sync_account(db, acc)
    before = counts(db)
    set_uidvalidity(mailbox, ALICE, "INBOX", 424242)
    result = imap_sync.sync_account(db, acc)
    assert result.imported == 0
    assert counts(db) == before


def test_starttls_account_syncs(db: Database, mailbox: dict[str, Any]) -> None:
    client_with_email(db, "Acme", "bob@acme.example")
    append_messages(mailbox, ALICE, "INBOX", [letter("bob@acme.example", ALICE, "Hi")])
    assert imap_sync.sync_account(db, account(db, mailbox, security="starttls")).imported == 1


def test_an_untrusted_certificate_is_refused_and_nothing_saved(
    db: Database, mailbox: dict[str, Any]
) -> None:
    client_with_email(db, "Acme", "bob@acme.example")
    append_messages(mailbox, ALICE, "INBOX", [letter("bob@acme.example", ALICE, "Hi")])
    acc = account(db, mailbox, ca_file=mailbox["other_ca_file"])
    with pytest.raises(UntrustedCertificate, match="not trusted") as refused:
        imap_sync.sync_account(db, acc)
    assert not isinstance(refused.value, EnvironmentFault)  # not "You are offline"
    assert refused.value.code == "mail.certificate_untrusted"
    assert refused.value.params["server"] == "127.0.0.1"
    assert counts(db)["messages"] == 0


def test_wrong_password_is_a_clear_error(db: Database, mailbox: dict[str, Any]) -> None:
    acc = account(db, mailbox)
    with pytest.raises(UserError, match="rejected the login") as refused:
        imap_sync.sync_account(db, acc, password="wrong")
    assert refused.value.code == "mail.login_refused"


def test_a_cut_connection_resumes_where_it_stopped(
    db: Database, mailbox: dict[str, Any], tcp_proxy: Any
) -> None:
    client_with_email(db, "Acme", "bob@acme.example")
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter(
                "bob@acme.example",
                ALICE,
                f"Letter {n}",
                body="x" * 4000,
                msgid=f"cut{n}@acme.example",
            )
            for n in range(60)
        ],
    )
    proxy = tcp_proxy(mailbox["host"], mailbox["tls_port"])
    acc = account(db, mailbox, port=proxy.port)
    proxy.cut_after_bytes(60_000)
    with pytest.raises(EnvironmentFault, match="resumes"):
        imap_sync.sync_account(db, acc, batch=10)
    partial = counts(db)
    assert 0 < partial["emails"] < 60
    proxy.cut_after_bytes(None)
    imap_sync.sync_account(db, acc, batch=10)
    assert counts(db) == {"messages": 60, "locations": 60, "emails": 60, "linked": 60}


def test_a_stalled_server_times_out_instead_of_hanging(
    db: Database, mailbox: dict[str, Any], tcp_proxy: Any
) -> None:
    from services.mail import imap

    proxy = tcp_proxy(mailbox["host"], mailbox["tls_port"])
    acc = account(db, mailbox, port=proxy.port)
    proxy.stall(True)
    with pytest.raises(EnvironmentFault, match="did not answer in time"):
        imap_sync.sync_account(db, acc, connect=lambda a, p: imap.connect(a, p, timeout=1.0))


def test_every_corpus_message_imports_or_is_skipped_with_a_reason(
    sqlite_db: Database, mailbox: dict[str, Any]
) -> None:
    """~580 real messages from ten mail parsers' test suites, every sender known."""
    from sqlalchemy import func, select

    from models import MailLocation, MailMessage
    from services.mail import mime
    from services.parties import records as parties
    from tests.conftest import DATA

    db = sqlite_db
    files = sorted(p for p in (DATA / "mime").rglob("*") if p.is_file() and p.suffix != ".md")
    # An IMAP server refuses empty messages outright; they never reach a mailbox.
    raws = [raw for raw in (p.read_bytes() for p in files) if raw.strip()]
    senders = sorted({a.email.casefold() for raw in raws for a in mime.parse_headers(raw).from_})
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "Corpus Ltd").id
        for sender in senders:
            try:
                parties.add_contact(uow, actor, sender, client_id=client, emails=[sender])
            except UserError:
                continue  # an address our validation refuses cannot be known
        uow.commit()
    uids = append_messages(mailbox, ALICE, "INBOX", raws, chunk=50)
    result = imap_sync.sync_account(db, account(db, mailbox), batch=100)
    assert all(s.reason for s in result.skipped)
    with db.reader() as uow:
        located = uow.session.scalar(select(func.count()).select_from(MailLocation))
        messages = uow.session.scalar(select(func.count()).select_from(MailMessage))
        bodies = uow.session.scalar(
            select(func.count())
            .select_from(MailMessage)
            .where(MailMessage.interaction_id.is_not(None))
        )
    assert located == len(uids)  # nothing lost: every server message is accounted for
    new = result.imported + result.unlinked + len(result.skipped)
    assert new == messages  # one record per distinct letter
    assert new + result.linked + result.seen == located  # every copy accounted for
    assert bodies == result.imported  # repeats (linked) point at the same interaction
    assert result.imported > len(raws) * 0.6
    with db.reader() as uow:  # a letter left header-only names no known address at all
        from models import ContactPoint, MailAddress

        wrongly_unlinked = uow.session.scalar(
            select(func.count())
            .select_from(MailMessage)
            .join(MailAddress, MailAddress.message_id == MailMessage.id)
            .join(ContactPoint, ContactPoint.normalized == MailAddress.address)
            .where(MailMessage.interaction_id.is_(None), MailMessage.body_state != "skipped")
        )
    assert wrongly_unlinked == 0
    from pathlib import Path

    from services.interactions import attachments

    with db.reader() as uow:  # attachments became files on disk, listed on the card
        files = attachments.list_for(uow, bootstrap.actor_for(uow), "client", client)
    assert len(files) > 50
    assert all(Path(f.path).is_file() for f in files)
    assert any(f.mime_type == "text/calendar" for f in files)
