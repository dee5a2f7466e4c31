"""How errors reach the user: a UserError as its message, a bug as a crash
dialog with the traceback under "Details" and a button to copy it."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from services.core.errors import UserError
from ui.shell import error_text
from ui.widgets.plain import plain

log = logging.getLogger(__name__)


def format_traceback(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


class CrashDialog(QDialog):
    """Something went wrong that the user cannot fix: say so plainly, keep
    the traceback one click away, and let it be copied into a bug report."""

    def __init__(self, exc: BaseException, log_path: str | None = None, parent: Any = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Touchpoint — unexpected error"))
        self.details_text = format_traceback(exc)
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size)
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = self.tr(
            "Touchpoint ran into a problem it did not expect. Your saved data is safe; "
            "the last action may not have been completed."
        )
        if log_path:
            text += "\n" + self.tr("The details are also written to %1.").replace("%1", log_path)
        self.message = QLabel(f"<b>{_escape(type(exc).__name__)}: {_escape(str(exc))}</b>")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        explanation = QLabel(text)
        explanation.setWordWrap(True)
        self.details = QPlainTextEdit(self.details_text)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setVisible(False)
        self.details.setMinimumHeight(220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.toggle_button = QPushButton(self.tr("Show details"))
        self.toggle_button.setCheckable(True)
        self.toggle_button.toggled.connect(self._on_toggle_button_toggled)
        self.copy_button = QPushButton(self.tr("Copy details"))
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons.addButton(self.toggle_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon)
        texts = QVBoxLayout()
        texts.addWidget(self.message)
        texts.addWidget(explanation)
        top.addLayout(texts, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(560, 180)

    def _on_toggle_button_toggled(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle_button.setText(self.tr("Hide details") if shown else self.tr("Show details"))
        self.resize(self.width(), 460 if shown else 180)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text)
        self.copy_button.setText(self.tr("Copied"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_open_dialogs: list[QDialog] = []


def show_error(
    exc: BaseException, parent: QWidget | None = None, log_path: str | None = None
) -> QDialog:
    """Show ``exc`` without blocking: its message for a UserError, the crash
    dialog (and the log, with the traceback) for anything else."""
    if isinstance(exc, UserError):
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("Errors", "Touchpoint"),
            error_text.message(exc),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        plain(box)  # messages quote what was typed or read: names, addresses, values
        dialog: QDialog = box
    else:
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        dialog = CrashDialog(exc, log_path, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.append(dialog)
    dialog.finished.connect(lambda _r, d=dialog: _open_dialogs.remove(d))
    dialog.open()
    return dialog
