"""The card's fields section: an administrator adds a custom field in
Settings, a manager edits it and the owner in place on the card, and the
change history shows old → new with readable names."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from services.core import history
from services.core.storage import Database
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget
from ui.settings.settings_panel import SettingsPanel


def test_a_custom_field_added_in_settings_is_edited_on_the_card_and_in_the_history(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    panel = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.tabs.setCurrentWidget(panel.fields_page)
    panel.fields_page.add_field("client", "tier", "Tier", "list", "Уровень", ("Золото", "Серебро"))
    panel.fields_page.add_field("client", "inn", "Tax ID", "text", "ИНН")
    with sqlite_db.uow(sqlite_team.anna.id) as uow:
        client = parties.add_client(uow, sqlite_team.anna, "ООО «Поля»")
        uow.commit()

    store = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    ctx = make_ctx(sqlite_db, login="anna")
    card = CardWidget(ctx, "client", client.id, settings=store)
    qtbot.addWidget(card)
    card.resize(1366, 768)
    card.show()
    section = card.fields
    assert list(section.editors) == ["owner", "address", "custom.tier", "custom.inn"]

    tier = section.editors["custom.tier"]
    tier.setCurrentIndex(tier.findData("Золото"))  # type: ignore[attr-defined]
    tier.activated.emit(tier.currentIndex())  # type: ignore[attr-defined]
    inn = section.editors["custom.inn"]
    inn.setText("7701234567")  # type: ignore[attr-defined]
    inn.editingFinished.emit()  # type: ignore[attr-defined]
    owner = section.editors["owner"]
    owner.setCurrentIndex(owner.findText("Борис Петров"))  # type: ignore[attr-defined]
    owner.activated.emit(owner.currentIndex())  # type: ignore[attr-defined]
    assert not ctx.errors  # type: ignore[attr-defined]

    with sqlite_db.reader() as uow:
        changes = {
            e.field: (e.old, e.new, e.user)
            for e in history.history(uow, sqlite_team.boris, "client", client.id)
        }
    assert changes["custom.tier"] == (None, "Золото", "Анна Смирнова")
    assert changes["custom.inn"] == (None, "7701234567", "Анна Смирнова")
    assert changes["owner"] == ("Анна Смирнова", "Борис Петров", "Анна Смирнова")

    # the card's History tab says the same, with names rather than ids (Boris
    # owns the card now; Anna no longer sees it)
    seen = CardWidget(make_ctx(sqlite_db, login="boris"), "client", client.id, settings=store)
    qtbot.addWidget(seen)
    seen.tabs.setCurrentWidget(seen.history_box)
    assert seen.history is not None
    texts = {i.title: i.text for i in seen.history.model.items()}
    assert texts["client.owner_id"] == "Анна Смирнова → Борис Петров"
    assert texts["client.custom.tier"] == " → Золото"

    # the choice of fields is remembered per user and card kind
    chooser = CardWidget(make_ctx(sqlite_db), "client", client.id, settings=store)
    qtbot.addWidget(chooser)
    chooser.fields.set_chosen(["custom.inn"])
    assert list(chooser.fields.editors) == ["custom.inn"]
    from ui.shell.preferences import Preferences

    assert Preferences(store).card_fields("client", sqlite_team.anna.id) is None  # her own
    again = CardWidget(make_ctx(sqlite_db), "client", client.id, settings=store)
    qtbot.addWidget(again)
    assert list(again.fields.editors) == ["custom.inn"]
    assert again.fields.editors["custom.inn"].text() == "7701234567"  # type: ignore[attr-defined]
    assert "Tax ID: 7701234567" in again.header.custom.text()  # the label, not the code
    assert [a.isChecked() for a in again.fields.menu.actions()] == [False, False, False, True]


def test_a_bad_value_is_refused_and_the_stored_one_shown_again(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    from services.parties import custom_fields

    custom_fields.add_field(sqlite_db, sqlite_team.admin, "client", "since", "Since", "date")
    with sqlite_db.uow(sqlite_team.admin.id) as uow:
        client = parties.add_client(uow, sqlite_team.admin, "ООО «Даты»")
        uow.commit()
    ctx = make_ctx(sqlite_db)
    card = CardWidget(
        ctx,
        "client",
        client.id,
        settings=QSettings(str(tmp_path / "u.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(card)
    edit = card.fields.editors["custom.since"]
    edit.setText("вчера")  # type: ignore[attr-defined]
    edit.editingFinished.emit()  # type: ignore[attr-defined]
    assert "not a valid date" in str(ctx.errors[-1])  # type: ignore[attr-defined]
    assert card.fields.editors["custom.since"].text() == ""  # type: ignore[attr-defined]
