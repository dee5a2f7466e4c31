"""Import a PBX call log (SPEC A6): a CSV file in one of the preset formats.
Each row becomes a call, linked to the card that has its number or kept
until the number is added; importing the same file twice changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from services.core.errors import UserError
from services.linking import use_cases as linking
from services.linking.use_cases import CallsImported
from ui.context import UiContext
from ui.shell import error_text
from ui.widgets.plain import plain_label
from ui.widgets.work import Work

MAX_REJECTED_SHOWN = 5


class CallImportDialog(QDialog):
    imported = Signal(object)  # CallsImported

    def __init__(self, ctx: UiContext, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._work = Work(ctx, self)
        self.result_value: CallsImported | None = None
        self.setWindowTitle(self.tr("Import a call log"))
        self.resize(560, 0)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("A CSV file exported from the PBX"))
        self.path.textChanged.connect(self._update_buttons)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.preset = QComboBox()
        self.preset.addItem(self.tr("Asterisk (Master.csv, no header)"), "asterisk")
        self.preset.addItem(self.tr("FreePBX (CDR report export)"), "freepbx")
        self.preset.addItem(
            self.tr("Other CSV (columns started_at, direction, number, …)"), "generic"
        )
        form = QFormLayout()
        form.addRow(self.tr("File"), file_row)
        form.addRow(self.tr("Format"), self.preset)
        hint = QLabel(
            self.tr(
                "Calls with a number that is on a card go to its feed; the others wait until "
                "the number is added. Importing the same file again changes nothing."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(placeholder-text);")
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._running = False
        self._update_buttons()

    def set_preset(self, code: str) -> None:
        index = self.preset.findData(code)
        if index >= 0:
            self.preset.setCurrentIndex(index)

    def start(self) -> None:
        """Import the chosen file off the GUI thread."""
        text = self.path.text().strip()
        if not text or self._running:
            return
        path = Path(text).expanduser()
        if not path.is_file():
            self._show(self.tr("There is no file %1").replace("%1", str(path)))
            return
        self._running = True
        self._update_buttons()
        self._show(self.tr("Importing…"))
        preset = str(self.preset.currentData())
        self._work.run(
            lambda db, actor: linking.import_calls(db, actor, path, preset=preset),
            self._on_done,
            self._on_failed,
        )

    def _on_done(self, result: CallsImported) -> None:
        self._running = False
        self.result_value = result
        found = result.imported
        lines = [
            self.tr("New calls: %1 · already there: %2 · skipped: %3 · linked to cards: %4")
            .replace("%1", str(found.created))
            .replace("%2", str(found.already))
            .replace("%3", str(len(found.rejected)))
            .replace("%4", str(result.linked))
        ]
        for line, reason in found.rejected[:MAX_REJECTED_SHOWN]:
            lines.append(self.tr("Line %1: %2").replace("%1", str(line)).replace("%2", reason))
        if len(found.rejected) > MAX_REJECTED_SHOWN:
            lines.append(
                self.tr("… and %1 more").replace(
                    "%1", str(len(found.rejected) - MAX_REJECTED_SHOWN)
                )
            )
        self._show("\n".join(lines))
        self._update_buttons()
        self.imported.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        self._running = False
        self._update_buttons()
        if isinstance(exc, UserError):
            self._show(error_text.message(exc))
        else:
            self._show(self.tr("The import failed."))
            self._ctx.report_error(exc)

    def _show(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.show()

    def _update_buttons(self, *_args: Any) -> None:
        self.import_button.setEnabled(bool(self.path.text().strip()) and not self._running)

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a call log"),
            "",
            self.tr("Call logs (*.csv *.txt);;All files (*)"),
        )
        if path:
            self.path.setText(path)
