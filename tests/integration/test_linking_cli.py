"""#13 through the CLI only, as an admin or a check sees linking: each
numbered case, `why` as data, `mail letters`, `calls list|link|unlink`,
`points add --no-link`, feed items and the export with contact ids."""

from __future__ import annotations

import csv
import io
import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from services.core.storage import open_database
from tests.integration.mail_helpers import ALICE, account, letter
from tests.mail_fixtures import append_messages


@pytest.fixture
def run(db_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    def call(*args: str) -> Any:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        capsys.readouterr()
        code = main(["--db", db_url, *args, "--json"])
        out, err = capsys.readouterr()
        assert code == 0, err
        return json.loads(out)

    return call


@pytest.fixture
def mail(db_url: str, mailbox: dict[str, Any], run: Any) -> Any:
    """Alice's mailbox on the Dovecot rig; ``mail(*letters)`` delivers and syncs."""
    db = open_database(db_url)
    acc = account(db, mailbox)
    db.dispose()

    def deliver(*letters: bytes) -> dict[str, Any]:
        if letters:
            append_messages(mailbox, ALICE, "INBOX", list(letters))
        [result] = run("mail", "sync", "--account", str(acc))
        return dict(result)

    deliver.account = acc  # type: ignore[attr-defined]
    return deliver


def _emails(run: Any, kind: str, card: int) -> list[dict[str, Any]]:
    items = run("feed", f"--{kind}", str(card), "--type", "email", "--oldest-first")["items"]
    return list(items)


def test_cc_own_letters_idn_and_ties_through_the_cli(run: Any, mail: Any) -> None:
    acc = mail.account
    run("mail", "account", "set", str(acc), "--aliases", "alice.home@example.test")
    # 1: a Cc to a future card; 2: the user's own letter in INBOX; 3: an IDN sender
    first = mail(
        letter("x@unknown.example", ALICE, "Копия", cc="partner@client.example"),
        letter("alice.home@example.test", "partner@client.example", "Своё"),
        letter("ivan@xn--80a1acny.xn--p1ai", ALICE, "Пунікод"),
    )
    assert (first["unlinked"], first["imported"]) == (3, 0)
    unlinked = {u["subject"]: u for u in run("mail", "unlinked")}
    assert unlinked["Копия"]["cc"] == ["partner@client.example"]
    assert unlinked["Копия"]["body_state"] == "none"
    assert unlinked["Своё"]["direction"] == "out"
    letters = run("mail", "letters", "--account", str(acc), "--folder", "INBOX")
    assert {(r["folder"], r["state"]) for r in letters} == {("INBOX", "header-only")}
    assert all(r["uid"] and r["uidvalidity"] and r["message_key"] for r in letters)
    client = run("clients", "add", "ООО Партнёр", "--email", "partner@client.example")["id"]
    idn = run("clients", "add", "Почта", "--email", "ivan@почта.рф")["id"]
    assert run("link")["emails"] == 0  # adding the cards pulled their history in
    items = _emails(run, "client", client)
    assert [(i["title"], i["direction"], i["client_id"]) for i in items] == [
        ("Копия", "in", client),
        ("Своё", "out", client),
    ]
    assert [i["title"] for i in _emails(run, "client", idn)] == ["Пунікод"]
    assert {r["state"] for r in run("mail", "letters")} == {"imported"}
    again = mail()
    assert again["bodies_fetched"] == 3
    assert again["seen"] == 0
    # 4: two addresses of one client are no tie; two clients are, with the other named
    run("points", "add", "--client", str(client), "--email", "b@client.example")
    other = run("clients", "add", "Другой", "--email", "c@other.example")["id"]
    mail(
        letter(ALICE, "partner@client.example", "Двоим", cc="b@client.example"),
        letter(ALICE, "c@other.example", "Двум клиентам", cc="b@client.example"),
    )
    both = {i["title"]: i["id"] for i in _emails(run, "client", client)}
    plain = run("why", str(both["Двоим"]))
    assert (plain["tie"], plain["card_kind"], plain["card_id"], plain["rank"]) == (
        False,
        "client",
        client,
        1,
    )
    assert plain["candidates"] == []
    tied = run("why", str(both["Двум клиентам"]))
    assert (tied["tie"], tied["card_id"], tied["rule"]) == (True, client, "auto")
    assert [(c["kind"], c["id"]) for c in tied["candidates"]] == [("client", other)]
    assert "review" in tied["reason"]


def test_contacts_no_link_and_reranking_through_the_cli(
    run: Any, mail: Any, tmp_path: Path
) -> None:
    client = run("clients", "add", "ООО Ромашка")["id"]
    anna = run("contacts", "add", "Анна", "--client", str(client), "--email", "anna@r.example")
    boris = run("contacts", "add", "Борис", "--client", str(client))
    lead = run("leads", "add", "Иван (лид)", "--email", "ivan@new.example")["id"]
    # 5: one batch, each letter only in the feed of the person on it
    assert (
        mail(
            letter("anna@r.example", ALICE, "От Анны", cc="boris@r.example"),
            letter("ivan@new.example", ALICE, "От Ивана"),
        )["imported"]
        == 2
    )
    [from_anna] = _emails(run, "contact", anna["id"])
    assert from_anna["contact_ids"] == [anna["id"]]
    assert _emails(run, "contact", boris["id"]) == []
    # 6: --no-link saves only; the job then brings the earlier letter to Boris
    added = run(
        "points", "add", "--contact", str(boris["id"]), "--email", "boris@r.example", "--no-link"
    )
    assert added["linked"] is None
    assert _emails(run, "contact", boris["id"]) == []
    run("link")
    assert [i["title"] for i in _emails(run, "contact", boris["id"])] == ["От Анны"]
    assert _emails(run, "client", client)[0]["contact_ids"] == sorted((anna["id"], boris["id"]))
    # 7: the lead's address goes on a contact person of a client: the letter follows
    ivan = run("contacts", "add", "Иван", "--client", str(client))
    added = run("points", "add", "--contact", str(ivan["id"]), "--email", "ivan@new.example")
    assert (added["linked"]["emails"], added["linked"]["moved"]) == (0, 1)
    assert _emails(run, "lead", lead) == []
    [moved] = [i for i in _emails(run, "contact", ivan["id"])]
    why = run("why", str(moved["id"]))
    assert (why["card_kind"], why["card_id"], why["rank"], why["value"]) == (
        "contact",
        ivan["id"],
        0,
        "ivan@new.example",
    )
    assert [(c["kind"], c["id"]) for c in why["candidates"]] == [("lead", lead)]
    export = tmp_path / "interactions.csv"
    run("export", "interactions", str(export))
    with export.open(encoding="utf-8-sig") as handle:
        rows = {r["subject"]: r for r in csv.DictReader(handle)}
    assert rows["От Анны"]["contact_ids"] == " ".join(
        str(i) for i in sorted((anna["id"], boris["id"]))
    )


def _master_csv(path: Path, calls: list[tuple[str, str, str]]) -> None:
    """Asterisk cdr_csv layout: uniqueid at index 16, userfield at 17."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for uniqueid, start, number in calls:
            writer.writerow(
                [
                    "", number, "101", "from-trunk", f'"Клиент" <{number}>', "SIP/trunk-1",
                    "SIP/101-2", "Dial", "SIP/101", start, start, start, "65", "60",
                    "ANSWERED", "DOCUMENTATION", uniqueid, "same-userfield",
                ]
            )  # fmt: skip


def test_calls_asterisk_extensions_and_hand_links_through_the_cli(run: Any, tmp_path: Path) -> None:
    master = tmp_path / "Master.csv"
    _master_csv(
        master,
        [
            ("1764410400.1", "2026-11-20 10:00:00", "+74951234567"),
            ("1764410400.2", "2026-11-20 11:00:00", "+74951234567"),
            ("1764410400.3", "2026-11-20 12:00:00", "+74957654321"),
        ],
    )
    # 8: three uniqueids sharing a userfield are three calls
    imported = run("calls", "import", str(master), "--preset", "asterisk")
    assert (imported["created"], imported["linked"], imported["ties"]) == (3, 0, 0)
    calls = run("calls", "list", "--unlinked")
    assert [c["call_key"] for c in calls] == ["1764410400.1", "1764410400.2", "1764410400.3"]
    # 9: the card has the number with an extension; calls match its main number
    client = run("clients", "add", "Ромашка")["id"]
    olga = run("contacts", "add", "Ольга", "--client", str(client))
    added = run("points", "add", "--contact", str(olga["id"]), "--phone", "+74951234567 доб. 12")
    assert added["linked"]["calls"] == 2
    items = run("feed", "--contact", str(olga["id"]), "--type", "call")["items"]
    assert len(items) == 2
    assert all("ext. 12" in i["text"] and i["duration_min"] == 1 for i in items)
    why = run("why", str(items[0]["id"]))
    assert (why["source"], why["value"], why["card_kind"]) == (
        "call",
        "+74951234567;ext=12",
        "contact",
    )
    # by hand: the unknown number goes on the card, saved, and stays after the job
    [stray] = run("calls", "list", "--unlinked")
    linked = run("calls", "link", str(stray["id"]), "--client", str(client), "--save-number")
    assert (linked["offer_number"], linked["saved"]) == ("+74957654321", True)
    assert run("calls", "list", "--unlinked") == []
    assert run("why", str(linked["interaction_id"]))["rule"] == "manual"
    run("calls", "unlink", str(stray["id"]))
    run("link")
    [off] = run("calls", "list", "--unlinked")
    assert (off["id"], off["link_rule"]) == (stray["id"], "manual_off")


def test_a_letter_in_the_repeated_dst_hour_through_the_cli(run: Any, mail: Any) -> None:
    run("settings", "default_timezone", "America/New_York")
    nyc = run("clients", "add", "NYC", "--email", "nyc@client.example")["id"]
    message = EmailMessage()
    message["From"] = "nyc@client.example"
    message["To"] = ALICE
    message["Subject"] = "В повторный час"
    message["Date"] = "Sun, 01 Nov 2026 01:30:00 -0500"  # 06:30Z, the second 01:30
    message.set_content("Hello")
    assert mail(message.as_bytes())["imported"] == 1
    [account_row] = run("mail", "account", "list")
    [inbox] = [f for f in account_row["folders"] if f["role"] == "inbox"]
    [stored] = run("mail", "letters", "--folder", "INBOX")
    assert (inbox["name"], inbox["uidvalidity"], inbox["last_uid"]) == (
        "INBOX",
        stored["uidvalidity"],
        stored["uid"],
    )
    [item] = run("feed", "--client", str(nyc), "--type", "email")["items"]
    assert item["start"] == "2026-11-01T01:30:00-05:00"


def test_calls_link_save_number_is_the_link_call_use_case(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``calls link --save-number`` runs services.linking.use_cases.link_call,
    whose Changes name the call and the card it now sits on."""
    from services.linking import use_cases as link_cases

    master = tmp_path / "Master.csv"
    _master_csv(master, [("1764410400.9", "2026-11-20 10:00:00", "+74957654321")])
    run("calls", "import", str(master), "--preset", "asterisk")
    client = run("clients", "add", "ООО Ромашка")["id"]
    [stray] = run("calls", "list", "--unlinked")
    outcomes: list[Any] = []
    real = link_cases.link_call

    def spy(*args: Any, **kw: Any) -> Any:
        outcomes.append(real(*args, **kw))
        return outcomes[-1]

    monkeypatch.setattr(link_cases, "link_call", spy)
    linked = run("calls", "link", str(stray["id"]), "--client", str(client), "--save-number")
    assert (linked["offer_number"], linked["saved"]) == ("+74957654321", True)
    [outcome] = outcomes
    assert outcome.changes.touches("call", [stray["id"]])
    assert outcome.changes.touches_card("client", client)
    assert outcome.changes.touches("interaction", [linked["interaction_id"]])
    assert run("calls", "list", "--unlinked") == []


def test_a_letter_the_job_moves_names_both_cards_in_its_changes(
    run: Any, mail: Any, db_url: str
) -> None:
    """The lead's address goes on a client's contact person: the linking run
    moves the letter, and its Changes name the lead it left as well as the
    client it reached, so both open cards reload."""
    from services.linking import use_cases as link_cases

    lead = run("leads", "add", "Иван (лид)", "--email", "ivan@new.example")["id"]
    assert mail(letter("ivan@new.example", ALICE, "От Ивана"))["imported"] == 1
    client = run("clients", "add", "ООО Ромашка")["id"]
    ivan = run("contacts", "add", "Иван", "--client", str(client))["id"]
    run("points", "add", "--contact", str(ivan), "--email", "ivan@new.example", "--no-link")
    db = open_database(db_url)
    try:
        outcome = link_cases.run_linking(db)
    finally:
        db.dispose()
    assert outcome.value.moved == 1
    assert outcome.changes.touches_card("lead", lead)
    assert outcome.changes.touches_card("client", client)
    assert outcome.changes.touches_card("contact", ivan)
    assert _emails(run, "lead", lead) == []
