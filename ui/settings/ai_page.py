"""Settings → AI drafting (SPEC E3): which OpenAI-compatible server writes
drafts, its key (kept in the OS keyring, never shown) and exactly what a
draft sends there (ui/settings/ai_preview.py: the same function as a real
generation builds it, so what the page shows is what goes out).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from services.ai import settings as ai_settings
from services.ai import use_cases as ai_cases
from services.ai.settings import AiSettings
from services.core.access import Actor
from services.core.errors import UserError, ValidationError
from ui.context import UiContext
from ui.settings import ai_preview
from ui.settings.ai_connection_test import AiConnectionTest
from ui.settings.form_parts import muted, stacked
from ui.shell import error_text
from ui.widgets.hints import FieldHint
from ui.widgets.plain import plain_label
from ui.widgets.questions import ask_destructive
from ui.widgets.work import Uow, Work

FIELDS = ("base_url", "model", "api_key", "timeout_s", "instructions")
SERVERS = (*ai_settings.EXAMPLE_SERVERS, ("OpenAI", "https://api.openai.com/v1"))


@dataclasses.dataclass(frozen=True)
class Loaded:
    settings: AiSettings
    preview: str  # the example messages, or why they cannot be shown


class AiPage(AiConnectionTest, QWidget):
    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self._settings: AiSettings | None = None
        self._busy = False
        self._test_task: asyncio.Task[None] | None = None
        self.loaded = False
        self.confirm_box: QMessageBox | None = None
        self._build()

    # --- layout ---------------------------------------------------------------------

    def _build(self) -> None:
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText(self.tr("empty: AI drafting is off"))
        self.examples_button = QPushButton(self.tr("Examples"))
        self.examples_button.setToolTip(self.tr("Fill in the address of a known server"))
        self.examples_menu = QMenu(self.examples_button)
        for name, url in SERVERS:
            action = self.examples_menu.addAction(f"{name}\t{url}")
            action.setData(url)
            action.triggered.connect(lambda _c=False, u=url: self.base_url.setText(u))
        self.examples_button.setMenu(self.examples_menu)
        self.model = QLineEdit()
        self.model.setPlaceholderText(self.tr("e.g. llama3.1 (Ollama) or gpt-4o-mini (OpenAI)"))
        self.api_key = QLineEdit()
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.forget_key_button = QPushButton(self.tr("Forget the key…"))
        self.forget_key_button.clicked.connect(self._on_forget_key_button_clicked)
        self.key_status = FieldHint()
        self.timeout = QSpinBox()
        self.timeout.setRange(int(ai_settings.MIN_TIMEOUT), int(ai_settings.MAX_TIMEOUT))
        self.timeout.setSuffix(self.tr(" s"))
        self.timeout.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.timeout.setMinimumWidth(90)
        self.hints = {name: FieldHint() for name in FIELDS}
        self.general_hint = FieldHint()

        server = QGroupBox(self.tr("Server"))
        server_column = QVBoxLayout(server)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        url_row = QHBoxLayout()
        url_row.addWidget(self.base_url, 1)
        url_row.addWidget(self.examples_button)
        form.addRow(self.tr("Server address"), stacked(url_row, self.hints["base_url"]))
        form.addRow(self.tr("Model"), stacked(self.model, self.hints["model"]))
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.forget_key_button)
        form.addRow(self.tr("API key"), stacked(key_row, self.key_status, self.hints["api_key"]))
        form.addRow(
            self.tr("Wait for an answer up to"), stacked(self.timeout, self.hints["timeout_s"])
        )
        local = muted(
            self.tr(
                "Ollama, llama.cpp server and LM Studio run on this computer: drafts are "
                "written offline, client data stays here and no key is needed. Pick one "
                "under Examples."
            )
        )
        server_column.addLayout(form)
        server_column.addWidget(local)

        house = QGroupBox(self.tr("House rules"))
        self.instructions = QPlainTextEdit()
        self.instructions.setPlaceholderText(
            self.tr("e.g. Address clients formally. Sign letters with the manager's name.")
        )
        self.instructions.setTabChangesFocus(True)
        self.instructions.setFixedHeight(84)
        house_note = muted(self.tr("Added to the instructions of every draft, as shown below."))
        house_column = QVBoxLayout(house)
        house_column.addWidget(self.instructions)
        house_column.addWidget(self.hints["instructions"])
        house_column.addWidget(house_note)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        self.test_button = QPushButton(self.tr("Test connection"))
        self.test_button.setToolTip(
            self.tr("Asks the model for a one-word answer; unsaved changes are saved first")
        )
        self.test_button.clicked.connect(self.test_connection)
        self.status = plain_label()
        self.status.setProperty("role", "muted")
        self.test_result = FieldHint()
        footer = QHBoxLayout()
        footer.addWidget(self.save_button)
        footer.addWidget(self.test_button)
        footer.addWidget(self.status, 1)

        sent, self.preview = ai_preview.sent_box()

        body = QWidget()
        body.setMaximumWidth(860)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        for group in (server, house):
            group.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout.addWidget(self.general_hint)
        layout.addWidget(server)
        layout.addWidget(house)
        layout.addLayout(footer)
        layout.addWidget(self.test_result)
        layout.addWidget(sent, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        holder = QWidget()
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(16, 12, 16, 12)
        holder_layout.addWidget(body, 1)
        holder_layout.addStretch(0)
        scroll.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- loading ------------------------------------------------------------------

    def _reader(self) -> Callable[[Uow, Actor], Loaded]:
        draft, untrusted = ai_preview.sample()

        def load(uow: Uow, actor: Actor) -> Loaded:
            current = ai_settings.load(uow)
            try:
                preview = ai_preview.format_messages(
                    ai_settings.preview(uow, actor, draft, untrusted)
                )
            except UserError as exc:  # a user who may not write letters
                preview = error_text.message(exc)
            return Loaded(current, preview)

        return load

    def refresh(self) -> None:
        """Load the saved settings, unless the user is changing them."""
        if self.loaded and self.is_dirty():
            return
        self._work.read(self._reader(), self._on_loaded)

    def _on_loaded(self, result: Loaded) -> None:
        self.loaded = True
        self._fill(result.settings)
        self.preview.setPlainText(result.preview)

    def _fill(self, current: AiSettings) -> None:
        self._settings = current
        self.base_url.setText(current.base_url)
        self.model.setText(current.model)
        self.timeout.setValue(round(current.timeout_s))
        self.instructions.setPlainText(current.instructions)
        self.api_key.clear()
        self._show_key(current)

    def _show_key(self, current: AiSettings) -> None:
        self._settings = current
        problem = current.keyring_problem
        self.api_key.setEnabled(problem is None)
        self.forget_key_button.setEnabled(current.has_key and problem is None)
        if problem:
            self.key_status.show_warning(
                self.tr("%1. Local servers need no key.").replace("%1", problem)
            )
            self.api_key.setPlaceholderText(self.tr("cannot be stored on this computer"))
        elif current.has_key:
            self.key_status.show_info(self.tr("A key is saved in the system keyring."))
            self.api_key.setPlaceholderText(self.tr("type a new key to replace the saved one"))
        else:
            self.key_status.show_info(self.tr("No key saved. Local servers need none."))
            self.api_key.setPlaceholderText(self.tr("only for servers that ask for one"))

    def values(self) -> dict[str, Any]:
        """What Save sends to ``ai_settings.save``; an empty key field keeps the saved key."""
        return {
            "base_url": self.base_url.text(),
            "model": self.model.text(),
            "timeout_s": float(self.timeout.value()),
            "instructions": self.instructions.toPlainText(),
            "api_key": self.api_key.text() or None,
        }

    def is_dirty(self) -> bool:
        saved = self._settings
        if saved is None:
            return False
        return bool(self.api_key.text()) or (
            self.base_url.text().strip(),
            self.model.text().strip(),
            self.timeout.value(),
            self.instructions.toPlainText().strip(),
        ) != (saved.base_url, saved.model, round(saved.timeout_s), saved.instructions)

    # --- saving -------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        self.test_button.setEnabled(not busy)

    def _clear_hints(self) -> None:
        self.general_hint.clear_hint()
        for hint in self.hints.values():
            hint.clear_hint()

    def save(self, then: Callable[[], None] | None = None) -> None:
        if self._busy:
            return
        values = self.values()
        self._clear_hints()
        self.test_result.clear_hint()
        self.status.setText(self.tr("Saving…"))
        self._set_busy(True)
        self._work.run(
            lambda db, actor: ai_cases.save_ai_settings(db, actor, **values),
            lambda saved: self._on_saved(saved, then),
            self._on_save_failed,
        )

    def _on_saved(self, saved: AiSettings, then: Callable[[], None] | None) -> None:
        self._set_busy(False)
        self._fill(saved)
        self.status.setText(self.tr("Saved."))
        self._work.read(self._reader(), lambda result: self.preview.setPlainText(result.preview))
        if then is not None:
            then()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.status.setText("")
        if isinstance(exc, ValidationError) and exc.field in self.hints:
            self.hints[exc.field].show_error(error_text.message(exc))
            widgets: dict[str, QWidget] = {
                "base_url": self.base_url,
                "model": self.model,
                "api_key": self.api_key,
                "timeout_s": self.timeout,
                "instructions": self.instructions,
            }
            widgets[exc.field].setFocus()
        elif isinstance(exc, UserError):
            self.general_hint.show_error(error_text.message(exc))
        else:
            self._ctx.report_error(exc)

    def _on_forget_key_button_clicked(self) -> None:
        self.confirm_box = ask_destructive(
            self,
            self.tr("Forget the API key"),
            self.tr(
                "Remove the saved API key from the system keyring? Drafts from this "
                "server need it to be entered again."
            ),
            self.tr("Forget the key"),
            self.forget_key,
            keep=self.tr("Keep it"),
        )

    def forget_key(self) -> None:
        """Forget the key only: the saved settings stay, edits in the fields too."""
        saved = self._settings
        if saved is None:
            return
        self._clear_hints()
        self._set_busy(True)
        self._work.write(
            lambda uow, actor: ai_settings.save(
                uow,
                actor,
                base_url=saved.base_url,
                model=saved.model,
                timeout_s=saved.timeout_s,
                instructions=saved.instructions,
                api_key="",
            ),
            self._on_key_forgotten,
            self._on_save_failed,
        )

    def _on_key_forgotten(self, saved: AiSettings) -> None:
        self._set_busy(False)
        self.api_key.clear()
        self._show_key(saved)
        self.status.setText(self.tr("The key is forgotten."))
