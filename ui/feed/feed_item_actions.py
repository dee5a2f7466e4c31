"""What can be done to one item of a feed: cancel it with Undo (asking for
the next step a deal needs), restore it as planned at a new time, and for an
imported letter or call say why it is on the card (Ctrl+I), unlink it, or
play a call's recording with the system player; the context menu offers
them, and a task's or a note's edit, removal and history
(``feed_record_actions``).

A mixin of :class:`~ui.feed.feed_view.FeedView`, kept apart so that the
view's module reads as the list and its states; its strings are translated
in this class's context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu

from services.core.errors import ValidationError
from services.core.views import FeedItem, InteractionView
from services.feed import sources as feed_sources
from services.interactions import actions as ix
from services.interactions import use_cases as interactions
from services.linking import use_cases as linking
from ui.agenda.reschedule_dialog import WhenDialog, restore_time
from ui.feed import link_reason_words
from ui.feed.feed_record_actions import FeedRecordActions
from ui.shell import error_text
from ui.widgets import labels
from ui.widgets.questions import confirm_destructive

if TYPE_CHECKING:
    from PySide6.QtCore import Signal

    from ui.dialogs.interaction_dialog import NextStepDialog
    from ui.feed.why_bar import WhyBar
    from ui.widgets.work import Work

# FeedItem.source of letters and calls that can explain themselves
IMPORTED = ("email", "call")
WHY_KEY = QKeySequence("Ctrl+I")
HISTORY_KEY = QKeySequence("Ctrl+H")


class FeedItemActions(FeedRecordActions):
    """Cancel, restore, why, unlink and play one item (a task's or a note's
    edits are ``FeedRecordActions``'); the widgets they use (list, model,
    why bar, undo bar) are the view's."""

    def cancel_current(self) -> None:
        """Cancel the selected interaction ("delete"): it stays in the feed,
        struck through, and the undo bar can bring it back."""
        item = self.current_item()
        if item is None:
            return
        if item.kind == "task":
            self.remove_task(item)
            return
        if item.kind == "note":
            self.remove_note(item)
            return
        if item.kind != "interaction":
            self.undo_bar.show_message(self.tr("Only interactions can be cancelled"))
            return
        if item.state == "cancelled":
            self.undo_bar.show_message(self.tr("This interaction is cancelled already"))
            return
        self._cancel(item, None)

    def explain_current(self) -> None:
        item = self.current_item()
        if item is not None and item.kind == "interaction":
            self.explain(item)

    # --- imported letters and calls: why, unlink, recording -------------------------

    def explain(self, item: FeedItem) -> None:
        """Show why an interaction is on this card ("why is this here")."""
        self._work.read(
            lambda uow, actor: feed_sources.source_of(uow, actor, item.id),
            lambda source: self._on_source_explained(item, source),
        )

    def _on_source_explained(self, item: FeedItem, source: feed_sources.ItemSource) -> None:
        if source.imported:
            text = (
                link_reason_words.worded(source.reason)
                if source.reason
                else self.tr("Imported by mail sync: the address was on the card.")
            )
        elif item.type == "email":
            text = self.tr("Written or sent from Touchpoint on this card, not linked by address.")
        else:
            text = self.tr("Entered by hand on this card, not imported.")
        title = {
            "email": self.tr("Why is this letter here?"),
            "call": self.tr("Why is this call here?"),
        }.get(item.source or "", self.tr("Why is this here?"))
        self.why_bar.show_reason(item.id, title, text, can_unlink=source.imported)

    def unlink(self, item: FeedItem) -> None:
        """Take an imported letter or call off this card, after a question;
        the linking job never puts it back."""
        if item.kind != "interaction" or item.source not in IMPORTED:
            self.undo_bar.show_message(self.tr("Only imported letters and calls can be unlinked"))
            return
        question = (
            self.tr(
                "Take this letter off the card? It goes back to the unlinked letters, and the "
                "linking job will not put it here again."
            )
            if item.source == "email"
            else self.tr("Take this call off the card? The linking job will not put it here again.")
        )
        if not self.confirm(self.tr("Unlink from this card"), question):
            return
        self._work.run(
            lambda db, actor: linking.unlink_item(db, actor, item.id),
            lambda _source: self._on_unlinked(item),
        )

    def _on_unlinked(self, item: FeedItem) -> None:
        if self.why_bar.interaction_id == item.id:
            self.why_bar.dismiss()
        self.model.refresh()
        text = (
            self.tr("The letter is no longer on this card")
            if item.source == "email"
            else self.tr("The call is no longer on this card")
        )
        self.undo_bar.show_message(text)
        self.changed.emit()

    def play_recording(self, item: FeedItem) -> None:
        """Open a call's recording with the system player."""
        self._work.read(
            lambda uow, actor: feed_sources.source_of(uow, actor, item.id),
            self._on_recording_found,
        )

    def _on_recording_found(self, source: feed_sources.ItemSource) -> None:
        if not source.recording:
            self.undo_bar.show_message(self.tr("No recording was imported with this call"))
            return
        path = Path(source.recording).expanduser()
        if not path.is_file():
            self.undo_bar.show_message(
                self.tr("The recording %1 is not on this computer").replace("%1", str(path))
            )
            return
        if not self.open_url(QUrl.fromLocalFile(str(path.resolve()))):
            self.undo_bar.show_message(
                self.tr("No program to play %1 was found").replace("%1", path.name)
            )

    def _on_why_bar_unlink_clicked(self, interaction_id: object) -> None:
        row = self.model.row_of("interaction", int(str(interaction_id)))
        item = self.model.item(row) if row is not None else None
        if item is not None:
            self.unlink(item)

    def _confirm(self, title: str, text: str) -> bool:
        return confirm_destructive(self, title, text, title)

    def restore_current(self) -> None:
        """Back to planned at a time the user picks: its old one has
        usually passed, and coming back overdue helps nobody."""
        item = self.current_item()
        if item is None or item.kind != "interaction" or item.state != "cancelled":
            return
        self.when_dialog = dialog = WhenDialog(
            self.tr("Restore"),
            restore_time(item.start),
            self.tr("Plan it again for:"),
            self,
        )
        dialog.accepted.connect(lambda: self._restore(item.id, dialog.value()))
        dialog.open()

    def _restore(self, interaction_id: int, when: dt.datetime) -> None:
        self._work.run(
            lambda db, actor: interactions.restore(db, actor, interaction_id, start=when),
            self._on_restored,
        )

    # --- cancel with undo -----------------------------------------------------------

    def _cancel(self, item: FeedItem, next_step: ix.NewInteraction | None) -> None:
        self._work.run(
            lambda db, actor: interactions.cancel(db, actor, item.id, next_step=next_step),
            lambda view: self._on_cancelled(item, view),
            lambda exc: self._on_cancel_failed(item, exc),
        )

    def _on_cancelled(self, item: FeedItem, view: InteractionView) -> None:
        self._reselect = (item.kind, item.id)
        self.model.refresh()
        previous = item.state
        text = self.tr("%1 cancelled").replace("%1", labels.type_label(item.type))
        self.undo_bar.show_message(text, lambda: self._undo_cancel(view.id, previous))
        self.changed.emit()

    def _undo_cancel(self, interaction_id: int, previous: str) -> None:
        self._work.run(
            lambda db, actor: interactions.undo_cancel(db, actor, interaction_id, previous),
            self._on_restored,
        )

    def _on_restored(self, _view: InteractionView) -> None:
        self.refresh()
        self.changed.emit()

    def _on_cancel_failed(self, item: FeedItem, exc: BaseException) -> None:
        if isinstance(exc, ValidationError) and exc.field == "next":
            self._ask_next_step(item, error_text.message(exc))
            return
        self._ctx.report_error(exc)

    def _ask_next_step(self, item: FeedItem, reason: str) -> None:
        from ui.dialogs.interaction_dialog import NextStepDialog

        dialog = NextStepDialog(self._ctx, interaction_id=item.id, reason=reason, parent=self)
        self.next_step_dialog = dialog
        dialog.collected.connect(lambda spec: self._cancel(item, spec))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def menu_for(self, item: FeedItem) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.tr("Open"), lambda: self.item_activated.emit(item.kind, item.id))
        if item.kind == "interaction":
            if item.state == "cancelled":
                menu.addAction(self.tr("Restore as planned"), self.restore_current)
            else:
                action = menu.addAction(self.tr("Mark as cancelled"), self.cancel_current)
                action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        if item.kind == "task":
            self._task_menu(menu, item)
        if item.kind == "note" and self.may_change_note(item):
            edit = menu.addAction(self.tr("Edit note…"), lambda: self.edit_note(item))
            edit.setShortcut(QKeySequence("F2"))
            remove = menu.addAction(self.tr("Remove note…"), lambda: self.remove_note(item))
            remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        if item.kind in ("task", "note"):
            history = menu.addAction(self.tr("History…"), lambda: self.show_history(item))
            history.setShortcut(HISTORY_KEY)
        if item.kind == "interaction" and item.source in IMPORTED:
            menu.addSeparator()
            why = menu.addAction(self.tr("Why is this here?"), lambda: self.explain(item))
            why.setShortcut(WHY_KEY)
            if item.source == "call":
                menu.addAction(self.tr("Play recording"), lambda: self.play_recording(item))
            menu.addAction(self.tr("Unlink from this card…"), lambda: self.unlink(item))
        return menu

    def _task_menu(self, menu: QMenu, item: FeedItem) -> None:
        edit = menu.addAction(self.tr("Edit task…"), lambda: self.edit_task(item))
        edit.setShortcut(QKeySequence("F2"))
        if item.state == "done":
            menu.addAction(self.tr("Reopen task"), lambda: self.task_actions.reopen(item.id))
        else:
            menu.addAction(self.tr("Mark done"), lambda: self.task_actions.complete(item.id))
        remove = menu.addAction(self.tr("Remove task…"), lambda: self.remove_task(item))
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))

    if TYPE_CHECKING:
        # What the view defines (besides FeedRecordActions' list), for the
        # type checker only. Last in the class: pyside6-lupdate loses the
        # translation context of the code after a def inside an if.
        item_activated: Signal
        _work: Work
        why_bar: WhyBar
        when_dialog: WhenDialog | None
        next_step_dialog: NextStepDialog | None
        open_url: Callable[[QUrl], Any]
        confirm: Callable[[str, str], bool]

        def refresh(self) -> None: ...
