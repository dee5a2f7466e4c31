"""Settings → Sources & rules → "Removed…": removed sources are listed and
one comes back with its rules, not processing; a removed source's name is
free for a new one, and restoring into it is refused with a clear message,
the source staying in the list."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from models import InboundRule, InboundSource
from services.core.storage import Database
from services.inbound import setup
from tests.conftest import make_team
from tests.integration import inbound_helpers as h
from tests.ui.helpers import make_ctx
from ui.settings.inbound_page import InboundPage
from ui.widgets.restore_dialog import RestoreDialog


def _sources(page: InboundPage) -> list[str]:
    return sorted(page.source_list.item(i).text() for i in range(page.source_list.count()))


def test_removed_sources_come_back_unless_their_name_is_taken(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    team = make_team(sqlite_db)
    old = h.source(sqlite_db, team.admin, "Старый бот")
    store = h.source(sqlite_db, team.admin, "Бот склада")
    rule = h.rule(sqlite_db, team.admin, store, is_default=True, queue_user_ids=(team.admin.id,))
    setup.remove_source(sqlite_db, team.admin, old)
    setup.remove_source(sqlite_db, team.admin, store)
    h.source(sqlite_db, team.admin, "Старый бот")  # the removed one's name is free
    ctx = make_ctx(sqlite_db)
    page = InboundPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert [n.split("\n")[0] for n in _sources(page)] == ["Старый бот"]

    page.removed_button.click()
    dialog = page.dialog
    assert isinstance(dialog, RestoreDialog)
    assert sorted(dialog.names()) == ["Бот склада", "Старый бот"]
    dialog.list.setCurrentRow(dialog.names().index("Старый бот"))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: len(ctx.errors) == 1)  # type: ignore[attr-defined]
    assert "A source named 'Старый бот' exists already" in str(ctx.errors[0])  # type: ignore[attr-defined]
    assert sorted(dialog.names()) == ["Бот склада", "Старый бот"]

    dialog.list.setCurrentRow(dialog.names().index("Бот склада"))
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: dialog.names() == ["Старый бот"])
    qtbot.waitUntil(lambda: page.source_list.count() == 2)
    with sqlite_db.reader() as uow:
        back = uow.session.get(InboundSource, store)
        assert back is not None
        assert (back.archived_at, back.process_requests) == (None, False)
        assert uow.session.get(InboundRule, rule) is not None
