"""A database where every list a read command prints has items, built through the CLI.

``tests/integration/test_cli_json_fields.py`` checks each read command's JSON
fields against README.md; a list that comes back empty checks nothing, so
this world puts at least one item in each: the demo's clients, deals and
interactions, plus a real mailbox (Dovecot) synced by ``run-due`` with a
linked and an unlinked letter, a letter sent and one queued in the outbox,
contacts imported from a vCard, the linking job run by hand and both
exports, a PBX call log, an AI draft queued while the AI server is out of
reach, a processed mailbox with its rules turning those letters into
requests and a ticket, a scenario run, a deputy period. Two users act, and
the text is Cyrillic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from services.ai import drafts as ai_drafts
from services.ai.settings import Message
from services.core import bootstrap
from services.core.storage import open_database
from tests.integration.mail_helpers import ALICE, letter
from tests.mail_fixtures import append_messages


class Cli:
    """``touchpoint … --json`` in this process, stdin given per call."""

    def __init__(
        self, url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.url, self.capsys, self.monkeypatch = url, capsys, monkeypatch
        self.printed: list[tuple[tuple[str, ...], Any]] = []  # what the writes printed too

    def json(self, *args: str, stdin: str = "") -> Any:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        code = main(["--db", self.url, *args, "--json"])
        out, err = self.capsys.readouterr()
        assert code == 0, f"{' '.join(args)}: {err}"
        self.printed.append((args, json.loads(out)))
        return json.loads(out)


@dataclasses.dataclass(frozen=True)
class World:
    """The ids the read commands are asked about."""

    manager: str
    client: int
    contact: int
    deal: int
    lead: int
    interaction: int
    template: int
    scenario: int
    run: int
    account: int
    source: int
    request: int
    ticket: int
    tied_call: int
    letter: int
    unlinked_letter: int
    task: int
    note: int


def build(
    sqlite_template: Path,
    tmp_path: Path,
    mailbox: dict[str, Any],
    smtp: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Cli, World]:
    """The world in ``tmp_path/world.sqlite3``, and the CLI on it."""
    path = tmp_path / "world.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    cli = Cli(f"sqlite:///{path}", capsys, monkeypatch)
    demo = cli.json("demo", "--clients", "12", "--seed", "3")
    assert demo["users"] >= 1
    clients = cli.json("clients", "list")
    assert any(re.search("[а-яА-Я]", c["name"]) for c in clients), "the demo has Cyrillic names"
    card = next(
        card
        for card in (cli.json("card", "client", str(c["id"])) for c in clients)
        if card["deals"] and card["party"]["contacts"]
    )
    client, deal = card["object_id"], card["deals"][0]["id"]
    contact = card["party"]["contacts"][0]["id"]
    feed = cli.json("feed", "--client", str(client), "--all")
    interaction = next(i["id"] for i in feed["items"] if i["kind"] == "interaction")
    lead = cli.json("leads", "add", "Пётр Лидов", "--company", "ООО «Ромашка»")["id"]
    task = cli.json(
        "tasks", "add", "deal", str(deal), "Выставить счёт", "--deadline", "2026-12-03 10:00"
    )["id"]
    note = cli.json("notes", "add", "deal", str(deal), "Счёт выставлен, @root")["id"]
    cli.json("fields", "add", "client", "inn", "INN", "--ru", "ИНН")
    cli.json("clients", "edit", str(client), "--field", "inn=7701234567", "--address", "Москва")
    users = cli.json("users", "list")
    manager = next(u["login"] for u in users if u["role"] == "Manager")
    admin = next(u["login"] for u in users if u["role"] == "Administrator")
    until = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).strftime("%Y-%m-%d 10:00")
    cli.json("users", "deputy", admin, "--for", manager, "--until", until)

    template = cli.json(
        "templates", "add", "Приветствие", "--subject", "Здравствуйте",
        "--body", "Добрый день, {{ contact.first_name }}!",
    )["id"]  # fmt: skip
    scenario = cli.json("scenarios", "add", "Знакомство", "--description", "Первые шаги")["id"]
    cli.json("scenarios", "add-step", str(scenario), "--type", "call", "--subject", "Звонок")
    cli.json(
        "scenarios", "add-step", str(scenario), "--type", "email", "--delay", "2",
        "--subject", "Письмо", "--template", str(template),
    )  # fmt: skip
    run = cli.json("scenarios", "apply", str(scenario), "--client", str(client),
                   "--contact", str(contact))["id"]  # fmt: skip

    email = "ivan.petrov@romashka.example"
    cli.json("points", "add", "--contact", str(contact), "--email", email)
    cli.json("points", "add", "--contact", str(contact), "--phone", "+7 495 123-45-67")
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter(f"Иван Петров <{email}>", ALICE, "Прошу выставить счёт", "Счёт на 10 штук."),
            letter("stranger@unknown.example", ALICE, "Вопрос о доставке", "Когда привезёте?"),
        ],
    )
    account = cli.json(
        "mail", "account", "add", ALICE, "--imap-host", mailbox["host"],
        "--imap-port", str(mailbox["tls_port"]), "--smtp-host", mailbox["host"],
        "--smtp-port", str(smtp.port), "--ca-file", mailbox["ca_file"],
        "--name", "Алиса", "--password-stdin",
        stdin=mailbox["users"][ALICE] + "\n",
    )["id"]  # fmt: skip
    cli.json(
        "mail", "send", "--account", str(account), "--to", email, "--subject", "Счёт",
        "--body", "Счёт во вложении.", "--client", str(client),
    )  # fmt: skip
    # Cron's pass first: it syncs the new mailbox, runs the linking job and
    # sends the letter just queued; ``mail sync`` after it finds nothing new.
    ran = {r["job"]: r for r in cli.json("run-due")["ran"]}
    synced = ran[f"mail:{account}"]["result"]
    assert (synced["imported"], synced["unlinked"]) == (1, 1), synced
    assert ran["outbox"]["result"]["sent"], ran
    assert "linking" in ran, ran
    [synced] = cli.json("mail", "sync")
    assert synced["unlinked"] == 0, synced
    [unlinked] = cli.json("mail", "unlinked")
    cli.json(
        "mail", "send", "--account", str(account), "--to", email, "--subject", "Коммерческое",
        "--body", "Направляем предложение.", "--at", "2030-01-01 10:00", "--client", str(client),
        "--contact", str(contact),
    )  # fmt: skip
    _exchange(cli, tmp_path)  # before the requests: their leads would link the unlinked letter

    # The other number is on two leads: its call is a tie (``why`` lists the other card).
    cli.json("points", "add", "--lead", str(lead), "--phone", "+7 499 000-00-00")
    cli.json("leads", "add", "Мария Лидова", "--phone", "+7 499 000-00-00")
    log = tmp_path / "calls.csv"
    log.write_text(
        "started_at,direction,number,duration_s,result,call_id,recording\n"
        "2026-11-20 10:00:00,in,+74951234567,75,answered,c-1,rec/1.wav\n"
        "2026-11-20 11:00:00,out,+74990000000,0,no answer,c-2,\n",
        encoding="utf-8",
    )
    calls = cli.json("calls", "import", str(log), "--preset", "generic", "--source", "АТС")
    assert calls["created"] == 2, calls
    assert calls["ties"] == 1, calls
    tied = next(c for c in cli.json("calls", "list") if c["tie"])["interaction_id"]

    source = cli.json("sources", "add", "mail_account", "Заявки", "--account", str(account))["id"]
    cli.json(
        "rules", "add", str(source), "--name", "Счета", "--keywords", "счёт; доставк",
        "--assign", "user", "--user", manager, "--action", "ticket",
    )  # fmt: skip
    cli.json(
        "rules", "add", str(source), "--name", "Остальное", "--default",
        "--assign", "user", "--user", admin, "--action", "none",
    )  # fmt: skip
    polled = cli.json("inbound", "poll", str(source))
    assert polled["polled"]["stored"] == 2, polled
    [ticket] = cli.json("tickets", "list")
    request = ticket["request_id"]

    cli.json("ai", "settings", "--base-url", "http://127.0.0.1:9/v1", "--model", "llama3.1")
    ai_template = cli.json(
        "templates", "add", "Ответ ИИ", "--subject", "Re: {{ deal.title }}",
        "--body", "Напишите {{ contact.first_name }} о сроках поставки.", "--ai",
    )["id"]  # fmt: skip
    preview = cli.json(
        "ai", "draft", str(ai_template), "--client", str(client), "--contact", str(contact),
        "--deal", str(deal), "--preview",
    )  # fmt: skip
    _queue_draft(cli.url, client, contact, deal, ai_template, preview)
    letters = cli.json("mail", "letters")
    return cli, World(
        manager=manager,
        client=client,
        contact=contact,
        deal=deal,
        lead=lead,
        interaction=interaction,
        task=task,
        note=note,
        template=template,
        scenario=scenario,
        run=run,
        account=account,
        source=source,
        request=request,
        ticket=ticket["id"],
        tied_call=tied,
        letter=next(m["interaction_id"] for m in letters if m["interaction_id"]),
        unlinked_letter=unlinked["id"],
    )


def _queue_draft(
    url: str, client: int, contact: int, deal: int, template: int, preview: dict[str, Any]
) -> None:
    """What the letter's "Queue the generation" does when the AI server is out of reach."""
    db = open_database(url)
    try:
        with db.uow() as uow:
            ai_drafts.enqueue(
                uow,
                bootstrap.actor_for(uow),
                client_id=client,
                contact_id=contact,
                deal_id=deal,
                template_id=template,
                subject=preview["subject"],
                to_address="ivan.petrov@romashka.example",
                messages=[Message(m["role"], m["content"]) for m in preview["messages"]],
                now=dt.datetime.now(dt.UTC),
            )
            uow.commit()
    finally:
        db.dispose()


def _exchange(cli: Cli, tmp_path: Path) -> None:
    """Contacts in (one card refused, one with a value left out), the linking
    job by hand, and both exports out."""
    cards = tmp_path / "contacts.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ольга Смирнова\r\nORG:ООО «Ромашка»\r\n"
        "TEL:+49 1234 56788\r\nEMAIL:olga@romashka.example\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:ни имени, ни адреса\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    imported = cli.json("import", "contacts", str(cards))
    assert (imported["created"], len(imported["rejected"])) == (1, 1), imported
    assert imported["warnings"], imported
    cli.json("link")
    for what, name in (("interactions", "feed.csv"), ("calendar", "planned.ics")):
        assert cli.json("export", what, str(tmp_path / name))["rows"] > 0
