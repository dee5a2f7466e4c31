"""Remove in a card's Attachments tab: the button, Del and the context menu
ask first (Cancel keeps the file), the row leaves the list, the bar offers
Undo; the same user's other window and a colleague's window reload."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from services.core.changes import Changes
from services.core.storage import Database
from services.interactions import use_cases as interaction_cases
from services.parties import use_cases as creating
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.cards.card_widget import CardWidget

NAMES = ("Договор №7.pdf", "Паспорт Ёжикова.jpg")


def _client_with_files(db: Database, team: Team, tmp_path: Path) -> tuple[int, list[int]]:
    client = creating.add_client(db, team.anna, "ООО «Ёлка»").value
    ids = []
    for i, name in enumerate(NAMES):
        source = tmp_path / name
        source.write_bytes(b"%PDF " + bytes([i]) * 2048)
        ids.append(
            interaction_cases.add_attachment(
                db, team.anna, "client", client.id, str(source)
            ).value.id
        )
    return client.id, ids


def _card(qtbot: QtBot, ctx: object, client_id: int, tmp_path: Path, name: str) -> CardWidget:
    settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
    card = CardWidget(ctx, "client", client_id, settings=settings)  # type: ignore[arg-type]
    qtbot.addWidget(card)
    card.show()
    card.tabs.setCurrentWidget(card.attachments_tab)
    return card


def _names(card: CardWidget) -> list[str]:
    tree = card.attachments_tab.tree
    return sorted(tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount()))


def _pick(card: CardWidget, name: str) -> None:
    tree = card.attachments_tab.tree
    (item,) = [
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == name
    ]
    tree.setCurrentItem(item)


def _answer(box: QMessageBox | None, remove: bool) -> None:
    assert box is not None
    assert box.isVisible()
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.defaultButton() is box.escapeButton()  # Enter and Escape keep the file
    if remove:
        (act,) = [
            b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
        ]
        act.click()
    else:
        box.escapeButton().click()


def test_remove_asks_first_then_undo_brings_the_file_back(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    client_id, _ids = _client_with_files(sqlite_db, sqlite_team, tmp_path)
    ctx = make_ctx(sqlite_db, login=sqlite_team.anna.login)
    card = _card(qtbot, ctx, client_id, tmp_path, "one")
    other = _card(qtbot, ctx, client_id, tmp_path, "two")  # the same user's second window
    tab = card.attachments_tab
    assert _names(card) == sorted(NAMES)
    assert not tab.remove_button.isEnabled()  # nothing chosen yet

    _pick(card, NAMES[1])
    assert tab.remove_button.isEnabled()
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    assert NAMES[1] in tab.question.text()  # type: ignore[union-attr]
    _answer(tab.question, remove=False)
    assert _names(card) == sorted(NAMES)

    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_Delete)
    _answer(tab.question, remove=True)
    qtbot.waitUntil(lambda: _names(card) == [NAMES[0]])
    qtbot.waitUntil(lambda: _names(other) == [NAMES[0]])
    assert tab.undo_bar.isVisible()
    assert NAMES[1] in tab.undo_bar.message.text()

    qtbot.mouseClick(tab.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _names(card) == sorted(NAMES))
    qtbot.waitUntil(lambda: _names(other) == sorted(NAMES))
    assert not ctx.errors  # type: ignore[attr-defined]


def test_the_context_menu_removes_and_a_colleagues_window_reloads(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    client_id, ids = _client_with_files(sqlite_db, sqlite_team, tmp_path)
    ctx = make_ctx(sqlite_db, login=sqlite_team.anna.login)
    card = _card(qtbot, ctx, client_id, tmp_path, "anna")
    colleague = make_ctx(sqlite_db, login=sqlite_team.admin.login)  # another computer
    theirs = _card(qtbot, colleague, client_id, tmp_path, "admin")
    tab = card.attachments_tab
    tree = tab.tree
    item = next(tree.topLevelItem(i) for i in range(2) if tree.topLevelItem(i).text(0) == NAMES[0])

    menu = tab.context_menu(item)  # what a right click pops up
    assert [a.text() for a in menu.actions() if a.text()] == ["Open", "Save as…", "Remove"]
    next(a for a in menu.actions() if a.text() == "Remove").trigger()
    _answer(tab.question, remove=True)
    qtbot.waitUntil(lambda: _names(card) == [NAMES[1]])

    # What the team server's notice brings the colleague: a removed row, no card.
    assert _names(theirs) == sorted(NAMES)
    colleague.bus.changed.emit(Changes.of(removed={"attachment": [ids[0]]}))
    qtbot.waitUntil(lambda: _names(theirs) == [NAMES[1]])
    # another card's removal does not reload this one
    assert not theirs.shows(Changes.of(removed={"attachment": [ids[0] + 100]}))
    assert not ctx.errors  # type: ignore[attr-defined]


def test_the_feed_says_which_file_was_removed_and_restored(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, tmp_path: Path
) -> None:
    from services.feed.pages import FeedScope, page
    from ui.feed.feed_model import FeedModel

    client_id, ids = _client_with_files(sqlite_db, sqlite_team, tmp_path)
    gone = interaction_cases.remove_attachment(sqlite_db, sqlite_team.anna, ids[1]).value
    interaction_cases.undo_remove_attachment(sqlite_db, sqlite_team.anna, gone)
    with sqlite_db.reader() as uow:
        items = page(uow, sqlite_team.anna, FeedScope(client_id=client_id)).items
    model = FeedModel(make_ctx(sqlite_db, login=sqlite_team.anna.login))
    lines = [(model.title_of(i), model.text_of(i)) for i in items if i.kind == "change"]
    assert ("Attachment removed", NAMES[1]) in lines
    assert ("Attachment restored", NAMES[1]) in lines
