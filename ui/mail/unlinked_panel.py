"""Letters from addresses that are on no card (SPEC D3): mail sync keeps
their headers only. Link one to a client, contact person or lead by hand;
then Touchpoint offers to save the address on that card, so later letters
land there and the linking job pulls in the earlier ones."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import UserError
from services.linking import use_cases as linking
from services.parties import use_cases as parties
from ui.context import UiContext
from ui.dialogs.link_target import LinkTarget, LinkTargetDialog, kind_label
from ui.mail.unlinked_model import UnlinkedModel, UnlinkedRow
from ui.shell import error_text, formatting
from ui.shell.icons import icon
from ui.widgets import button_keys
from ui.widgets.empty_state import EmptyHint
from ui.widgets.plain import plain, plain_label, quoted
from ui.widgets.row_table import date_time_width, row_table
from ui.widgets.undo_bar import UndoBar
from ui.widgets.work import Work

# Answers to "save this address on the card?"
YES, NO, NEVER = "yes", "no", "never"


class LetterHeadersDialog(QDialog):
    """What is known of a letter that is on no card: its headers. The text
    is fetched from the mailbox once the letter is linked."""

    link_requested = Signal(object)  # UnlinkedRow

    def __init__(self, row: UnlinkedRow, parent: Any = None) -> None:
        super().__init__(parent)
        self.row = row
        letter = row.letter
        self.setWindowTitle(self.tr("Letter"))
        self.resize(520, 0)
        subject = QLabel(letter.subject or self.tr("(no subject)"))
        subject.setWordWrap(True)
        font = subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        subject.setFont(font)
        form = QFormLayout()
        if letter.direction == "out":
            form.addRow(self.tr("To"), plain_label(row.other))
            form.addRow(self.tr("From"), plain_label(letter.sender or ""))
        else:
            form.addRow(self.tr("From"), plain_label(row.other))
        form.addRow(self.tr("Date"), QLabel(formatting.date_time(letter.sent_at) or "—"))
        note = QLabel(
            self.tr(
                "Only the headers of this letter were imported, because its address is on no "
                "card. Link it to a card and its text is fetched with the next mail sync."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.link_button = buttons.addButton(
            self.tr("Link to…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.link_button.clicked.connect(self._on_link_button_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(subject)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def _on_link_button_clicked(self) -> None:
        self.accept()
        self.link_requested.emit(self.row)


class UnlinkedPanel(QWidget):
    linked = Signal(str, object)  # kind, id of the card that got a letter

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.dialog: QDialog | None = None
        self.offer_box: QMessageBox | None = None
        self.offer_buttons: dict[str, QPushButton] = {}
        # The card a saved address went to; tests and callers may read it.
        self.last_target: LinkTarget | None = None

        intro = QLabel(
            self.tr(
                "Letters from addresses that are on no card. Link one to a client, contact "
                "person or lead, and Touchpoint offers to save the address there."
            )
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: palette(placeholder-text);")

        self.model = UnlinkedModel(ctx, self)
        self.table = row_table(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(UnlinkedModel.DATE, date_time_width(self.table) + 28)
        header.resizeSection(UnlinkedModel.PERSON, 280)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.empty = EmptyHint(self.tr("No unlinked letters"), self._empty_hint())
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        self.open_button = QPushButton(icon("open"), self.tr("Open"))
        self.open_button.clicked.connect(self.open_selected)
        self.link_button = QPushButton(self.tr("Link to…"))
        self.link_button.setDefault(True)
        self.link_button.clicked.connect(self.link_selected)
        self.refresh_button = QPushButton(icon("sync"), self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.link_button)
        buttons.addStretch(1)
        self.extra_buttons = buttons  # the Mail section adds "Import call log…" here
        buttons.addWidget(self.refresh_button)

        for key in ("Return", "Enter"):
            button_keys.bind(
                self.table,
                QKeySequence(key),
                self.open_button,
                self.tr("Show what is known of the selected letter"),
            )
        button_keys.bind(
            self,
            QKeySequence("Ctrl+L"),
            self.link_button,
            self.tr("Link the selected letter to a client, contact person or lead"),
        )
        # F5 is the window's own key for reading what is shown again
        self.refresh_button.setToolTip(
            button_keys.named(
                self.tr("Read the list again"), QKeySequence(QKeySequence.StandardKey.Refresh)
            )
        )

        self.undo_bar = UndoBar(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.undo_bar)

        self.model.loading_changed.connect(self._update_state)
        self.model.rowsRemoved.connect(self._update_state)
        self.model.modelReset.connect(self._update_state)
        self.model.load_failed.connect(self._on_model_load_failed)
        self._update_buttons()

    # --- public ---------------------------------------------------------------------

    def refresh(self) -> None:
        self.model.refresh()

    def selected(self) -> UnlinkedRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select(self, message_id: int) -> bool:
        row = self.model.row_of(message_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = LetterHeadersDialog(row, self)
        dialog.link_requested.connect(self.choose_target)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()

    def link_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.choose_target(row)

    def choose_target(self, row: object) -> LinkTargetDialog | None:
        if not isinstance(row, UnlinkedRow):
            return None
        letter = row.letter
        what = (
            self.tr("Link the letter %1 from %2 to:")
            if letter.direction == "in"
            else self.tr("Link the letter %1 to %2 to:")
        )
        subject = quoted(letter.subject) if letter.subject else self.tr("(no subject)")
        dialog = LinkTargetDialog(
            self._ctx, what.replace("%1", subject).replace("%2", row.other), self
        )
        dialog.chosen.connect(lambda target, r=row: self.link(r, target))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def link(self, row: UnlinkedRow, target: LinkTarget) -> None:
        """Put the letter on the card, then offer to save its address there."""
        message_id = row.id
        self._work.run(
            lambda db, actor: linking.link_letter(db, actor, message_id, target.kind, target.id),
            lambda result: self._on_linked(row, target, result),
        )

    # --- after linking --------------------------------------------------------------

    def _on_linked(self, row: UnlinkedRow, target: LinkTarget, result: Any) -> None:
        self.model.remove(row.id)
        self.linked.emit(target.kind, target.id)
        self.undo_bar.show_message(
            self.tr("The letter is now in the feed of %1").replace("%1", target.name)
        )
        if result.offer_address:
            self.offer(result.offer_address, target)

    def offer(self, address: str, target: LinkTarget) -> QMessageBox:
        """ "Save name@x.com on <card>?" Yes / No / Never for this address."""
        box = QMessageBox(self)
        plain(box)  # the address and the card name come from outside
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Save the address?"))
        box.setText(
            self.tr("Save %1 on %2 %3?")
            .replace("%1", address)
            .replace("%2", kind_label(target.kind).lower())
            .replace("%3", quoted(target.name))
        )
        box.setInformativeText(
            self.tr(
                "Later letters from this address then go to this card by themselves, and "
                "its earlier letters are linked now."
            )
        )
        self.offer_buttons = {
            YES: box.addButton(self.tr("Save address"), QMessageBox.ButtonRole.YesRole),
            NO: box.addButton(self.tr("Not now"), QMessageBox.ButtonRole.NoRole),
            NEVER: box.addButton(
                self.tr("Never for this address"), QMessageBox.ButtonRole.RejectRole
            ),
        }
        box.setDefaultButton(self.offer_buttons[YES])
        answers = {id(button): answer for answer, button in self.offer_buttons.items()}
        box.buttonClicked.connect(
            lambda button: self.answer_offer(answers.get(id(button), NO), address, target)
        )
        box.finished.connect(box.deleteLater)
        self.offer_box = box
        box.open()
        return box

    def answer_offer(self, answer: str, address: str, target: LinkTarget) -> None:
        self.offer_box = None
        if answer == YES:
            self.last_target = target
            self._work.run(
                lambda db, actor: parties.add_point(
                    db, actor, "email", address, target.kind, target.id
                ),
                lambda _added: self._on_address_saved(address, target),
                self._on_address_failed,
            )
        elif answer == NEVER:
            self._work.run(
                lambda db, actor: linking.never_offer(db, actor, "email", address),
                lambda _none: self.undo_bar.show_message(
                    self.tr("%1 will not be offered again").replace("%1", address)
                ),
            )

    def _on_address_saved(self, address: str, target: LinkTarget) -> None:
        # the use case linked its earlier letters: they leave this list
        self.refresh()
        self.linked.emit(target.kind, target.id)
        self.undo_bar.show_message(
            self.tr("%1 saved on %2; its earlier letters are being linked")
            .replace("%1", address)
            .replace("%2", target.name)
        )

    def _on_address_failed(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.undo_bar.show_message(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    # --- state ----------------------------------------------------------------------

    def _update_state(self, *_args: Any) -> None:
        model = self.model
        if model.rowCount() or model.is_loading or not model.loaded_once:
            self.stack.setCurrentWidget(self.table)
        else:
            if model.error is not None:
                self.empty.set_text(
                    self.tr("Could not load the unlinked letters"),
                    str(model.error) if isinstance(model.error, UserError) else "",
                )
            else:
                self.empty.set_text(self.tr("No unlinked letters"), self._empty_hint())
            self.stack.setCurrentWidget(self.empty)
        self._update_buttons()

    def _empty_hint(self) -> str:
        return self.tr(
            "Mail sync keeps the headers of letters from addresses that are on no card; "
            "they wait here. Add an address to a card, or link a letter here by hand, and "
            "its letters move to that card's feed."
        )

    def _update_buttons(self, *_args: Any) -> None:
        has = self.selected() is not None
        self.open_button.setEnabled(has)
        self.link_button.setEnabled(has)

    def _on_model_load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserError):
            self._ctx.report_error(exc)
        self._update_state()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.open_selected()
