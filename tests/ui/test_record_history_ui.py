"""A card's feed offers Edit and Remove of a note only to who may change it
(its author or an administrator; a manager or a head who sees a colleague's
note is told why on F2, Enter or Del, and nothing opens); History… (Ctrl+H)
on a task or a note shows who changed what and when, as plain text, with
the chosen change in full below."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from models import Role, User
from services.core import bootstrap
from services.core.access import MANAGER_PERMISSIONS, Permission
from services.core.storage import Database
from services.feed.pages import FeedScope
from services.interactions import use_cases as interactions
from services.parties import records as parties
from tests.ui.test_main_window import InlineLane
from ui.context import UiContext
from ui.dialogs.note_dialog import NoteDialog
from ui.dialogs.record_history_dialog import RecordHistoryDialog
from ui.feed import FeedView

ANNAS = "Позвонить Ёжикову <b>срочно</b>"
ADMINS = "Заметка администратора"
BUGS: list[BaseException] = []  # what a context reported as a bug: none expected


def _world(db: Database) -> tuple[int, int, int]:
    """Anna's client (her head Глеб sees it) with a note of hers and one of
    the administrator's: (client, Anna's note, the administrator's note)."""
    with db.uow() as uow:
        admin = bootstrap.actor_for(uow)
        manager = uow.session.query(Role).filter(Role.name == "Manager").one()
        head = Role(
            name="Head of department",
            permissions=[*MANAGER_PERMISSIONS, Permission.CLIENTS_VIEW_DEPARTMENT.value],
        )
        uow.session.add(head)
        uow.session.flush()
        uow.session.add_all(
            [
                User(login="anna", full_name="Анна Смирнова", role_id=manager.id, department="С"),
                User(login="gleb", full_name="Глеб Начальников", role_id=head.id, department="С"),
            ]
        )
        uow.commit()
    with db.reader() as uow:
        anna = bootstrap.actor_for(uow, "anna")
    with db.uow(anna.id) as uow:
        client = parties.add_client(uow, anna, "ООО «Ёлка»").id
        uow.commit()
    mine = interactions.add_note(db, anna, "client", client, ANNAS).value
    theirs = interactions.add_note(db, admin, "client", client, ADMINS).value
    return client, mine, theirs


def _ctx(db: Database, login: str | None = None) -> UiContext:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow, login) if login else bootstrap.actor_for(uow)
    return UiContext(
        db=db,
        actor=actor,
        writes=InlineLane(),
        reads=InlineLane(),
        mail=None,
        report_error=BUGS.append,
    )


def _feed(qtbot: QtBot, ctx: UiContext, client: int) -> FeedView:
    view = FeedView(ctx, FeedScope(client_id=client))
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    return view


def _menu(view: FeedView, kind: str, object_id: int) -> list[str]:
    assert view.select(kind, object_id)
    item = view.current_item()
    assert item is not None
    return [a.text() for a in view.menu_for(item).actions()]


@pytest.mark.parametrize(
    ("login", "note", "may"),
    [
        ("anna", "mine", True),  # the author
        ("anna", "theirs", False),  # a manager on her own card: the words are the admin's
        ("gleb", "mine", False),  # her head sees it
        (None, "mine", True),  # the administrator
    ],
)
def test_edit_and_remove_are_offered_only_to_who_may_change_the_note(
    qtbot: QtBot, sqlite_db: Database, login: str | None, note: str, may: bool
) -> None:
    client, mine, theirs = _world(sqlite_db)
    nid = mine if note == "mine" else theirs
    view = _feed(qtbot, _ctx(sqlite_db, login), client)
    asked: list[str] = []
    view.note_actions.confirm = lambda _title, text: bool(asked.append(text))
    labels = _menu(view, "note", nid)
    assert "History…" in labels
    assert ({"Edit note…", "Remove note…"} <= set(labels)) is may
    assert ({"Edit note…", "Remove note…"} & set(labels) == set()) is not may
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_F2)
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    view.list.doubleClicked.emit(view.list.currentIndex())
    if may:
        assert isinstance(view.note_actions.dialog, NoteDialog)
        assert len(asked) == 1
        view.note_actions.dialog.reject()
    else:
        assert view.note_actions.dialog is None
        assert asked == []
        assert "only its author or an administrator" in view.undo_bar.message.text()
    assert len([i for i in view.model.items() if i.kind == "note"]) == 2  # nothing removed


def test_ctrl_h_shows_a_notes_history_as_plain_text_with_the_change_in_full(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client, mine, _theirs = _world(sqlite_db)
    ctx = _ctx(sqlite_db)  # the administrator rewords Anna's note
    interactions.edit_note(sqlite_db, ctx.actor, mine, "Перезвонить\nво вторник")
    view = _feed(qtbot, ctx, client)
    assert view.select("note", mine)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    dialog = view.history_dialog
    assert isinstance(dialog, RecordHistoryDialog)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.windowTitle() == "History of the note"
    assert dialog.heading.textFormat() == Qt.TextFormat.PlainText
    assert dialog.rows() == [
        (ctx.actor.full_name, "Text edited"),
        ("Анна Смирнова", f"Created: «{ANNAS}»"),
    ]
    assert dialog.detail.toPlainText() == f"Before:\n{ANNAS}\n\nAfter:\nПерезвонить\nво вторник"
    dialog.table.setCurrentItem(dialog.table.topLevelItem(1))
    assert dialog.detail.toPlainText() == ANNAS


def test_a_tasks_history_words_its_changes_and_its_deadline_in_the_display_zone(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client, _mine, _theirs = _world(sqlite_db)
    ctx = _ctx(sqlite_db, "anna")
    tid = interactions.add_task(sqlite_db, ctx.actor, "client", client, "Отправить КП").value
    deadline = dt.datetime(2026, 12, 10, 9, 0, tzinfo=dt.UTC)
    interactions.edit_task(
        sqlite_db, ctx.actor, tid, title="Отправить КП «Ёлке»", deadline=deadline
    )
    interactions.complete_task(sqlite_db, ctx.actor, tid)
    view = _feed(qtbot, ctx, client)
    item = next(i for i in view.model.items() if i.kind == "task")
    assert "History…" in [a.text() for a in view.menu_for(item).actions()]
    assert item.id == tid
    view.show_history(item)
    dialog = view.history_dialog
    assert isinstance(dialog, RecordHistoryDialog)
    qtbot.addWidget(dialog)
    changes = [change for _who, change in dialog.rows()]
    assert "Marked done" in changes
    assert "Title: Отправить КП → Отправить КП «Ёлке»" in changes
    [moved] = [c for c in changes if c.startswith("Deadline: — → ")]
    assert "10" in moved
    assert changes[-1] == "Created: «Отправить КП»"
    assert {who for who, _c in dialog.rows()} == {"Анна Смирнова"}


def test_a_history_it_may_not_read_says_why(qtbot: QtBot, sqlite_db: Database) -> None:
    client, mine, _theirs = _world(sqlite_db)
    with sqlite_db.uow() as uow:
        uow.session.execute(update(User).where(User.login == "gleb").values(department="Ю"))
        uow.commit()
    dialog = RecordHistoryDialog(_ctx(sqlite_db, "gleb"), "note", mine, ANNAS, None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.rows() == []
    assert "another manager" in dialog.status.text()
    assert client
