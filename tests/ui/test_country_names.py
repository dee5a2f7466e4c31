"""Countries are named in the window's language wherever one is chosen:
Settings → phone region and Settings → working calendar, in Russian order
(Ё with Е, Cyrillic before the few names phonenumbers has only in English)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.clients.list_panel import ListPanel
from ui.dialogs.party_dialog import PartyDialog
from ui.settings import calendar_page
from ui.settings.settings_panel import SettingsPanel, regions
from ui.widgets import country_names


def _texts(pairs: list[tuple[str, str]]) -> dict[str, str]:
    return dict(pairs)


def test_the_russian_window_names_countries_in_russian(russian: None) -> None:
    shown = _texts(regions())
    assert shown["RU"] == "Россия (RU)"
    assert shown["DE"] == "Германия (DE)"
    assert shown["BY"] == "Беларусь (BY)"  # "*be": a reference to another language's name
    assert shown["KZ"].startswith("Казахстан")
    holidays = _texts(calendar_page.countries())
    assert holidays["RU"] == "Россия (RU)"
    assert holidays["UK"] == "Великобритания (UK)"  # holidays' alias of GB, its common name
    assert shown["US"] == "США (US)"


def test_the_english_window_keeps_english_names(english: None) -> None:
    shown = _texts(regions())
    assert shown["RU"] == "Russia (RU)"
    assert shown["DE"] == "Germany (DE)"


def test_russian_order_puts_yo_with_ye_and_cyrillic_first(russian: None) -> None:
    names = [label for _code, label in regions()]
    assert names.index("Йемен (YE)") > names.index("Испания (ES)")
    first_latin = next(i for i, name in enumerate(names) if "a" <= name[0].casefold() <= "z")
    assert all(not ("a" <= n[0].casefold() <= "z") for n in names[:first_latin])
    words = ["Ёлкино", "Ежово", "Жуково", "Евлашево"]
    assert sorted(words, key=country_names.sort_key) == ["Евлашево", "Ежово", "Ёлкино", "Жуково"]
    # a name phonenumbers has only in English falls back to it, never to the code
    assert country_names.country_name("AX", "ru") == "Åland Islands"
    assert country_names.country_name("XK", "ru") == "Kosovo"  # Qt's name: not in phonenumbers


def test_the_settings_combos_show_the_russian_names(
    qtbot: QtBot, sqlite_db: Database, russian: None
) -> None:
    panel = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.region.setCurrentIndex(panel.region.findData("RU"))
    assert panel.region.currentText() == "Россия (RU)"
    panel.show()
    panel.tabs.setCurrentWidget(panel.calendar_page)
    page = panel.calendar_page
    qtbot.waitUntil(lambda: page.loaded)
    assert page.country.itemText(0) == "Как регион телефонов (Россия)"
    assert page.country.itemText(page.country.findData("DE")) == "Германия (DE)"


@pytest.mark.parametrize("kind", ["client", "lead"])
def test_the_lists_name_a_regions_country_in_the_windows_language(
    qtbot: QtBot, sqlite_db: Database, language: str, kind: str
) -> None:
    """The region column said "DE"; it names the country, its code in the
    tooltip, and clicking its header does not sort the names by their codes
    (fails on the old code: the cells held the codes)."""
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        add = parties.add_client if kind == "client" else parties.add_lead
        add(uow, actor, "Alpen Handel GmbH", region="DE")
        add(uow, actor, "ООО «Ромашка»", region="RU")
        add(uow, actor, "Ёжиков и партнёры", region="AT")
        uow.commit()
    panel = ListPanel(make_ctx(sqlite_db), kind)
    qtbot.addWidget(panel)
    panel.show()
    model = panel.model
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    header = "Регион" if language == "ru" else "Region"
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == header
    )

    def cells(role: Qt.ItemDataRole) -> dict[str, str]:
        return {model.index(r, 0).data(): model.index(r, column).data(role) for r in range(3)}

    if language == "ru":
        shown = {"Alpen Handel GmbH": "Германия", "ООО «Ромашка»": "Россия"}
        shown["Ёжиков и партнёры"] = "Австрия"
    else:
        shown = {"Alpen Handel GmbH": "Germany", "ООО «Ромашка»": "Russia"}
        shown["Ёжиков и партнёры"] = "Austria"
    assert cells(Qt.ItemDataRole.DisplayRole) == shown
    codes = {"Alpen Handel GmbH": "DE", "ООО «Ромашка»": "RU", "Ёжиков и партнёры": "AT"}
    assert cells(Qt.ItemDataRole.ToolTipRole) == {
        name: f"{shown[name]} ({code})" for name, code in codes.items()
    }
    names = [model.index(r, 0).data() for r in range(3)]
    assert not model.is_sortable(column)
    model.sort(column, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == names
    assert model.query.sort == "name"


def test_the_card_dialog_names_the_typed_region(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, russian: None
) -> None:
    """The region is typed as a code ("DE"); the dialog says which country it is."""
    dialog = PartyDialog(make_ctx(sqlite_db, login="anna"), "client")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.region_name.text() == "по умолчанию: Россия")
    dialog.region.setText("de")
    assert dialog.region_name.text() == "Германия"
    dialog.region.setText("Q")
    assert dialog.region_name.text() == ""
    dialog.region.setText("QQ")  # no such country: nothing named
    assert dialog.region_name.text() == ""
