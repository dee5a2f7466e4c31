"""The app's style sheet (palette roles only, so dark mode keeps working)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

import resources

STYLE = Path(resources.__file__).resolve().parent / "style" / "touchpoint.qss"


def apply(app: QApplication) -> None:
    app.setStyleSheet(STYLE.read_text(encoding="utf-8"))
