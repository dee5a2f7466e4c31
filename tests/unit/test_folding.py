"""``fold``'s fast path gives what its rule (NFC, casefold, ё as е, whitespace
runs as one space) gives, on every whitespace character and many scripts."""

from __future__ import annotations

import random
import sqlite3
import sys
import unicodedata

import pytest

from models import folding
from models.folding import fold
from services.core import sqlite_functions


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


def test_the_sql_function_folds_as_fold_does() -> None:
    """``tp_fold`` on SQLite (``fold_sql``, its printable-ASCII shortcut
    included) gives ``fold``'s text for every script and whitespace."""
    con = sqlite3.connect(":memory:")
    sqlite_functions.register(con)
    rng = random.Random(49)
    ascii_pieces = ["Re:", "Invoice", "  ", " ", "\t", "\n", "\x0b", "\x1c", "\x7f", "\x00"]
    pieces = [*WORDS, *SPACES, *ascii_pieces, "ABC xyz", "Ё", "ё", "\u00a0"]
    texts = [
        *WORDS,
        *("Letter 17", " Letter 17 ", "Re:  Fwd: Q4", "MiXeD CaSe 123 !@#", " ", "   "),
        *("İ", "ß", "ΣΟΦΟΣ", "Договор Re: Straße", "A\u030a", "plain ascii\x1fcontrol"),
    ]
    for choices in (ascii_pieces, pieces):
        texts += ["".join(rng.choices(choices, k=rng.randrange(8))) for _ in range(2000)]
    for text in texts:
        ((folded,),) = con.execute("SELECT tp_fold(?)", (text,)).fetchall()
        assert folded == fold(text) == reference(text), repr(text)
    assert con.execute("SELECT tp_fold(NULL), tp_fold(12)").fetchall() == [(None, "12")]


def test_printable_ascii_takes_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcut is taken for plain ASCII and only for it: ``fold`` is
    never called for it, always for the rest."""
    called: list[str] = []

    def spy(text: str) -> str:
        called.append(text)
        return fold(text)

    monkeypatch.setattr(folding, "fold", spy)
    assert folding.fold_sql("Letter 17: Invoice") == "letter 17: invoice"
    assert folding.fold_sql(" Trailing ") == "trailing"
    assert called == []
    for text in ("СпецМонтаж", "Straße", "İstanbul", "ΣΟΦΟΣ", "a  b", "a\tb", "ёж", "x\x1fy"):
        assert folding.fold_sql(text) == reference(text)
    assert called == ["СпецМонтаж", "Straße", "İstanbul", "ΣΟΦΟΣ", "a  b", "a\tb", "ёж", "x\x1fy"]
