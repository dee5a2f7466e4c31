"""Creating, editing, archiving and converting from the window, as a user:
the list's New button, Ctrl+Shift+N, a card's Edit menu and F2, Archive
with Undo, and a lead converted with its feed landing on the client."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.interactions import actions as ix
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from ui.cards import CardWidget
from ui.dialogs.deal_dialog import DealDialog
from ui.dialogs.party_dialog import PartyDialog
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, tmp_path: Path) -> MainWindow:
    with sqlite_db.uow() as uow:
        parties.add_client(uow, sqlite_team.admin, "ООО Ромашка")
        uow.commit()
    win = MainWindow(make_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(win)
    win.show()
    return win


def _type(edit: object, text: str) -> None:
    for char in text:
        edit.insert(char)  # type: ignore[attr-defined]


def _card(window: MainWindow) -> CardWidget:
    card = window.workspace.currentWidget()
    assert isinstance(card, CardWidget)
    return card


def test_new_client_from_the_list_opens_its_card(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.mouseClick(window.clients.new_button, Qt.MouseButton.LeftButton)
    dialog = window.records.dialog
    assert isinstance(dialog, PartyDialog)
    assert dialog.windowTitle() == "New client"
    _type(dialog.name, "ИП Василёк")
    qtbot.keyClicks(dialog.phone, "89161234567")
    assert dialog.phone_hint.text() == "Saved as +7 916 123-45-67"
    dialog.save()
    dialog._timer.stop()
    card = _card(window)
    assert (card.kind, window.workspace.tabText(window.workspace.currentIndex())) == (
        "client",
        "ИП Василёк",
    )
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == 2)


def test_ctrl_shift_n_offers_every_kind_and_a_deal_goes_to_the_card_in_front(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Ctrl+Shift+N pops this menu up (a popup the offscreen platform cannot grab)
    kinds = [a.data() for a in window.records.kind_menu.actions()]
    assert kinds == ["client", "lead", "contact", "deal"]
    window.clients.open_row(0)
    card = _card(window)
    qtbot.waitUntil(lambda: card.data is not None)
    deal_action = window.records.kind_menu.actions()[3]
    deal_action.trigger()
    dialog = window.records.dialog
    assert isinstance(dialog, DealDialog)
    _type(dialog.title, "Поставка бумаги")
    dialog.amount.setText("150 000")
    dialog.save()
    deal_card = _card(window)
    assert deal_card.kind == "deal"
    assert window.workspace.tabText(window.workspace.currentIndex()) == "Поставка бумаги"


def test_f2_edits_the_card_in_front(qtbot: QtBot, window: MainWindow) -> None:
    window.clients.open_row(0)
    card = _card(window)
    qtbot.waitUntil(lambda: card.data is not None)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    dialog = window.records.dialog
    assert isinstance(dialog, PartyDialog)
    assert dialog.windowTitle() == "Edit client"
    assert dialog.name.text() == "ООО Ромашка"
    dialog.name.setText("ООО «Ромашка»")
    _type(dialog.address, "Москва")
    dialog.save()
    dialog._timer.stop()
    qtbot.waitUntil(lambda: card.data is not None and card.data.title == "ООО «Ромашка»")


def test_archive_from_the_card_then_undo(qtbot: QtBot, window: MainWindow) -> None:
    window.clients.open_row(0)
    card = _card(window)
    qtbot.waitUntil(lambda: card.data is not None)
    archive = next(a for a in card.header.more_menu.actions() if a.text() == "Archive")
    archive.trigger()
    assert window.undo_bar.isVisible()
    assert window.undo_bar.message.text() == "Client archived"
    window.show_section("clients")
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == 0)
    window.clients.archived.setChecked(True)
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == 1)
    window.clients.archived.setChecked(False)
    qtbot.mouseClick(window.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == 1)
    assert window.undo_bar.message.text() == "Client is back in the lists"
    window.undo_bar.dismiss()


def test_convert_a_lead_and_see_its_feed_on_the_client(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database, sqlite_team: Team
) -> None:
    with sqlite_db.uow() as uow:
        lead = parties.add_lead(uow, sqlite_team.admin, "Мария", company="ООО Лютик")
        ix.create(
            uow,
            sqlite_team.admin,
            ix.NewInteraction(type="call", lead_id=lead.id, subject="Знакомство по телефону"),
        )
        uow.commit()
    window.open_card("lead", lead.id, "Мария")
    card = _card(window)
    qtbot.waitUntil(lambda: card.data is not None)
    convert = next(a for a in card.header.more_menu.actions() if a.text() == "Convert to client…")
    convert.trigger()
    box = window.records.dialog
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    client_card = _card(window)
    assert client_card.kind == "client"
    qtbot.waitUntil(lambda: client_card.data is not None)
    assert client_card.data is not None
    assert client_card.data.title == "ООО Лютик"
    qtbot.waitUntil(
        lambda: any(
            client_card.feed.model.index(r, 0).data() == "Знакомство по телефону"
            or "Знакомство по телефону" in str(client_card.feed.model.index(r, 0).data())
            for r in range(client_card.feed.model.rowCount())
        )
    )


def test_an_empty_database_offers_a_new_client(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    win = MainWindow(make_ctx(sqlite_db, mail=FakeMail()), make_prefs(tmp_path))
    qtbot.addWidget(win)
    win.show()
    assert win.demo_offer.isVisible()
    qtbot.mouseClick(win.demo_offer.new_client_button, Qt.MouseButton.LeftButton)
    dialog = win.records.dialog
    assert isinstance(dialog, PartyDialog)
    _type(dialog.name, "Первый клиент")
    dialog.save()
    dialog._timer.stop()
    qtbot.waitUntil(lambda: win.clients.isVisible() or win.workspace.current_card() is not None)
    assert win.workspace.current_card() == ("client", 1)
    win.show_section("clients")
    qtbot.waitUntil(lambda: win.clients.model.rowCount() == 1)


def test_new_contact_from_the_contacts_list_goes_to_the_selected_persons_client(
    qtbot: QtBot, window: MainWindow, sqlite_db: Database, sqlite_team: Team
) -> None:
    with sqlite_db.uow() as uow:
        client = parties.list_clients(uow, sqlite_team.admin)[0]
        parties.add_contact(uow, sqlite_team.admin, "Анна Петрова", client_id=client.id)
        uow.commit()
    window.navigation.select("contacts")
    contacts = window.panels["contacts"]
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 1)
    contacts.table.selectRow(0)
    qtbot.mouseClick(contacts.new_button, Qt.MouseButton.LeftButton)
    dialog = window.records.dialog
    assert isinstance(dialog, PartyDialog)
    assert dialog.parent_card == ("client", client.id)
    _type(dialog.name, "Олег Сидоров")
    dialog.save()
    dialog._timer.stop()
    with sqlite_db.reader() as uow:
        card = parties.get_client(uow, sqlite_team.admin, client.id)
    assert sorted(c.full_name for c in card.contacts) == ["Анна Петрова", "Олег Сидоров"]
