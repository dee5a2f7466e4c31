"""Share… on a card, as Anna (a manager) would use it: the dialog offers
her colleagues, sharing lets Boris see the card, the history says so, and
stopping offers Undo in the window's bar, which puts Boris back."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from services.core.access import PermissionDenied
from services.core.history import history
from services.core.storage import Database
from services.parties import records as parties
from services.parties import shares
from tests.conftest import Team
from tests.ui.test_main_window import FakeMail, make_ctx, make_prefs
from ui.cards import CardWidget
from ui.dialogs.share_dialog import ShareDialog
from ui.main_window import MainWindow
from ui.widgets.labels import change_title


def _names(dialog: ShareDialog) -> list[str]:
    return [dialog.shared_list.item(r).text() for r in range(dialog.shared_list.count())]


def _offered(dialog: ShareDialog) -> list[str]:
    return [dialog.colleague.itemText(r) for r in range(dialog.colleague.count())]


def _sharing_lines(db: Database, team: Team, ident: int) -> list[tuple[str | None, str | None]]:
    with db.reader() as uow:
        return [
            (e.old, e.new)
            for e in history(uow, team.anna, "client", ident)
            if e.field == "shared_with"
        ]


@pytest.fixture
def annas(sqlite_db: Database, sqlite_team: Team) -> int:
    with sqlite_db.uow(sqlite_team.anna.id) as uow:
        client = parties.add_client(uow, sqlite_team.anna, "ООО Общая карточка")
        uow.commit()
    return client.id


def test_share_from_the_card_menu_then_stop_and_undo(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, annas: int, tmp_path: Path
) -> None:
    errors: list[BaseException] = []
    ctx = dataclasses.replace(make_ctx(sqlite_db, errors, mail=FakeMail()), actor=sqlite_team.anna)
    window = MainWindow(ctx, make_prefs(tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.open_card("client", annas, "ООО Общая карточка")
    card = window.workspace.currentWidget()
    assert isinstance(card, CardWidget)
    qtbot.waitUntil(lambda: card.data is not None)
    share = [a for a in card.header.more_menu.actions() if a.text() == "Share…"]
    assert len(share) == 1
    share[0].trigger()
    dialog = window.records.dialog
    assert isinstance(dialog, ShareDialog)
    assert dialog.windowTitle() == "Share client"
    qtbot.waitUntil(lambda: dialog.state is not None)
    assert _names(dialog) == []
    assert dialog.empty.isVisibleTo(dialog)
    assert not dialog.remove_button.isEnabled()
    # Colleagues, not the owner herself nor someone who left the company.
    offered = _offered(dialog)
    assert "Борис Петров" in offered
    assert "Анна Смирнова" not in offered
    assert "Уволенный Сотрудник" not in offered

    dialog.colleague.setCurrentIndex(dialog.colleague.findText("Борис Петров"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _names(dialog) == ["Борис Петров"])
    assert "Борис Петров" not in _offered(dialog)
    with sqlite_db.reader() as uow:
        assert parties.get_client(uow, sqlite_team.boris, annas).name == "ООО Общая карточка"
    assert _sharing_lines(sqlite_db, sqlite_team, annas) == [(None, "Борис Петров")]
    assert change_title("client.shared_with") == "Sharing changed"

    dialog.shared_list.setCurrentRow(0)
    assert dialog.remove_button.isEnabled()
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _names(dialog) == [])
    with sqlite_db.reader() as uow, pytest.raises(PermissionDenied):
        parties.get_client(uow, sqlite_team.boris, annas)
    assert window.undo_bar.isVisible()
    assert window.undo_bar.message.text() == "No longer shared with Борис Петров"

    # Undo from the bar shares again; the open dialog follows the change.
    qtbot.mouseClick(window.undo_bar.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _names(dialog) == ["Борис Петров"])
    with sqlite_db.reader() as uow:
        assert parties.get_client(uow, sqlite_team.boris, annas).name == "ООО Общая карточка"
    assert sorted(_sharing_lines(sqlite_db, sqlite_team, annas), key=str) == sorted(
        [(None, "Борис Петров"), ("Борис Петров", None), (None, "Борис Петров")], key=str
    )
    assert not errors


def test_a_colleague_it_is_shared_with_cannot_pass_it_on(
    qtbot: QtBot, sqlite_db: Database, sqlite_team: Team, annas: int
) -> None:
    shares.set_shared(sqlite_db, sqlite_team.anna, "client", annas, "boris", shared=True)
    errors: list[BaseException] = []
    ctx = dataclasses.replace(make_ctx(sqlite_db, errors), actor=sqlite_team.boris)
    dialog = ShareDialog(ctx, "client", annas)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.state is not None)
    assert _names(dialog) == ["Борис Петров"]
    assert dialog.colleague.count() == 1  # the administrator: Анна owns it, Борис has it
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog))
    assert "only its owner shares it" in dialog.error.text()
    assert _names(dialog) == ["Борис Петров"]
    assert not errors


def test_a_lead_card_offers_share_too(qtbot: QtBot, sqlite_db: Database, sqlite_team: Team) -> None:
    with sqlite_db.uow(sqlite_team.anna.id) as uow:
        lead = parties.add_lead(uow, sqlite_team.anna, "Лид Анны")
        uow.commit()
    ctx = dataclasses.replace(make_ctx(sqlite_db), actor=sqlite_team.anna)
    dialog = ShareDialog(ctx, "lead", lead.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.state is not None)
    assert dialog.windowTitle() == "Share lead"
    dialog.colleague.setCurrentIndex(dialog.colleague.findText("Борис Петров"))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _names(dialog) == ["Борис Петров"])
    with sqlite_db.reader() as uow:
        assert parties.get_lead(uow, sqlite_team.boris, lead.id).name == "Лид Анны"
