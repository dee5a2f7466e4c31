"""Settings → Interaction types, Fields and Users through the widgets: an
administrator changes them and the change shows where a manager works; a
manager sees the pages read-only."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.core.users import users
from services.parties import custom_fields
from tests.conftest import Team
from tests.ui.helpers import LAPTOP, HeldLane, answer, make_ctx
from ui.settings.settings_panel import SettingsPanel
from ui.widgets import labels
from ui.widgets.two_line_delegate import SUBTITLE_ROLE


def _panel(qtbot: QtBot, db: Database, login: str | None = None) -> SettingsPanel:
    panel = SettingsPanel(make_ctx(db, login=login))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    return panel


def _rows(widget: object) -> list[str]:
    lst = widget.list  # type: ignore[attr-defined]
    return [lst.item(i).text() for i in range(lst.count())]


def _user_rows(page: object) -> list[str]:
    """A colleague's row: the name, then login · role under it."""
    lst = page.list  # type: ignore[attr-defined]
    return [f"{lst.item(i).text()} / {lst.item(i).data(SUBTITLE_ROLE)}" for i in range(lst.count())]


def test_an_admin_adds_renames_moves_and_hides_types(qtbot: QtBot, sqlite_db: Database) -> None:
    panel = _panel(qtbot, sqlite_db)
    panel.tabs.setCurrentWidget(panel.types_page)
    page = panel.types_page
    assert page.loaded
    assert _rows(page)[:2] == ["Call", "Meeting"]
    assert not page.read_only_note.isVisible()

    page.add_type("Site visit", "Выезд на объект")
    assert _rows(page)[-1] == "Site visit"
    page.list.setCurrentRow(len(page.types) - 1)
    page.up_button.click()
    assert _rows(page)[-2] == "Site visit"
    page.list.setCurrentRow(page.types.index(next(t for t in page.types if t.code == "sms")))
    page.rename_type("sms", "Text message", "СМС")
    assert "Text message" in _rows(page)
    page.list.setCurrentRow(0)
    page.hide_button.click()
    assert _rows(page)[0] == "Call (hidden)"
    assert page.hide_button.text() == "Show"
    assert not panel._ctx.errors  # type: ignore[attr-defined]

    # the interaction dialog offers the new type by name and no longer the hidden one
    from ui.dialogs.interaction_dialog import InteractionDialog

    with sqlite_db.uow() as uow:
        from services.parties import records as parties

        client = parties.add_client(uow, bootstrap.actor_for(uow), "ООО «Выезд»")
        uow.commit()
    dialog = InteractionDialog(make_ctx(sqlite_db), client_id=client.id)
    qtbot.addWidget(dialog)
    offered = {
        dialog.type_combo.itemData(i): dialog.type_combo.itemText(i)
        for i in range(dialog.type_combo.count())
    }
    assert offered["site_visit"] == "Site visit"
    assert offered["sms"] == "Text message"
    assert "call" not in offered
    labels.remember_types({})


def test_an_admin_defines_a_list_field_with_a_russian_label(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    panel = _panel(qtbot, sqlite_db)
    panel.tabs.setCurrentWidget(panel.fields_page)
    page = panel.fields_page
    page.add_field("client", "tier", "Tier", "list", "Уровень", ("Золото", "Серебро"))
    assert _rows(page) == ["Client — Tier / Уровень (List: Золото, Серебро)"]
    with sqlite_db.reader() as uow:
        assert [f.code for f in custom_fields.fields(uow, "client")] == ["tier"]
    page.add_field("client", "tier", "Tier again", "text")
    assert "exists already" in str(panel._ctx.errors[-1])  # type: ignore[attr-defined]
    page.list.setCurrentRow(0)
    assert page.remove_button.isEnabled()
    page.remove_field("client", "tier")
    assert _rows(page) == []


def test_an_admin_adds_a_colleague_who_then_appears_in_pickers(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    panel = _panel(qtbot, sqlite_db)
    panel.tabs.setCurrentWidget(panel.users_page)
    page = panel.users_page
    page.add_user("vera", "Вера Кузнецова", "Manager")
    assert "Вера Кузнецова / vera · Manager" in _user_rows(page)
    with sqlite_db.reader() as uow:
        assert "Вера Кузнецова" in {u.full_name for u in users(uow, sqlite_team.anna)}
    row = next(i for i, u in enumerate(page.users) if u.login == "vera")
    page.list.setCurrentRow(row)
    page.active_button.click()
    box = page.confirm_box  # one click no longer takes a colleague out of every picker
    assert box is not None
    assert "Вера Кузнецова" in box.text()
    answer(box, yes=False)
    assert "Вера Кузнецова / vera · Manager" in _user_rows(page)
    assert "vera" in {u.login for u in page.users if u.active}
    page.active_button.click()
    assert page.confirm_box is not None
    answer(page.confirm_box, yes=True)
    assert "Вера Кузнецова / vera · Manager · deactivated" in _user_rows(page)
    with sqlite_db.reader() as uow:
        assert "vera" not in {u.login for u in users(uow, sqlite_team.anna)}


@pytest.mark.parametrize("tab", ["types_page", "fields_page", "users_page"])
def test_a_manager_sees_the_admin_pages_read_only(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, tab: str
) -> None:
    panel = _panel(qtbot, sqlite_db, login="anna")
    page = getattr(panel, tab)
    panel.tabs.setCurrentWidget(page)
    assert page.loaded
    assert page.read_only_note.isVisible()
    assert not page.add_button.isEnabled()
    page.list.setCurrentRow(0)
    assert page.list.count() > 0 or tab == "fields_page"
    assert not panel._ctx.errors  # type: ignore[attr-defined]


def test_a_manager_saves_their_own_choices_and_sees_the_shared_ones_read_only(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    panel = _panel(qtbot, sqlite_db, login="anna")
    assert not panel.region.isEnabled()
    assert not panel.timezone.isEnabled()
    assert panel.shared_note.isVisible()
    assert panel.language.isEnabled()
    panel.save_button.click()
    assert panel.saved_label.text() == "Saved."
    assert not panel._ctx.errors  # type: ignore[attr-defined]


def test_the_role_picker_shows_the_longest_role_in_full(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, language: str
) -> None:
    """The roles arrive after the page is first shown (a read lane): the
    picker was sized empty and read "Админис" at 1366x768."""
    lane = HeldLane()
    panel = SettingsPanel(make_ctx(sqlite_db, reads=lane))
    qtbot.addWidget(panel)
    panel.resize(*LAPTOP)
    panel.show()
    panel.tabs.setCurrentWidget(panel.users_page)
    qtbot.wait(20)  # shown before its first read answers, as in the window
    lane.run_all()
    page = panel.users_page
    page.list.setCurrentRow(0)
    combo = page.role
    longest = max(
        (combo.itemText(i) for i in range(combo.count())), key=combo.fontMetrics().horizontalAdvance
    )
    assert longest in ("Administrator", "Администратор")
    arrow_and_margins = 30
    needed = combo.fontMetrics().horizontalAdvance(longest) + arrow_and_margins
    qtbot.waitUntil(lambda: combo.width() >= needed, timeout=1000)


def test_with_no_colleague_chosen_the_role_picker_names_no_role(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team
) -> None:
    """It read "Administrator", greyed out, as if that were someone's role."""
    panel = _panel(qtbot, sqlite_db)
    panel.tabs.setCurrentWidget(panel.users_page)
    page = panel.users_page
    assert page.current() is None
    assert not page.role.isEnabled()
    assert page.role.currentText() == ""
    row = next(i for i, u in enumerate(page.users) if u.login == "anna")
    page.list.setCurrentRow(row)
    assert page.role.currentText() == "Manager"
    page.list.clearSelection()
    page.list.setCurrentRow(-1)
    assert page.current() is None
    assert page.role.currentText() == ""
