"""User text of a search made safe: words, the FTS5 and tsquery expressions,
and the snippet shown under a hit.

User text never reaches either engine as syntax: it is cut into words here,
each word quoted, the last one matched as a prefix ("ром" finds "Ромашка");
a number that looks like a phone is also matched against the digits of
stored phones ("8 916 123-45-67", "9161234567" and "123-45-67" all find
+7 916 123-45-67).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

from services.core import normalize
from services.core.errors import ValidationError

MAX_TEXT = 200  # characters of user text looked at
MAX_CHUNKS = 12  # words (space-separated) looked at
MIN_PREFIX = 2  # shortest last word matched as a prefix
PHONE_MIN_DIGITS = 4  # revision 0004 indexes phone tails of at least 4 digits
SNIPPET = 160
SNIPPET_SCAN = 20_000  # characters of a body looked through for the snippet

WORD = re.compile(r"[^\W_]+")
PHONE_LIKE = re.compile(r"[\d\s()+\-.]+")


def fold(text: str) -> str:
    """Lower case with "ё" as "е", character for character (same length)."""
    low = text.lower()
    # Nearly always: no letter lowers to two, no capital sigma (which
    # str.lower() would end a word with "ς").
    if len(low) == len(text) and "Σ" not in text:
        return low.replace("ё", "е")
    out = []
    for ch in text:
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out).replace("ё", "е")


def _fts_phrase(words: tuple[str, ...], prefix: bool) -> str:
    # Words hold letters and digits only; the doubling is belt and braces.
    quoted = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
    return quoted + " *" if prefix else quoted


def _ts_phrase(words: tuple[str, ...], prefix: bool, weight: str = "") -> str:
    quoted = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in words]
    marks = ("*" if prefix else "") + weight
    if marks:
        quoted[-1] += ":" + marks
    if weight:
        quoted[:-1] = [w + ":" + weight for w in quoted[:-1]]
    return " <-> ".join(quoted)


@dataclasses.dataclass(frozen=True)
class Query:
    """The words of a search: every chunk (a space-separated word, itself a
    phrase of its parts) must match; the last one's last word is a prefix
    when ``prefix``; ``phones``: digit strings that may match a number."""

    chunks: tuple[tuple[str, ...], ...]
    prefix: bool
    phones: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        """The folded words (to find the snippet)."""
        return tuple(w for chunk in self.chunks for w in chunk)

    @property
    def last_word(self) -> str | None:
        """The word matched as a prefix, if any."""
        return self.chunks[-1][-1] if self.prefix else None

    @property
    def fts(self) -> str:
        """The FTS5 MATCH expression."""
        return self.fts_with(None)

    def fts_with(self, completions: tuple[str, ...] | None) -> str:
        """The FTS5 expression, the prefix spelt out as ``completions`` (the
        indexed words that start with it) when given: FTS5 merges the
        doclists of a prefix in full before it returns a row, an OR of
        words is walked lazily, newest first (issue #16)."""
        parts = []
        for i, chunk in enumerate(self.chunks):
            if i == len(self.chunks) - 1 and self.prefix:
                if completions:
                    spelt = [_fts_phrase((*chunk[:-1], word), False) for word in completions]
                    parts.append("(" + " OR ".join(spelt) + ")")
                elif completions is None:
                    parts.append(_fts_phrase(chunk, True))
                else:  # no indexed word starts so: the chunk cannot match
                    parts.append(_fts_phrase(chunk, False))
            else:
                parts.append(_fts_phrase(chunk, False))
        fts = " AND ".join(parts)
        if self.phones:
            fts = f"({fts}) OR " + " OR ".join(_fts_phrase((d,), True) for d in self.phones)
        return fts

    @property
    def tsquery(self) -> str:
        """The PostgreSQL tsquery (configuration ``simple``)."""
        return self._tsquery("")

    @property
    def tsquery_title(self) -> str:
        """The tsquery matched in titles only (weight A: names, subjects)."""
        return self._tsquery("A")

    def _tsquery(self, weight: str) -> str:
        last = len(self.chunks) - 1
        ts = " & ".join(
            _ts_phrase(w, self.prefix and i == last, weight) for i, w in enumerate(self.chunks)
        )
        if self.phones:
            ts = f"({ts}) | " + " | ".join(_ts_phrase((d,), True, weight) for d in self.phones)
        return ts


def _phone_digits(text: str, default_region: str) -> tuple[str, ...]:
    """The digit strings a phone-like query stands for: as typed, and as E.164."""
    if not PHONE_LIKE.fullmatch(text):
        return ()
    digits = re.sub(r"\D", "", text)
    if len(digits) < PHONE_MIN_DIGITS:
        return ()
    found = [digits]
    try:
        e164 = normalize.normalize_phone(text, default_region)
    except ValidationError:
        pass
    else:
        found.append(e164.split(";", 1)[0].lstrip("+"))
    return tuple(dict.fromkeys(found))


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", text[: MAX_TEXT * 4])[:MAX_TEXT].strip()


def may_be_phone(text: str) -> bool:
    """Whether ``parse`` would read ``text`` as a phone number too (and so
    needs the default region)."""
    return PHONE_LIKE.fullmatch(_clean(text)) is not None


def parse(text: str, default_region: str = "RU") -> Query | None:
    """The query for ``text``, or None when it holds no word to look for.

    Space-separated words must all match (AND); a word written with
    punctuation inside ("ivan.petrov@rom") is a phrase of its parts; the
    last word matches as a prefix when it has two letters or more.
    """
    text = _clean(text)
    chunks = [tuple(words) for words in (WORD.findall(fold(c)) for c in text.split()) if words]
    chunks = chunks[:MAX_CHUNKS]
    if not chunks:
        return None
    # A one-letter last word matches whole words only: as a prefix it would
    # match a third of the database and say nothing.
    prefix = len(chunks[-1][-1]) >= MIN_PREFIX
    return Query(tuple(chunks), prefix, _phone_digits(text, default_region))


def one_line(text: str) -> str:
    """``text`` with every run of white space as one space."""
    return " ".join(text.split())


@functools.lru_cache(maxsize=64)
def _word_starts(words: tuple[str, ...]) -> re.Pattern[str]:
    """Where a word starts with one of ``words``: the leftmost such place."""
    return re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in words) + ")")


def snippet(text: str | None, words: tuple[str, ...], width: int = SNIPPET) -> str:
    """About ``width`` characters of ``text`` around the first word that
    starts with one of ``words`` (folded), on one line; a text that fits is
    shown whole."""
    if not text:
        return ""
    if len(text) <= width:
        flat = one_line(text)
        if len(flat) <= width:
            return flat
    cut = one_line(text[: SNIPPET_SCAN * 2])
    flat = cut[:SNIPPET_SCAN]
    more = len(cut) > len(flat) or len(text) > SNIPPET_SCAN * 2
    folded = fold(flat)
    found = _word_starts(words).search(folded) if words else None
    first = found.start() if found else 0
    start = max(0, first - width // 4)
    if start:
        space = flat.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(flat), start + width)
    if end < len(flat):
        space = flat.rfind(" ", first, end)
        end = space if space > first else end
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) or more else "")
