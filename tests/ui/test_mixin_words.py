"""Screens split into mixins keep their Russian.

A mixin's strings are extracted in the mixin's own context (lupdate names
it after the class the ``self.tr`` is written in), while at run time the
instance is a dialog, a page or a view (or a subclass of one, like
``NextStepDialog``): PySide's ``tr`` tries each class of the instance's MRO
in turn. These check that words written in each mixin reach the user in
Russian on the real widget.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.core.views import FeedItem
from services.feed.pages import FeedScope
from services.interactions import actions as ix
from services.interactions.note_edits import NoteView
from services.parties import records as parties
from tests.ui.helpers import make_ctx
from ui.dialogs import InteractionDialog, NextStepDialog
from ui.feed.feed_view import FeedView
from ui.settings.templates_page import TemplatesPage


def _planned_call(db: Database) -> tuple[int, int]:
    with db.uow() as uow:
        actor = bootstrap.actor_for(uow)
        client = parties.add_client(uow, actor, "ООО «Ромашка»")
        start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=1)
        spec = ix.NewInteraction(type="call", planned=True, start=start, client_id=client.id)
        view = ix.create(uow, actor, spec)
        uow.commit()
        return client.id, view.id


@pytest.mark.usefixtures("russian")
def test_the_interaction_dialog_and_its_next_step_dialog_speak_russian(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    _client, call = _planned_call(sqlite_db)
    ctx = make_ctx(sqlite_db)
    dialog = InteractionDialog(ctx, interaction_id=call)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.complete_button.isVisible())
    assert dialog.complete_button.text() == "Выполнить"  # InteractionForm
    next_step = NextStepDialog(ctx, interaction_id=call)
    qtbot.addWidget(next_step)
    assert next_step.windowTitle() == "Запланировать следующий шаг"  # two classes away
    assert next_step.ok_button.text() == "Запланировать следующий шаг"
    dialog._on_cancel_interaction_button_clicked()  # InteractionStateChanges
    assert dialog.confirm_box is not None
    assert dialog.confirm_box.text() == "Пометить взаимодействие (звонок) как отменённое?"
    dialog.confirm_box.close()


@pytest.mark.usefixtures("russian")
def test_the_templates_page_speaks_russian(qtbot: QtBot, sqlite_db: Database) -> None:
    page = TemplatesPage(make_ctx(sqlite_db))
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: page.loaded)
    assert page.variables_button.text() == "Вставить переменную"  # TemplateForm
    assert page.save_button.text() == "Сохранить"
    menus = [action.text() for action in page.variables_menu.actions()]
    assert "Клиент" in menus


@pytest.mark.usefixtures("russian")
def test_a_feed_items_menu_speaks_russian(qtbot: QtBot, sqlite_db: Database) -> None:
    client, call = _planned_call(sqlite_db)
    view = FeedView(make_ctx(sqlite_db), FeedScope(client_id=client))
    qtbot.addWidget(view)
    letter = FeedItem(
        kind="interaction",
        id=call,
        type="email",
        state="done",
        start=dt.datetime.now(dt.UTC),
        owner_id=None,
        title="Счёт",
        text=None,
        deal_id=None,
        source="email",
        client_id=client,
    )
    texts = [action.text() for action in view.menu_for(letter).actions()]  # FeedItemActions
    assert "Почему это здесь?" in texts
    assert "Отвязать от этой карточки…" in texts


@pytest.mark.usefixtures("russian")
def test_a_removed_notes_undo_bar_in_the_feed_speaks_russian(
    qtbot: QtBot, sqlite_db: Database
) -> None:
    """Words written in FeedRecordActions (split from FeedItemActions)."""
    client, _call = _planned_call(sqlite_db)
    view = FeedView(make_ctx(sqlite_db), FeedScope(client_id=client))
    qtbot.addWidget(view)
    gone = NoteView(
        id=1,
        uid="n1",
        body="Позвонить Ёжикову",
        author_id=1,
        author_name="Анна",
        created_at=dt.datetime.now(dt.UTC),
        mentions=(),
        client_id=client,
        lead_id=None,
        deal_id=None,
        contact_id=None,
        row_version=1,
    )
    view._on_note_removed(gone)  # FeedRecordActions
    assert view.undo_bar.message.text() == "Примечание «Позвонить Ёжикову» удалено"
