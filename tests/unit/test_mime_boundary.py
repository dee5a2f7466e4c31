"""Boundary lines matched by hand (services/mail/mime_boundary.py) exactly as
feedparser's compiled pattern matches them, and only inside the fast parse."""

from __future__ import annotations

import itertools
import random
import re
from email import feedparser
from typing import Any

import pytest

from services.mail import mime, mime_boundary
from services.mail.mime_boundary import BoundaryPattern, boundary_pattern, literal_boundaries


def _feedparser_pattern(boundary: str) -> str:
    """The pattern feedparser compiles (email/feedparser.py, _parsegen)."""
    separator = "--" + boundary
    return (
        "(?P<sep>" + re.escape(separator) + r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
    )


def _answer(found: Any) -> object:
    if found is None:
        return None
    names = ("sep", "end", "ws", "linesep")
    return (found.group(), found.groups(), *(found.group(n) for n in names))


BOUNDARIES = [
    "===============1234567890==",
    "----=_Part_13069834_15179892.1376435426074",
    "simple boundary",
    "Граница",
    "a.b+c?d*e(f)[g]{h}|i^j$k\\l",
    "-",
    "",
]


@pytest.mark.parametrize("boundary", BOUNDARIES)
def test_every_short_tail_matches_as_the_compiled_pattern_does(boundary: str) -> None:
    pattern = _feedparser_pattern(boundary)
    real = re.compile(pattern)
    mine = boundary_pattern(pattern)
    assert isinstance(mine, BoundaryPattern)
    separator = "--" + boundary
    alphabet = ["-", " ", "\t", "\r", "\n", "x", "я"]
    lines = [
        separator + "".join(tail)
        for size in range(6)
        for tail in itertools.product(alphabet, repeat=size)
    ]
    lines += [separator[:cut] for cut in range(len(separator))]
    lines += ["x" + separator + "\n", " " + separator + "--\n", separator.upper() + "\n"]
    for line in lines:
        assert _answer(mine.match(line)) == _answer(real.match(line)), repr(line)


def test_random_boundaries_and_lines_match_as_the_compiled_pattern_does() -> None:
    rng = random.Random(20261206)
    chars = "-_=.+ \t\r\n'()/:?\\*[]^$|{}aZ9йЁ"
    for _ in range(3000):
        boundary = "".join(rng.choice(chars) for _ in range(rng.randrange(0, 12)))
        pattern = _feedparser_pattern(boundary)
        real = re.compile(pattern)
        mine = boundary_pattern(pattern)
        assert mine is not None, repr(boundary)
        for _ in range(5):
            tail = "".join(rng.choice(chars) for _ in range(rng.randrange(0, 6)))
            line = "--" + boundary + tail if rng.random() < 0.8 else tail + boundary
            assert _answer(mine.match(line)) == _answer(real.match(line)), (boundary, line)


def test_other_patterns_are_compiled_as_ever() -> None:
    assert boundary_pattern("(?P<sep>--a)(?P<end>--)?") is None
    assert boundary_pattern(_feedparser_pattern("a"), re.IGNORECASE) is None
    assert boundary_pattern(_feedparser_pattern("a").encode()) is None
    unescaped = _feedparser_pattern("a").replace("\\-\\-a", "--a.*")  # not re.escape's output
    assert unescaped != _feedparser_pattern("a")
    assert boundary_pattern(unescaped) is None


def test_only_the_fast_parse_matches_by_hand(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    match = BoundaryPattern.match

    def counted(self: BoundaryPattern, line: str) -> object:
        calls.append(line)
        return match(self, line)

    monkeypatch.setattr(BoundaryPattern, "match", counted)
    # a letter the splitter steps aside for (mime_split.py): feedparser reads it
    monkeypatch.setattr(mime, "split_message", lambda _raw, _how, **_kw: None)
    raw = (
        "From: Иван <ivan@romashka.ru>\r\nTo: alice@example.test\r\nSubject: счёт\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nСчёт во вложении\r\n"
        "--b1\r\nContent-Type: application/pdf; name=schet.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n"
    ).encode()
    fast = mime.read_message(raw, 1 << 20, checked=True)
    assert calls  # the import's parse took the hand-made matcher
    calls.clear()
    assert mime.read_message(raw, 1 << 20, checked=False) == fast
    assert calls == []  # the reference parse compiled the real pattern
    assert fast.text == "Счёт во вложении"
    assert [a.filename for a in fast.attachments] == ["schet.pdf"]
    # outside the block feedparser's re is the real one
    used: Any = feedparser.re  # type: ignore[attr-defined]
    assert isinstance(used.compile(_feedparser_pattern("b1")), re.Pattern)
    with literal_boundaries():
        assert isinstance(used.compile(_feedparser_pattern("b1")), BoundaryPattern)
        assert used.escape is re.escape
    assert mime_boundary.re is re
