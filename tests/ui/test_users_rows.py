"""Settings → Users: each colleague a row of their own (the name, then
login · role under it), a deactivated one greyed and saying so; the role
box says to choose a colleague while no one is chosen (it was an empty
box beside the buttons)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.settings.users_page import UsersPage
from ui.widgets.two_line_delegate import SUBTITLE_ROLE


def test_each_colleague_is_a_row_with_login_and_role_under_the_name(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, russian: None
) -> None:
    page = UsersPage(make_ctx(sqlite_db))
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded)
    assert page.role.currentIndex() == -1
    assert page.role.placeholderText() == "Выберите сотрудника"
    rows = {page.list.item(r).data(0x0100): page.list.item(r) for r in range(page.list.count())}
    assert len(rows) >= 3
    anna = next(u for u in page.users if u.id == sqlite_team.anna.id)
    item = rows[anna.login]
    assert item.text() == anna.full_name
    assert item.data(SUBTITLE_ROLE) == f"{anna.login} · Менеджер"
    line = page.list.fontMetrics().height()
    assert page.list.sizeHintForRow(0) >= 2 * line + 12
    page.list.setCurrentItem(item)
    assert page.role.currentText() == "Менеджер"
