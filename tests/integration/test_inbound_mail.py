"""A processed mailbox on the real Dovecot: every letter becomes one request,
exactly once, also when the poll is SIGKILLed at random moments (issue #18)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from models import Deal, InboundRequest, Lead
from services.core.storage import Database
from services.inbound import setup, use_cases
from services.inbound.setup import RuleInput
from services.jobs import runs
from services.jobs.registry import Scope
from tests.conftest import Team
from tests.integration import mail_helpers
from tests.integration.mail_helpers import ALICE, letter
from tests.mail_fixtures import append_messages

pytestmark = pytest.mark.usefixtures("mailbox")
ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "inbound_crash_runner.py"
T = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _mail_source(db: Database, team: Team, mailbox: dict[str, Any], name: str = "info@") -> int:
    account = mail_helpers.account(db, mailbox)
    return setup.add_source(db, team.admin, "mail_account", name, mail_account_id=account).value.id


def _requests(db: Database, source_id: int) -> list[InboundRequest]:
    with db.reader() as uow:
        rows = list(
            uow.session.scalars(
                select(InboundRequest)
                .where(InboundRequest.source_id == source_id)
                .order_by(InboundRequest.id)
            )
        )
        for row in rows:
            uow.session.expunge(row)
        return rows


def _count(db: Database, model: type) -> int:
    with db.reader() as uow:
        return uow.session.scalar(select(func.count()).select_from(model)) or 0


def _auto_reply() -> bytes:
    message = EmailMessage()
    message["From"] = "robot@shop.example"
    message["To"] = ALICE
    message["Subject"] = "Автоответ: я в отпуске"
    message["Auto-Submitted"] = "auto-replied"
    message["Message-ID"] = "<auto-1@shop.example>"
    message.set_content("Вернусь 1 декабря.")
    return message.as_bytes()


def _list_mail() -> bytes:
    raw = letter("news@list.example", ALICE, "Рассылка: новинки", "Скидки!", msgid="list-1@x")
    return b"List-Id: <news.list.example>\r\n" + raw


def test_letters_become_requests_exactly_once_and_machines_create_nothing(
    db: Database, team: Team, mailbox: dict[str, Any]
) -> None:
    known = use_cases_client(db, team)
    src = _mail_source(db, team, mailbox)
    setup.add_rule(
        db, team.admin, src,
        RuleInput(name="Все — сделки", is_default=True, assign_mode="user",
                  user_id=team.anna.id, action="deal"),
    )  # fmt: skip
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter("Пётр Иванов <petr@new.example>", ALICE, "Нужен счёт", "На 10 шт.", msgid="a@1"),
            letter("zakaz@romashka.example", ALICE, "Ещё заказ", "Как обычно", msgid="a@2"),
            letter("anon@form.example", ALICE, "Заявка с сайта", "Без Message-ID"),
            _auto_reply(),
            _list_mail(),
        ],
    )
    outcome = use_cases.poll_source(db, src, now=T)
    first = outcome.value
    assert (first.polled.stored, first.polled.seen) == (5, 0)
    assert outcome.changes.created["inbound_request"] == frozenset(first.polled.request_ids)
    assert len(first.polled.request_ids) == 5
    again = use_cases.poll_source(db, src, now=T).value
    assert again.polled.stored == 0
    rows = {r.subject: r for r in _requests(db, src)}
    assert len(rows) == 5
    assert rows["Автоответ: я в отпуске"].mark == "auto_reply"
    assert rows["Рассылка: новинки"].mark == "list"
    for machine in ("Автоответ: я в отпуске", "Рассылка: новинки"):
        assert rows[machine].lead_id is None
        assert rows[machine].deal_id is None
    new = rows["Нужен счёт"]
    assert (new.sender_name, new.sender_email) == ("Пётр Иванов", "petr@new.example")
    assert new.created_lead
    assert new.outcome == "deal_created"
    assert rows["Ещё заказ"].client_id == known
    assert rows["Ещё заказ"].owner_id == team.boris.id  # the client's owner
    assert _count(db, Lead) == 2  # Пётр and the form's anonymous sender
    assert _count(db, Deal) == 3
    original = use_cases.original(db, team.admin, new.id)
    assert b"Message-ID: <a@1>" in original.data
    assert original.content_type == "message/rfc822"
    # Later mail: only the new letters.
    append_messages(mailbox, ALICE, "INBOX", [letter("x@y.example", ALICE, "Ещё", msgid="a@3")])
    assert use_cases.poll_source(db, src, now=T).value.polled.stored == 1
    assert len(_requests(db, src)) == 6


def test_a_web_form_letter_is_the_visitors_request(
    db: Database, team: Team, mailbox: dict[str, Any]
) -> None:
    account = mail_helpers.account(db, mailbox)
    src = setup.add_source(
        db, team.admin, "web_form", "Форма на сайте", mail_account_id=account,
        field_mapping={"message": "Комментарий к заказу"},
    ).value.id  # fmt: skip
    setup.add_rule(
        db, team.admin, src,
        RuleInput(name="Заявки", is_default=True, assign_mode="user", user_id=team.anna.id,
                  action="deal"),
    )  # fmt: skip
    form = (
        "Имя: Мария Соколова\nТелефон: 8 (912) 345-67-89\nE-mail: Maria@Client.example\n"
        "Комментарий к заказу: Нужна консультация по доставке\n"
    )
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [letter("noreply@site.example", ALICE, "Новая заявка с сайта", form, msgid="f@1")],
    )
    use_cases.poll_source(db, src, now=T)
    (got,) = _requests(db, src)
    assert got.channel == "web_form"
    assert (got.sender_name, got.sender_email) == ("Мария Соколова", "maria@client.example")
    assert got.sender_phone == "+79123456789"
    assert got.body == "Нужна консультация по доставке"
    with db.reader() as uow:
        lead = uow.session.get(Lead, got.lead_id)
        assert lead is not None
        assert lead.name == "Мария Соколова"


def _html_form_letter() -> bytes:
    """As a site builder's form mailer sends it: HTML only (no text part),
    base64, the fields in a table of label and value cells without colons
    (its flattened text rendering names no field)."""
    rows = (
        ("Имя", "Ёлкина Дарья"),
        ("Телефон", "+7 (903) 111-22-33"),
        ("E-mail", "<a href='mailto:darya@client.example'>Darya@Client.example</a>"),
        ("Комментарий к заказу", "Хочу&nbsp;рассчитать доставку<br>в Казань"),
        ("Страница", "https://site.example/dostavka"),
    )
    cells = "".join(
        f"<tr><td style='color:#555'><b>{label}</b></td><td>{value}</td></tr>"
        for label, value in rows
    )
    html = (
        "<!DOCTYPE html><html><head><style>td{padding:4px}</style></head><body>"
        "<h2>Новая заявка с сайта</h2><table border='0' cellpadding='4'>"
        f"{cells}</table><p>Request ID: 4411789:123</p></body></html>"
    )
    message = EmailMessage()
    message["From"] = "Tilda <robot@forms.site.example>"
    message["To"] = ALICE
    message["Subject"] = "Новая заявка: Заказать доставку"
    message["Message-ID"] = "<form-html-1@forms.site.example>"
    message.set_content(html, subtype="html", cte="base64")
    return message.as_bytes()


def test_an_html_only_form_letter_is_read_from_its_table(
    db: Database, team: Team, mailbox: dict[str, Any]
) -> None:
    account = mail_helpers.account(db, mailbox)
    src = setup.add_source(
        db, team.admin, "web_form", "Форма Tilda", mail_account_id=account,
        field_mapping={"message": "Комментарий к заказу"},
    ).value.id  # fmt: skip
    setup.add_rule(
        db, team.admin, src,
        RuleInput(name="Заявки", is_default=True, assign_mode="user", user_id=team.anna.id,
                  action="deal"),
    )  # fmt: skip
    append_messages(mailbox, ALICE, "INBOX", [_html_form_letter()])
    use_cases.poll_source(db, src, now=T)
    (got,) = _requests(db, src)
    assert (got.sender_name, got.sender_email) == ("Ёлкина Дарья", "darya@client.example")
    assert got.sender_phone == "+79031112233"
    assert got.body == "Хочу рассчитать доставку\nв Казань"
    assert got.subject == "Новая заявка: Заказать доставку"
    with db.reader() as uow:
        lead = uow.session.get(Lead, got.lead_id)
        assert lead is not None
        assert lead.name == "Ёлкина Дарья"


def use_cases_client(db: Database, team: Team) -> int:
    from services.parties import use_cases as parties

    return parties.add_client(
        db, team.boris, "ООО Ромашка", emails=["zakaz@romashka.example"]
    ).value.id


def test_run_due_polls_the_processed_mailbox(
    db: Database, team: Team, mailbox: dict[str, Any]
) -> None:
    src = _mail_source(db, team, mailbox)
    append_messages(mailbox, ALICE, "INBOX", [letter("a@b.example", ALICE, "Привет", msgid="r@1")])
    done = runs.run_due(db, Scope(), now=T)
    inbound = [r for r in done if r.kind == "inbound"]
    assert [(r.key, r.ok) for r in inbound] == [(f"inbound:{src}", True)]
    assert inbound[0].summary == "1 new requests, 1 processed"
    # What the desktop's scheduler posts on the change bus after the run.
    told = inbound[0].result.changes()
    assert told.touches("inbound_request")
    assert told.touches("inbound_source", [src])
    assert len(_requests(db, src)) == 1
    assert not [r for r in runs.run_due(db, Scope(), now=T) if r.kind == "inbound"]  # not due


# --- SIGKILL mid-poll ----------------------------------------------------------

LETTERS = 24


def _fill(mailbox: dict[str, Any]) -> None:
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter(f"c{i}@kill.example", ALICE, f"Заявка №{i}", f"Текст {i}", msgid=f"k{i}@kill")
            if i % 4
            else letter(f"c{i}@kill.example", ALICE, f"Заявка №{i}", f"Без id {i}")
            for i in range(LETTERS)
        ],
    )


def _spawn(db_url: str, source: int, password: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, str(RUNNER), "--db", db_url, "--source", str(source),
         "--password", password, "--batch", "2", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip


def _kill_trials(
    db: Database, team: Team, mailbox: dict[str, Any], db_url: str, trials: int, *flags: str
) -> list[tuple[int, int]]:
    """Per trial (a fresh source on the same mailbox): a poll SIGKILLed at a
    random moment by the runner, then a normal poll here to the end.
    (requests stored, distinct keys) per trial."""
    account = mail_helpers.account(db, mailbox)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(
        [sys.executable, str(RUNNER), "--db", db_url, "--account", str(account),
         "--password", mailbox["password"], "--trials", str(trials), "--seed", "18",
         "--batches", str(LETTERS // 2), *flags],
        capture_output=True, env=env, timeout=280, check=True,
    )  # fmt: skip
    sources = [
        int(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith(b"trial")
    ]
    assert len(sources) == trials
    out = []
    for src in sources:
        use_cases.poll_source(db, src, now=T, password=mailbox["password"])
        rows = _requests(db, src)
        out.append((len(rows), len({r.source_key for r in rows})))
    return out


def test_a_poll_killed_at_random_moments_loses_and_doubles_nothing(
    db: Database, db_url: str, team: Team, mailbox: dict[str, Any]
) -> None:
    _fill(mailbox)
    results = _kill_trials(db, team, mailbox, db_url, 20)
    assert results == [(LETTERS, LETTERS)] * 20


def test_the_harness_catches_a_cursor_committed_before_its_requests(
    db: Database, db_url: str, team: Team, mailbox: dict[str, Any]
) -> None:
    """The broken design loses letters under the same kills, provably."""
    _fill(mailbox)
    account = mail_helpers.account(db, mailbox)
    src = setup.add_source(db, team.admin, "mail_account", "broken", mail_account_id=account)
    child = _spawn(
        db_url, src.value.id, mailbox["password"], "--broken", "--crash-after-batches", "3"
    )
    child.communicate(timeout=120)
    assert child.returncode == 137
    use_cases.poll_source(db, src.value.id, now=T, password=mailbox["password"])
    assert len(_requests(db, src.value.id)) == LETTERS - 2  # the third batch is lost
    random_kills = _kill_trials(db, team, mailbox, db_url, 6, "--broken")
    assert any(stored < LETTERS for stored, _ in random_kills)


def test_a_letter_over_the_size_bound_keeps_its_headers_and_a_cut_original(
    db: Database, team: Team, mailbox: dict[str, Any]
) -> None:
    src = _mail_source(db, team, mailbox)
    big = EmailMessage()
    big["From"] = "Склад <sklad@big.example>"
    big["To"] = ALICE
    big["Subject"] = "Прайс на 2027 год"
    big["Message-ID"] = "<big@1>"
    big.set_content("Прайс во вложении")
    big.add_attachment(os.urandom(6 * 1024 * 1024), maintype="application", subtype="zip")
    append_messages(mailbox, ALICE, "INBOX", [big.as_bytes()])
    use_cases.poll_source(db, src, now=T)
    (got,) = _requests(db, src)
    assert (got.subject, got.sender_email) == ("Прайс на 2027 год", "sklad@big.example")
    assert "only its headers were read" in got.body
    original = use_cases.original(db, team.admin, got.id)
    assert original.truncated
    assert original.size > len(original.data) == 5 * 1024 * 1024


def test_hostile_letters_each_become_a_request_and_stop_nothing(
    db: Database, team: Team, mailbox: dict[str, Any]
) -> None:
    from tests.hostile_mail import HOSTILE

    src = _mail_source(db, team, mailbox)
    setup.add_rule(
        db, team.admin, src,
        RuleInput(name="Все", is_default=True, assign_mode="user", user_id=team.anna.id,
                  action="ticket"),
    )  # fmt: skip
    letters = [build() for build in HOSTILE.values()]
    letters.append(letter("Ольга <olga@ok.example>", ALICE, "Обычное письмо", msgid="ok@1"))
    append_messages(mailbox, ALICE, "INBOX", letters, chunk=1)
    done = use_cases.poll_source(db, src, now=T).value
    assert done.polled.stored == len(letters)
    assert done.processed.failed == ()
    rows = _requests(db, src)
    assert len(rows) == len(letters)
    normal = next(r for r in rows if r.subject == "Обычное письмо")
    assert normal.outcome == "ticket_created"
    for row in rows:
        assert "\0" not in row.subject + row.body + row.sender_name
        assert len(row.subject) <= 1000
