"""``touchpoint points add``, ``calls import``, ``link``, ``why``, ``mail link``."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
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


def test_calls_import_then_a_number_added_to_a_card_links_them(run: Any, tmp_path: Path) -> None:
    log = tmp_path / "calls.csv"
    log.write_text(
        "started_at,direction,number,duration_s,result,call_id\n"
        "2026-11-20 10:00:00,in,8 (495) 123-45-67,95,answered,c1\n"
        "2026-11-21 11:00:00,out,+7 495 123 45 67,30,answered,c2\n",
        encoding="utf-8",
    )
    first = run("calls", "import", str(log))
    assert (first["created"], first["linked"]) == (2, 0)
    assert run("calls", "import", str(log))["already"] == 2
    client = run("clients", "add", "Ромашка")["id"]
    added = run("points", "add", "--client", str(client), "--phone", "+74951234567")
    assert added["linked"]["calls"] == 2
    items = run("feed", "--client", str(client), "--type", "call")["items"]
    assert len(items) == 2
    why = run("why", str(items[0]["id"]))
    assert "+74951234567 is on client" in why["reason"]


def test_a_letter_linked_by_hand_offers_its_address_then_pulls_history(
    db_url: str, run: Any, mailbox: dict[str, Any]
) -> None:
    from services.core.storage import open_database

    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter("new@client.example", ALICE, f"Вопрос {n}", msgid=f"q{n}@client.example")
            for n in range(3)
        ],
    )
    db = open_database(db_url)
    acc = account(db, mailbox)
    db.dispose()
    assert run("mail", "sync", "--account", str(acc))[0]["unlinked"] == 3
    letters = run("mail", "unlinked")
    client = run("clients", "add", "New client")["id"]
    linked = run("mail", "link", str(letters[0]["id"]), "--client", str(client))
    assert linked["offer_address"] == "new@client.example"
    assert linked["saved"] is False
    saved = run("mail", "link", str(letters[1]["id"]), "--client", str(client), "--save-address")
    assert saved["saved"] is True
    assert saved["linked"] == 1  # the third letter came along
    assert run("mail", "unlinked") == []
    assert len(run("feed", "--client", str(client), "--type", "email")["items"]) == 3
