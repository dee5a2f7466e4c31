"""Text from outside (letters, names, notes, imported files, mail servers,
the AI) shown as text, never as markup.

QLabel, QMessageBox and tooltips guess the format (Qt.AutoText): a subject or
a name such as ``<img src="file:///…">`` would be rendered as rich text, and
rendering it reads the file. Labels get Qt.PlainText; a tooltip (which has no
format setting) gets the text escaped inside explicit rich text.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def plain(*widgets: QLabel | QMessageBox) -> None:
    """Show whatever these widgets are given literally."""
    for widget in widgets:
        widget.setTextFormat(Qt.TextFormat.PlainText)


def plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def tooltip(text: str | None) -> str:
    """A tooltip that shows ``text`` literally, line breaks kept ('' for none)."""
    if not text:
        return ""
    if "<" not in text and "&" not in text:
        return text  # nothing Qt could take for markup: shown as it is
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


QUOTES = '«»“”„"'  # a name holding any of these is quoted already, or would nest


def quoted(name: str) -> str:
    """A name from outside put into a sentence, once, in the window's
    quotes: “Acme” in English, «Ромашка» in Russian. A name with quotes of
    its own (АО «Вектор», «Ромашка») is shown as it is, never nested or
    doubled ("“«Ромашка»”")."""
    if not name or any(mark in name for mark in QUOTES):
        return name
    return QCoreApplication.translate("Quotes", "“%1”").replace("%1", name)
