"""``touchpoint sources add telegram … --api-base``, ``sources token`` (from
stdin, proved with getMe) and ``inbound poll`` of a Telegram source, against
the local Telegram-compatible server."""

from __future__ import annotations

import io
import sys

import pytest

from services.core.storage import open_database
from tests.conftest import make_team
from tests.integration.test_cli import Cli
from tests.telegram_server import TOKEN, FakeTelegramServer


@pytest.fixture
def cli(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db_url, capsys)


def test_a_telegram_source_from_the_command_line(
    cli: Cli, db_url: str, telegram: FakeTelegramServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = open_database(db_url)
    make_team(db)
    db.dispose()
    source = cli.json("sources", "add", "telegram", "Бот продаж", "--api-base", telegram.url)["id"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("not a token\n"))
    code, _out, err = cli.run("sources", "token", str(source))
    assert code == 2
    assert "not a Telegram bot token" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    saved = cli.json("sources", "token", str(source))
    assert saved == {"source_id": source, "bot": "touchpoint_test_bot"}
    telegram.send("Добрый день! Нужен счёт")
    polled = cli.json("inbound", "poll", str(source))
    assert (polled["received"], polled["stored"]) == (1, 1)
    listed = cli.json("inbound", "list")
    assert [(r["channel"], r["body"]) for r in listed] == [("telegram", "Добрый день! Нужен счёт")]
