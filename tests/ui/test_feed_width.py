"""The feed's rows follow its width. They kept the width of their first
layout: a deal's card, laid out wider than it ended up, showed its feed with
a horizontal scroll bar and the dates and owners cut at the right edge (the
Russian deal card at 1366x768); a window made wider left them short."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.interactions import notes
from tests.ui.helpers import make_ctx
from tests.ui.linking_ui_helpers import add_client, open_feed


def test_the_feed_rows_follow_its_width(qtbot: QtBot, sqlite_db: Database) -> None:
    cid = add_client(sqlite_db, "ООО «Ширина»")
    with sqlite_db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        for n in range(3):
            notes.add_note(uow, actor, "client", cid, f"Созвонились с бухгалтерией, №{n}")
        uow.commit()
    view = open_feed(qtbot, make_ctx(sqlite_db), cid)  # 800 px wide
    feed = view.list
    qtbot.waitUntil(lambda: view.model.rowCount() >= 3)
    first = view.model.index(view.model.rowCount() - 1, 0)

    def fits() -> bool:
        return feed.visualRect(first).width() == feed.viewport().width()

    qtbot.waitUntil(fits, timeout=1000)
    for width in (620, 1000):
        view.resize(width, 600)
        qtbot.waitUntil(fits, timeout=1000)
        assert not feed.horizontalScrollBar().isVisible()
