"""The template part of a letter (SPEC E2): pick a template for a client, a
contact person and a deal; a plain template fills the subject and the body,
an AI template shows its prompt to edit and streams a draft into the body.

Every fill goes through the editors' undo stacks, so Ctrl+Z brings back
what the user had written. With the AI server out of reach the panel says
so and offers to queue the generation (``services.ai.drafts``); a draft
that was queued for this client and is ready shows at the top, to use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.ai import drafts as ai_drafts
from services.ai import settings as ai_settings
from services.ai.client import AiUnavailable
from services.ai.drafts import QueuedDraft
from services.ai.settings import AiConfig, Message
from services.core.errors import UserError
from services.core.views import ContactView, DealRow
from services.templates import store as templates
from services.templates.store import Draft, TemplateView
from ui.context import UiContext
from ui.dialogs.ai_generation import AiGeneration
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.plain import plain_label
from ui.widgets.work import Work


def replace_text(editor: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Replace everything as one step the user can undo."""
    if isinstance(editor, QLineEdit):
        editor.selectAll()
        editor.insert(text)
        return
    cursor = editor.textCursor()
    cursor.beginEditBlock()
    cursor.select(QTextCursor.SelectionType.Document)
    cursor.insertText(text)
    cursor.endEditBlock()
    editor.setTextCursor(cursor)


def render_messages(messages: Sequence[Message]) -> str:
    return "\n\n".join(f"── {m.role} ──\n{m.content}" for m in messages)


class TemplatePanel(QObject):
    """Owns the template widgets; the letter's dialog lays them out in its
    own form (``pick_row``, ``hint``, ``ai_box``, ``ready_box``), so they line
    up with its fields."""

    busy_changed = Signal(bool)  # a generation runs: the letter waits
    preview_ready = Signal(str)  # the messages a generation sends, as text

    def __init__(
        self,
        ctx: UiContext,
        client_id: int | None,
        contacts: Sequence[ContactView],
        deals: Sequence[DealRow],
        subject: QLineEdit,
        body: QPlainTextEdit,
        to_address: Callable[[], str],
        *,
        contact_id: int | None = None,
        deal_id: int | None = None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._client_id = client_id
        self._subject, self._body, self._to = subject, body, to_address
        self._draft: Draft | None = None
        self._messages: list[Message] = []
        self._ready: QueuedDraft | None = None
        self.generation = AiGeneration(self)
        self.generation.chunk.connect(self._on_generation_chunk)
        self.generation.finished.connect(self._on_generation_finished)
        self.generation.failed.connect(self._on_generation_failed)

        self.template = QComboBox()
        self.template.addItem(self.tr("No template"), None)
        self.contact = QComboBox()
        self.contact.addItem(self.tr("Contact person…"), None)
        for person in contacts:
            self.contact.addItem(person.full_name, person.id)
        self.deal = QComboBox()
        self.deal.addItem(self.tr("Deal…"), None)
        for deal in deals:
            self.deal.addItem(deal.title, deal.id)
        for combo, wanted in ((self.contact, contact_id), (self.deal, deal_id)):
            index = combo.findData(wanted) if wanted is not None else -1
            combo.setCurrentIndex(index if index > 0 else (1 if combo.count() == 2 else 0))
        self.hint = FieldHint()

        self.ready_box = QFrame()
        self.ready_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.ready_label = plain_label()
        self.ready_label.setWordWrap(True)
        self.use_button = QPushButton(self.tr("Use it"))
        self.discard_button = QPushButton(self.tr("Discard"))
        ready_row = QHBoxLayout(self.ready_box)
        ready_row.addWidget(self.ready_label, 1)
        ready_row.addWidget(self.use_button)
        ready_row.addWidget(self.discard_button)
        self.ready_box.hide()

        self.ai_box = QWidget()
        self.prompt = QPlainTextEdit()
        self.prompt.setMaximumHeight(110)
        self.prompt.setPlaceholderText(self.tr("What the AI should write"))
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.setToolTip(self.tr("Write the letter from this prompt (Ctrl+G)"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setEnabled(False)
        self.preview_button = QPushButton(self.tr("What is sent…"))
        self.queue_button = QPushButton(self.tr("Queue the generation"))
        self.queue_button.hide()
        self.status = FieldHint()
        buttons = QHBoxLayout()
        for button in (self.generate_button, self.stop_button, self.preview_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.queue_button)
        ai_column = QVBoxLayout(self.ai_box)
        ai_column.setContentsMargins(0, 0, 0, 0)
        prompt_label = QLabel(self.tr("Prompt for the AI: edit it, then generate"))
        prompt_label.setProperty("role", "muted")
        ai_column.addWidget(prompt_label)
        ai_column.addWidget(self.prompt)
        ai_column.addLayout(buttons)
        ai_column.addWidget(self.status)
        self.ai_box.hide()

        # long names must not push the form's labels out of the dialog; the
        # contact picker still shows "Контактное лицо…" whole (16 characters)
        for combo, chars in ((self.template, 18), (self.contact, 16), (self.deal, 12)):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(chars)
        # The template on its line, the contact person and the deal halves of
        # the next: on one line a name was cut mid-word ("Герасимов Степан Дмит").
        self.pick_row = QWidget()
        pick = QVBoxLayout(self.pick_row)
        pick.setContentsMargins(0, 0, 0, 0)
        pick.addWidget(self.template)
        whom = QHBoxLayout()
        whom.addWidget(self.contact, 1)
        whom.addWidget(self.deal, 1)
        pick.addLayout(whom)

        self.template.activated.connect(lambda _i: self.apply())
        self.contact.activated.connect(lambda _i: self._on_party_changed())
        self.deal.activated.connect(lambda _i: self._on_party_changed())
        self.generate_button.clicked.connect(self.generate)
        self.stop_button.clicked.connect(self.generation.stop)
        self.preview_button.clicked.connect(self.show_preview)
        self.queue_button.clicked.connect(self.queue)
        self.use_button.clicked.connect(self._on_use_button_clicked)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        QShortcut(QKeySequence("Ctrl+G"), parent).activated.connect(self._on_generate_shortcut)

        if client_id is None:
            self.template.setEnabled(False)
            self.contact.hide()
            self.deal.hide()
            self.hint.show_info(self.tr("Templates are for letters to a client's contact person"))
        else:
            self._load(client_id)

    # --- loading ------------------------------------------------------------------

    def _load(self, client_id: int) -> None:
        def load(uow: Any, actor: Any) -> tuple[list[TemplateView], list[QueuedDraft]]:
            return (
                templates.list_templates(uow, actor),
                ai_drafts.open_requests(uow, actor, client_id=client_id),
            )

        self._work.read(load, self._on_loaded)

    def _on_loaded(self, result: tuple[list[TemplateView], list[QueuedDraft]]) -> None:
        found, queued = result
        for view in found:
            label = self.tr("%1 · AI").replace("%1", view.name) if view.ai else view.name
            self.template.addItem(label, view.id)
        if not found:
            self.template.setItemText(0, self.tr("No templates yet: add them in Settings"))
        self._show_queued(queued)

    def _show_queued(self, queued: Sequence[QueuedDraft]) -> None:
        ready = [q for q in queued if q.state == "ready"]
        waiting = sum(1 for q in queued if q.state == "queued")
        self._ready = ready[0] if ready else None
        if self._ready is not None:
            self.ready_label.setText(
                self.tr("An AI draft written while you were away is ready: %1").replace(
                    "%1", self._ready.subject or self.tr("(no subject)")
                )
            )
            self.ready_box.show()
        else:
            self.ready_box.hide()
        if waiting and self._ready is None:
            self.hint.show_info(
                self.tr("%n AI draft(s) for this client wait for the AI server", "", waiting)
            )

    # --- filling ------------------------------------------------------------------

    def _ids(self) -> tuple[int | None, int | None, int | None]:
        return self._client_id, self.contact.currentData(), self.deal.currentData()

    def _on_party_changed(self) -> None:
        if self.template.currentData() is not None:
            self.apply()

    def apply(self) -> None:
        """Fill in the chosen template; needs the contact person and the deal."""
        self.hint.clear_hint()
        template_id = self.template.currentData()
        if template_id is None:
            self._draft = None
            self.ai_box.hide()
            return
        client_id, contact_id, deal_id = self._ids()
        if contact_id is None or deal_id is None:
            self.hint.show_error(
                self.tr("Choose the contact person and the deal: the template needs both")
                if self.deal.count() > 1
                else self.tr("This client has no deal yet: add one on the card to use templates")
            )
            return
        now = dt.datetime.now(dt.UTC)
        self._work.read(
            lambda uow, actor: templates.apply(
                uow, actor, template_id, client_id, contact_id, deal_id, now
            ),
            self._on_applied,
            self._show_error,
        )

    def _on_applied(self, draft: Draft) -> None:
        self._draft = draft
        replace_text(self._subject, draft.subject)
        if draft.ai:
            self.prompt.setPlainText(draft.prompt or "")
            self.ai_box.show()
            self.status.show_info(self.tr("Edit the prompt if you like, then press Generate"))
            self.prompt.setFocus()
        else:
            self.ai_box.hide()
            replace_text(self._body, draft.body)
            self.hint.show_info(self.tr("Filled from the template. Ctrl+Z in a field undoes it"))

    # --- AI -----------------------------------------------------------------------

    def _preparer(self) -> Callable[[Any, Any], list[Message]]:
        """What builds the messages, with the widgets read here on the GUI
        thread: the function itself runs on a lane."""
        draft, client_id = self._draft, self._client_id
        prompt, contact_id = self.prompt.toPlainText(), self.contact.currentData()
        assert draft is not None
        assert client_id is not None

        def prepare(uow: Any, actor: Any) -> list[Message]:
            return ai_drafts.prepare(uow, actor, draft, prompt, client_id, contact_id)

        return prepare

    def show_preview(self) -> None:
        if self._draft is None:
            return
        self._work.read(
            self._preparer(),
            lambda messages: self.preview_ready.emit(render_messages(messages)),
            self._show_status_error,
        )

    def _on_generate_shortcut(self) -> None:
        if self.ai_box.isVisible() and self.generate_button.isEnabled():
            self.generate()

    def generate(self) -> None:
        if self._draft is None or not self._draft.ai or self.generation.running:
            return
        self.queue_button.hide()
        self.status.show_info(self.tr("Preparing…"))
        self.generate_button.setEnabled(False)

        messages_of = self._preparer()

        def prepare(uow: Any, actor: Any) -> tuple[AiConfig, list[Message]]:
            return ai_settings.config(uow), messages_of(uow, actor)

        self._work.read(prepare, self._on_prepared, self._on_prepare_failed)

    def _on_prepared(self, result: tuple[AiConfig, list[Message]]) -> None:
        config, self._messages = result
        if not self.generation.start(config, self._messages):
            self.generate_button.setEnabled(True)
            self.status.show_error(self.tr("AI drafting needs the running app; try again"))
            return
        replace_text(self._body, "")
        self._body.setReadOnly(True)
        self.stop_button.setEnabled(True)
        self.status.show_info(self.tr("Writing… Stop keeps what is written so far"))
        self.busy_changed.emit(True)

    def _on_prepare_failed(self, exc: BaseException) -> None:
        self.generate_button.setEnabled(True)
        self._show_status_error(exc)

    def _on_generation_chunk(self, piece: str) -> None:
        cursor = self._body.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(piece)
        self._body.setTextCursor(cursor)

    def _end_generation(self) -> None:
        self._body.setReadOnly(False)
        self.stop_button.setEnabled(False)
        self.generate_button.setEnabled(True)
        self.generate_button.setText(self.tr("Regenerate"))
        self.busy_changed.emit(False)

    def _on_generation_finished(self, stopped: bool) -> None:
        self._end_generation()
        self.status.show_info(
            self.tr("Stopped. Edit the draft, or regenerate")
            if stopped
            else self.tr("Done. Read the draft and edit it before you send it")
        )
        self._body.setFocus()

    def _on_generation_failed(self, exc: BaseException) -> None:
        self._end_generation()
        self._show_status_error(exc)
        if isinstance(exc, AiUnavailable):
            self.queue_button.show()

    def queue(self) -> None:
        """Keep the generation for when the server answers (SPEC E3)."""
        draft, messages = self._draft, list(self._messages)
        if draft is None or not messages or self._client_id is None:
            return
        client_id, contact_id, deal_id = self._ids()
        assert client_id is not None
        subject, to = self._subject.text(), self._to()
        now = dt.datetime.now(dt.UTC)
        self.queue_button.setEnabled(False)
        self._work.write(
            lambda uow, actor: ai_drafts.enqueue(
                uow,
                actor,
                client_id=client_id,
                contact_id=contact_id,
                deal_id=deal_id,
                template_id=draft.template_id,
                subject=subject,
                to_address=to,
                messages=messages,
                now=now,
            ),
            self._on_queued,
            self._on_queue_failed,
        )

    def _on_queued(self, _view: QueuedDraft) -> None:
        self.queue_button.hide()
        self.queue_button.setEnabled(True)
        self.status.show_info(
            self.tr(
                "Queued. Touchpoint writes the draft when the AI server answers; "
                "a new letter to this client will offer it"
            )
        )

    def _on_queue_failed(self, exc: BaseException) -> None:
        self.queue_button.setEnabled(True)
        self._show_status_error(exc)

    # --- a draft written while away -------------------------------------------------

    def _on_use_button_clicked(self) -> None:
        ready = self._ready
        if ready is None:
            return
        self._work.write(
            lambda uow, actor: ai_drafts.use(uow, actor, ready.id), self._on_used, self._show_error
        )

    def _on_used(self, used: QueuedDraft) -> None:
        self.ready_box.hide()
        self._ready = None
        replace_text(self._subject, used.subject)
        replace_text(self._body, used.result)
        self.hint.show_info(self.tr("Read the draft and edit it before you send it"))

    def _on_discard_button_clicked(self) -> None:
        ready = self._ready
        if ready is None:
            return
        self._work.write(
            lambda uow, actor: ai_drafts.drop(uow, actor, ready.id),
            lambda _v: self._load_queue_only(),
            self._show_error,
        )

    def _load_queue_only(self) -> None:
        client_id = self._client_id
        if client_id is None:
            return
        self._work.read(
            lambda uow, actor: ai_drafts.open_requests(uow, actor, client_id=client_id),
            self._show_queued,
        )

    # --- errors -------------------------------------------------------------------

    def _show_error(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    def _show_status_error(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.status.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)
