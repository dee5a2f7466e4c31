"""Settings → Templates (SPEC E1) through its widgets, on a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QTextCursor
from PySide6.QtWidgets import QAbstractButton, QMenu, QMessageBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.templates import store as templates
from services.templates.store import TemplateView
from tests.ui.helpers import InlineLane, make_ctx
from ui.settings.settings_panel import SettingsPanel
from ui.settings.templates_page import TemplatesPage


def _page(qtbot: QtBot, db: Database) -> TemplatesPage:
    page = TemplatesPage(make_ctx(db))
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.refresh()
    return page


def _create(db: Database, name: str, body: str = "Добрый день!", *, ai: bool = False) -> int:
    with db.uow() as uow:
        view = templates.create(
            uow, bootstrap.actor_for(uow), name, "Тема для {{ client.name }}", body, ai=ai
        )
        uow.commit()
    return view.id


def _stored(db: Database) -> list[TemplateView]:
    with db.reader() as uow:
        return templates.list_templates(uow, bootstrap.actor_for(uow), include_inactive=True)


def _button(box: QMessageBox | None, role: QMessageBox.ButtonRole) -> QAbstractButton:
    assert box is not None
    assert box.isVisible()
    return next(b for b in box.buttons() if box.buttonRole(b) == role)


def _click_row(page: TemplatesPage, name: str) -> None:
    row = page.visible_names().index(name)
    page.list.setCurrentRow(row)


def test_a_template_typed_into_the_editor_is_saved(qtbot: QtBot, sqlite_db: Database) -> None:
    page = _page(qtbot, sqlite_db)
    assert page.stack.currentWidget() is page.empty
    assert "No templates yet" in page.empty.text()
    page.empty.button.click()
    assert page.stack.currentWidget() is page.splitter
    qtbot.keyClicks(page.name, "Price offer")  # QTest types ASCII only
    qtbot.keyClicks(page.subject, "Offer for {{ client.name }}")
    qtbot.keyClicks(page.body, "Good afternoon, {{ contact.first_name }}!")
    page.save_button.click()
    [stored] = _stored(sqlite_db)
    assert stored.name == "Price offer"
    assert stored.subject == "Offer for {{ client.name }}"
    assert stored.body == "Good afternoon, {{ contact.first_name }}!"
    assert not stored.ai
    assert page.visible_names() == ["Price offer"]
    assert page.status.text() == "Saved."
    assert not page.is_dirty()


@pytest.mark.parametrize("bad", ["{{ client.password }}", "{{ x.__class__ }}"])
def test_an_unknown_variable_is_refused_next_to_its_field(
    qtbot: QtBot, sqlite_db: Database, bad: str
) -> None:
    page = _page(qtbot, sqlite_db)
    page.new_template()
    page.name.setText("Опасный")
    page.subject.setText("Тема")
    page.body.setPlainText(f"Здравствуйте, {bad}")
    page.save_button.click()
    assert _stored(sqlite_db) == []
    hint = page.hints["body"]
    assert not hint.isHidden()
    assert hint.is_error
    assert hint.text().startswith("The body:")
    assert ("client.password" in hint.text()) or ("__class__" in hint.text())
    assert page.hints["subject"].isHidden()
    assert page.is_dirty()  # what was typed is still there to fix

    page.body.setPlainText("Здравствуйте!")
    page.subject.setText(bad)
    page.save_button.click()
    assert _stored(sqlite_db) == []
    assert not page.hints["subject"].isHidden()
    assert page.hints["body"].isHidden()

    page.subject.setText("Тема")
    page.save_button.click()
    assert [t.name for t in _stored(sqlite_db)] == ["Опасный"]
    assert page.hints["subject"].isHidden()


def test_a_duplicate_name_is_refused_at_the_name(qtbot: QtBot, sqlite_db: Database) -> None:
    _create(sqlite_db, "Счёт")
    page = _page(qtbot, sqlite_db)
    page.new_template()
    page.name.setText("счёт")
    page.body.setPlainText("Текст")
    page.save_button.click()
    assert not page.hints["name"].isHidden()
    assert "exists already" in page.hints["name"].text()
    assert len(_stored(sqlite_db)) == 1


def test_the_variable_picker_inserts_at_the_cursor(qtbot: QtBot, sqlite_db: Database) -> None:
    page = _page(qtbot, sqlite_db)
    page.new_template()
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    codes = page.variable_codes()
    assert "client.name" in codes
    assert "date.next_working_day_ru" in codes
    assert "inbound.last_email" not in codes  # only AI templates may send the letter

    page.body.setPlainText("Добрый день, !")
    page.body.setFocus()
    cursor = page.body.textCursor()
    cursor.setPosition(len("Добрый день, "), QTextCursor.MoveMode.MoveAnchor)
    page.body.setTextCursor(cursor)
    page.insert_variable("contact.name_patronymic")
    assert page.body.toPlainText() == "Добрый день, {{ contact.name_patronymic }}!"

    page.subject.setText("Счёт — ")
    page.subject.setFocus()
    page.subject.setCursorPosition(0)
    menu = next(sub.menu() for sub in page.variables_menu.actions() if sub.text() == "Client")
    assert isinstance(menu, QMenu)
    action = next(a for a in menu.actions() if a.data() == "client.name")
    action.trigger()
    assert page.subject.text() == "{{ client.name }}Счёт — "
    assert "{{ client.name }}" not in page.body.toPlainText()

    page.ai.setChecked(True)
    assert "inbound.last_email" in page.variable_codes()
    assert page.body_label.text() == "Prompt"
    assert "prompt the AI receives" in page.ai_note.text()


def test_deactivating_asks_hides_and_keeps_the_template(qtbot: QtBot, sqlite_db: Database) -> None:
    _create(sqlite_db, "Напоминание")
    _create(sqlite_db, "Ответ клиенту", "Ответь вежливо: {{ inbound.last_email }}", ai=True)
    page = _page(qtbot, sqlite_db)
    assert page.visible_names() == ["Напоминание", "Ответ клиенту"]
    _click_row(page, "Напоминание")
    page.deactivate_button.click()
    keep = _button(page.confirm_box, QMessageBox.ButtonRole.RejectRole)
    assert page.confirm_box is not None
    assert page.confirm_box.defaultButton() is keep  # Enter keeps the template
    assert page.confirm_box.escapeButton() is keep
    assert page.confirm_box.textFormat() == Qt.TextFormat.PlainText  # its name
    keep.click()
    assert all(t.active for t in _stored(sqlite_db))

    page.deactivate_button.click()
    _button(page.confirm_box, QMessageBox.ButtonRole.DestructiveRole).click()
    assert {t.name: t.active for t in _stored(sqlite_db)} == {
        "Напоминание": False,
        "Ответ клиенту": True,
    }
    assert page.visible_names() == ["Ответ клиенту"]
    assert page.name.text() == "Ответ клиенту"

    page.show_inactive.setChecked(True)
    assert page.visible_names() == ["Напоминание", "Ответ клиенту"]
    item = page.list.item(0)
    assert item is not None
    muted = page.palette().color(QPalette.ColorRole.PlaceholderText)
    assert item.foreground().color() == muted
    _click_row(page, "Напоминание")
    assert page.reactivate_button.isVisibleTo(page)
    assert not page.deactivate_button.isVisibleTo(page)
    page.reactivate_button.click()
    assert all(t.active for t in _stored(sqlite_db))
    assert page.deactivate_button.isVisibleTo(page)


def test_unsaved_changes_are_asked_about_before_switching(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    first = _create(sqlite_db, "Первый")
    _create(sqlite_db, "Второй")
    page = _page(qtbot, sqlite_db)
    _click_row(page, "Первый")
    assert page.current_id() == first
    page.body.setPlainText("Изменённый текст")

    _click_row(page, "Второй")
    _button(page.confirm_box, QMessageBox.ButtonRole.RejectRole).click()
    assert page.current_id() == first
    assert page.body.toPlainText() == "Изменённый текст"
    assert page.list.currentItem().text() == "Первый"

    _click_row(page, "Второй")
    _button(page.confirm_box, QMessageBox.ButtonRole.AcceptRole).click()
    assert page.name.text() == "Второй"
    assert {t.name: t.body for t in _stored(sqlite_db)}["Первый"] == "Изменённый текст"

    page.body.setPlainText("Никто не увидит")
    page.new_template()
    _button(page.confirm_box, QMessageBox.ButtonRole.DestructiveRole).click()
    assert page.current_id() is None
    assert page.name.text() == ""
    assert "Никто не увидит" not in {t.body for t in _stored(sqlite_db)}


def test_a_save_over_someone_elses_change_is_refused_and_reloaded(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    template_id = _create(sqlite_db, "Общий")
    page = _page(qtbot, sqlite_db)
    assert page.current_id() == template_id
    with sqlite_db.uow() as uow:
        templates.update(uow, bootstrap.actor_for(uow), template_id, body="Версия коллеги")
        uow.commit()
    page.body.setPlainText("Моя версия")
    page.save_button.click()
    assert page.general_hint.is_error
    assert "Someone else changed" in page.general_hint.text()
    assert page.body.toPlainText() == "Версия коллеги"
    assert [t.body for t in _stored(sqlite_db)] == ["Версия коллеги"]
    page.body.setPlainText("Моя версия")
    page.save_button.click()  # now on top of the colleague's version
    assert [t.body for t in _stored(sqlite_db)] == ["Моя версия"]


def test_ctrl_s_saves_and_ctrl_n_starts_a_new_template_inside_the_window(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    """The window has its own Ctrl+N (a new interaction); on this page the
    page's wins, and nothing is ambiguous."""
    _create(sqlite_db, "Первый")
    host = QWidget()
    qtbot.addWidget(host)
    window_new: list[bool] = []
    shortcut = QShortcut(QKeySequence.StandardKey.New, host)
    shortcut.activated.connect(lambda: window_new.append(True))
    shortcut.activatedAmbiguously.connect(lambda: window_new.append(False))
    page = TemplatesPage(make_ctx(sqlite_db))
    QVBoxLayout(host).addWidget(page)
    page.refresh()
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    page.body.setFocus()
    page.body.setPlainText("Новый текст")
    qtbot.keyClick(page.body, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [t.body for t in _stored(sqlite_db)] == ["Новый текст"]
    qtbot.keyClick(page.body, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.current_id() is None
    assert page.heading.text() == "New template"
    assert window_new == []


def test_the_settings_tabs_load_their_pages_when_first_shown(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    _create(sqlite_db, "Первый")
    reads = InlineLane()
    panel = SettingsPanel(make_ctx(sqlite_db, reads=reads))
    qtbot.addWidget(panel)
    panel.refresh()
    assert reads.calls == 1  # the General tab only
    assert not panel.templates_page.loaded
    assert not panel.ai_page.loaded
    panel.tabs.setCurrentWidget(panel.templates_page)
    assert panel.templates_page.loaded
    assert panel.templates_page.visible_names() == ["Первый"]
    assert not panel.ai_page.loaded
    panel.tabs.setCurrentWidget(panel.ai_page)
    assert panel.ai_page.loaded
    calls = reads.calls
    panel.tabs.setCurrentWidget(panel.templates_page)
    assert reads.calls == calls  # loaded once, not on every switch
