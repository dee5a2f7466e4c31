"""The interaction dialog at a laptop's 1366x768, in both languages: it is
shown before its data arrives, and stayed as narrow as it opened, cutting
the zone line ("Время UTC совпадает с ваш"); the contact list's scroll bar
hid its last row when a name and position were long."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core import bootstrap, settings
from services.core.storage import Database
from services.parties import records as parties
from tests.ui.helpers import HeldLane, make_ctx
from ui.dialogs import InteractionDialog

POSITIONS = [
    "Руководитель отдела продаж и развития ключевых клиентов",
    "Главный бухгалтер",
    "Юрист",
    "Начальник отдела снабжения",
    "Технический директор",
]


def test_the_loaded_dialog_shows_its_zone_line_and_four_contacts_in_full(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        settings.put(uow, "default_timezone", "Europe/Moscow")
        client = parties.add_client(uow, actor, "ТОО «Байтерек»", timezone="Asia/Almaty")
        for n, position in enumerate(POSITIONS):
            name = f"Константинопольская Александра Вячеславовна {n}"
            parties.add_contact(uow, actor, name, client_id=client.id, position=position)
        uow.commit()
    lane = HeldLane()
    dialog = InteractionDialog(make_ctx(sqlite_db, reads=lane), client_id=client.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    lane.run_all()  # the data arrives after the dialog is on screen, as in the window
    zone = dialog.zone_label
    assert "=" in zone.text()  # "10:00 Almaty = 08:00 your time"
    qtbot.waitUntil(lambda: zone.width() >= zone.sizeHint().width(), timeout=1000)
    contacts = dialog.contacts
    assert contacts.count() == len(POSITIONS)
    four_rows = 4 * contacts.sizeHintForRow(0)
    qtbot.waitUntil(lambda: contacts.viewport().height() >= four_rows, timeout=1000)


def _dialog_with_contacts(qtbot: QtBot, db: Database, count: int) -> InteractionDialog:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ромашка»")
        for n in range(count):
            name = f"Ёлкина Александра Вячеславовна {n}"
            parties.add_contact(uow, actor, name, client_id=client.id, position=POSITIONS[0])
        uow.commit()
    dialog = InteractionDialog(make_ctx(db), client_id=client.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_contact_list_shows_six_rows_elided_and_grows_with_the_dialog(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    dialog = _dialog_with_contacts(qtbot, sqlite_db, 9)
    contacts = dialog.contacts
    row = contacts.sizeHintForRow(0)
    qtbot.waitUntil(lambda: contacts.viewport().height() >= 6 * row, timeout=1000)
    assert not contacts.horizontalScrollBar().isVisible()  # elided, not scrolled sideways
    item = contacts.item(0)
    assert item.toolTip() == item.text()
    assert "Руководитель отдела продаж" in item.toolTip()
    before = contacts.height()
    dialog.resize(dialog.width(), dialog.height() + 200)
    qtbot.waitUntil(lambda: contacts.height() >= before + 50, timeout=1000)


def test_an_empty_contact_list_says_what_to_do(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    dialog = _dialog_with_contacts(qtbot, sqlite_db, 0)
    qtbot.waitUntil(dialog.no_contacts.isVisible, timeout=1000)
    assert not dialog.contacts.isVisible()
    assert "«Контактные лица»" in dialog.no_contacts.text()
    assert "отметьте" in dialog.no_contacts.text()
