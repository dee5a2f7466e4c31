"""Finding the client of a new interaction by typing part of its name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QComboBox

from services.core.views import ClientView, DealRow
from services.parties import records as parties
from ui.dialogs.interaction_data import party_deals
from ui.widgets.work import Work

SEARCH_DELAY_MS = 250


class PartySearch:
    """Drives an editable combo: searches a moment after typing stops, lists
    what it found, and hands the chosen client with its deals to ``on_chosen``."""

    def __init__(
        self,
        picker: QComboBox,
        work: Work,
        on_chosen: Callable[[ClientView, list[DealRow]], None],
        parent: QObject,
    ) -> None:
        self._picker = picker
        self._work = work
        self._on_chosen = on_chosen
        picker.setEditable(True)
        picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor = picker.lineEdit()
        assert editor is not None  # an editable combo always has one
        editor.textEdited.connect(self._on_editor_text_edited)
        picker.activated.connect(self._on_picker_activated)
        self.timer = QTimer(parent)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._search)

    def _on_editor_text_edited(self, _text: str) -> None:
        self.timer.start()

    def _search(self) -> None:
        text = self._picker.currentText().strip()
        self._work.read(
            lambda uow, actor: parties.list_clients(uow, actor, text=text or None, limit=20),
            self._on_found,
        )

    def _on_found(self, found: list[ClientView]) -> None:
        picker = self._picker
        text = picker.currentText()
        picker.blockSignals(True)
        picker.clear()
        for party in found:
            picker.addItem(party.name, party.id)
        picker.setEditText(text)
        picker.blockSignals(False)
        if found:
            picker.showPopup()

    def _on_picker_activated(self, index: int) -> None:
        client_id = self._picker.itemData(index)
        if client_id is None:
            return

        def fetch(uow: Any, actor: Any) -> tuple[ClientView, list[DealRow]]:
            party = parties.get_client(uow, actor, client_id)
            return party, party_deals(uow, actor, party, None)

        self._work.read(fetch, self._on_fetched)

    def _on_fetched(self, result: tuple[ClientView, list[DealRow]]) -> None:
        self._on_chosen(*result)
