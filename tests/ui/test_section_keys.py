"""Mail, the unlinked letters and the deals board by keyboard, as the agenda
(Ctrl+D, Ctrl+R) and Inbound (Ctrl+T): their actions had no keys. Each key
works where the focus is, does nothing where its button is not offered, is
named in its button's tooltip (in Russian too), and is none of the window's
own (Ctrl+K, Ctrl+N, Ctrl+Shift+N, F2, Ctrl+W, F5, Ctrl+Q, Ctrl+1…8, F9)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.mail import outbox
from services.parties import deals
from services.parties import records as parties
from tests.ui.linking_ui_helpers import add_client, add_letters, open_panel
from tests.ui.test_mail_panel import add_account
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from ui.agenda.agenda_panel import AgendaPanel
from ui.deals.board_panel import BoardPanel
from ui.dialogs.link_target import LinkTargetDialog
from ui.mail import mail_panel
from ui.mail.mail_panel import MailPanel
from ui.mail.unlinked_panel import LetterHeadersDialog

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def _active(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def _mail_panel(qtbot: QtBot, db: Database, mail: FakeMail, tmp_path: Path) -> MailPanel:
    panel = MailPanel(make_ctx(db, mail=mail), make_prefs(tmp_path))
    _active(qtbot, panel)
    return panel


def _queue(db: Database, account: int) -> None:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ромашка»").id
        outbox.queue(
            uow,
            actor,
            account,
            to=["ivan@romashka.example"],
            subject="Коммерческое предложение",
            body="Добрый день!",
            send_at=dt.datetime(2030, 5, 6, 9, 30, tzinfo=dt.UTC),
            client_id=client,
        )
        uow.commit()


def test_mailboxes_and_the_outbox_by_keyboard(
    qtbot: QtBot,
    sqlite_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = add_account(sqlite_db)
    _queue(sqlite_db, account)
    mail = FakeMail()
    panel = _mail_panel(qtbot, sqlite_db, mail, tmp_path)
    panel.refresh()
    accounts = panel.accounts
    accounts.setFocus()
    assert panel.sync_button.toolTip().endswith("(Ctrl+M)")

    qtbot.keyClick(accounts, Qt.Key.Key_M, CTRL)
    assert mail.calls == [("sync_now", account)]
    qtbot.keyClick(accounts, Qt.Key.Key_M, CTRL)  # syncing: the button is not offered
    assert mail.calls == [("sync_now", account)]
    qtbot.keyClick(accounts, Qt.Key.Key_Escape)
    assert mail.calls[-1] == ("cancel", account)
    mail.running.clear()
    mail.sync_finished.emit(account, object())

    asked: list[str] = []

    def question(_parent: Any, title: str, _text: str, _action: str) -> bool:
        asked.append(title)
        return False

    monkeypatch.setattr(mail_panel, "confirm_destructive", question)
    accounts.setFocus()
    qtbot.keyClick(accounts, Qt.Key.Key_Delete)
    assert asked == ["Remove account"]
    assert accounts.rowCount() == 1  # answered No

    qtbot.keyClick(accounts, Qt.Key.Key_Return, CTRL)
    assert mail.calls[-1] == ("send_due", None)

    panel.outbox.setFocus()
    panel.outbox.selectRow(0)
    qtbot.keyClick(panel.outbox, Qt.Key.Key_Delete)  # the outbox's Delete: do not send
    panel.refresh()
    assert panel.outbox.item(0, 3).text() == "Not sent"
    assert asked == ["Remove account"]  # not the account's Delete

    panel.show_unlinked()
    panel.unlinked.table.setFocus()
    qtbot.keyClick(panel.unlinked.table, Qt.Key.Key_I, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert panel.dialog is not None
    assert panel.dialog.isVisible()
    panel.dialog.reject()


def test_the_tooltips_name_the_keys_in_russian(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, russian: None
) -> None:
    panel = _mail_panel(qtbot, sqlite_db, FakeMail(), tmp_path)
    assert panel.sync_button.toolTip() == "Получить письма выбранного ящика сейчас (Ctrl+M)"
    assert panel.stop_button.toolTip() == "Не отправлять выбранное письмо (Del)"
    assert panel.unlinked.link_button.toolTip().endswith("(Ctrl+L)")
    assert panel.unlinked.link_button.toolTip().startswith("Привязать выбранное письмо")
    board = BoardPanel(make_ctx(sqlite_db))
    qtbot.addWidget(board)
    assert board.keys_hint.text().startswith("Enter открывает сделку")
    agenda = AgendaPanel(make_ctx(sqlite_db))
    qtbot.addWidget(agenda)
    assert agenda.reschedule_button.toolTip().startswith("Перенести выбранное")
    assert agenda.reschedule_button.toolTip().endswith("(Ctrl+R)")
    assert agenda.open_button.toolTip().endswith("(Enter)")


def test_unlinked_letters_by_keyboard(qtbot: QtBot, sqlite_db: Database) -> None:
    [message] = add_letters(sqlite_db, ["ivan@romashka.example"])
    add_client(sqlite_db, "ООО «Ромашка»")
    panel = open_panel(qtbot, make_ctx(sqlite_db))
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    table = panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_L, CTRL)  # nothing chosen: nothing offered
    assert panel.dialog is None
    assert panel.select(message)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert isinstance(panel.dialog, LetterHeadersDialog)
    panel.dialog.reject()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_L, CTRL)
    assert isinstance(panel.dialog, LinkTargetDialog)
    panel.dialog.reject()
    assert panel.refresh_button.toolTip().endswith("(F5)")


def test_the_board_by_keyboard(qtbot: QtBot, sqlite_db: Database) -> None:
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ромашка»").id
        deal = deals.add_deal(uow, actor, "Поставка бумаги", client_id=client).id
        uow.commit()
    board = BoardPanel(make_ctx(sqlite_db))
    _active(qtbot, board)
    board.refresh()
    first, second = board.columns[0], board.columns[1]
    assert [c.id for c in first.list.cards()] == [deal]
    first.list.setFocus()
    first.list.setCurrentRow(0)
    assert "Alt+" in first.list.item(0).toolTip()

    qtbot.keyClick(first.list, Qt.Key.Key_Right, ALT)
    assert _stage_of(sqlite_db, deal) == board.columns[1].stage_id
    second = board.columns[1]  # the board was read again: the deal there, the focus on it
    assert [c.id for c in second.list.cards()] == [deal]
    assert board.current_column() is second
    assert second.list.currentItem().data(Qt.ItemDataRole.UserRole) == deal

    qtbot.keyClick(second.list, Qt.Key.Key_Left)  # walk back without the deal
    assert board.current_column() is board.columns[0]
    qtbot.keyClick(board.columns[0].list, Qt.Key.Key_Right)
    assert board.current_column() is second
    qtbot.keyClick(second.list, Qt.Key.Key_Left, ALT)
    first = board.columns[0]
    assert [c.id for c in first.list.cards()] == [deal]
    assert _stage_of(sqlite_db, deal) == first.stage_id
    assert board.current_column() is first
    qtbot.keyClick(first.list, Qt.Key.Key_Left, ALT)  # no stage before the first
    assert _stage_of(sqlite_db, deal) == first.stage_id

    opened: list[Any] = []
    board.open_requested.connect(lambda *args: opened.append(args))
    first.list.setFocus()
    first.list.setCurrentRow(0)
    qtbot.keyClick(first.list, Qt.Key.Key_Return)
    assert opened == [("deal", deal, "Поставка бумаги")]


def _stage_of(db: Database, deal_id: int) -> int:
    with db.reader() as uow:
        return deals.get(uow, bootstrap.actor_for(uow), deal_id).stage_id
