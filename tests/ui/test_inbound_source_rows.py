"""Settings → Sources & rules: each source is a row of its own, its name
over its channel with room around them, not lines running into the next
source's ("Бот «Северторг»\\nTelegram\\nФормы сайта\\nВеб-форма")."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.conftest import make_team
from tests.integration import inbound_helpers as h
from tests.ui.helpers import make_ctx
from ui.settings.inbound_page import InboundPage
from ui.widgets.two_line_delegate import SUBTITLE_ROLE


def test_each_source_is_a_two_line_row_with_room_around_it(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    team = make_team(sqlite_db)
    h.source(sqlite_db, team.admin, "Бот «Северторг»")
    h.source(sqlite_db, team.admin, "Формы сайта <b>новые</b>")
    page = InboundPage(make_ctx(sqlite_db))
    qtbot.addWidget(page)
    page.resize(1100, 650)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.source_list.count() == 2)
    items = page.source_list
    line = items.fontMetrics().height()
    assert items.sizeHintForRow(0) >= 2 * line + 12  # two lines and room around them
    names = sorted(items.item(row).text() for row in range(2))
    assert names == ["Бот «Северторг»", "Формы сайта <b>новые</b>"]  # one line: the name
    for row in range(2):
        item = items.item(row)
        assert item.data(SUBTITLE_ROLE)  # the channel, on its own line
        assert item.data(SUBTITLE_ROLE) in item.toolTip() or "&lt;" in item.toolTip()
    marked = next(items.item(r) for r in range(2) if "<b>" in items.item(r).text())
    assert "&lt;b&gt;" in marked.toolTip()  # a name from outside is not markup
