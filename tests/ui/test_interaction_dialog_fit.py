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
