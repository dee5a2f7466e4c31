"""``touchpoint templates`` and ``touchpoint ai`` (#13 Interface): what an admin
scripts, against the local OpenAI-compatible server through the real client."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from desktop.cli import main
from services.ai import settings as ai_settings
from services.core.storage import Database
from tests.ai_server import FakeAIServer
from tests.conftest import Team, make_team
from tests.integration.test_templates import make_card

KEY = "sk-test-0123456789abcdef"


class Cli:
    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str], team: Team) -> None:
        self.url = db.url
        self.capsys = capsys
        self.team = team

    def run(
        self, *args: str, user: str | None = None, stdin: str | None = None
    ) -> tuple[int, str, str]:
        self.capsys.readouterr()
        argv = ["--db", self.url, "--user", user or self.team.admin.login, *args]
        if stdin is None:
            code = main(argv)
        else:
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr("sys.stdin", io.StringIO(stdin))
                code = main(argv)
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str, **kw: Any) -> Any:
        code, out, err = self.run(*args, "--json", **kw)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(sqlite_db: Database, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(sqlite_db, capsys, make_team(sqlite_db))


@pytest.fixture
def ai_server() -> Iterator[FakeAIServer]:
    with FakeAIServer() as server:
        yield server


def test_templates_add_list_show_edit_and_apply(
    cli: Cli, sqlite_db: Database, tmp_path: Path
) -> None:
    card = make_card(sqlite_db, cli.team.anna)
    added = cli.json(
        "templates",
        "add",
        "Счёт",
        "--subject",
        "Счёт для {{ client.name }}",
        "--body",
        "Здравствуйте, {{ contact.first_name }}!",
        user="anna",
    )
    assert added["name"] == "Счёт"
    assert added["author_name"] == "Анна Смирнова"
    assert [t["name"] for t in cli.json("templates", "list", user="boris")] == ["Счёт"]
    body = tmp_path / "body.txt"
    body.write_text("Добрый день, {{ contact.first_name }}!\nСчёт приложен.", encoding="utf-8")
    tid = str(added["id"])
    edited = cli.json("templates", "edit", tid, "--body-file", str(body), user="anna")
    assert edited["body"].endswith("Счёт приложен.")
    assert cli.json("templates", "show", tid)["body"] == edited["body"]
    filled = cli.json(
        "templates",
        "apply",
        tid,
        "--client",
        str(card.client_id),
        "--contact",
        str(card.contact_id),
        "--deal",
        str(card.deal_id),
        user="anna",
    )
    assert filled["subject"] == "Счёт для ООО «Ромашка»"
    assert filled["body"] == "Добрый день, Иван!\nСчёт приложен."
    # Someone else's template: Boris may use it, not change it.
    code, _, err = cli.run("templates", "edit", tid, "--name", "Моё", user="boris")
    assert code == 2
    assert "someone else's" in err
    hidden = cli.json("templates", "edit", tid, "--deactivate")  # an administrator may
    assert hidden["active"] is False
    assert cli.json("templates", "list") == []
    assert [t["id"] for t in cli.json("templates", "list", "--all")] == [added["id"]]


def test_templates_body_from_stdin(cli: Cli) -> None:
    added = cli.json(
        "templates",
        "add",
        "Из stdin",
        "--subject",
        "Тема",
        "--body-file",
        "-",
        stdin="Строка {{ client.name }}\nвторая строка\n",
    )
    assert added["body"] == "Строка {{ client.name }}\nвторая строка\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ " + "(" * 100 + "client.name" + ")" * 100 + " }}", "nests too deeply"),
        ("{% if client.name %}" * 300 + "x" + "{% endif %}" * 300, "nests too deeply"),
        ("{{ client.nmae }}", "unknown variable client.nmae (did you mean client.name?)"),
        ("{{ 'x' * 2**32 }}", "may not use arithmetic"),
    ],
)
def test_templates_check_says_what_is_wrong_and_saves_nothing(
    cli: Cli, body: str, message: str
) -> None:
    code, _, err = cli.run("templates", "check", "--subject", "Тема", "--body", body)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    code, _, err = cli.run("templates", "add", "Плохой", "--subject", "Тема", "--body", body)
    assert code == 2
    assert cli.json("templates", "list", "--all") == []


def test_templates_check_accepts_a_good_text_and_a_saved_template(cli: Cli) -> None:
    assert cli.json("templates", "check", "--subject", "Для {{ client.name }}") == {
        "ok": True,
        "ai": False,
    }
    saved = cli.json("templates", "add", "ИИ", "--subject", "Тема", "--body", "Напиши", "--ai")
    assert cli.json("templates", "check", "--id", str(saved["id"])) == {"ok": True, "ai": True}


def test_ai_settings_key_from_stdin_into_the_keyring_only(
    cli: Cli, ai_server: FakeAIServer, sqlite_db: Database
) -> None:
    shown = cli.json(
        "ai",
        "settings",
        "--base-url",
        ai_server.url,
        "--model",
        "llama3.1",
        "--timeout",
        "10",
        "--api-key-stdin",
        stdin=KEY + "\n",
    )
    assert shown["base_url"] == ai_server.url
    assert shown["model"] == "llama3.1"
    assert shown["has_key"] is True
    assert KEY not in json.dumps(shown)
    assert keyring.get_password(ai_settings.SERVICE, f"api-key {ai_server.url}") == KEY
    # The key is nowhere in the database file.
    assert KEY.encode() not in Path(sqlite_db.url.removeprefix("sqlite:///")).read_bytes()
    # Changing one thing keeps the rest, the key included.
    assert cli.json("ai", "settings", "--model", "qwen2.5")["has_key"] is True
    code, _, err = cli.run("ai", "settings", "--model", "other", user="anna")
    assert code == 2
    assert "may not do this" in err
    assert cli.json("ai", "settings", user="anna")["model"] == "qwen2.5"
    forgotten = cli.json("ai", "settings", "--forget-key")
    assert forgotten["has_key"] is False
    assert keyring.get_password(ai_settings.SERVICE, f"api-key {ai_server.url}") is None


def test_ai_settings_without_a_key_on_stdin_is_refused(cli: Cli, ai_server: FakeAIServer) -> None:
    code, _, err = cli.run(
        "ai", "settings", "--base-url", ai_server.url, "--model", "m", "--api-key-stdin", stdin=""
    )
    assert code == 2
    assert "No API key on stdin" in err
    # An HTTP header carries ASCII only: a Cyrillic key is refused, not a traceback later.
    argv = ("ai", "settings", "--base-url", ai_server.url, "--model", "m", "--api-key-stdin")
    code, _, err = cli.run(*argv, stdin="ключ-по-русски\n")
    assert code == 2
    assert "other than Latin letters" in err
    assert cli.json("ai", "settings")["base_url"] == ""


def test_ai_test_and_draft_through_the_real_client(
    cli: Cli, ai_server: FakeAIServer, sqlite_db: Database
) -> None:
    ai_server.api_key = KEY
    ai_server.models = {"llama3.1"}
    cli.json(
        "ai",
        "settings",
        "--base-url",
        ai_server.url,
        "--model",
        "llama3.1",
        "--api-key-stdin",
        stdin=KEY,
    )
    ai_server.reply = "OK"
    tested = cli.json("ai", "test", user="anna")
    assert tested["ok"] is True
    assert tested["answer"] == "OK"
    assert ai_server.received[-1].body["model"] == "llama3.1"

    card = make_card(sqlite_db, cli.team.anna)
    template = cli.json(
        "templates",
        "add",
        "Ответ ИИ",
        "--subject",
        "Re: {{ client.name }}",
        "--body",
        "Напиши вежливый ответ {{ contact.first_name }} про {{ deal.title }}",
        "--ai",
    )
    where = [
        str(template["id"]),
        "--client",
        str(card.client_id),
        "--contact",
        str(card.contact_id),
        "--deal",
        str(card.deal_id),
    ]
    sent_before = len(ai_server.received)
    preview = cli.json("ai", "draft", *where, "--preview", user="anna")
    assert len(ai_server.received) == sent_before  # nothing went out
    assert preview["body"] is None
    assert preview["sent"] is False
    user_message = preview["messages"][-1]["content"]
    assert "Напиши вежливый ответ Иван про Поставка оборудования" in user_message

    ai_server.reply = "Уважаемый Иван, высылаем счёт."
    drafted = cli.json("ai", "draft", *where, user="anna")
    assert drafted["body"] == "Уважаемый Иван, высылаем счёт."
    assert drafted["subject"] == "Re: ООО «Ромашка»"
    received = ai_server.received[-1].body
    assert [m["content"] for m in received["messages"]] == [
        m["content"] for m in drafted["messages"]
    ]
    # Boris may not draft from Anna's client.
    code, _, err = cli.run("ai", "draft", *where, user="boris")
    assert code == 2
    assert "belongs to another manager" in err


def test_ai_test_names_the_problem_when_the_server_is_down(
    cli: Cli, ai_server: FakeAIServer
) -> None:
    cli.json("ai", "settings", "--base-url", ai_server.url, "--model", "llama3.1")
    ai_server.fail_status = 503
    code, _, err = cli.run("ai", "test")
    assert code == 2
    assert "HTTP 503" in err
    assert "Traceback" not in err


def test_ai_without_settings_says_how_to_set_it_up(cli: Cli) -> None:
    code, _, err = cli.run("ai", "test")
    assert code == 2
    assert "AI drafting is not set up" in err
