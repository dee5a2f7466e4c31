"""Open screens follow what changed, whoever changed it (issue 11: a letter
that just arrived showed only after F5; "Send now" left the letter as an
overdue planned item until the card was reopened)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop.jobs import LinkingRunner
from desktop.mail_driver import MailDriver
from services.core.changes import Changes
from services.core.storage import Database
from services.parties import records as parties
from tests.integration.mail_helpers import ALICE, account, client_with_email, letter
from tests.mail_fixtures import append_messages
from tests.ui.helpers import InlineLane, make_ctx
from ui.cards import CardWidget
from ui.context import UiContext

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


def _card(qtbot: QtBot, ctx: UiContext, client_id: int, tmp_path: Path) -> CardWidget:
    card = CardWidget(
        ctx,
        "client",
        client_id,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(card)
    qtbot.waitUntil(lambda: card.data is not None and card.feed.model.pages_loaded >= 1)
    return card


def _letters(card: CardWidget) -> list[tuple[str, str | None]]:
    return [(i.state, i.title) for i in card.feed.model.items() if i.type == "email"]


def test_a_letter_synced_while_the_card_is_open_appears_in_its_feed(
    qtbot: QtBot,
    sqlite_db: Database,
    ctx: UiContext,
    driver: MailDriver,
    mailbox: dict[str, Any],
    tmp_path: Path,
) -> None:
    client_id = client_with_email(sqlite_db, "ООО Ромашка", IVAN)
    acc = account(sqlite_db, mailbox)
    card = _card(qtbot, ctx, client_id, tmp_path)
    other = _card(qtbot, ctx, _other_client(sqlite_db), tmp_path)
    other_reads = ctx.reads.calls  # type: ignore[attr-defined]
    assert _letters(card) == []
    append_messages(
        mailbox, ALICE, "INBOX", [letter(f"Иван <{IVAN}>", ALICE, "Счёт на оплату №17")]
    )
    driver.sync_now(acc)  # what the schedule does; nobody touches the card
    qtbot.waitUntil(lambda: _letters(card) == [("done", "Счёт на оплату №17")], timeout=20_000)
    assert card.indicators.text_of("last_contact") != "—"
    # a card the letter is not about read nothing again
    assert _letters(other) == []
    assert ctx.reads.calls - other_reads <= 3  # type: ignore[attr-defined]


def _other_client(db: Database) -> int:
    return client_with_email(db, "АО Василёк", "office@vasilek.ru")


def test_send_now_turns_the_planned_letter_done_on_the_open_card(
    qtbot: QtBot,
    sqlite_db: Database,
    ctx: UiContext,
    driver: MailDriver,
    mailbox: dict[str, Any],
    smtp: Any,
    tmp_path: Path,
) -> None:
    client_id = client_with_email(sqlite_db, "ООО Ромашка", IVAN)
    account(sqlite_db, mailbox, smtp=smtp)
    card = _card(qtbot, ctx, client_id, tmp_path)
    card.open_url = lambda url: pytest.fail(f"opened {url}")  # type: ignore[method-assign]
    card.header.email_buttons[0].click()
    dialog = card.dialog
    qtbot.waitUntil(lambda: dialog.account.count() > 0)
    dialog.subject.setText("Договор на подпись")
    dialog.body.setPlainText("Добрый день! Договор во вложении.")
    assert dialog.now_radio.isChecked()
    dialog.send_button.click()  # queues the letter and asks the outbox to send it now
    assert len(smtp.wait_for(1)) == 1
    qtbot.waitUntil(lambda: _letters(card) == [("done", "Договор на подпись")], timeout=20_000)


def test_the_linking_job_puts_earlier_letters_on_an_open_card(
    qtbot: QtBot,
    sqlite_db: Database,
    ctx: UiContext,
    driver: MailDriver,
    mailbox: dict[str, Any],
    tmp_path: Path,
) -> None:
    """An address added elsewhere (another window, the CLI): the job links
    the letters it explains and the open card shows them."""
    acc = account(sqlite_db, mailbox)
    append_messages(mailbox, ALICE, "INBOX", [letter(IVAN, ALICE, "Запрос цены")])
    with qtbot.waitSignal(driver.sync_finished, timeout=20_000):
        driver.sync_now(acc)
    with sqlite_db.uow() as uow:
        from services.core import bootstrap

        client = parties.add_client(uow, bootstrap.actor_for(uow), "ООО Ромашка")
        uow.commit()
    card = _card(qtbot, ctx, client.id, tmp_path)
    with sqlite_db.uow() as uow:
        from services.parties import contact_points

        contact_points.add_to_card(
            uow, bootstrap.actor_for(uow), "email", IVAN, "client", client.id
        )
        uow.commit()
    runner = LinkingRunner(sqlite_db, InlineLane(), bus=ctx.bus)
    with qtbot.waitSignal(runner.linked, timeout=20_000):
        runner.run_now()
    assert _letters(card) == [("done", "Запрос цены")]


def test_a_card_ignores_changes_elsewhere(
    qtbot: QtBot, sqlite_db: Database, ctx: UiContext, tmp_path: Path
) -> None:
    client_id = client_with_email(sqlite_db, "ООО Ромашка", IVAN)
    card = _card(qtbot, ctx, client_id, tmp_path)
    assert card.data is not None
    before = ctx.reads.calls  # type: ignore[attr-defined]
    ctx.bus.post(Changes.of(created={"interaction": [999]}, cards=[("client", client_id + 1)]))
    assert ctx.reads.calls == before  # type: ignore[attr-defined]
    ctx.bus.post(Changes.of(updated={"client": [client_id]}))
    assert ctx.reads.calls > before  # type: ignore[attr-defined]


def test_a_client_added_elsewhere_shows_in_the_open_list(
    qtbot: QtBot, sqlite_db: Database, ctx: UiContext
) -> None:
    from services.parties import use_cases
    from ui.clients.list_panel import ListPanel

    client_with_email(sqlite_db, "АО Василёк", "office@vasilek.ru")
    panel = ListPanel(ctx, "client")
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.total == 1)
    added = use_cases.add_client(sqlite_db, ctx.actor, "ООО Ромашка", emails=[IVAN])
    ctx.bus.deliver(added)  # what the task runner does with a use case's result
    qtbot.waitUntil(lambda: panel.model.total == 2)
    names = {panel.model.data(panel.model.index(r, 0)) for r in range(panel.model.rowCount())}
    assert names == {"АО Василёк", "ООО Ромашка"}
