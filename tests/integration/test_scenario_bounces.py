"""A bounce stops a scenario run (SPEC F5), against the real Dovecot rig.

The usual bounce comes from MAILER-DAEMON, an address no card has, so the
import keeps it headers-only; it names the returned letter only inside its
body. The import reads the start of such a report (and of nothing else
from unknown senders) so the run's letter is recognised. The report used is
a real Postfix DSN (tests/data/mime/mailgun_flanker/.../bounce/zed.eml, see
tests/data/mime/SOURCES.md) with the returned letter's Message-ID and
recipient set to the run's."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from models import MailMessage, OutboxItem, ScenarioRunStep
from services.core.access import Actor
from services.core.storage import Database
from services.mail import auto_reply, fetch_answer, imap_sync, outbox_sending, sync_runs
from services.scenarios import runner
from services.scenarios import use_cases as scenarios
from services.scenarios.store import StepSpec
from tests.integration.mail_helpers import ALICE, account
from tests.integration.scenario_helpers import FRIDAY, make_card
from tests.mail_fixtures import append_messages

CONTACT = "ivanov@romashka.ru"
MONDAY_NOON = FRIDAY + dt.timedelta(days=3)
ZED = Path(__file__).parents[1] / "data/mime/mailgun_flanker/tests/fixtures/messages/bounce/zed.eml"
ZED_ID = b"<20090708054735.GC7578@example.com>"
ZED_RECIPIENT = b"asdfasdfasdfasdfasdfasdfewrqertrtyrthsfgdfgadfqeadvxzvz@gmail.com"
CHAIN = (
    StepSpec("email", 0, 14 * 60, "Знакомство", prompt="Высылаем каталог.", auto_send=True),
    StepSpec("email", 1, 9 * 60, "Как вам каталог?", prompt="Напоминаем.", auto_send=True),
    StepSpec("email", 2, 11 * 60, "Предложение", prompt="Предложение.", auto_send=True),
)


def _postfix_dsn(original_id: str, recipient: str = CONTACT) -> bytes:
    """The real Postfix report, returning ORIGINAL_ID sent to RECIPIENT."""
    raw = ZED.read_bytes().split(b"\n", 1)[1]  # without the mbox "From " line
    raw = raw.replace(ZED_ID, f"<{original_id}>".encode())
    raw = raw.replace(ZED_RECIPIENT, recipient.encode())
    raw = raw.replace(b"To: foo@example.com", f"To: {ALICE}".encode())
    return raw.replace(b"<20090708054739.270231E8B13@", f"<{original_id[:8]}-dsn@".encode())


def _stranger(subject: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Незнакомец <stranger@elsewhere.ru>"
    message["To"] = ALICE
    message["Subject"] = subject
    message["Date"] = format_datetime(MONDAY_NOON)
    message["Message-ID"] = f"<{abs(hash(subject))}@elsewhere.ru>"
    message.set_content("Письмо от того, кого нет в базе.")
    return message.as_bytes()


def _sync(db: Database, acc: int, at: dt.datetime) -> tuple[imap_sync.SyncResult, list[Any]]:
    """One import through the real IMAP client, with every FETCH's UIDs, items
    and largest answer noted where the import reads them (``fetch_answer.complete``,
    which reads imapclient's answers itself, for a FETCH asked now or sent ahead)."""
    fetches: list[tuple[list[int], list[bytes], int]] = []
    real = fetch_answer.complete

    def recording(client: Any, sent: Any) -> Any:
        answer = real(client, sent)
        uids, items = sent.uids, sent.items
        largest = max(
            (len(v) for d in answer.values() for v in d.values() if isinstance(v, bytes)),
            default=0,
        )
        fetches.append((list(uids), list(items), largest))
        return answer

    fetch_answer.complete = recording  # type: ignore[assignment]
    try:
        return imap_sync.sync_account(db, acc, now=at), fetches
    finally:
        fetch_answer.complete = real  # type: ignore[assignment]


def _run(db: Database, actor: Actor, mailbox: dict[str, Any], smtp: Any) -> tuple[int, int, str]:
    """A run whose first letter went out; (account, run, that letter's Message-ID)."""
    card = make_card(db, actor, email=CONTACT)
    acc = account(db, mailbox, smtp=smtp)
    chain = scenarios.add_scenario(db, actor, "Отказы", CHAIN).value.id
    run_id = scenarios.apply_scenario(
        db, actor, chain, card.client_id, card.contact_id, FRIDAY
    ).value.id
    assert len(runner.run_due(db, FRIDAY + dt.timedelta(hours=4)).queued) == 1
    outbox_sending.send_due(db, now=FRIDAY + dt.timedelta(hours=4))
    with db.reader() as uow:
        key = uow.session.scalar(
            select(OutboxItem.message_key)
            .join(ScenarioRunStep, ScenarioRunStep.outbox_id == OutboxItem.id)
            .where(ScenarioRunStep.run_id == run_id)
        )
    assert key
    return acc, run_id, key


def _state(db: Database, actor: Actor, run_id: int) -> tuple[str, str, list[str]]:
    view = scenarios.get_run(db, actor, run_id)
    return view.state, view.stop_reason, [s.state for s in view.steps]


def _report_fetches(fetches: list[Any]) -> list[Any]:
    return [f for f in fetches if sync_runs.REPORT_ITEM in f[1]]


def test_a_postfix_bounce_from_mailer_daemon_stops_the_run_and_says_why(
    db: Database, actor: Actor, mailbox: dict[str, Any], smtp: Any
) -> None:
    acc, run_id, key = _run(db, actor, mailbox, smtp)
    uids = append_messages(
        mailbox, ALICE, "INBOX", [_stranger("Вопрос о поставке"), _postfix_dsn(key)]
    )
    result, fetches = _sync(db, acc, MONDAY_NOON)
    state, reason, steps = _state(db, actor, run_id)
    assert state == "stopped"
    assert reason.startswith("bounced: 5.1.1 550-5.1.1 The email account")
    assert "does not exist" in reason  # the folded diagnostic read whole
    assert steps == ["sent", "cancelled", "cancelled"]
    # Only the report's start was read; the stranger's letter stays headers-only.
    [(asked, _items, size)] = _report_fetches(fetches)
    assert asked == uids[-1:]
    assert 0 < size <= auto_reply.MAX_DSN_BYTES
    assert not [f for f in fetches if sync_runs.BODY_ITEM in f[1]]
    assert (result.imported, result.unlinked, result.skipped) == (0, 2, ())
    with db.reader() as uow:
        rows = uow.session.execute(
            select(MailMessage.from_addr, MailMessage.interaction_id, MailMessage.body_state)
            .where(MailMessage.account_id == acc, MailMessage.direction == "in")
            .order_by(MailMessage.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("stranger@elsewhere.ru", None, "none"),
        ("mailer-daemon@example.com.com", None, "none"),
    ]
    # Syncing again reads nothing twice and changes nothing.
    again, fetches = _sync(db, acc, MONDAY_NOON + dt.timedelta(hours=1))
    assert (again.unlinked, _report_fetches(fetches)) == (0, [])
    assert _state(db, actor, run_id)[:2] == (state, reason)


def test_a_bounce_about_another_letter_to_the_contact_stops_nothing(
    db: Database, actor: Actor, mailbox: dict[str, Any], smtp: Any
) -> None:
    acc, run_id, _key = _run(db, actor, mailbox, smtp)
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            _postfix_dsn("manual-letter-1@touchpoint.local"),  # the same address, not the run's
            _postfix_dsn("someone-else@touchpoint.local", "petrov@vasilek.ru"),
        ],
    )
    result, fetches = _sync(db, acc, MONDAY_NOON)
    assert _state(db, actor, run_id) == ("active", "", ["sent", "pending", "pending"])
    assert len(_report_fetches(fetches)) == 1  # both reports, in one FETCH
    assert result.unlinked == 2


def _nested_multiparts(depth: int) -> bytes:
    head = (
        f"From: MAILER-DAEMON@mx.romashka.ru\r\nTo: {ALICE}\r\nSubject: Вложенный отчёт\r\n"
        "Message-ID: <nested@mx.romashka.ru>\r\nContent-Type: multipart/report; "
        'report-type=delivery-status; boundary="b0"\r\n\r\n'
    )
    levels = "".join(
        f'--b{i - 1}\r\nContent-Type: multipart/mixed; boundary="b{i}"\r\n\r\n'
        for i in range(1, depth)
    )
    return (head + levels).encode()


def _nested_messages(depth: int) -> bytes:
    head = (
        f"From: MAILER-DAEMON@mx.romashka.ru\r\nTo: {ALICE}\r\nSubject: Матрёшка\r\n"
        "Message-ID: <matryoshka@mx.romashka.ru>\r\nContent-Type: multipart/report; "
        'report-type=delivery-status; boundary="b"\r\n\r\n--b\r\n'
    )
    return head.encode() + b"Content-Type: message/rfc822\r\n\r\n" * depth


def test_hostile_reports_are_read_bounded_and_never_stop_the_batch(
    db: Database, actor: Actor, mailbox: dict[str, Any], smtp: Any
) -> None:
    acc, run_id, key = _run(db, actor, mailbox, smtp)
    real = _postfix_dsn(key)
    # 3 MB of the returned letter after the report: only the first part is read.
    huge = real.replace(b"If this is a real address", b"x" * 76 + b"\n", 1)
    huge = huge.replace(b"x" * 76 + b"\n", (b"x" * 76 + b"\n") * 40_000, 1)
    huge = huge.replace(f"<{key}>".encode(), b"<other-letter@touchpoint.local>")
    huge = huge.replace(b"-dsn@", b"-huge-dsn@")
    broken = (
        f"From: MAILER-DAEMON@mx.romashka.ru\r\nTo: {ALICE}\r\nSubject: Сломанный\r\n"
        "Message-ID: <broken@mx.romashka.ru>\r\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\r\n\r\n"
        "--\r\nContent-Type: message/delivery-status\r\n\r\nStatus: "
    ).encode() + b"\xff\xfe\r\n"
    hostile = [huge, _nested_multiparts(5000), _nested_messages(20_000), broken]
    uids = append_messages(mailbox, ALICE, "INBOX", [*hostile, real])
    result, fetches = _sync(db, acc, MONDAY_NOON)
    [(asked, _items, size)] = _report_fetches(fetches)
    assert asked == uids
    assert size == auto_reply.MAX_DSN_BYTES  # the huge one, cut by the server
    assert (result.unlinked, result.skipped) == (5, ())
    state, reason, steps = _state(db, actor, run_id)
    assert state == "stopped"
    assert "5.1.1" in reason
    assert steps == ["sent", "cancelled", "cancelled"]
