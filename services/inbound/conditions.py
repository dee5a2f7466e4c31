"""A rule's condition: keywords separated by ";" (SPEC G2).

It holds when at least one keyword occurs in the subject or the body. Both
sides are folded the way names are (``models.folding.fold``: Unicode case
folding, "ё" as "е", whitespace runs as one space), so "СРОЧНО", "срочно"
and "Срочно" match alike and "ещё" finds "еще". With ``whole_word`` a
keyword matches only between non-word characters: "счет" no longer finds
"счетчик". Pure functions: the dry run and the tests call them as they are.
"""

from __future__ import annotations

import re

from models.folding import fold

MAX_KEYWORDS = 200
MAX_KEYWORD_LENGTH = 200


def keywords(condition: str) -> tuple[str, ...]:
    """The folded, distinct keywords of a condition, in the order written."""
    found: list[str] = []
    for part in condition.split(";")[:MAX_KEYWORDS]:
        word = fold(part)[:MAX_KEYWORD_LENGTH]
        if word and word not in found:
            found.append(word)
    return tuple(found)


def _found(word: str, text: str, whole_word: bool) -> bool:
    if not whole_word:
        return word in text
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def matched(condition: str, subject: str, body: str, *, whole_word: bool = False) -> list[str]:
    """The keywords of ``condition`` found in the subject or the body (empty: no match)."""
    words = keywords(condition)
    if not words:
        return []
    texts = (fold(subject), fold(body))
    return [w for w in words if any(_found(w, t, whole_word) for t in texts)]
