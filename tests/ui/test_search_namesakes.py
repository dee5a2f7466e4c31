"""Ctrl+K with two clients named «Ромашка»: each row says what a user knows
it by (city, tax id, owner), elided, in full in the tooltip; a manager sees
only their own card's details."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from services.feed.search_known import known_by
from services.parties import custom_fields
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.search.search_popup import SearchPopup


def _two_romashkas(db: Database, team: Team) -> tuple[int, int]:
    custom_fields.add_field(db, team.admin, "client", "inn", "INN", label_ru="ИНН")
    with db.uow() as uow:
        moscow = parties.add_client(
            uow,
            team.admin,
            "«Ромашка»",
            owner_id=team.anna.id,
            address="Москва, ул. Ленина, д. 1",
            custom={"inn": "7701234567"},
        ).id
        kazan = parties.add_client(
            uow,
            team.admin,
            "«Ромашка»",
            owner_id=team.boris.id,
            address="Казань, ул. Баумана, д. 5",
            custom={"inn": "1655000000"},
        ).id
        uow.commit()
    return moscow, kazan


def _rows(popup: SearchPopup) -> dict[int, tuple[str, str]]:
    out = {}
    for i in range(popup.results.topLevelItemCount()):
        group = popup.results.topLevelItem(i)
        for j in range(group.childCount()):
            item = group.child(j)
            _kind, object_id, _title = item.data(0, 0x0100)
            out[object_id] = (item.text(1), item.toolTip(1))
    return out


def test_two_namesakes_are_told_apart_in_the_popup(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, language: str
) -> None:
    moscow, kazan = _two_romashkas(sqlite_db, sqlite_team)
    popup = SearchPopup(make_ctx(sqlite_db))
    qtbot.addWidget(popup)
    popup.resize(680, 460)
    popup.show()
    popup.edit.setText("Ромашка")
    popup.run_search()
    qtbot.waitUntil(lambda: len(_rows(popup)) == 2, timeout=2000)
    rows = _rows(popup)
    tax = "ИНН" if language == "ru" else "Tax ID"
    assert rows[moscow][0].startswith(f"Москва · {tax} 7701234567 · ")
    assert rows[kazan][0].startswith(f"Казань · {tax} 1655000000 · ")
    assert rows[moscow][0] != rows[kazan][0]
    assert "«Ромашка»" in rows[moscow][1]  # the tooltip: the name and the details in full
    assert "Москва" in rows[moscow][1]


def test_a_manager_gets_the_details_of_their_own_cards_only(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    moscow, kazan = _two_romashkas(sqlite_db, sqlite_team)
    with sqlite_db.reader() as uow:
        anna = known_by(uow, sqlite_team.anna, [("client", moscow), ("client", kazan)])
        admin = known_by(uow, sqlite_team.admin, [("client", moscow), ("client", kazan)])
    assert set(anna) == {("client", moscow)}
    assert anna[("client", moscow)].city == "Москва"
    assert anna[("client", moscow)].tax_id == "7701234567"
    assert set(admin) == {("client", moscow), ("client", kazan)}
    assert admin[("client", kazan)].owner != admin[("client", moscow)].owner


def test_the_popup_is_as_tall_as_its_hits(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, language: str
) -> None:
    """Two hits sat over a 460 px white box, "Nothing found" over an empty
    list: the popup now takes the height its hits need (every hit shown, no
    scrolling), up to MAX_HEIGHT. Fails on the old code (checked)."""
    from ui.search.search_popup import MAX_HEIGHT

    _two_romashkas(sqlite_db, sqlite_team)
    with sqlite_db.uow() as uow:
        for n in range(40):
            parties.add_client(uow, sqlite_team.admin, f"Ёлка-{n:02d}")
        uow.commit()
    popup = SearchPopup(make_ctx(sqlite_db))
    qtbot.addWidget(popup)
    popup.resize(680, 80)  # as it opens: no hits yet
    popup.show()
    popup.edit.setText("Ромашка")
    popup.run_search()
    qtbot.waitUntil(lambda: len(_rows(popup)) == 2, timeout=2000)
    qtbot.wait(20)
    assert popup.height() < MAX_HEIGHT / 2
    group = popup.results.topLevelItem(0)
    last = group.child(group.childCount() - 1)
    assert popup.results.visualItemRect(last).bottom() < popup.results.viewport().height()
    assert popup.results.verticalScrollBar().maximum() == 0

    popup.edit.setText("Щщщщщ")
    popup.run_search()
    qtbot.waitUntil(lambda: popup.status.isVisible(), timeout=2000)
    assert not popup.results.isVisible()  # no empty list under "Nothing found"
    assert popup.height() < MAX_HEIGHT / 3

    popup.edit.setText("Ёлка")
    popup.run_search()
    qtbot.waitUntil(lambda: len(_rows(popup)) >= 20, timeout=2000)
    assert popup.height() == MAX_HEIGHT
    # the group's title stays in sight above its first hit, which is chosen
    assert popup.results.verticalScrollBar().value() == 0
    assert popup.results.currentItem() is popup.results.topLevelItem(0).child(0)
