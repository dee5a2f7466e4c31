"""Changing an existing interaction's state from its dialog: complete
(asking when, if it was planned for later), cancel (after a question),
restore as planned (asking for a new time), and, on a deal that must always
have a planned interaction, the next step asked for and saved in the same
call; for a new one, a whole scenario planned instead.

A mixin of :class:`~ui.dialogs.interaction_dialog.InteractionDialog`, kept
apart from the form and the plain save; its strings are translated in this
class's context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from services.core.errors import ValidationError
from services.core.views import InteractionView
from services.interactions.actions import NewInteraction
from ui.agenda.reschedule_dialog import WhenDialog, restore_time
from ui.dialogs import interaction_actions as actions
from ui.widgets import labels, timefmt
from ui.widgets.questions import ask_destructive

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog, QPlainTextEdit

    from services.core.views import ClientView
    from ui.context import UiContext
    from ui.dialogs.interaction_dialog import NextStepDialog
    from ui.widgets.hints import FieldHint
    from ui.widgets.work import Work

    _Base = QDialog
else:
    _Base = object  # at run time a plain mixin: the dialog brings QDialog


class InteractionStateChanges(_Base):
    """Complete, cancel, restore and a scenario instead, with their questions."""

    def _on_scenario_button_clicked(self) -> None:
        """The chosen scenario replaces this one interaction: the dialog closes
        once the chain is planned."""
        from ui.scenarios.apply_dialog import ApplyScenarioDialog

        if self.party is None or not self.checked_contacts():
            return
        self.scenario_dialog = ApplyScenarioDialog(
            self._ctx, self.party.id, self.checked_contacts()[0], self
        )
        self.scenario_dialog.applied.connect(lambda _run: self.accept())
        self.scenario_dialog.finished.connect(self.scenario_dialog.deleteLater)
        self.scenario_dialog.open()

    def _on_complete_button_clicked(self) -> None:
        view = self.interaction
        if view is None:
            return
        now = dt.datetime.now(view.start.tzinfo)
        if view.start <= now:
            self._done_at = None
            self.complete()
            return
        # planned for later but done already: when? (else "Last contact: tomorrow")
        self.when_dialog = dialog = WhenDialog(
            self.tr("When did it happen?"),
            now.replace(tzinfo=None, second=0, microsecond=0),
            self.tr("It was planned for %1. Mark it done at:").replace(
                "%1", timefmt.when(view.start, self._display_zone)
            ),
            self,
            past=True,
        )
        dialog.accepted.connect(lambda: self._complete_at(dialog.value()))
        dialog.open()

    def _complete_at(self, at: dt.datetime) -> None:
        self._done_at = at
        self.complete()

    def complete(self, next_step: NewInteraction | None = None) -> None:
        view = self.interaction
        if view is None:
            return
        outcome = self.outcome.toPlainText().strip() or None
        self._set_busy(True, self.tr("Completing…"))
        self._work.run(
            actions.complete(view.id, next_step, outcome, self._done_at),
            lambda result: self._on_written(result, "completed"),
            lambda exc: self._on_rule_failed(exc, self.complete),
        )

    def _on_cancel_interaction_button_clicked(self) -> None:
        view = self.interaction
        if view is None:
            return
        self.confirm_box = ask_destructive(
            self,
            self.tr("Mark as cancelled"),
            self.tr("Mark this %1 as cancelled?").replace(
                "%1", labels.type_label(view.type).lower()
            ),
            self.tr("Mark as cancelled"),
            self.cancel_interaction,
            details=self.tr("It stays in the feed, struck through. You can restore it later."),
            keep=self.tr("Keep it"),
        )

    def cancel_interaction(self, next_step: NewInteraction | None = None) -> None:
        view = self.interaction
        if view is None:
            return
        self._set_busy(True, self.tr("Cancelling…"))
        self._work.run(
            actions.cancel(view.id, next_step),
            lambda result: self._on_written(result, "cancelled"),
            lambda exc: self._on_rule_failed(exc, self.cancel_interaction),
        )

    def _on_restore_button_clicked(self) -> None:
        view = self.interaction
        if view is None:
            return
        if self._time_touched:
            self._restore(view, self.wall_time())
            return
        # its old time has usually passed: ask, or it comes back overdue
        self.when_dialog = dialog = WhenDialog(
            self.tr("Restore"), restore_time(view.start), self.tr("Plan it again for:"), self
        )
        dialog.accepted.connect(lambda: self._restore(view, dialog.value()))
        dialog.open()

    def _restore(self, view: InteractionView, start: dt.datetime) -> None:
        self._set_busy(True, self.tr("Restoring…"))
        self._work.run(
            actions.restore(view.id, start, self._zone),
            lambda result: self._on_written(result, "restored"),
            self._on_write_failed,
        )

    def _on_rule_failed(
        self, exc: BaseException, retry: Callable[[NewInteraction | None], None]
    ) -> None:
        """The deal needs a planned next step: ask for it, then retry with it."""
        if not (isinstance(exc, ValidationError) and exc.field == "next"):
            self._show_error(exc)
            return
        self._set_busy(False)
        view = self.interaction
        assert view is not None
        from ui.dialogs.interaction_dialog import NextStepDialog  # it is an InteractionDialog

        dialog = NextStepDialog(
            self._ctx,
            interaction_id=view.id,
            reason=self.tr(
                "This deal must always have a planned interaction. "
                "Plan the next step, and both are saved together."
            ),
            parent=self,
        )
        self.next_step_dialog = dialog
        dialog.collected.connect(retry)
        dialog.rejected.connect(self._on_next_step_rejected)
        dialog.open()

    def _on_next_step_rejected(self) -> None:
        self.general_hint.show_warning(
            self.tr("Nothing was changed: this deal needs a planned next step first.")
        )

    if TYPE_CHECKING:
        # What the dialog and its other mixins define, for the type checker
        # only. Last in the class: pyside6-lupdate loses the translation
        # context of the code after a def inside an if.
        _ctx: UiContext
        _work: Work
        _zone: str
        _display_zone: str
        _time_touched: bool
        _done_at: dt.datetime | None
        party: ClientView | None
        interaction: InteractionView | None
        scenario_dialog: Any
        when_dialog: WhenDialog | None
        next_step_dialog: NextStepDialog | None
        confirm_box: QMessageBox | None
        outcome: QPlainTextEdit
        general_hint: FieldHint

        def checked_contacts(self) -> tuple[int, ...]: ...
        def wall_time(self) -> dt.datetime: ...
        def _set_busy(self, busy: bool, text: str = "") -> None: ...
        def _show_error(self, exc: BaseException) -> None: ...
        def _on_written(self, view: InteractionView, action: str) -> None: ...
        def _on_write_failed(self, exc: BaseException) -> None: ...
