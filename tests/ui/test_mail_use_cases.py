"""Letters and mailboxes: the CLI and the desktop call the same use cases
(services/mail/use_cases.py), and the status bar's outbox count follows the
change bus, whether a letter is queued, cancelled or sent by the outbox job."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop.cli import main
from desktop.jobs import LinkingRunner
from desktop.mail_driver import MailDriver
from services.core import bootstrap
from services.core.changes import Changes
from services.core.storage import Database
from services.mail import outbox
from services.mail import use_cases as mail_cases
from services.parties import contact_points
from tests.integration.mail_helpers import ALICE, account, client_with_email, letter
from tests.mail_fixtures import append_messages
from tests.ui.helpers import InlineLane, make_ctx
from tests.ui.test_mail_panel import add_account
from tests.ui.test_main_window import make_prefs
from ui.context import UiContext
from ui.mail.mail_panel import MailPanel
from ui.shell.status_bar import StatusBar
from ui.widgets.work import Work

IVAN = "ivan@romashka.ru"


@pytest.fixture
def ctx(sqlite_db: Database) -> UiContext:
    return make_ctx(sqlite_db)


@pytest.fixture
def driver(sqlite_db: Database, ctx: UiContext) -> Iterator[MailDriver]:
    mail = MailDriver(sqlite_db, ctx.actor.id, bus=ctx.bus)
    ctx.mail = mail
    yield mail
    mail.shutdown()


@pytest.fixture
def bar(qtbot: QtBot, ctx: UiContext, driver: MailDriver) -> StatusBar:
    widget = StatusBar(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _run(qtbot: QtBot, ctx: UiContext, owner: Any, use_case: Callable[..., Any]) -> Any:
    got: list[Any] = []
    Work(ctx, owner).run(use_case, got.append, got.append)
    qtbot.waitUntil(lambda: bool(got))
    assert not isinstance(got[0], BaseException), got[0]
    return got[0]


@pytest.mark.usefixtures("english")
def test_a_queued_then_cancelled_letter_counts_in_the_offline_status_bar(
    qtbot: QtBot, sqlite_db: Database, ctx: UiContext, driver: MailDriver, bar: StatusBar
) -> None:
    client_id = client_with_email(sqlite_db, "ООО Ромашка", IVAN)
    account_id = add_account(sqlite_db)
    heard: list[Changes] = []
    ctx.bus.changed.connect(heard.append)
    driver._set_online(False)
    assert bar.offline_text == "Offline"
    letter = mail_cases.Letter(
        account_id, to=[IVAN], subject="Счёт №17", body="Добрый день!", client_id=client_id
    )
    view = _run(qtbot, ctx, bar, lambda db, actor: mail_cases.send_letter(db, actor, letter))
    qtbot.waitUntil(lambda: bar.offline_text == "Offline — 1 letter waits in the outbox")
    assert heard[0].touches("outbox", [view.id])
    assert heard[0].touches_card("client", client_id)
    _run(qtbot, ctx, bar, lambda db, actor: mail_cases.cancel_letter(db, actor, view.id))
    qtbot.waitUntil(lambda: bar.offline_text == "Offline")
    assert heard[-1].touches("outbox", [view.id])
    assert heard[-1].touches_card("client", client_id)


def test_a_letter_sent_by_the_outbox_job_leaves_the_status_bar_count(
    qtbot: QtBot,
    sqlite_db: Database,
    ctx: UiContext,
    driver: MailDriver,
    bar: StatusBar,
    mailbox: dict[str, Any],
    smtp: Any,
) -> None:
    client_id = client_with_email(sqlite_db, "ООО Ромашка", IVAN)
    account_id = account(sqlite_db, mailbox, smtp=smtp)
    letter = mail_cases.Letter(
        account_id, to=[IVAN], subject="Договор", body="Подпишите", client_id=client_id
    )
    view = _run(qtbot, ctx, bar, lambda db, actor: mail_cases.send_letter(db, actor, letter))
    qtbot.waitUntil(lambda: bar._waiting == 1)
    heard: list[Changes] = []
    ctx.bus.changed.connect(heard.append)
    driver.send_due()  # what the ticker's outbox job does
    assert len(smtp.wait_for(1)) == 1
    qtbot.waitUntil(lambda: bar._waiting == 0, timeout=20_000)
    assert any(c.touches("outbox", [view.id]) for c in heard)
    assert any(c.touches_card("client", client_id) for c in heard)  # planned → done


def test_the_cli_calls_the_same_mail_use_cases(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    called: list[str] = []
    for name in ("add_account", "update_account", "remove_account", "send_letter"):
        real = getattr(mail_cases, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kw: Any) -> Any:
            called.append(_name)
            return _real(*args, **kw)

        monkeypatch.setattr(mail_cases, name, spy)
    monkeypatch.setattr(mail_cases, "cancel_letter", _spy(mail_cases.cancel_letter, called))
    client_id = client_with_email(sqlite_db, "ООО Ромашка", IVAN)
    url = sqlite_db.url

    def cli(*args: str) -> str:
        capsys.readouterr()
        code = main(["--db", url, *args, "--json"])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    monkeypatch.setattr("sys.stdin", io.StringIO("секрет\n"))
    cli("mail", "account", "add", "anna@acme.test", "--imap-host", "imap.acme.test",
        "--smtp-host", "smtp.acme.test", "--no-test")  # fmt: skip
    with sqlite_db.reader() as uow:
        from services.core import bootstrap
        from services.mail import accounts

        actor = bootstrap.actor_for(uow)
        (acc,) = accounts.list_accounts(uow, actor)
    cli("mail", "account", "set", str(acc.id), "--name", "Анна")
    cli("mail", "send", "--account", str(acc.id), "--to", IVAN, "--subject", "Счёт",
        "--body", "Добрый день", "--client", str(client_id))  # fmt: skip
    with sqlite_db.reader() as uow:
        (letter,) = outbox.list_items(uow, actor)
    assert letter.state == "queued"
    cli("outbox", "cancel", str(letter.id))
    cli("mail", "account", "remove", str(acc.id))
    assert called == [
        "add_account",
        "update_account",
        "send_letter",
        "cancel_letter",
        "remove_account",
    ]
    with sqlite_db.reader() as uow:
        assert accounts.list_accounts(uow, actor) == []
        assert [r.state for r in outbox.list_items(uow, actor)] == []


def _spy(real: Callable[..., Any], called: list[str]) -> Callable[..., Any]:
    def spy(*args: Any, **kw: Any) -> Any:
        called.append(real.__name__)
        return real(*args, **kw)

    return spy


def test_the_unlinked_list_follows_the_linking_job_through_the_bus(
    qtbot: QtBot,
    sqlite_db: Database,
    ctx: UiContext,
    driver: MailDriver,
    mailbox: dict[str, Any],
    tmp_path: Path,
) -> None:
    """No on_linking_finished wiring: the job's Changes on the bus alone take
    the letter it linked off the open unlinked list."""
    acc = account(sqlite_db, mailbox)
    append_messages(mailbox, ALICE, "INBOX", [letter(IVAN, ALICE, "Запрос цены")])
    with qtbot.waitSignal(driver.sync_finished, timeout=20_000):
        driver.sync_now(acc)
    panel = MailPanel(ctx, make_prefs(tmp_path))
    qtbot.addWidget(panel)
    panel.unlinked.refresh()
    model = panel.unlinked.model
    qtbot.waitUntil(lambda: model.loaded_once and model.rowCount() == 1, timeout=10_000)
    client_id = client_with_email(sqlite_db, "ООО Ромашка", "office@romashka.ru")
    with sqlite_db.uow() as uow:
        contact_points.add_to_card(
            uow, bootstrap.actor_for(uow), "email", IVAN, "client", client_id
        )
        uow.commit()
    runner = LinkingRunner(sqlite_db, InlineLane(), bus=ctx.bus)
    runner.run_now()
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=20_000)
