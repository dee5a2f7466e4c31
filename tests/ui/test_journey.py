"""A new user's first hour, driven only through the window (issue 12, item 8).

An empty database with its first administrator: a colleague is added in
Settings → Users and a custom field in Settings → Fields; then a client
is created from the empty list's offer, two contact persons and a deal
(whose pipeline requires a planned next step) from the card's tabs; a call
is planned with Ctrl+N and completed from the feed, the deal's first call
is completed and its next one planned; the custom field gets a value and
the owner goes to the colleague on the card. Each step shows in the card's
History tab with names, not ids, and the calls in the feed. The same walk
runs in Russian with Russian labels.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import deals
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from ui.cards import CardWidget
from ui.dialogs.deal_dialog import DealDialog
from ui.dialogs.interaction_dialog import InteractionDialog, NextStepDialog
from ui.dialogs.party_dialog import PartyDialog
from ui.feed.feed_view import FeedView
from ui.main_window import MainWindow

WORDS = {
    "en": {
        "new_client": "New client",
        "history_owner": "Changed owner",
        "history_field": "Changed Contract tier",
        "created": "Card created",
        "call": "Call",
        "history": "History",
        "contacts": "Contacts (2)",
        "deals": "Deals (1)",
    },
    "ru": {
        "new_client": "Новый клиент",
        "history_owner": "Изменено: ответственный",
        "history_field": "Изменено: Уровень договора",
        "created": "Карточка создана",
        "call": "Звонок",
        "history": "История изменений",
        "contacts": "Контактные лица (2)",
        "deals": "Сделки (1)",
    },
}


def _type(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """Types as a user: Cyrillic goes through insert (the offscreen keyboard
    has no layout for it), Latin and digits as key clicks."""
    edit.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(edit, char)
        else:
            edit.insert(char)


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Picks an entry as a user does: the combo's popup, then the row."""
    index = combo.findText(text)
    assert index >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    combo.setFocus()
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def _answer_modal(qtbot: QtBot, fill: Callable[[QDialog], None]) -> list[QDialog]:
    """A page that runs its dialog with exec(): fill it once it is up."""
    seen: list[QDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        seen.append(dialog)
        fill(dialog)

    QTimer.singleShot(0, answer)
    return seen


def _card(window: MainWindow) -> CardWidget:
    card = window.workspace.currentWidget()
    assert isinstance(card, CardWidget)
    return card


def _back_to(window: MainWindow, card: CardWidget) -> None:
    window.workspace.tabBar().setCurrentIndex(window.workspace.indexOf(card))


def _double_click_row(qtbot: QtBot, feed: FeedView, row: int) -> None:
    index = feed.model.index(row)
    feed.list.scrollTo(index)
    rect = feed.list.visualRect(index)
    point = QPoint(rect.center().x(), rect.top() + 8)
    qtbot.mouseClick(feed.list.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(feed.list.viewport(), Qt.MouseButton.LeftButton, pos=point)


def _planned_row(feed: FeedView, type_code: str) -> int:
    return next(
        r
        for r, i in enumerate(feed.model.items())
        if i.kind == "interaction" and i.state == "planned" and i.type == type_code
    )


def _titles(feed: FeedView) -> list[str]:
    return [
        str(feed.model.index(r).data(Qt.ItemDataRole.DisplayRole))
        for r in range(feed.model.rowCount())
    ]


def test_a_new_user_runs_a_client_from_an_empty_database(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path, language: str
) -> None:
    words = WORDS[language]
    # The one thing the window cannot do yet: a pipeline's "requires a
    # planned next step" is set by `touchpoint pipelines add` (admin setup).
    with sqlite_db.uow() as uow:
        deals.add_pipeline(
            uow,
            bootstrap.actor_for(uow),
            "Key accounts",
            ["Talks", "Won:won"],
            requires_planned=True,
        )
        uow.commit()
    errors: list[BaseException] = []
    ctx = make_ctx(sqlite_db, errors, mail=FakeMail())
    window = MainWindow(ctx, make_prefs(tmp_path))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.demo_offer.isVisible()

    # --- Settings: a colleague and a custom field ----------------------------------------
    window.navigation.select("settings")
    settings = window.panels["settings"]
    settings.tabs.setCurrentWidget(settings.users_page)
    users_page = settings.users_page
    qtbot.waitUntil(lambda: users_page.loaded)

    def colleague(dialog: QDialog) -> None:
        _type(qtbot, dialog.login, "vera")  # type: ignore[attr-defined]
        _type(qtbot, dialog.full_name, "Вера Кузнецова")  # type: ignore[attr-defined]
        dialog.accept()

    added = _answer_modal(qtbot, colleague)
    _click(qtbot, users_page.add_button)
    assert added
    qtbot.waitUntil(lambda: any(u.login == "vera" for u in users_page.users))

    settings.tabs.setCurrentWidget(settings.fields_page)
    fields_page = settings.fields_page
    qtbot.waitUntil(lambda: fields_page.loaded)

    def field(dialog: QDialog) -> None:
        _type(qtbot, dialog.label, "Contract tier")  # type: ignore[attr-defined]
        _type(qtbot, dialog.label_ru, "Уровень договора")  # type: ignore[attr-defined]
        _type(qtbot, dialog.code, "tier")  # type: ignore[attr-defined]
        combo = dialog.value_type  # type: ignore[attr-defined]
        combo.setCurrentIndex(combo.findData("list"))
        _type(qtbot, dialog.options, "Золото; Серебро")  # type: ignore[attr-defined]
        dialog.accept()

    _answer_modal(qtbot, field)
    _click(qtbot, fields_page.add_button)
    qtbot.waitUntil(lambda: [f.code for f in fields_page.fields] == ["tier"])

    # --- a client from the empty list's offer ---------------------------------------------
    window.navigation.select("clients")
    assert window.demo_offer.isVisible()
    _click(qtbot, window.demo_offer.new_client_button)
    dialog = window.records.dialog
    assert isinstance(dialog, PartyDialog)
    assert dialog.windowTitle() == words["new_client"]
    _type(qtbot, dialog.name, "ООО «Ромашка»")
    _type(qtbot, dialog.phone, "84951234567")
    _click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Save))
    dialog._timer.stop()
    client = _card(window)
    qtbot.waitUntil(lambda: client.data is not None)
    assert window.workspace.tabText(window.workspace.currentIndex()) == "ООО «Ромашка»"

    # --- two contact persons from the Contacts tab's "+" ------------------------------------
    for name, position in (("Анна Петрова", "Бухгалтер"), ("Олег Сидоров", "Директор")):
        client.tabs.setCurrentWidget(client.contacts_tab)
        _click(qtbot, client.contacts_tab.add_button)
        person = window.records.dialog
        assert isinstance(person, PartyDialog)
        assert person.kind == "contact"
        _type(qtbot, person.name, name)
        _type(qtbot, person.position, position)
        _click(qtbot, person.buttons.button(person.buttons.StandardButton.Save))
        person._timer.stop()
        assert _card(window).kind == "contact"  # the new person's card opened
        _back_to(window, client)
    qtbot.waitUntil(lambda: client.contacts_tab.row_count() == 2)
    assert client.tabs.tabText(client.tabs.indexOf(client.contacts_tab)) == words["contacts"]

    # --- a deal whose pipeline wants a planned next step -------------------------------------
    client.tabs.setCurrentWidget(client.deals_tab)
    _click(qtbot, client.deals_tab.add_button)
    deal_dialog = window.records.dialog
    assert isinstance(deal_dialog, DealDialog)
    _type(qtbot, deal_dialog.title, "Поставка бумаги")
    _type(qtbot, deal_dialog.amount, "150000")
    _choose(qtbot, deal_dialog.pipeline, "Key accounts")
    assert deal_dialog.next_call.isVisible()  # the first call is planned in the same save
    _click(qtbot, deal_dialog.buttons.button(deal_dialog.buttons.StandardButton.Save))
    deal = _card(window)
    assert deal.kind == "deal"
    qtbot.waitUntil(lambda: deal.data is not None)
    assert window.workspace.tabText(window.workspace.currentIndex()) == "Поставка бумаги"

    # complete the deal's first call: it was planned for tomorrow, so the
    # window asks when it happened; then the pipeline asks for the next step
    qtbot.waitUntil(lambda: any(i.state == "planned" for i in deal.feed.model.items()))
    _double_click_row(qtbot, deal.feed, _planned_row(deal.feed, "call"))
    first = deal.dialog
    assert isinstance(first, InteractionDialog)
    first.outcome.setPlainText("Договорились о встрече")
    _click(qtbot, first.complete_button)
    assert first.when_dialog is not None
    first.when_dialog.accept()  # done now
    nested = first.next_step_dialog
    assert isinstance(nested, NextStepDialog)
    nested.type_combo.setCurrentIndex(nested.type_combo.findData("meeting"))
    _click(qtbot, nested.ok_button)
    assert first.action == "completed"
    qtbot.waitUntil(
        lambda: (
            sorted((i.type, i.state) for i in deal.feed.model.items() if i.kind == "interaction")
            == [("call", "done"), ("meeting", "planned")]
        )
    )

    # --- plan a call on the client with Ctrl+N, then complete it from the feed -------------
    _back_to(window, client)
    client.tabs.setCurrentWidget(client.feed)
    client.setFocus()
    qtbot.keyClick(client, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    plan = client.dialog
    assert isinstance(plan, InteractionDialog)
    assert plan.type_combo.currentData() == "call"
    assert plan.planned.isChecked()
    plan.body.setPlainText("Уточнить реквизиты")
    _click(qtbot, plan.ok_button)
    qtbot.waitUntil(
        lambda: any(
            i.state == "planned" and i.text == "Уточнить реквизиты"
            for i in client.feed.model.items()
        )
    )
    row = next(r for r, i in enumerate(client.feed.model.items()) if i.text == "Уточнить реквизиты")
    _double_click_row(qtbot, client.feed, row)
    done = client.dialog
    assert isinstance(done, InteractionDialog)
    assert done is not plan
    _click(qtbot, done.complete_button)
    if done.when_dialog is not None:  # planned later today or tomorrow
        done.when_dialog.accept()
    qtbot.waitUntil(
        lambda: any(
            i.state == "done" and i.text == "Уточнить реквизиты" for i in client.feed.model.items()
        )
    )
    assert words["call"] in _titles(client.feed)

    # --- the custom field and the owner, in place on the card -----------------------------
    section = client.fields
    assert "custom.tier" in section.editors
    _choose(qtbot, section.editors["custom.tier"], "Золото")  # type: ignore[arg-type]
    _choose(qtbot, section.editors["owner"], "Вера Кузнецова")  # type: ignore[arg-type]
    assert not errors

    # --- every step in the card's history, with names ---------------------------------------
    client.tabs.setCurrentWidget(client.history_box)
    assert client.tabs.tabText(client.tabs.currentIndex()) == words["history"]
    history = client.history
    assert history is not None
    qtbot.waitUntil(lambda: words["history_owner"] in _titles(history))
    titles = _titles(history)
    texts = {
        str(history.model.index(r).data(Qt.ItemDataRole.DisplayRole)): i.text
        for r, i in enumerate(history.model.items())
    }
    assert words["created"] in titles
    assert words["history_field"] in titles
    assert texts[words["history_field"]] == " → Золото"
    admin_name = ctx.actor.full_name or ctx.actor.login
    assert texts[words["history_owner"]] == f"{admin_name} → Вера Кузнецова"
    assert client.tabs.tabText(client.tabs.indexOf(client.deals_tab)) == words["deals"]
    assert not errors
