"""New and edit dialogs for clients, leads and contact persons, driven as a
user types: the phone normalized as typed, a control character refused, a
duplicate offered instead of a second card."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.dialogs.party_dialog import PartyDialog


def _type(edit: QLineEdit, text: str) -> None:
    """Type as a user does, one character at a time (QTest's key clicks are
    ASCII only)."""
    for char in text:
        edit.insert(char)


def _clients(db: Database, login: str) -> list[str]:
    with db.reader() as uow:
        from services.core import bootstrap

        actor = bootstrap.actor_for(uow, login)
        return [c.name for c in parties.list_clients(uow, actor)]


def test_new_client_with_a_phone_typed_without_plus(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    ctx = make_ctx(sqlite_db, login="anna")
    dialog = PartyDialog(ctx, "client")
    qtbot.addWidget(dialog)
    assert dialog.phone.placeholderText().startswith("+7 9")  # Russia's example mobile
    _type(dialog.name, "ООО «Ромашка»")
    qtbot.keyClicks(dialog.phone, "8 912 345")
    assert "Not a valid phone number" in dialog.phone_hint.text()
    qtbot.keyClicks(dialog.phone, "-67-89")
    assert dialog.phone_hint.text() == "Saved as +7 912 345-67-89"
    _type(dialog.address, "Москва, Тверская, 1")
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    view = saved.args[0]
    assert view.name == "ООО «Ромашка»"
    assert [p.normalized for p in view.points] == ["+79123456789"]
    assert view.owner_id == sqlite_team.anna.id
    assert _clients(sqlite_db, "anna") == ["ООО «Ромашка»"]
    qtbot.waitUntil(lambda: not dialog._timer.isActive())


@pytest.mark.parametrize("name", ["Ромашка\x07", "\u202eакшамоР"])
def test_a_name_with_a_control_character_is_refused_inline(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, name: str
) -> None:
    ctx = make_ctx(sqlite_db, login="anna")
    dialog = PartyDialog(ctx, "lead")
    qtbot.addWidget(dialog)
    dialog.name.setText(name)
    assert "control character" in dialog.name_hint.text()
    dialog.save()
    assert dialog.error.text() == "Check the name first"
    dialog._timer.stop()
    with sqlite_db.reader() as uow:
        from services.parties import lists

        assert lists.count_leads(uow, sqlite_team.anna) == 0


def test_a_duplicate_name_offers_the_existing_card(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    with sqlite_db.uow() as uow:
        existing = parties.add_client(uow, sqlite_team.anna, "ООО Василёк")
        uow.commit()
    ctx = make_ctx(sqlite_db, login="anna")
    dialog = PartyDialog(ctx, "client")
    qtbot.addWidget(dialog)
    dialog.show()
    _type(dialog.name, "ооо  василёк")
    qtbot.waitUntil(lambda: dialog.duplicates_box.isVisible())
    opens = [b for b in dialog.duplicates_box.findChildren(QPushButton) if b.text() == "Open"]
    assert len(opens) == 1
    with qtbot.waitSignal(dialog.open_requested) as opened:
        qtbot.mouseClick(opens[0], Qt.MouseButton.LeftButton)
    assert opened.args[:2] == ["client", existing.id]
    assert not dialog.isVisible()


def test_edit_a_contact_person(qtbot: QtBot, sqlite_db: Database, sqlite_team: Team) -> None:
    with sqlite_db.uow() as uow:
        client = parties.add_client(uow, sqlite_team.anna, "Лютик")
        person = parties.add_contact(uow, sqlite_team.anna, "Иван", client_id=client.id)
        uow.commit()
    ctx = make_ctx(sqlite_db, login="anna")
    dialog = PartyDialog(ctx, "contact", existing=person)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Иван"
    dialog.name.setText("Иван Петрович")
    _type(dialog.position, "Главный инженер")
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    assert (saved.args[0].full_name, saved.args[0].position) == (
        "Иван Петрович",
        "Главный инженер",
    )
    dialog._timer.stop()
