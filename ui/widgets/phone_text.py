"""A stored phone as the window shows it: services format the number
(services.core.normalize.phone_shown) and the window words its extension in
the UI's language ("доб. 12" in Russian), while the CLI keeps "ext. 12"."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from services.core import normalize


def shown(normalized: str | None, raw: str | None = None) -> str:
    """International format, the extension in the UI's words."""
    # i18n: the short word before a phone extension, as in "+7 495 038-63-04 ext. 12"
    word = QCoreApplication.translate("Phones", "ext.")
    return normalize.phone_shown(normalized, raw, extension=word)
