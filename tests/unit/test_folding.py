"""``fold``'s fast path gives what its rule (NFC, casefold, ё as е, whitespace
runs as one space) gives, on every whitespace character and many scripts."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from models.folding import fold


def reference(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().replace("ё", "е").split())


SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
WORDS = [
    *("СпецМонтаж", "ЁЛКА", "ёжик", "Straße", "STRASSE", "ΣΟΦΟΣ", "σοφός", "İstanbul"),
    *("ıi", "DİYARBAKIR", "ﬁle", "Ǆ", "ǅ", "ß", "ẞ", "Å", "A\u030a", "e\u0301"),
    *("x", "", "Договор №5", "日本語", "😀", "\u200b", "\x00", "\x7f", "\u00ad"),
]


def test_every_whitespace_but_space_is_unprintable() -> None:
    """What the fast path rests on."""
    assert " " in SPACES
    assert all(not c.isprintable() for c in SPACES if c != " ")


@pytest.mark.parametrize("space", SPACES)
def test_each_whitespace_character(space: str) -> None:
    for text in (
        f"Ёж{space}Straße",
        f"{space}ΣΟΦΟΣ{space}{space}",
        f"a {space} b\n\nc",
        space * 3,
        f"x{space}\t y",
    ):
        assert fold(text) == reference(text), repr(text)


def test_mixed_texts() -> None:
    rng = random.Random(16)
    pieces = [*WORDS, *SPACES, " ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0"]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        assert fold(text) == reference(text), repr(text)


def test_folded_words() -> None:
    assert fold("  СпецМонтаж\n\nЁЛКА  ") == "спецмонтаж елка"
    assert fold("Straße\tΣΟΦΟΣ") == "strasse σοφοσ"
    assert fold("İstanbul") == "i\u0307stanbul"
    assert fold("A\u030a") == "å"
