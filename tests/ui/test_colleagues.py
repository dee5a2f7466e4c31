"""Colleagues in every person picker: a manager hands a task to a colleague,
gives an interaction to them and filters a feed by them (issue 11: only the
acting user was offered, because the list of users was never read)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from services.core import bootstrap
from services.core.storage import Database
from services.parties import records as parties
from tests.conftest import Team
from tests.ui.helpers import make_ctx
from ui.cards import CardWidget

COLLEAGUES = {"Анна Смирнова", "Борис Петров"}


@pytest.fixture
def anna_client(sqlite_db: Database, sqlite_team: Team) -> int:
    with sqlite_db.uow() as uow:
        anna = bootstrap.actor_for(uow, "anna")
        client = parties.add_client(uow, anna, "ООО «Ромашка»", emails=["info@romashka.ru"])
        uow.commit()
        return client.id


def _names(combo: QComboBox) -> set[str]:
    return {combo.itemText(i) for i in range(combo.count()) if combo.itemData(i) is not None}


def _card(qtbot: QtBot, db: Database, client_id: int, tmp_path: Path) -> CardWidget:
    ctx = make_ctx(db, login="anna")
    card = CardWidget(
        ctx,
        "client",
        client_id,
        settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(card)
    qtbot.waitUntil(lambda: card.data is not None)
    return card


def test_a_task_can_be_assigned_to_a_colleague(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, anna_client: int, tmp_path: Path
) -> None:
    card = _card(qtbot, sqlite_db, anna_client, tmp_path)
    offered = {t.removeprefix("Assignee: ") for t in _names(card.quick.assignee)}
    assert offered >= COLLEAGUES | {sqlite_team.admin.full_name}
    assert "Уволенный Сотрудник" not in offered  # deactivated users own nothing new
    assert card.quick.assignee.currentData() == sqlite_team.anna.id


def test_the_quick_task_assignees_follow_colleagues_added_and_deactivated(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, anna_client: int, tmp_path: Path
) -> None:
    """Settings → Users (or another window) adds and deactivates colleagues:
    an open card's quick-add task box offers them without reopening it, and
    keeps the assignee picked meanwhile while that colleague stays."""
    from services.core import users

    card = _card(qtbot, sqlite_db, anna_client, tmp_path)
    quick, ctx = card.quick, card._ctx
    admin = sqlite_team.admin

    def offered() -> set[str]:
        return {t.removeprefix("Assignee: ") for t in _names(quick.assignee)}

    assert "Вера Козлова" not in offered()
    quick.assignee.setCurrentIndex(quick.assignee.findData(sqlite_team.boris.id))
    ctx.bus.deliver(users.add_user(sqlite_db, admin, "vera", "Вера Козлова"))
    qtbot.waitUntil(lambda: "Вера Козлова" in offered())
    assert quick.assignee.currentData() == sqlite_team.boris.id
    assert any(u.login == "vera" for u in quick._users)  # @vera is offered in a note too
    ctx.bus.deliver(users.set_active(sqlite_db, admin, "boris", False))
    qtbot.waitUntil(lambda: "Борис Петров" not in offered())
    assert quick.assignee.currentData() == sqlite_team.anna.id  # back to herself


def test_the_feed_filters_by_any_colleague(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, anna_client: int, tmp_path: Path
) -> None:
    card = _card(qtbot, sqlite_db, anna_client, tmp_path)
    offered = _names(card.feed.filter_bar.owner)
    assert offered >= {"Анна Смирнова (me)", "Борис Петров", sqlite_team.admin.full_name}


def test_an_interaction_can_be_given_to_a_colleague(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, anna_client: int, tmp_path: Path
) -> None:
    card = _card(qtbot, sqlite_db, anna_client, tmp_path)
    dialog = card.new_interaction()
    qtbot.waitUntil(lambda: dialog.owner_combo.count() > 1)
    assert _names(dialog.owner_combo) >= COLLEAGUES | {sqlite_team.admin.full_name}
    assert dialog.owner_combo.currentData() == sqlite_team.anna.id
    dialog.close()


def test_a_note_offers_colleagues_to_mention_and_reaches_their_agenda(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, anna_client: int, tmp_path: Path
) -> None:
    from services.interactions import agenda

    card = _card(qtbot, sqlite_db, anna_client, tmp_path)
    quick = card.quick
    quick.note_edit.insertPlainText("Договор у @бор")  # as typed: the cursor after "@бор"
    assert "@boris — Борис Петров" in quick.note_hint.text()
    # the administrator sees every card, so the mention reaches their agenda
    admin = sqlite_team.admin
    text = f"Согласуйте скидку, @{admin.login}"
    quick.note_edit.setPlainText(text)
    quick.add_note()
    with sqlite_db.reader() as uow:
        mentions = agenda.agenda(uow, admin, dt.datetime.now(dt.UTC)).mentions
    assert [(m.text, m.author_name) for m in mentions] == [(text, "Анна Смирнова")]
