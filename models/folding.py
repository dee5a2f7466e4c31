"""One folded form of names and free text, for comparing them in any case.

SQLite's ``lower()`` and ``LIKE`` fold ASCII only ("спецмонтаж" misses
"СпецМонтаж"), and PostgreSQL's depend on the cluster's locale, so the
comparison never relies on the database: the folded form is computed here,
stored next to the text (``name_folded``, ``search_text``) and compared
with the folded user text. ``tp_fold`` (registered on every SQLite
connection, an SQL function on PostgreSQL since revision 0007) is the same
rule inside SQL, for the few filters over small scoped sets.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy import func

SQL_FUNCTION = "tp_fold"


def fold(text: str) -> str:
    """Case folded (Unicode, not only ASCII), "ё" as "е", whitespace runs as one space."""
    folded = unicodedata.normalize("NFC", text).casefold().replace("ё", "е")
    spaced = folded
    for end in "\n\r\t":
        if end in spaced:
            spaced = spaced.replace(end, " ")
    # Every whitespace character but " " is unprintable, so a printable text
    # splits on its spaces alone: its runs collapsed in place, without the
    # word per word list of ``split`` (a mail import folds every letter's
    # text: ~55 -> ~21 µs for a 1.7 KB Cyrillic body). Anything else (a tab
    # left, a no-break space, a control character) takes ``split``.
    if spaced.isprintable():
        while "  " in spaced:
            spaced = spaced.replace("  ", " ")
        return spaced.strip(" ")
    return " ".join(folded.split())


def fold_sql(text: Any) -> str | None:
    """``fold`` as an SQLite function: NULL stays NULL, non-text is folded as text.

    Called once a row by bulk statements (the linking job folds every new
    interaction's subject), so printable ASCII with no double space takes a
    shortcut with the same result: NFC leaves ASCII alone, ``casefold`` is
    ``lower`` there, no "ё", and no whitespace but " " (10,000 subjects:
    ~6.5 -> ~4 ms). Anything else, Cyrillic included, goes through ``fold``."""
    if text is None:
        return None
    value = text if isinstance(text, str) else str(text)
    if value.isascii() and value.isprintable() and "  " not in value:
        return value.lower().strip(" ")
    return fold(value)


def in_sql(column: Any) -> Any:
    """``fold`` applied inside SQL (``tp_fold``): for filters over small sets."""
    return getattr(func, SQL_FUNCTION)(column)


def name_default(column: str) -> Any:
    """A column default folding ``column`` of the same row (Core inserts too)."""

    def default(context: Any) -> str:
        return fold(context.get_current_parameters().get(column) or "")

    return default
