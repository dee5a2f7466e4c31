"""``touchpoint mail …`` and ``touchpoint outbox …`` against the real rigs."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from typing import Any

import pytest

from desktop.cli import main
from tests.integration.mail_helpers import ALICE, letter
from tests.mail_fixtures import append_messages
from tests.servers import free_port


class Cli:
    def __init__(
        self, url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.url, self.capsys, self.monkeypatch = url, capsys, monkeypatch

    def run(self, *args: str, stdin: str = "") -> tuple[int, str, str]:
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        self.capsys.readouterr()
        code = main(["--db", self.url, *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str, stdin: str = "") -> Any:
        code, out, err = self.run(*args, "--json", stdin=stdin)
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(sqlite_db: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    return Cli(str(sqlite_db.engine.url), capsys, monkeypatch)


def _add_account(cli: Cli, server: dict[str, Any], smtp: Any) -> int:
    view = cli.json(
        "mail",
        "account",
        "add",
        ALICE,
        "--imap-host",
        server["host"],
        "--imap-port",
        str(server["tls_port"]),
        "--smtp-host",
        server["host"],
        "--smtp-port",
        str(smtp.port),
        "--ca-file",
        server["ca_file"],
        "--password-stdin",
        stdin=server["users"][ALICE] + "\n",
    )
    assert "password" not in json.dumps(view).lower()
    return int(view["id"])


def test_mail_sync_leaves_the_start_up_heap_out_of_full_collections(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    """`touchpoint mail sync` freezes what its start built before the sync
    begins (desktop/heap.py), so a long sync's full collections skip it."""
    from desktop import heap

    frozen: list[bool] = []

    def freeze() -> int:
        frozen.append("services.mail.imap_sync" in sys.modules)
        return 0

    cli.monkeypatch.setattr(heap, "freeze_startup_heap", freeze)
    append_messages(mailbox, ALICE, "INBOX", [letter("nobody@else.example", ALICE, "Привет")])
    _add_account(cli, mailbox, smtp)
    [result] = cli.json("mail", "sync")
    assert (result["imported"], result["unlinked"]) == (0, 1)
    assert frozen == [True]  # once, with the sync's code loaded


def test_mail_sync_reads_in_the_batches_the_app_and_run_due_use(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    """The CLI's sync is the app's: the same batch size (imap_sync.DEFAULT_BATCH),
    not a smaller one of its own."""
    from services.mail import imap_sync

    batches: list[int] = []
    real = imap_sync.sync_account

    def spy(db: Any, account_id: int, **kwargs: Any) -> Any:
        batches.append(kwargs["batch"])
        return real(db, account_id, **kwargs)

    cli.monkeypatch.setattr(imap_sync, "sync_account", spy)
    append_messages(mailbox, ALICE, "INBOX", [letter("nobody@else.example", ALICE, "Привет")])
    _add_account(cli, mailbox, smtp)
    [result] = cli.json("mail", "sync")
    assert result["unlinked"] == 1
    assert batches == [imap_sync.DEFAULT_BATCH] != [200]


def test_link_a_mailbox_sync_and_send_from_the_cli(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    client = cli.json("clients", "add", "ООО Ромашка", "--email", "ivan@romashka.ru")["id"]
    append_messages(
        mailbox,
        ALICE,
        "INBOX",
        [
            letter("ivan@romashka.ru", ALICE, "Заявка"),
            letter("nobody@else.example", ALICE, "Unrelated"),
        ],
    )
    acc = _add_account(cli, mailbox, smtp)
    assert [a["email"] for a in cli.json("mail", "account", "list")] == [ALICE]
    [result] = cli.json("mail", "sync")
    assert (result["imported"], result["unlinked"], result["skipped"]) == (1, 1, [])
    feed = cli.json("feed", "--client", str(client), "--type", "email")["items"]
    assert [i["title"] for i in feed] == ["Заявка"]
    letter_view = cli.json(
        "mail",
        "send",
        "--account",
        str(acc),
        "--to",
        "ivan@romashka.ru",
        "--subject",
        "Ответ",
        "--body",
        "Спасибо",
        "--client",
        str(client),
    )
    assert cli.json("outbox", "list")[0]["state"] == "queued"
    report = cli.json("outbox", "send-due")
    assert report["sent"] == [letter_view["id"]]
    assert len(smtp.wait_for(1)) == 1
    assert cli.json("outbox", "list", "--state", "sent")[0]["id"] == letter_view["id"]
    # The password is in the keyring only: not in the database or its WAL.
    db_file = cli.url.removeprefix("sqlite:///")
    secret = mailbox["users"][ALICE].encode()
    for suffix in ("", "-wal"):
        with contextlib.suppress(FileNotFoundError), open(db_file + suffix, "rb") as handle:
            assert secret not in handle.read()


def test_without_a_keyring_no_account_is_added(
    cli: Cli, mailbox: dict[str, Any], smtp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    code, _, err = cli.run(
        "mail",
        "account",
        "add",
        ALICE,
        "--imap-host",
        "127.0.0.1",
        "--smtp-host",
        "127.0.0.1",
        "--password-stdin",
        stdin="secret\n",
    )
    assert code == 2
    assert "No OS keyring" in err
    assert cli.json("mail", "account", "list") == []


def test_plaintext_needs_an_explicit_choice(cli: Cli) -> None:
    code, _, err = cli.run(
        "mail",
        "account",
        "add",
        ALICE,
        "--imap-host",
        "127.0.0.1",
        "--imap-security",
        "plain",
        "--smtp-host",
        "127.0.0.1",
        "--password-stdin",
        stdin="secret\n",
    )
    assert code == 2
    assert "--allow-plaintext" in err


def test_a_mailbox_check_interval_and_pause_change_and_bad_values_change_nothing(
    cli: Cli,
) -> None:
    view = cli.json(
        "mail",
        "account",
        "add",
        "bob@example.com",
        "--imap-host",
        "imap.example.com",
        "--smtp-host",
        "smtp.example.com",
        "--password-stdin",
        "--no-test",
        stdin="secret\n",
    )
    account = str(view["id"])
    changed = cli.json("mail", "account", "set", account, "--sync-minutes", "30", "--enabled", "no")
    assert changed["sync_minutes"] == 30
    assert changed["enabled"] is False
    code, _out, err = cli.run("mail", "account", "set", account, "--sync-minutes", "0")
    assert code == 2
    assert "between 1 and 1440" in err
    (listed,) = cli.json("mail", "account", "list")
    assert listed["sync_minutes"] == 30  # the refused change left it as it was
    assert listed["enabled"] is False
    code, _out, err = cli.run("mail", "account", "set", "999", "--enabled", "yes")
    assert code == 2


def _add(cli: Cli, server: dict[str, Any], *extra: str, password: str | None = None) -> Any:
    return cli.run(
        "mail",
        "account",
        "add",
        ALICE,
        "--imap-host",
        server["host"],
        "--password-stdin",
        *extra,
        stdin=(password or server["users"][ALICE]) + "\n",
    )


def _ports(server: dict[str, Any], smtp: Any, *, imap: int | None = None) -> list[str]:
    return [
        "--imap-port",
        str(imap or server["tls_port"]),
        "--smtp-host",
        server["host"],
        "--smtp-port",
        str(smtp.port),
    ]


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("untrusted certificate", "IMAP: The certificate of 127.0.0.1 is not trusted"),
        ("wrong password", "IMAP: The IMAP server rejected the login of alice@example.test"),
        ("IMAP refused", "refused the connection"),
        ("SMTP refused", "SMTP: 127.0.0.1:"),
    ],
)
def test_adding_a_mailbox_the_servers_refuse_says_why_and_adds_nothing(
    cli: Cli, mailbox: dict[str, Any], smtp: Any, case: str, reason: str
) -> None:
    ca = ["--ca-file", mailbox["ca_file"]]
    closed = free_port()
    args = {
        "untrusted certificate": _ports(mailbox, smtp),  # the rig's CA is not trusted
        "wrong password": [*_ports(mailbox, smtp), *ca],
        "IMAP refused": [*_ports(mailbox, smtp, imap=closed), *ca],
        "SMTP refused": [*_ports(mailbox, smtp), *ca, "--smtp-port", str(closed)],
    }[case]
    code, out, err = _add(
        cli, mailbox, *args, password="wrong" if case == "wrong password" else None
    )
    assert (code, out) == (2, "")
    assert reason in err
    assert err.count("\n") == 1
    assert err.strip().endswith("the account was not added")
    assert cli.json("mail", "account", "list") == []


def test_no_test_adds_a_mailbox_the_servers_would_refuse(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    code, _out, err = _add(cli, mailbox, *_ports(mailbox, smtp, imap=free_port()), "--no-test")
    assert code == 0, err
    [listed] = cli.json("mail", "account", "list")
    assert listed["last_error"] is None


def test_a_refusal_at_connect_time_is_saved_on_the_account(
    cli: Cli, mailbox: dict[str, Any], smtp: Any
) -> None:
    args = [*_ports(mailbox, smtp), "--ca-file", mailbox["ca_file"], "--no-test"]
    code, _out, err = _add(cli, mailbox, *args, password="wrong")
    assert code == 0, err
    code, _out, err = cli.run("mail", "sync")
    assert code == 2
    assert "rejected the login" in err
    [listed] = cli.json("mail", "account", "list")
    assert listed["last_error"] == "The IMAP server rejected the login of alice@example.test"
