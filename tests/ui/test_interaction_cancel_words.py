"""The interaction dialog's action that marks an interaction cancelled said
"Отменить взаимодействие" beside the dialog's "Отмена" ("Cancel interaction"
beside "Cancel"): it is now named for what it does, in both languages, and
still asks first."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from services.core.storage import Database
from tests.ui.helpers import make_ctx
from tests.ui.test_interaction_dialog import _client, _open, _planned, _state
from ui.dialogs import InteractionDialog

LABEL = {"en": "Mark as cancelled", "ru": "Пометить как отменённое"}
QUESTION = {
    "en": "Mark this call as cancelled?",
    "ru": "Пометить взаимодействие (звонок) как отменённое?",
}
KEEP = {"en": "Keep it", "ru": "Оставить"}


def test_marking_cancelled_is_not_worded_like_closing_the_dialog(
    qtbot: QtBot, sqlite_db: Database, language: str
) -> None:
    """Fails on the old code (checked: "Cancel interaction" /
    "Отменить взаимодействие")."""
    client = _client(sqlite_db)
    interaction_id = _planned(sqlite_db, client.id)
    dialog = _open(qtbot, InteractionDialog(make_ctx(sqlite_db), interaction_id=interaction_id))
    qtbot.waitUntil(dialog.cancel_interaction_button.isVisible)
    label = dialog.cancel_interaction_button.text()
    close = dialog.close_button.text()
    assert label == LABEL[language]
    assert close == ("Cancel" if language == "en" else "Отмена")
    # not even the same first letters: "Отме…" read as "Отмена" at a glance
    assert not label.casefold().startswith(close.casefold()[:4])

    dialog.cancel_interaction_button.click()  # still asks first
    box = dialog.confirm_box
    assert box is not None
    assert box.windowTitle() == LABEL[language]
    assert box.text() == QUESTION[language]
    roles = {box.buttonRole(b): b for b in box.buttons()}
    assert roles[QMessageBox.ButtonRole.DestructiveRole].text() == LABEL[language]
    assert roles[QMessageBox.ButtonRole.RejectRole].text() == KEEP[language]
    roles[QMessageBox.ButtonRole.RejectRole].click()
    assert _state(sqlite_db, interaction_id) == "planned"
    dialog.cancel_interaction_button.click()
    box = dialog.confirm_box
    assert box is not None
    yes = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    with qtbot.waitSignal(dialog.saved):
        yes.click()
    assert _state(sqlite_db, interaction_id) == "cancelled"
