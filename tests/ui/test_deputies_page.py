"""Settings → Deputies driven like a user (#20): each manager sees only the
periods they are part of; the deputy ends one with Delete and a
confirmation, and the client list open beside it drops the colleague's
clients at once; Ctrl+N adds a deputy from a picker of active colleagues."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from services.core import users
from services.core.errors import ValidationError
from services.core.storage import Database
from services.parties import deputies, transfers
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import answer, make_ctx
from ui.clients.list_panel import ListPanel
from ui.context import UiContext
from ui.settings import deputies_page
from ui.settings.deputies_page import DeputiesPage, DeputyDialog
from ui.settings.settings_panel import SettingsPanel

UNTIL = dt.datetime.now(dt.UTC) + dt.timedelta(days=5)


def _page(qtbot: QtBot, ctx: UiContext) -> DeputiesPage:
    page = DeputiesPage(ctx)
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    page.refresh()
    assert page.loaded
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def _rows(page: DeputiesPage) -> list[tuple[str, str]]:
    return [
        (page.list.topLevelItem(i).text(0), page.list.topLevelItem(i).text(1))
        for i in range(page.list.topLevelItemCount())
    ]


def _names(panel: ListPanel) -> set[str]:
    model = panel.model
    return {model.index(r, 0).data() for r in range(model.rowCount())}


def test_the_deputy_ends_the_period_and_the_open_client_list_follows(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite_db.uow(sqlite_team.anna.id) as uow:
        parties.add_client(uow, sqlite_team.anna, "ООО Клиент Анны")
        uow.commit()
    transfers.set_deputy(sqlite_db, sqlite_team.anna, "boris", UNTIL)
    admin = _page(qtbot, make_ctx(sqlite_db))
    assert _rows(admin) == [("Борис Петров", "Анна Смирнова")]
    assert admin.list.topLevelItem(0).text(2)  # the end, in the window's zone
    users.add_user(sqlite_db, sqlite_team.admin, "vera", "Вера Козлова", "Manager")
    outsider = _page(qtbot, make_ctx(sqlite_db, login="vera"))
    assert _rows(outsider) == []
    assert outsider.empty.isVisibleTo(outsider)
    assert "Add a deputy" in outsider.empty.text()

    ctx = make_ctx(sqlite_db, login="boris")
    clients = ListPanel(ctx, "client")
    qtbot.addWidget(clients)
    clients.resize(900, 500)
    clients.show()
    qtbot.waitUntil(lambda: "ООО Клиент Анны" in _names(clients))
    page = _page(qtbot, ctx)
    assert _rows(page) == [("Борис Петров", "Анна Смирнова")]
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, _action: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(deputies_page, "confirm_destructive", confirm)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Delete)

    assert asked == ["End now? Борис Петров will no longer see the clients of Анна Смирнова."]
    assert _rows(page) == []
    assert page.empty.isVisibleTo(page)
    assert sqlite_team.anna.id not in ctx.actor.also_sees
    qtbot.waitUntil(lambda: "ООО Клиент Анны" not in _names(clients))
    assert not ctx.errors  # type: ignore[attr-defined]


def test_ctrl_n_adds_a_deputy_from_the_active_colleagues(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = make_ctx(sqlite_db, login="anna")
    page = _page(qtbot, ctx)
    offered: list[list[str]] = []

    def accept(dialog: DeputyDialog) -> int:
        offered.append([dialog.deputy.itemText(i) for i in range(dialog.deputy.count())])
        assert not dialog.absent.isVisibleTo(dialog)  # a manager names only her own
        dialog.deputy.setCurrentIndex(dialog.deputy.findText("Борис Петров"))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(deputies_page.DeputyDialog, "exec", accept)
    page.list.setFocus()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    [names] = offered
    assert "Борис Петров" in names
    assert "Анна Смирнова" not in names  # not herself
    assert "Уволенный Сотрудник" not in names  # nor one who left
    assert _rows(page) == [("Борис Петров", "Анна Смирнова")]
    boris = _page(qtbot, make_ctx(sqlite_db, login="boris"))
    assert _rows(boris) == [("Борис Петров", "Анна Смирнова")]
    assert not ctx.errors  # type: ignore[attr-defined]


def test_an_administrator_picks_whose_deputy(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = make_ctx(sqlite_db)
    page = _page(qtbot, ctx)
    assert page.empty.isVisibleTo(page)

    def accept(dialog: DeputyDialog) -> int:
        assert dialog.absent.isVisibleTo(dialog)
        dialog.absent.setCurrentIndex(dialog.absent.findText("Анна Смирнова"))
        dialog.deputy.setCurrentIndex(dialog.deputy.findText("Борис Петров"))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(deputies_page.DeputyDialog, "exec", accept)
    page.add_button.click()

    assert _rows(page) == [("Борис Петров", "Анна Смирнова")]
    anna = _page(qtbot, make_ctx(sqlite_db, login="anna"))
    assert _rows(anna) == [("Борис Петров", "Анна Смирнова")]
    assert not ctx.errors  # type: ignore[attr-defined]


def test_the_administrators_deputy_picker_leaves_out_the_absent_colleague(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    """Whoever is chosen as the absent colleague is not offered as the
    deputy (a period of someone standing in for themselves), and the
    administrator, no longer the absent one, is."""
    admin = sqlite_team.admin
    page = _page(qtbot, make_ctx(sqlite_db))
    dialog = DeputyDialog(page.data.colleagues, admin.id, True, "Europe/Moscow", page)
    qtbot.addWidget(dialog)

    def offered() -> list[str]:
        return [dialog.deputy.itemText(i) for i in range(dialog.deputy.count())]

    admin_name = dialog.absent.currentText()
    assert admin_name not in offered()
    dialog.deputy.setCurrentIndex(dialog.deputy.findText("Борис Петров"))
    dialog.absent.setCurrentIndex(dialog.absent.findText("Анна Смирнова"))
    assert "Анна Смирнова" not in offered()
    assert admin_name in offered()
    assert dialog.deputy.currentText() == "Борис Петров"  # the choice already made stays
    dialog.absent.setCurrentIndex(dialog.absent.findText("Борис Петров"))
    assert "Борис Петров" not in offered()
    assert "Анна Смирнова" in offered()
    absent, deputy, _until = dialog.chosen()
    assert absent != deputy
    assert dialog.ok.isEnabled()


def test_a_period_of_someone_standing_in_for_themselves_is_refused(
    sqlite_db: Database, sqlite_team: Team
) -> None:
    with pytest.raises(ValidationError) as refused:
        transfers.set_deputy(sqlite_db, sqlite_team.admin, "anna", UNTIL, absent="anna")
    assert refused.value.code == "parties.transfers.deputy_self"
    with sqlite_db.reader() as uow:
        assert deputies.periods(uow, sqlite_team.admin) == []


def test_a_colleague_added_in_users_is_offered_without_leaving_the_page(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    """The deputy pickers kept the colleagues of the page's first reading: a
    colleague added in Settings → Users was missing until a restart."""
    panel = SettingsPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.show()
    page = panel.deputies_page
    panel.tabs.setCurrentWidget(page)
    assert page.loaded
    assert "Вера Кузнецова" not in {u.full_name for u in page.data.colleagues}
    panel.users_page.add_user("vera", "Вера Кузнецова", "Manager")
    assert "Вера Кузнецова" in {u.full_name for u in page.data.colleagues}
    panel.tabs.setCurrentWidget(panel.users_page)
    row = next(i for i, u in enumerate(panel.users_page.users) if u.login == "vera")
    panel.users_page.list.setCurrentRow(row)
    panel.users_page.active_button.click()
    box = panel.users_page.confirm_box
    assert box is not None
    answer(box, yes=True)  # deactivated: no longer offered
    assert "Вера Кузнецова" not in {u.full_name for u in page.data.colleagues}
