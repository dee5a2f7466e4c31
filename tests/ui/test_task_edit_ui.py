"""A task in the window: the agenda reschedules it (menu and dialog), F2
opens the edit dialog that saves title, deadline or none and assignee, Del
asks before removing it (Cancel changes nothing); on a card's feed a done
task is reopened and a removed one comes back with Undo; a stale dialog
shows both values instead of overwriting a colleague's save."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from models import Role, User
from services.core import bootstrap
from services.core.storage import Database
from services.feed.pages import FeedScope
from services.interactions import tasks
from services.interactions import use_cases as interactions
from services.parties import records as parties
from tests.ui.test_main_window import make_ctx
from ui.agenda.agenda_panel import AgendaPanel
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.task_dialog import TaskDialog
from ui.feed import FeedView

SOON = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) + dt.timedelta(days=2)


def _world(db: Database) -> tuple[int, int, int]:
    """A client with one open task of the administrator's, and a colleague:
    (client id, task id, colleague's user id)."""
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        role = uow.session.query(Role).filter(Role.name == "Manager").one()
        anna = User(login="anna", full_name="Анна Смирнова", role_id=role.id)
        uow.session.add(anna)
        client = parties.add_client(uow, actor, "ООО «Ёлка»").id
        uow.session.flush()
        task = tasks.add_task(uow, actor, "client", client, "Позвонить Ёжикову", deadline=SOON)
        uow.commit()
        return client, task, anna.id


def _task(db: Database, task_id: int) -> tasks.TaskView | None:
    with db.reader() as uow:
        actor = bootstrap.actor_for(uow)
        try:
            return tasks.get(uow, actor, task_id)
        except Exception:  # noqa: BLE001 - removed: NotFoundError
            return None


@pytest.fixture
def agenda(qtbot: QtBot, sqlite_db: Database) -> AgendaPanel:
    panel = AgendaPanel(make_ctx(sqlite_db))
    qtbot.addWidget(panel)
    panel.resize(1200, 700)
    panel.show()
    return panel


def _select_task(panel: AgendaPanel, task_id: int) -> None:
    panel.refresh()
    tree = panel.tree
    for i in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(i)
        assert group is not None
        for j in range(group.childCount()):
            child = group.child(j)
            item = child.data(0, Qt.ItemDataRole.UserRole)  # type: ignore[union-attr]
            if (item.kind, item.id) == ("task", task_id):
                tree.setCurrentItem(child)
                return
    raise AssertionError("the task is not in the agenda")


def test_the_agenda_reschedules_a_task_like_an_interaction(
    agenda: AgendaPanel, sqlite_db: Database
) -> None:
    _client, task, _anna = _world(sqlite_db)
    _select_task(agenda, task)
    assert agenda.reschedule_button.isEnabled()
    agenda._move_selected(1)  # tomorrow morning, keeping the time of day
    moved = _task(sqlite_db, task)
    assert moved is not None
    assert moved.deadline is not None
    local = moved.deadline.astimezone(dt.datetime.now().astimezone().tzinfo)
    assert local.date() > dt.date.today()
    assert local.weekday() < 5
    _select_task(agenda, task)
    agenda.reschedule_selected()
    dialog = agenda.dialog
    assert dialog.isVisible()
    when = (dt.datetime.now() + dt.timedelta(days=9)).replace(
        hour=15, minute=30, second=0, microsecond=0
    )
    dialog._set(when)
    dialog.accept()
    moved = _task(sqlite_db, task)
    assert moved is not None
    assert moved.deadline is not None
    assert (
        moved.deadline.astimezone(dt.datetime.now().astimezone().tzinfo).replace(tzinfo=None)
        == when
    )


def test_f2_opens_the_edit_dialog_that_saves_every_field(
    qtbot: QtBot, agenda: AgendaPanel, sqlite_db: Database
) -> None:
    _client, task, anna = _world(sqlite_db)
    _select_task(agenda, task)
    agenda.tree.setFocus()
    qtbot.keyClick(agenda.tree, Qt.Key.Key_F2)
    dialog = agenda.tasks.dialog
    assert isinstance(dialog, TaskDialog)
    assert dialog.isVisible()
    assert dialog.title.text() == "Позвонить Ёжикову"
    assert not dialog.no_deadline.isChecked()
    names = [dialog.assignee.itemText(i) for i in range(dialog.assignee.count())]
    assert "Анна Смирнова" in names
    dialog.title.setText("Отправить КП «Ёлке»")
    dialog.no_deadline.setChecked(True)
    assert not dialog.when.isEnabled()
    dialog.assignee.setCurrentIndex(dialog.assignee.findData(anna))
    dialog.save_button.click()
    saved = _task(sqlite_db, task)
    assert saved is not None
    assert (saved.title, saved.deadline, saved.assignee_id) == ("Отправить КП «Ёлке»", None, anna)
    assert not dialog.isVisible()


def test_an_empty_title_cannot_be_saved(agenda: AgendaPanel, sqlite_db: Database) -> None:
    _client, task, _anna = _world(sqlite_db)
    _select_task(agenda, task)
    agenda.edit_selected()
    dialog = agenda.tasks.dialog
    assert dialog is not None
    dialog.title.setText("   ")
    assert not dialog.save_button.isEnabled()


def test_del_asks_and_cancel_keeps_the_task(
    qtbot: QtBot, agenda: AgendaPanel, sqlite_db: Database
) -> None:
    _client, task, _anna = _world(sqlite_db)
    asked: list[str] = []
    answer = [False]

    def confirm(_title: str, text: str) -> bool:
        asked.append(text)
        return answer[0]

    agenda.tasks.confirm = confirm
    _select_task(agenda, task)
    agenda.tree.setFocus()
    qtbot.keyClick(agenda.tree, Qt.Key.Key_Delete)
    assert asked == ["Remove the task “Позвонить Ёжикову”? It is deleted for everyone."]
    assert _task(sqlite_db, task) is not None
    answer[0] = True
    qtbot.keyClick(agenda.tree, Qt.Key.Key_Delete)
    assert _task(sqlite_db, task) is None
    agenda.refresh()
    assert agenda.selected_item() is None


def _feed(qtbot: QtBot, db: Database, client: int) -> FeedView:
    view = FeedView(make_ctx(db), FeedScope(client_id=client))
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    return view


def test_the_feed_reopens_a_done_task_and_undoes_a_removal(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    client, task, _anna = _world(sqlite_db)
    with sqlite_db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    interactions.complete_task(sqlite_db, admin, task)
    view = _feed(qtbot, sqlite_db, client)
    assert view.select("task", task)
    item = view.current_item()
    assert item is not None
    labels = [a.text() for a in view.menu_for(item).actions()]
    assert "Reopen task" in labels
    assert "Remove task…" in labels
    view.task_actions.reopen(task)
    reopened = _task(sqlite_db, task)
    assert reopened is not None
    assert not reopened.done

    view.task_actions.confirm = lambda _t, _q: True
    assert view.select("task", task)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Delete)
    assert _task(sqlite_db, task) is None
    assert view.undo_bar.message.text() == "Task “Позвонить Ёжикову” removed"
    view.undo_bar.undo_button.click()
    back = [i for i in view.model.items() if i.kind == "task"]
    assert [i.title for i in back] == ["Позвонить Ёжикову"]
    assert view.current_item() is not None


def test_enter_on_a_task_in_the_feed_edits_it(qtbot: QtBot, sqlite_db: Database) -> None:
    client, task, _anna = _world(sqlite_db)
    view = _feed(qtbot, sqlite_db, client)
    assert view.select("task", task)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    dialog = view.task_actions.dialog
    assert isinstance(dialog, TaskDialog)
    assert dialog.title.text() == "Позвонить Ёжикову"


def test_a_save_over_a_colleagues_save_shows_both_values(
    agenda: AgendaPanel, sqlite_db: Database
) -> None:
    _client, task, _anna = _world(sqlite_db)
    _select_task(agenda, task)
    agenda.edit_selected()
    dialog = agenda.tasks.dialog
    assert dialog is not None
    with sqlite_db.reader() as uow:
        admin = bootstrap.actor_for(uow)
    interactions.edit_task(sqlite_db, admin, task, title="Позвонить в среду")  # another window
    dialog.title.setText("Позвонить в пятницу")
    dialog.save_button.click()
    conflict = dialog.conflict_dialog
    assert isinstance(conflict, ConflictDialog)
    assert conflict.isVisible()
    assert conflict.choices() == {"title": "Позвонить в пятницу"}
    conflict.take_theirs("title")
    conflict.accept()
    saved = _task(sqlite_db, task)
    assert saved is not None
    assert saved.title == "Позвонить в среду"
    assert saved.row_version == 2  # their value kept: nothing more to write
    assert not dialog.isVisible()


def test_the_assignee_list_follows_colleagues_added_and_deactivated(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    from services.core import users

    _client, task, _anna = _world(sqlite_db)
    ctx = make_ctx(sqlite_db)
    dialog = TaskDialog(ctx, task)
    qtbot.addWidget(dialog)
    dialog.show()

    def names() -> list[str]:
        return [dialog.assignee.itemText(i) for i in range(dialog.assignee.count())]

    assert "Вера Козлова" not in names()
    ctx.bus.deliver(users.add_user(sqlite_db, ctx.actor, "vera", "Вера Козлова"))
    assert "Вера Козлова" in names()
    ctx.bus.deliver(users.set_active(sqlite_db, ctx.actor, "anna", False))
    assert "Анна Смирнова" not in names()
    # a colleague's later save is still refused: the task stays as it was opened
    interactions.edit_task(sqlite_db, ctx.actor, task, title="Позвонить в среду")
    ctx.bus.deliver(users.add_user(sqlite_db, ctx.actor, "gleb", "Глеб Начальников"))
    dialog.title.setText("Позвонить в пятницу")
    dialog.save_button.click()
    assert isinstance(dialog.conflict_dialog, ConflictDialog)


def test_an_open_card_shows_a_task_changed_elsewhere(
    qtbot: QtBot, sqlite_db: Database, tmp_path: Path
) -> None:
    """The agenda (or another window) edits and removes the task: the card
    open on its client reads its feed again from the change bus."""
    from ui.cards import CardWidget

    client, task, _anna = _world(sqlite_db)
    ctx = make_ctx(sqlite_db)
    ui_settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    card = CardWidget(ctx, "client", client, settings=ui_settings)
    qtbot.addWidget(card)
    card.resize(1300, 850)
    card.show()

    def titles() -> list[str]:
        return [i.title for i in card.feed.model.items() if i.kind == "task"]

    assert titles() == ["Позвонить Ёжикову"]
    ctx.bus.deliver(interactions.edit_task(sqlite_db, ctx.actor, task, title="Счёт «Ёлке»"))
    assert titles() == ["Счёт «Ёлке»"]
    ctx.bus.deliver(interactions.remove_task(sqlite_db, ctx.actor, task))
    assert titles() == []
