"""A note on a card's feed: F2, Enter or a double click open the edit dialog
(plain text; its mentions follow), Del asks before removing it (Cancel, the
default, changes nothing) and Undo brings it back; a stale dialog shows both
texts instead of overwriting a colleague's save; the menu offers both."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models import Role, User
from services.core import bootstrap
from services.core.storage import Database
from services.feed.pages import FeedScope
from services.interactions import note_edits, notes
from services.interactions import use_cases as interactions
from services.parties import records as parties
from tests.ui.test_main_window import make_ctx
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.note_dialog import NoteDialog
from ui.feed import FeedView

BODY = "Позвонить Ёжикову, @anna"


def _world(db: Database) -> tuple[int, int]:
    """A client with a note of the administrator's mentioning a colleague:
    (client id, note id)."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        role = uow.session.query(Role).filter(Role.name == "Manager").one()
        uow.session.add(User(login="anna", full_name="Анна Смирнова", role_id=role.id))
        client = parties.add_client(uow, actor, "ООО «Ёлка»").id
        uow.session.flush()
        uow.commit()
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        note = notes.add_note(uow, actor, "client", client, BODY)
        uow.commit()
    return client, note


def _note(db: Database, note_id: int) -> note_edits.NoteView | None:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        try:
            return note_edits.get(uow, actor, note_id)
        except Exception:  # noqa: BLE001 - removed: NotFoundError
            return None


def _feed(qtbot: QtBot, db: Database, client: int) -> FeedView:
    view = FeedView(make_ctx(db), FeedScope(client_id=client))
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    return view


@pytest.mark.parametrize("how", ["f2", "enter", "double click"])
def test_f2_enter_or_a_double_click_edit_a_note_and_save_it(
    qtbot: QtBot, sqlite_db: Database, how: str
) -> None:
    client, note = _world(sqlite_db)
    view = _feed(qtbot, sqlite_db, client)
    assert view.select("note", note)
    view.list.setFocus()
    if how == "f2":
        qtbot.keyClick(view.list, Qt.Key.Key_F2)
    elif how == "enter":
        qtbot.keyClick(view.list, Qt.Key.Key_Return)
    else:
        view.list.doubleClicked.emit(view.list.currentIndex())
    dialog = view.note_actions.dialog
    assert isinstance(dialog, NoteDialog)
    assert dialog.isVisible()
    assert dialog.text.toPlainText() == BODY
    assert dialog.author.textFormat() == Qt.TextFormat.PlainText
    dialog.text.setPlainText("<b>Отправить</b> КП «Ёлке»\nвторая строка")
    dialog.save_button.click()
    saved = _note(sqlite_db, note)
    assert saved is not None
    assert (saved.body, saved.mentions) == ("<b>Отправить</b> КП «Ёлке»\nвторая строка", ())
    assert not dialog.isVisible()
    texts = [i.text or i.title for i in view.model.items() if i.kind == "note"]
    assert any("Отправить" in t for t in texts)


def test_an_empty_or_bad_text_is_not_saved(qtbot: QtBot, sqlite_db: Database) -> None:
    _client, note = _world(sqlite_db)
    dialog = NoteDialog(make_ctx(sqlite_db), note)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.text.setPlainText("   ")
    assert not dialog.save_button.isEnabled()
    dialog.text.setPlainText("Спросить @nobody")
    dialog.save_button.click()
    assert dialog.isVisible()
    assert "@nobody" in dialog.hint.text()
    assert _note(sqlite_db, note).body == BODY  # type: ignore[union-attr]


def test_del_asks_cancel_keeps_the_note_and_undo_brings_it_back(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client, note = _world(sqlite_db)
    view = _feed(qtbot, sqlite_db, client)
    asked: list[str] = []
    answer = [False]

    def confirm(_title: str, text: str) -> bool:
        asked.append(text)
        return answer[0]

    view.note_actions.confirm = confirm
    assert view.select("note", note)
    item = view.current_item()
    assert item is not None
    labels = [a.text() for a in view.menu_for(item).actions()]
    assert {"Edit note…", "Remove note…"} <= set(labels)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert asked == [f"Remove the note “{BODY}”? It is deleted for everyone."]
    assert _note(sqlite_db, note) is not None
    answer[0] = True
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert _note(sqlite_db, note) is None
    assert [i for i in view.model.items() if i.kind == "note"] == []
    assert view.undo_bar.message.text() == f"Note “{BODY}” removed"
    view.undo_bar.undo_button.click()
    back = [i for i in view.model.items() if i.kind == "note"]
    assert len(back) == 1
    restored = _note(sqlite_db, back[0].id)
    assert restored is not None
    assert (restored.body, restored.mentions) == (BODY, ("anna",))


def test_a_save_over_a_colleagues_save_shows_both_texts(qtbot: QtBot, sqlite_db: Database) -> None:
    _client, note = _world(sqlite_db)
    ctx = make_ctx(sqlite_db)
    dialog = NoteDialog(ctx, note)
    qtbot.addWidget(dialog)
    dialog.show()
    interactions.edit_note(sqlite_db, ctx.actor, note, "Текст из другого окна")
    dialog.text.setPlainText("Мой текст")
    dialog.save_button.click()
    conflict = dialog.conflict_dialog
    assert isinstance(conflict, ConflictDialog)
    assert conflict.isVisible()
    assert conflict.choices() == {"body": "Мой текст"}
    conflict.take_theirs("body")
    conflict.accept()
    saved = _note(sqlite_db, note)
    assert saved is not None
    assert saved.body == "Текст из другого окна"
    assert not dialog.isVisible()
