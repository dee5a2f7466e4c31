"""The change bus: one place where every ``Changes`` value is announced.

Whoever changed something (the user through a dialog, mail sync, the outbox,
the linking job, the AI queue) posts the use case's ``Changes`` here on the
GUI thread; open cards, feeds, lists, the agenda, the board and counters
listen to ``changed`` and reload only when the value touches what they show
(as Anki's ``operation_did_execute``).
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from services.core.changes import Changes, Outcome

T = TypeVar("T")


class ChangeBus(QObject):
    changed = Signal(object)  # services.core.changes.Changes

    def post(self, changes: Changes) -> None:
        """Announce ``changes``; an empty value is not announced."""
        if changes:
            self.changed.emit(changes)

    def deliver(self, outcome: Outcome[T]) -> T:
        """A finished job's result on the GUI thread: announce what it
        changed, hand back its value (the mail driver, the linking job, the AI
        queue and the scheduler's jobs all end here)."""
        self.post(outcome.changes)
        return outcome.value
